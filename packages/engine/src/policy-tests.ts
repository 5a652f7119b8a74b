/**
 * The policy test runner (format: docs/testing.md). Pure: the caller reads the test
 * file, loads and compiles the policy it names (applying its `files` overrides), and
 * hands over the evaluator. `diffuse test`, the vitest suite and the language server
 * all run tests through here.
 */
import type { Charge, Decision, EvaluateOptions, Evaluator, Outcome, Review } from "./types.js";
import { isIsoDate } from "./dates.js";
import { didYouMean } from "./suggest.js";
import { fromNumber, parseDecimal, toDecimal } from "./exact.js";
import { ledgerFrom, type MemoryLedger, type StartingCharge } from "./ledger.js";

export interface PolicyTestExpect {
  readonly outcome?: string;
  readonly basis?: string | null;
  readonly review?: string | null;
  readonly reasons?: readonly string[];
  /** Amounts (`amount`, `before`, `after`, `limit`) as decimal strings or numbers, matched by value. */
  readonly charges?: readonly ExpectedCharge[];
  readonly noCharges?: boolean;
  readonly hints?: readonly string[];
  readonly errors?: readonly string[];
  readonly policyVersion?: string;
}

/** A charge the decision must contain: the fields given must match. */
export type ExpectedCharge = { readonly [F in keyof Charge]?: F extends AmountField ? string | number : Charge[F] };

/** The fields of a charge that hold amounts. */
type AmountField = "amount" | "before" | "after" | "limit";
const AMOUNT_FIELDS: ReadonlySet<string> = new Set<AmountField>(["amount", "before", "after", "limit"]);

export interface PolicyTestRow {
  readonly name?: string;
  readonly with: Readonly<Record<string, unknown>>;
  readonly expect: PolicyTestExpect;
}

export interface PolicyTestCase {
  readonly name?: string;
  readonly order: Readonly<Record<string, unknown>>;
  readonly ledger?: readonly StartingCharge[];
  readonly expect?: PolicyTestExpect;
  readonly rows?: readonly PolicyTestRow[];
}

/** A validated policy test file. */
export interface PolicyTestFile {
  readonly description?: string;
  readonly policy: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly ledger?: readonly StartingCharge[];
  readonly options?: EvaluateOptions;
  readonly cases: readonly PolicyTestCase[];
}

export interface PolicyTestResult {
  /** The case's name, with the row's name after ` / ` for table rows. */
  readonly name: string;
  readonly passed: boolean;
  /** One line per mismatch: what was expected and what the decision said. */
  readonly failures: readonly string[];
  readonly decision: Decision;
}

export interface PolicyTestFileResult {
  readonly description?: string;
  readonly results: readonly PolicyTestResult[];
  readonly passed: number;
  readonly failed: number;
}

/** A problem with the test file itself, with the JSON path of the bad field, and advice when there is any. */
export interface PolicyTestFileError {
  readonly path: string;
  readonly message: string;
  readonly help?: string;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly PolicyTestFileError[] };

const FILE_FIELDS = new Set(["$schema", "description", "policy", "files", "ledger", "options", "cases"]);
const CASE_FIELDS = new Set(["name", "order", "ledger", "expect", "rows"]);
const ROW_FIELDS = new Set(["name", "with", "expect"]);
const EXPECT_FIELDS = new Set(["outcome", "basis", "review", "reasons", "charges", "noCharges", "hints", "errors", "policyVersion"]);
const CHARGE_FIELDS = new Set(["cap", "key", "date", "amount", "window"]);
const EXPECTED_CHARGE_FIELDS = new Set(["cap", "key", "window", "amount", "before", "after", "limit"]);
const OPTION_FIELDS = new Set(["chargeLicenses", "asOf"]);
/** The values of a decision's `outcome` and `review` (a record, so a new one is a type error here until listed). */
const OUTCOMES = Object.keys({ authorized: true, "license-required": true, prohibited: true, invalid: true } satisfies Record<Outcome, true>);
const REVIEWS = Object.keys({ "presumption-of-approval": true, "case-by-case": true, "presumption-of-denial": true } satisfies Record<Review, true>);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Validates a parsed test file. Every problem is reported with its JSON path
 * (`cases[2].expect.outcome`), so the author can find it.
 */
