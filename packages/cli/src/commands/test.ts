import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { checkPolicyTestFile, duplicateKeys, parsePolicyTestFile, runPolicyTests, type PolicyTestFile, type PolicyTestFileError } from "@diffuse/engine";
import { closest } from "@diffuse/language";
import { parseCommand } from "../args.js";
import { testCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../errors.js";
import { formatText } from "../format/diagnostics.js";
import { toJunit, type JunitSuite } from "../format/junit.js";
import { collectFiles, expandPattern } from "../files.js";
import { displayPath, errorText, parseJsonText, readTextFile, statPath } from "../io.js";
import { lineColumn } from "../json-error.js";
import { asOfProblem, evaluatorOf, loadPolicy, type LoadedPolicy } from "../policy.js";

export async function runTest(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(testCommand, argv);
  const files: string[] = [];
  for (const arg of positionals.length > 0 ? positionals : ["."])
    for (const p of expandPattern(arg, ctx.cwd)) collectFiles(resolve(ctx.cwd, p), ".test.json", files, p);
  if (files.length === 0) throw new CliError("no test files found", EXIT_USAGE, "policy tests are files named `*.test.json`");
  const quiet = values.quiet === true;
  const suites: JunitSuite[] = [];
  let passed = 0;
  let failed = 0;
  let broken = 0;
  for (const file of files) {
    const shown = displayPath(file, ctx.cwd);
    const problem = (message: string, detail = ""): void => {
      broken++;
      ctx.stdout.write(`ERROR ${shown}: ${message}\n${detail}`);
      suites.push({ name: shown, file: shown, cases: [], error: { message, detail } });
    };
    let json: unknown;
    let text: string;
    try {
      text = readTextFile(file, "test file");
      json = parseJsonText(text);
    } catch (e) {
      if (e instanceof CliError) problem(e.message, helpLine(e));
      else problem(String(e));
      continue;
    }
    // `JSON.parse` keeps the last of a repeated key: the test would not run what it says.
    const repeated = duplicateKeys(text);
    if (repeated.length > 0) {
      problem("invalid test file", repeated.map((d) => `  ${d.path} (line ${lineColumn(text, d.offset).line}): given more than once; give it once\n`).join(""));
      continue;
    }
    const parsed = parsePolicyTestFile(json);
    if (!parsed.ok) {
      problem("invalid test file", fileErrors(parsed.errors));
      continue;
    }
    const spec = parsed.value;
    const policyPath = resolve(dirname(file), spec.policy);
    const overrides = new Map(Object.entries(spec.files ?? {}).map(([p, text]) => [resolve(dirname(policyPath), p), text]));
    let evaluator;
    try {
      const policy = await loadPolicy(displayPath(policyPath, ctx.cwd), ctx.cwd, overrides);
      if (policy.errors.length > 0) {
        const byUri = [...new Set(policy.errors.map((d) => d.uri))].map((uri) => ({
          path: displayPath(resolve(ctx.cwd, uri), ctx.cwd),
          text: policy.sources.get(uri) ?? "",
          diagnostics: policy.errors.filter((d) => d.uri === uri),
        }));
        problem(`policy \`${displayPath(policyPath, ctx.cwd)}\` has errors`, formatText(byUri));
        continue;
      }
      evaluator = evaluatorOf(policy);
      // The runner would ignore it for a single policy, or decide every case invalid.
      const asOf = spec.options?.asOf;
      const unusable = asOf === undefined ? undefined : asOfProblem(policy, evaluator, asOf, "options.asOf", `"asOf": "${asOf}"`);
      if (unusable) {
        problem("invalid test file", fileErrors([{ path: "options.asOf", message: unusable.message, help: unusable.help }]));
        continue;
      }
      const unknown = [...unreadFiles(spec.files, policyPath, policy, ctx.cwd), ...checkPolicyTestFile(spec, evaluator)];
      if (unknown.length > 0) {
        problem("invalid test file", fileErrors(unknown));
        continue;
      }
    } catch (e) {
      if (e instanceof CliError) {
        problem(e.message, existsSync(policyPath) ? helpLine(e) : `  help: ${policyPathHelp(spec.policy, dirname(file), ctx.cwd)}\n`);
        continue;
      }
      throw e;
    }
    const started = Date.now();
    const result = runPolicyTests(spec, evaluator);
    const timeMs = Date.now() - started;
    if (!quiet || result.failed > 0) ctx.stdout.write(`${shown}${result.description ? ` — ${result.description}` : ""}\n`);
    for (const r of result.results) {
      if (r.passed) {
        if (!quiet) ctx.stdout.write(`  PASS ${r.name}\n`);
      } else {
        ctx.stdout.write(`  FAIL ${r.name}\n`);
        for (const f of r.failures) ctx.stdout.write(`       ${f}\n`);
      }
    }
    passed += result.passed;
    failed += result.failed;
    suites.push({
      name: result.description ?? shown,
      file: shown,
      cases: result.results.map((r) => ({ name: r.name, passed: r.passed, failures: r.failures, timeMs: timeMs / Math.max(1, result.results.length) })),
    });
  }
  ctx.stdout.write(`${passed} passed, ${failed} failed${broken > 0 ? `, ${broken} test file${broken === 1 ? "" : "s"} with errors` : ""}\n`);
  if (values.junit !== undefined) {
    const out = resolve(ctx.cwd, values.junit);
    if (statPath(out, "JUnit report", values.junit, "write")?.isDirectory() === true) {
      throw new CliError(`JUnit report \`${values.junit}\` is a directory`, undefined, "give `--junit` the path of a file, e.g. `reports/policy-tests.xml`");
    }
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, toJunit(suites));
    } catch (e) {
      throw new CliError(`cannot write JUnit report \`${values.junit}\`: ${errorText(e)}`);
    }
  }
  return failed > 0 || broken > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** The problems of an invalid test file, as the detail under its `ERROR` line: each field's path and message, then its advice. */
