/**
 * Loading policies from disk: the only place the CLI reads policy files. URIs given to
 * the language are absolute file paths; imports resolve relative to them.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { check, load, resolveImport, type CheckResult, type Diagnostic } from "@diffuse/language";
import { compile, compileSet, type Evaluator } from "@diffuse/engine";
import { CliError, EXIT_PROBLEMS, UsageError } from "./errors.js";
import { displayPath, readTextFile } from "./io.js";

export interface LoadedPolicy {
  readonly path: string;
  /** The entry's URI: its path relative to the working directory when inside it (decisions cite it). */
  readonly uri: string;
  readonly result: CheckResult;
  /** Sources by URI, for printing diagnostics. */
  readonly sources: ReadonlyMap<string, string>;
  readonly errors: readonly Diagnostic[];
}

/**
 * Reads and checks a policy (or policy set) file. `overrides` replaces files by absolute
 * path (policy tests' what-if `files`). Throws CliError when the entry file itself cannot
 * be read; problems inside the policy come back as diagnostics.
 */
export async function loadPolicy(path: string, cwd: string, overrides?: ReadonlyMap<string, string>): Promise<LoadedPolicy> {
  const entry = resolve(cwd, path);
  readTextFile(entry, "policy", path);
  // The path as the language reads plain paths, as an import from the working directory
  // would be: a name like `v2:rules.diffuse` becomes `./v2:rules.diffuse`, not a URI.
  const uri = resolveImport("", displayPath(entry, cwd));
  const sources = new Map<string, string>();
  const read = async (u: string): Promise<string | undefined> => {
    const abs = resolve(cwd, u);
    const text = overrides?.get(abs) ?? (await readFile(abs, "utf8"));
    sources.set(u, text);
    return text;
  };
  const result = check(await load(uri, read));
  return { path, uri, result, sources, errors: result.diagnostics.filter((d) => d.severity === "error") };
}

/** Throws a CliError (exit 1) when a checked policy has errors. */
export function refuseErrors(policy: LoadedPolicy): void {
  if (policy.errors.length === 0) return;
  throw new CliError(
    `policy \`${policy.path}\` has ${policy.errors.length} error${policy.errors.length === 1 ? "" : "s"}`,
    EXIT_PROBLEMS,
    `run \`diffuse check ${policy.path}\` to see them`,
  );
}

/** Compiles a checked policy, or throws a CliError (exit 1) when it has errors. */
export function evaluatorOf(policy: LoadedPolicy): Evaluator {
  refuseErrors(policy);
  const { result } = policy;
  if (result.policySet) return compileSet(result.policySet.versions, { name: result.policySet.title });
  if (!result.model.header) {
    throw new CliError(`\`${policy.path}\` has no \`policy\` header`, EXIT_PROBLEMS, "evaluate a policy file or a policy set, not a library it imports");
  }
  return compile(result.model);
}

/**
 * `--as-of` picks the version of a policy set in force on a date. A single policy is
 * evaluated as written for any date, so the flag would be ignored without a word: refuse
 * it. A date no version covers would make every order of the run invalid: refuse it too.
 */
export function refuseUnusableAsOf(policy: LoadedPolicy, evaluator: Evaluator, asOf: string | undefined, usage: string): void {
  if (asOf === undefined) return;
  const problem = asOfProblem(policy, evaluator, asOf, "--as-of", `--as-of ${asOf}`);
  if (problem) throw new UsageError(problem.message, usage, problem.help);
}

/**
 * Why `asOf` picks no version of `policy` (the reasons `refuseUnusableAsOf` gives), or
 * undefined when it picks one. `setting` names the option, `given` the option with its
 * value, as the user wrote them (`--as-of`, or a test file's `options.asOf`).
 */
export function asOfProblem(
  policy: LoadedPolicy,
  evaluator: Evaluator,
  asOf: string,
  setting: string,
  given: string,
): { readonly message: string; readonly help: string } | undefined {
  const set = policy.result.policySet;
  if (!set) {
    return {
      message: `\`${setting}\` picks a version of a policy set, and \`${policy.path}\` is a single policy`,
      help: `drop \`${setting}\` (a policy file decides every order under its own rules), or give a policy set (\`policyset\`)`,
    };
  }
  if (evaluator.inForce(asOf) !== undefined) return undefined;
  const spans = set.versions
    .map((m) => (m.header ? `${m.header.version} from ${m.header.effective}${m.header.until === undefined ? "" : ` until ${m.header.until}`}` : ""))
    .filter((x) => x !== "");
  return { message: `\`${given}\`: no version of \`${policy.path}\` is in force on that date`, help: `versions cover ${spans.join("; ")}` };
}