export function parsePolicyTestFile(json: unknown): Parsed<PolicyTestFile> {
  const errors: PolicyTestFileError[] = [];
  const err = (path: string, message: string, help?: string): void => {
    errors.push(help === undefined ? { path, message } : { path, message, help });
  };
  const unknownFields = (value: Record<string, unknown>, allowed: ReadonlySet<string>, path: string): void => {
    for (const k of Object.keys(value))
      if (!allowed.has(k)) err(path ? `${path}.${k}` : k, `unknown field \`${k}\``, `${didYouMean(k, allowed)}allowed fields here: ${[...allowed].join(", ")}`);
  };
  const strings = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) err(path, "expected an array of strings");
  };
  const startingLedger = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return err(path, "expected an array of charges `{cap, key, date, amount}`");
    value.forEach((c: unknown, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(c)) return err(p, "expected a charge `{cap, key, date, amount}`");
      unknownFields(c, CHARGE_FIELDS, p);
      for (const f of ["cap", "key", "date"] as const) if (typeof c[f] !== "string") err(`${p}.${f}`, `expected \`${f}\` as a string`);
      if (typeof c.date === "string" && !isIsoDate(c.date)) err(`${p}.date`, `\`${c.date}\` is not a date (YYYY-MM-DD)`);
      amount(c.amount, `${p}.amount`);
    });
  };
  const amount = (value: unknown, path: string): void => {
    const exactNumber = typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
    const decimalString = typeof value === "string" && /^\d+(\.\d+)?$/.test(value);
    if (exactNumber || decimalString) return;
    // `158,320` is how explain and eval's text print amounts: a likely first try.
    const inexact = typeof value === "number" && value > 0 && !Number.isSafeInteger(value);
    err(
      path,
      `expected a non-negative amount as a decimal string or a safe integer, got ${value === undefined ? "nothing" : `\`${JSON.stringify(value)}\``}`,
      inexact
        ? "a JSON number is exact only as a whole number up to 2^53 - 1: give the amount as a decimal string"
        : 'write the amount in digits, without separators or a unit, as the decisions do: e.g. "26898568" or "15831.2"',
    );
  };
  const expectedCharges = (value: unknown, path: string): void => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return err(path, "expected an array of partial charges");
    value.forEach((c: unknown, i) => {
      const p = `${path}[${i}]`;
      if (!isRecord(c)) return err(p, "expected a partial charge `{cap, key, window, amount, before, after, limit}`");
      // A misspelt field would make a case that can never pass, for a reason the failure hides.
      unknownFields(c, EXPECTED_CHARGE_FIELDS, p);
      for (const [f, v] of Object.entries(c)) {
        if (AMOUNT_FIELDS.has(f)) amount(v, `${p}.${f}`);
        else if (EXPECTED_CHARGE_FIELDS.has(f) && typeof v !== "string") err(`${p}.${f}`, `expected \`${f}\` as a string`);
      }
    });
  };
  const expect = (value: unknown, path: string): void => {
    if (!isRecord(value)) return err(path, "expected an object of expectations");
    unknownFields(value, EXPECT_FIELDS, path);
    for (const f of ["outcome", "policyVersion"] as const) if (value[f] !== undefined && typeof value[f] !== "string") err(`${path}.${f}`, "expected a string");
    for (const f of ["basis", "review"] as const)
      if (value[f] !== undefined && value[f] !== null && typeof value[f] !== "string") err(`${path}.${f}`, "expected a string or null");
    // A misspelt value would make a case that can never pass, reported as the decision's fault.
    const { outcome, review } = value;
    if (typeof outcome === "string" && !OUTCOMES.includes(outcome))
      err(`${path}.outcome`, `unknown outcome \`${outcome}\``, `${didYouMean(outcome, OUTCOMES)}an outcome is one of ${OUTCOMES.join(", ")}`);
    if (typeof review === "string" && !REVIEWS.includes(review))
      err(`${path}.review`, `unknown review \`${review}\``, `${didYouMean(review, REVIEWS)}a review is one of ${REVIEWS.join(", ")} (or null: none)`);
    strings(value.reasons, `${path}.reasons`);
    strings(value.hints, `${path}.hints`);
    strings(value.errors, `${path}.errors`);
    if (value.noCharges !== undefined && typeof value.noCharges !== "boolean") err(`${path}.noCharges`, "expected true or false");
    expectedCharges(value.charges, `${path}.charges`);
  };

  if (!isRecord(json)) return { ok: false, errors: [{ path: "", message: "a policy test file is a JSON object with `policy` and `cases`" }] };
  unknownFields(json, FILE_FIELDS, "");
  if (typeof json.policy !== "string" || json.policy === "") err("policy", "expected the policy file's path, relative to the test file");
  if (json.description !== undefined && typeof json.description !== "string") err("description", "expected a string");
  if (json.files !== undefined && (!isRecord(json.files) || !Object.values(json.files).every((v) => typeof v === "string"))) {
    err("files", "expected an object mapping file paths to replacement text");
  }
  if (json.options !== undefined) {
    if (!isRecord(json.options)) err("options", "expected an object");
    else {
      unknownFields(json.options, OPTION_FIELDS, "options");
      if (json.options.chargeLicenses !== undefined && typeof json.options.chargeLicenses !== "boolean")
        err("options.chargeLicenses", "expected true or false");
      // The version in force is found by comparing dates as text: anything else would pick one.
      const asOf = json.options.asOf;
      if (asOf !== undefined && (typeof asOf !== "string" || !isIsoDate(asOf)))
        err("options.asOf", `expected a date (YYYY-MM-DD), got \`${typeof asOf === "string" ? asOf : JSON.stringify(asOf)}\``);
    }
  }
  startingLedger(json.ledger, "ledger");
  if (!Array.isArray(json.cases)) err("cases", "expected an array of cases");
  else {
    json.cases.forEach((c: unknown, i) => {
      const p = `cases[${i}]`;
      if (!isRecord(c)) return err(p, "expected a case object");
      unknownFields(c, CASE_FIELDS, p);
      if (c.name !== undefined && typeof c.name !== "string") err(`${p}.name`, "expected a string");
      if (!isRecord(c.order)) err(`${p}.order`, "expected an order object");
      startingLedger(c.ledger, `${p}.ledger`);
      if (c.rows === undefined) {
        if (c.expect === undefined) err(`${p}.expect`, "a case needs `expect` (or a table of `rows`)");
        else expect(c.expect, `${p}.expect`);
      } else {
        if (c.expect !== undefined) err(`${p}.expect`, "a table case puts `expect` in each row, not on the case");
        if (!Array.isArray(c.rows) || c.rows.length === 0) err(`${p}.rows`, "expected a non-empty array of rows");
        else
          c.rows.forEach((r: unknown, j) => {
            const rp = `${p}.rows[${j}]`;
            if (!isRecord(r)) return err(rp, "expected a row `{with, expect}`");
            unknownFields(r, ROW_FIELDS, rp);
            if (!isRecord(r.with)) err(`${rp}.with`, "expected a partial order object");
            expect(r.expect, `${rp}.expect`);
          });
      }
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: json as unknown as PolicyTestFile };
}

/**
 * What a validated test file names that the policy it runs on does not have: the cap of
 * a starting-ledger charge (a charge to no cap would be left out of every usage, so the
 * cases would run on a ledger other than the one written), and what an expectation names:
 * a charge's cap, a basis (each part of a joined one), a reason's rule, a policy version.
 * A misspelt name there would make a case that can never pass, reported as the decision's
 * fault. Each with its JSON path, as `parsePolicyTestFile` reports; empty when all is well.
 */
export function checkPolicyTestFile(file: PolicyTestFile, evaluator: Evaluator): PolicyTestFileError[] {
  const errors: PolicyTestFileError[] = [];
  // A policy without a `version` in its header has the version "", which no test names.
  const versions = evaluator.policies.map((p) => p.version).filter((v) => v !== "");
  /** Reports `name` at `path` unless it is one of `names`: "the policy has no `what` ..." with the names there are. */
  const known = (names: readonly string[], what: string, listed: string) => {
    const set = new Set(names);
    return (name: string | null | undefined, path: string): void => {
      if (name === undefined || name === null || set.has(name)) return;
      const help = names.length === 0 ? `the policy declares no ${what}s` : `${didYouMean(name, names)}${listed}: ${names.join(", ")}`;
      errors.push({ path, message: `the policy has no ${what} \`${name}\``, help });
    };
  };
  const cap = known(evaluator.caps, "cap", "caps of the policy");
  const basis = known(evaluator.bases, "basis", "bases of the policy");
  const rule = known(evaluator.rules, "rule", "rules a reason may name (decide blocks, authorizations, caps, NLR)");
  const version = known(versions, "version", "versions of the policy");
  const expected = (expect: PolicyTestExpect, path: string): void => {
    (expect.charges ?? []).forEach((c, i) => cap(c.cap, `${path}.charges[${i}].cap`));
    // An order authorized by several blocks joins their bases (`AIA + LPP`).
    for (const part of expect.basis?.split(" + ") ?? []) basis(part, `${path}.basis`);
    (expect.reasons ?? []).forEach((r, i) => rule(r, `${path}.reasons[${i}]`));
    version(expect.policyVersion, `${path}.policyVersion`);
  };
  (file.ledger ?? []).forEach((c, i) => cap(c.cap, `ledger[${i}].cap`));
  file.cases.forEach((c, i) => {
    const p = `cases[${i}]`;
    (c.ledger ?? []).forEach((charge, j) => cap(charge.cap, `${p}.ledger[${j}].cap`));
    if (c.expect !== undefined) expected(c.expect, `${p}.expect`);
    (c.rows ?? []).forEach((r, j) => expected(r.expect, `${p}.rows[${j}].expect`));
  });
  return errors;
}

/** Deep merge for table rows: objects merge by key, arrays by index, `null` removes a field. */
export function mergeOrder(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch)) {
    const out: unknown[] = [...base];
    patch.forEach((p, i) => {
      out[i] = i < base.length ? mergeOrder(base[i], p) : p;
    });
    return out;
  }
  if (isRecord(base) && isRecord(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete out[k];
      else out[k] = k in base ? mergeOrder(base[k], v) : v;
    }
    return out;
  }
  return patch;
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/**
 * An expected amount as a decision writes amounts (`15832` or `"15832.0"` is `"15832"`), so
 * it is matched by value; left as given when it is not a number (validation reports it).
 */
