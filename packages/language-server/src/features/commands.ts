/**
 * workspace/executeCommand handlers behind the code lenses: run policy test files with
 * the engine's test runner, and evaluate an example order book against a policy. The
 * results are plain summaries (the client shows them); nothing is written anywhere.
 */
import {
  checkPolicyTestFile,
  compile,
  compileSet,
  duplicateKeys,
  MemoryLedger,
  parseBookText,
  parsePolicyTestFile,
  runPolicyTests,
  type PolicyTestFileError,
} from "@diffuse/engine";
import type { Decision, Evaluator, Outcome, ParsedBook } from "@diffuse/engine";
import type { PolicyModel, PolicySetModel } from "@diffuse/language";
import { displayUri, resolveImport } from "@diffuse/language";

export interface CheckedPolicy {
  /** The entry's model; undefined when the program has errors. */
  readonly model: PolicyModel | undefined;
  /** Present when the entry is a policy set. */
  readonly policySet: PolicySetModel | undefined;
  /** Messages of the program's errors (empty when it checks). */
  readonly errors: readonly string[];
}

export interface CommandEnv {
  readFile(uri: string): Promise<string | undefined>;
  /** Load and check the policy at `uri`, with some files replaced by the given text (what-if tests). */
  check(uri: string, overrides?: ReadonlyMap<string, string>): Promise<CheckedPolicy>;
}

/** An evaluator for a checked policy or policy set; undefined when it has errors. */
export function evaluatorFor(checked: CheckedPolicy): Evaluator | undefined {
  if (checked.model === undefined || checked.errors.length > 0) return undefined;
  return checked.policySet !== undefined ? compileSet(checked.policySet.versions, { name: checked.policySet.title }) : compile(checked.model);
}

export interface CaseSummary {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly string[];
}

export interface TestFileSummary {
  readonly uri: string;
  readonly passed: number;
  readonly failed: number;
  readonly cases: readonly CaseSummary[];
  /** Set when the file could not be run at all (unreadable, bad JSON, policy with errors). */
  readonly error?: string;
}

export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly files: readonly TestFileSummary[];
  /** One line for a notification, e.g. `12 passed, 1 failed`. */
  readonly message: string;
}

function errorFile(uri: string, error: string): TestFileSummary {
  return { uri, passed: 0, failed: 1, cases: [], error };
}

/** The problems of an invalid test file on one line: each field's path and message, its advice in parentheses. */
function fileErrors(errors: readonly PolicyTestFileError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}${e.help === undefined ? "" : ` (${e.help})`}`).join("; ");
}

async function runTestFile(env: CommandEnv, uri: string): Promise<TestFileSummary> {
  const text = await env.readFile(uri);
  if (text === undefined) return errorFile(uri, `cannot read \`${displayUri(uri)}\``);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return errorFile(uri, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // `JSON.parse` keeps the last of a repeated key: the file would not test what it says (as `diffuse test` reports).
  const repeated = duplicateKeys(text);
  if (repeated.length > 0) return errorFile(uri, repeated.map((d) => `${d.path}: given more than once; give it once`).join("; "));
  const parsed = parsePolicyTestFile(json);
  if (!parsed.ok) return errorFile(uri, fileErrors(parsed.errors));
  const file = parsed.value;
  const policyUri = resolveImport(uri, file.policy);
  const overrides = new Map(Object.entries(file.files ?? {}).map(([path, text]) => [resolveImport(policyUri, path), text]));
  const checked = await env.check(policyUri, overrides);
  const evaluator = evaluatorFor(checked);
  if (evaluator === undefined) {
    return errorFile(uri, `the policy \`${file.policy}\` has errors: ${checked.errors.slice(0, 3).join("; ")}`);
  }
  const unknown = checkPolicyTestFile(file, evaluator);
  if (unknown.length > 0) return errorFile(uri, fileErrors(unknown));
  const result = runPolicyTests(file, evaluator);
  const cases = result.results.map((c) => ({ name: c.name, passed: c.passed, failures: c.failures }));
  return { uri, passed: result.passed, failed: result.failed, cases };
}