function fileErrors(errors: readonly PolicyTestFileError[]): string {
  return errors.map((er) => `  ${er.path === "" ? "file" : er.path}: ${er.message}\n${er.help === undefined ? "" : `  help: ${er.help}\n`}`).join("");
}

/**
 * Advice for a test file whose `policy` names no file. It is read from the test file's
 * folder, but the path is often written from the working directory, as on the command
 * line: then the path meant is named.
 */
function policyPathHelp(policy: string, testDir: string, cwd: string): string {
  const help = `\`policy\` is a path relative to the test file's folder, \`${displayPath(testDir, cwd)}\``;
  const fromCwd = resolve(cwd, policy);
  if (isAbsolute(policy) || !existsSync(fromCwd)) return help;
  return `${help}: did you mean \`${relative(testDir, fromCwd).split(sep).join("/")}\`?`;
}

/**
 * The `files` replacements for files the policy did not read: the what-if they state never
 * took effect, and the cases would run on the policy as it is. Keys are paths relative to
 * the policy file's folder, as `overrides` resolved them.
 */
function unreadFiles(files: PolicyTestFile["files"], policyPath: string, policy: LoadedPolicy, cwd: string): PolicyTestFileError[] {
  const folder = dirname(policyPath);
  const read = [...policy.sources.keys()].map((uri) => resolve(cwd, uri));
  const readSet = new Set(read);
  const shown = read.map((path) => relative(folder, path).split(sep).join("/"));
  return Object.keys(files ?? {})
    .filter((key) => !readSet.has(resolve(folder, key)))
    .map((key) => {
      const near = closest(key, shown);
      return {
        path: `files[${JSON.stringify(key)}]`,
        message: `the policy reads no file \`${key}\`, so replacing it changes nothing`,
        help: `${near === undefined ? "" : `did you mean \`${near}\`? `}the files the policy reads, relative to its folder: ${shown.join(", ")}`,
      };
    });
}

/** A CliError's advice, as the detail under its `ERROR` line. */
function helpLine(e: CliError): string {
  return e.help === undefined ? "" : `  help: ${e.help}\n`;
}

export { testCommand };