function canonicalAmount(value: unknown): unknown {
  const exact = typeof value === "number" ? fromNumber(value) : typeof value === "string" ? parseDecimal(value) : undefined;
  return exact === undefined ? value : toDecimal(exact);
}

/** Compares a decision with an expectation; returns one line per mismatch. */
export function compareDecision(decision: Decision, expect: PolicyTestExpect): string[] {
  const failures: string[] = [];
  if (expect.outcome !== undefined && decision.outcome !== expect.outcome) {
    // An error about the whole order (no version in force under `asOf`) has no field.
    const why =
      decision.outcome === "invalid" && decision.errors
        ? ` (${decision.errors.map((e) => (e.field === "" ? e.message : `${e.field}: ${e.message}`)).join("; ")})`
        : "";
    failures.push(`outcome: expected ${expect.outcome}, got ${decision.outcome}${why}`);
  }
  if (expect.basis !== undefined && (decision.basis ?? null) !== expect.basis)
    failures.push(`basis: expected ${show(expect.basis)}, got ${show(decision.basis ?? null)}`);
  if (expect.review !== undefined && (decision.review ?? null) !== expect.review)
    failures.push(`review: expected ${show(expect.review)}, got ${show(decision.review ?? null)}`);
  if (expect.policyVersion !== undefined && decision.policy.version !== expect.policyVersion) {
    failures.push(`policy version: expected ${expect.policyVersion}, got ${decision.policy.version === "" ? "none" : decision.policy.version}`);
  }
  for (const rule of expect.reasons ?? []) {
    if (!decision.reasons.some((r) => r.rule === rule))
      failures.push(`reasons: no reason from rule \`${rule}\` (got ${decision.reasons.map((r) => r.rule).join(", ") || "none"})`);
  }
  for (const want of expect.charges ?? []) {
    const matches = decision.charges.some((c) =>
      Object.entries(want).every(([k, v]) => (c as unknown as Record<string, unknown>)[k] === (AMOUNT_FIELDS.has(k) ? canonicalAmount(v) : v)),
    );
    if (!matches) failures.push(`charges: none matches ${JSON.stringify(want)} (got ${JSON.stringify(decision.charges)})`);
  }
  if (expect.noCharges === true && decision.charges.length > 0) failures.push(`charges: expected none, got ${JSON.stringify(decision.charges)}`);
  if (expect.noCharges === false && decision.charges.length === 0) failures.push("charges: expected some, got none");
  for (const text of expect.hints ?? []) {
    if (!(decision.hints ?? []).some((h) => h.includes(text))) failures.push(`hints: none contains \`${text}\` (got ${show(decision.hints ?? [])})`);
  }
  for (const text of expect.errors ?? []) {
    if (!(decision.errors ?? []).some((e) => e.field.includes(text) || e.message.includes(text)))
      failures.push(`errors: none mentions \`${text}\` (got ${show(decision.errors ?? [])})`);
  }
  return failures;
}