export async function runTests(env: CommandEnv, uris: readonly string[]): Promise<TestSummary> {
  const files: TestFileSummary[] = [];
  for (const uri of uris) files.push(await runTestFile(env, uri));
  const passed = files.reduce((n, f) => n + f.passed, 0);
  const failed = files.reduce((n, f) => n + f.failed, 0);
  return { passed, failed, files, message: `${passed} passed, ${failed} failed` };
}

/** The test files among `candidates` (uri + text) whose `policy` resolves to `policyUri`. */
export function testsReferencing(policyUri: string, candidates: readonly { readonly uri: string; readonly text: string }[]): string[] {
  const out: string[] = [];
  for (const c of candidates) {
    try {
      const json = JSON.parse(c.text) as { policy?: unknown };
      if (typeof json.policy === "string" && resolveImport(c.uri, json.policy) === policyUri) out.push(c.uri);
    } catch {
      // Not a test file we can read: no lens for it.
    }
  }
  return out.sort();
}

export interface EvaluationSummary {
  readonly policy: string;
  readonly orders: string;
  readonly total: number;
  readonly outcomes: Readonly<Record<Outcome, number>>;
  readonly decisions: readonly Pick<Decision, "order" | "outcome" | "basis" | "review">[];
  readonly message: string;
  readonly error?: string;
}

function emptyOutcomes(): Record<Outcome, number> {
  return { authorized: 0, "license-required": 0, prohibited: 0, invalid: 0 };
}

function failure(policy: string, orders: string, error: string): EvaluationSummary {
  return { policy, orders, total: 0, outcomes: emptyOutcomes(), decisions: [], message: error, error };
}

/** Evaluate an order book (JSON array or JSONL) against a policy, on a fresh in-memory ledger, in date order. */
export async function evaluateExamples(env: CommandEnv, policyUri: string, ordersUri: string): Promise<EvaluationSummary> {
  const checked = await env.check(policyUri);
  const evaluator = evaluatorFor(checked);
  if (evaluator === undefined) return failure(policyUri, ordersUri, `the policy has errors: ${checked.errors.slice(0, 3).join("; ")}`);
  const text = await env.readFile(ordersUri);
  if (text === undefined) return failure(policyUri, ordersUri, `cannot read the example orders \`${displayUri(ordersUri)}\``);
  let book: ParsedBook;
  try {
    book = parseBookText(text);
  } catch (e) {
    return failure(policyUri, ordersUri, `the example orders are not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // An order that gives a key twice is decided with those errors, as `diffuse eval` does.
  const { orders, repeatedKeys: repeated } = book;
  const ledger = new MemoryLedger();
  const dated = orders.map((order, index) => ({ order, index, date: dateOf(order) }));
  dated.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));
  const outcomes = emptyOutcomes();
  const decisions: EvaluationSummary["decisions"][number][] = [];
  for (const { order, index } of dated) {
    const orderErrors = repeated.get(index);
    const d = evaluator.evaluate(order, ledger, orderErrors === undefined ? {} : { orderErrors });
    outcomes[d.outcome]++;
    decisions.push({
      order: d.order,
      outcome: d.outcome,
      ...(d.basis !== undefined ? { basis: d.basis } : {}),
      ...(d.review !== undefined ? { review: d.review } : {}),
    });
  }
  const message = `${orders.length} orders: ${
    (Object.keys(outcomes) as Outcome[])
      .filter((k) => outcomes[k] > 0)
      .map((k) => `${outcomes[k]} ${k}`)
      .join(", ") || "none"
  }`;
  return { policy: policyUri, orders: ordersUri, total: orders.length, outcomes, decisions, message };
}

function dateOf(order: unknown): string {
  const date = typeof order === "object" && order !== null ? (order as { date?: unknown }).date : undefined;
  return typeof date === "string" ? date : "";
}