/**
 * Runs a validated test file against a compiled policy. Cases run in order on one
 * ledger; a case with its own `ledger` runs alone on a fresh one; table rows run on
 * copies of the shared ledger as it stands before the table.
 */
export function runPolicyTests(file: PolicyTestFile, evaluator: Evaluator): PolicyTestFileResult {
  const shared: MemoryLedger = ledgerFrom(file.ledger ?? []);
  const options = file.options ?? {};
  const results: PolicyTestResult[] = [];
  const run = (name: string, order: unknown, expect: PolicyTestExpect, ledger: MemoryLedger): void => {
    const decision = evaluator.evaluate(order, ledger, options);
    const failures = compareDecision(decision, expect);
    results.push({ name, passed: failures.length === 0, failures, decision });
  };
  file.cases.forEach((c, i) => {
    const name = c.name ?? (typeof c.order.id === "string" ? c.order.id : `case ${i + 1}`);
    const ledger = c.ledger ? ledgerFrom(c.ledger) : shared;
    if (c.rows) {
      c.rows.forEach((row, j) => {
        run(`${name} / ${row.name ?? `row ${j + 1}`}`, mergeOrder(c.order, row.with), row.expect, ledger.clone());
      });
    } else if (c.expect) {
      run(name, c.order, c.expect, ledger);
    }
  });
  const passed = results.filter((r) => r.passed).length;
  return { ...(file.description !== undefined ? { description: file.description } : {}), results, passed, failed: results.length - passed };
}
