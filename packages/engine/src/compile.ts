/**
 * compile(model) -> Evaluator: everything that does not depend on an order is worked
 * out once here (condition closures, per-country membership intervals, cap metadata,
 * reason objects, source positions); evaluation then only tests and sums.
 */
import type {
  AuthorizationModel,
  CapModel,
  CapWindow,
  Cond,
  ExactQuantity,
  IsoDate,
  KeyPart,
  MembershipInterval,
  PolicyModel,
  Rational,
  ReviewPolicy,
  RuleModel,
  SourceRef,
} from "@diffuse/language";
import type { Charge, Ledger, Outcome, PolicyIdentity, Reason, Review, SourceLocation, TraceStep } from "./types.js";
import type { Catalog, Line, ValidOrder } from "./order.js";
import { catalogOf } from "./order.js";
import { countryIndex } from "./countries.js";
import { add, cmp, div, eq, floor, formatGrouped, formatInt, mul, ONE, sub, toDecimal, ZERO } from "./exact.js";
import { addDays, addMonths } from "./dates.js";
import { SourceMap } from "./source.js";
import { sha256Hex } from "./sha256.js";

// ---------------------------------------------------------------------------
// Evaluation context

/** A charge accepted during one evaluation, before it is recorded: an applicable cap check. */
export type Pending = CapCheck;

/** What conditions are evaluated against: the order plus the lines being decided. */
export interface Ctx {
  readonly order: ValidOrder;
  readonly ledger: Ledger;
  /** Lines being decided (one line while classifying). One context is reused through a decision. */
  lines: readonly Line[];
  /** Class name of each line (undefined while classifying). */
  classes: readonly (string | undefined)[];
  /** TPP of the lines. */
  amount: Rational;
  /** Units of the lines. */
  units: bigint;
  readonly pending: Pending[];
  /** Authorizations that failed only on caps, for reasons and hints (created when needed). */
  failures: CapFailure[] | undefined;
}

export interface CapFailure {
  readonly auth: CAuth;
  readonly checks: readonly CapCheck[];
  readonly lines: readonly Line[];
}

interface CCond {
  readonly test: (ctx: Ctx) => boolean;
  /** The values that decided it, for explanations (e.g. "destination MY in tier2"). */
  readonly describe: (ctx: Ctx) => string;
}

export interface CCap {
  readonly name: string;
  readonly model: CapModel;
  readonly unit: string;
  readonly when: readonly CCond[];
  readonly modifiers: readonly { readonly factor: Rational; readonly cond: CCond }[];
  readonly key: (o: ValidOrder) => string;
  readonly keyDescribe: (o: ValidOrder) => string;
  readonly source: SourceLocation;
  readonly cite: string | undefined;
  /** Decimal text of a constant limit (absolute limit, no modifiers). */
  readonly constantLimitText: string | undefined;
  /** The window containing a date (cached per calendar year). */
  readonly window: (date: IsoDate) => WindowSpan | undefined;
}

/** The outcome of testing one cap for the lines being decided. */
export interface CapCheck {
  readonly cap: CCap;
  /** False when the cap's `when` does not hold or its window does not cover the date: nothing to check or charge. */
  readonly applicable: boolean;
  readonly key: string;
  readonly window: string;
  readonly windowDescribe: string;
  readonly amount: Rational;
  readonly before: Rational;
  readonly after: Rational;
  /** Undefined when the limit cannot be computed (percent cap without capacity). */
  readonly limit: Rational | undefined;
  readonly factor: Rational;
  readonly ok: boolean;
}

// ---------------------------------------------------------------------------
// Trace builder

export interface Step {
  rule: string;
  kind: string;
  applied: boolean;
  detail: string;
  cite?: string;
  source?: SourceLocation;
  children?: Step[];
}

function step(rule: string, kind: string, applied: boolean, detail: string, cite?: string, source?: SourceLocation): Step {
  const s: Step = { rule, kind, applied, detail };
  if (cite !== undefined) s.cite = cite;
  if (source !== undefined) s.source = source;
  return s;
}

function child(parent: Step, s: Step): Step {
  (parent.children ??= []).push(s);
  return s;
}

export function freezeTrace(steps: readonly Step[]): TraceStep[] {
  return steps.map((s) => {
    const out: { -readonly [K in keyof TraceStep]: TraceStep[K] } = { rule: s.rule, kind: s.kind, applied: s.applied, detail: s.detail };
    if (s.cite !== undefined) out.cite = s.cite;
    if (s.source !== undefined) out.source = s.source;
    if (s.children !== undefined) out.children = freezeTrace(s.children);
    return out;
  });
}

// ---------------------------------------------------------------------------
// Compiled policy

export interface CAuth {
  readonly model: AuthorizationModel;
  readonly when: readonly { readonly cond: CCond; readonly cite: string | undefined; readonly source: SourceLocation }[];
  readonly within: readonly CCap[];
  readonly countsToward: readonly CCap[];
  readonly obligations: readonly string[];
}

interface BlockVerdict {
  readonly outcome: Exclude<Outcome, "invalid">;
  readonly basis: string | undefined;
  readonly review: Review | undefined;
  readonly reason: Reason;
  readonly obligations: readonly string[];
  /** `[reason]`, shared. */
  readonly reasons: readonly Reason[];
}

type CRule =
  | { readonly kind: "prohibit"; readonly when: CCond | undefined; readonly verdict: BlockVerdict; readonly text: string; readonly source: SourceLocation; readonly cite: string | undefined }
  | {
      readonly kind: "authorize";
      readonly basis: string;
      readonly auth: CAuth | undefined;
      readonly when: CCond | undefined;
      readonly verdict: BlockVerdict;
      readonly text: string;
      readonly source: SourceLocation;
      readonly cite: string | undefined;
    }
  | {
      readonly kind: "license";
      readonly when: CCond | undefined;
      readonly charging: readonly CCap[];
      readonly reviews: readonly { readonly review: ReviewPolicy; readonly when: CCond | undefined; readonly verdict: BlockVerdict; readonly text: string }[];
      /** Used when no review case matches. */
      readonly fallback: BlockVerdict;
      readonly text: string;
      readonly source: SourceLocation;
      readonly cite: string | undefined;
    };

interface CBlock {
  readonly name: string;
  readonly classes: ReadonlySet<string>;
  readonly rules: readonly CRule[];
  readonly nlr: BlockVerdict;
  readonly source: SourceLocation;
  readonly cite: string | undefined;
}

interface CClass {
  readonly name: string;
  /** `[name]`, shared. */
  readonly names: readonly string[];
  readonly when: readonly { readonly cond: CCond; readonly cite: string | undefined; readonly source: SourceLocation }[];
  readonly source: SourceLocation;
  readonly cite: string | undefined;
}

export interface CompiledPolicy {
  readonly identity: PolicyIdentity;
  readonly effective: IsoDate | undefined;
  readonly until: IsoDate | undefined;
  readonly catalog: Catalog;
  readonly classes: readonly CClass[];
  readonly blocks: readonly CBlock[];
  /** For each class index, the indexes of the decide blocks listing it. */
  readonly classBlocks: readonly (readonly number[])[];
  readonly statuses: readonly string[];
  readonly noControlReasons: readonly Reason[];
  readonly headerSource: SourceLocation;
}

/** The result of deciding one valid order, before it becomes a Decision. */
export interface Verdict {
  readonly outcome: Exclude<Outcome, "invalid">;
  readonly basis: string | undefined;
  readonly review: Review | undefined;
  readonly reasons: readonly Reason[];
  /** Charges to record (empty unless the outcome charges). */
  readonly charges: readonly Pending[];
  readonly obligations: readonly string[];
  /** Authorizations that failed only on a cap, for hints. */
  readonly capFailures: readonly { readonly auth: CAuth; readonly checks: readonly CapCheck[]; readonly lines: readonly Line[] }[];
}

// ---------------------------------------------------------------------------
// Conditions

/**
 * Set membership by country number (see countryIndex): `null` = member on every date,
 * intervals = member on those dates, `undefined` = never.
 */
type Membership = (readonly MembershipInterval[] | null | undefined)[];

function membership(members: readonly MembershipInterval[]): Membership {
  const m: Membership = [];
  for (const iv of members) {
    const k = countryIndex(iv.country);
    while (m.length <= k) m.push(undefined);
    if (iv.from === undefined && iv.until === undefined) {
      m[k] = null;
      continue;
    }
    const prev = m[k];
    if (prev === null) continue;
    m[k] = [...(prev ?? []), iv];
  }
  return m;
}

function isMember(m: Membership, country: number, date: IsoDate): boolean {
  const ivs = country < m.length ? m[country] : undefined;
  if (ivs === null) return true;
  if (ivs === undefined) return false;
  for (const iv of ivs) if ((iv.from === undefined || iv.from <= date) && (iv.until === undefined || date < iv.until)) return true;
  return false;
}

function compareWith(op: string, c: number): boolean {
  switch (op) {
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
    case "=":
      return c === 0;
    case "!=":
      return c !== 0;
    default:
      return false;
  }
}

function negate(op: string): string {
  switch (op) {
    case "<":
      return ">=";
    case "<=":
      return ">";
    case ">":
      return "<=";
    case ">=":
      return "<";
    case "=":
      return "!=";
    default:
      return "=";
  }
}

function unitLabel(q: ExactQuantity): string {
  switch (q.unit) {
    case "TPP":
      return " TPP";
    case "units":
      return " units";
    case "ops":
      return " ops";
    case "percent":
      return " %";
    case "count":
      return "";
    default: {
      const never: never = q.unit;
      return never;
    }
  }
}

/** Line-level facts in a context of several lines hold when they hold for every line. */
function everyLine(ctx: Ctx, f: (l: Line) => boolean): boolean {
  const ls = ctx.lines;
  for (let i = 0; i < ls.length; i++) if (!f(ls[i] as Line)) return false;
  return ls.length > 0;
}

export class Compiler {
  readonly sources: SourceMap;
  private readonly caps = new Map<string, CCap>();

  constructor(private readonly model: PolicyModel) {
    this.sources = new SourceMap(model);
  }

  loc(ref: SourceRef): SourceLocation {
    return this.sources.location(ref);
  }

  cap(name: string): CCap | undefined {
    const done = this.caps.get(name);
    if (done !== undefined) return done;
    const m = this.model.caps.get(name);
    if (m === undefined) return undefined;
    const parts = m.key;
    const value = (p: KeyPart, o: ValidOrder): string => {
      switch (p) {
        case "destination":
          return o.destination;
        case "headquarters":
          return o.headquarters;
        case "consignee":
          return o.consignee;
        case "exporter":
          return o.exporter ?? "-";
        case "global":
          return "*";
        default: {
          const never: never = p;
          return never;
        }
      }
    };
    let key: (o: ValidOrder) => string;
    const only = parts.length === 1 ? parts[0] : undefined;
    if (parts.length === 0) key = () => "*";
    else if (only !== undefined) {
      key = only === "destination" ? (o) => o.destination : only === "consignee" ? (o) => o.consignee : (o) => value(only, o);
    } else {
      const relevant = parts.filter((p) => p !== "global");
      key = relevant.length === 0 ? () => "*" : (o) => relevant.map((p) => value(p, o)).join("|");
    }
    const described = parts.filter((p) => p !== "global");
    const keyDescribe = (o: ValidOrder): string => (described.length === 0 ? "all orders" : described.map((p) => `${p} ${value(p, o)}`).join(" and "));
    const c: CCap = {
      name,
      model: m,
      unit: m.measure === "units" ? "units" : "TPP",
      when: m.when.map((w) => this.cond(w.cond)),
      modifiers: m.modifiers.map((mod) => ({ factor: mod.factor, cond: this.cond(mod.when) })),
      key,
      keyDescribe,
      source: this.loc(m.source),
      cite: m.cite,
      constantLimitText: m.limit.kind === "absolute" && m.modifiers.length === 0 ? toDecimal(m.limit.value.value) : undefined,
      window: windowFunction(m.window),
    };
    this.caps.set(name, c);
    return c;
  }

  cond(c: Cond): CCond {
    switch (c.kind) {
      case "const":
        return { test: () => c.value, describe: () => String(c.value) };
      case "and": {
        const ops = c.operands.map((o) => this.cond(o));
        return {
          test: (ctx) => {
            for (const o of ops) if (!o.test(ctx)) return false;
            return true;
          },
          describe: (ctx) => {
            // Stop at the first false operand: that is what decided it.
            const parts: string[] = [];
            for (const o of ops) {
              parts.push(o.describe(ctx));
              if (!o.test(ctx)) break;
            }
            return parts.length === 1 ? (parts[0] ?? "") : `(${parts.join(" and ")})`;
          },
        };
      }
      case "or": {
        const ops = c.operands.map((o) => this.cond(o));
        return {
          test: (ctx) => {
            for (const o of ops) if (o.test(ctx)) return true;
            return false;
          },
          describe: (ctx) => {
            const parts: string[] = [];
            for (const o of ops) {
              parts.push(o.describe(ctx));
              if (o.test(ctx)) break;
            }
            return parts.length === 1 ? (parts[0] ?? "") : `(${parts.join(" or ")})`;
          },
        };
      }
      case "not": {
        const op = this.cond(c.operand);
        // Atoms describe the facts as they are ("destination BR not in tier3"), so the
        // operand's description already says why `not` holds or fails.
        return { test: (ctx) => !op.test(ctx), describe: (ctx) => op.describe(ctx) };
      }
      case "in": {
        const m = membership(c.set.members);
        const display = c.set.display;
        if (c.subject === "destination")
          return {
            test: (ctx) => isMember(m, ctx.order.destinationIndex, ctx.order.date),
            describe: (ctx) => `destination ${ctx.order.destination} ${isMember(m, ctx.order.destinationIndex, ctx.order.date) ? "in" : "not in"} ${display}`,
          };
        return {
          test: (ctx) => isMember(m, ctx.order.headquartersIndex, ctx.order.date),
          describe: (ctx) => `headquarters ${ctx.order.headquarters} ${isMember(m, ctx.order.headquartersIndex, ctx.order.date) ? "in" : "not in"} ${display}`,
        };
      }
      case "has": {
        const s = c.status;
        return {
          test: (ctx) => ctx.order.statuses.includes(s),
          describe: (ctx) => `consignee ${ctx.order.statuses.includes(s) ? "has" : "does not have"} ${s}`,
        };
      }
      case "is": {
        const k = c.itemClass;
        const test = (ctx: Ctx): boolean => {
          const cs = ctx.classes;
          for (let i = 0; i < cs.length; i++) if (cs[i] !== k) return false;
          return cs.length > 0;
        };
        return { test, describe: (ctx) => `item ${test(ctx) ? "is" : "is not"} ${k}` };
      }
      case "within": {
        const cap = this.cap(c.cap);
        if (cap === undefined) return { test: () => false, describe: () => `unknown cap ${c.cap}` };
        return { test: (ctx) => checkCap(cap, ctx).ok, describe: (ctx) => describeCheck(checkCap(cap, ctx), ctx.order) };
      }
      case "compare":
        return this.compare(c.measure, c.op, c.value);
      case "date": {
        const { op, value } = c;
        const test = (ctx: Ctx): boolean => compareWith(op, ctx.order.date < value ? -1 : ctx.order.date > value ? 1 : 0);
        return { test, describe: (ctx) => `date ${ctx.order.date} ${test(ctx) ? op : negate(op)} ${value}` };
      }
      case "flag": {
        const f = c.flag;
        const get = (l: Line): boolean => (f === "chip" ? l.chip : f === "model" ? l.model : f === "datacenter" ? l.datacenter : l.open);
        const test = (ctx: Ctx): boolean => everyLine(ctx, get);
        return { test, describe: (ctx) => (test(ctx) ? f : `not ${f}`) };
      }
      default: {
        const never: never = c;
        return never;
      }
    }
  }

  private compare(measure: "amount" | "quantity" | "capacity" | "tpp" | "density" | "operations", op: string, q: ExactQuantity): CCond {
    const v = q.value;
    const unit = unitLabel(q);
    const shown = `${formatGrouped(v)}${unit}`;
    const text = (name: string, actual: Rational | undefined, ok: boolean): string =>
      actual === undefined ? `${name} not given` : `${name} ${formatGrouped(actual)}${unit} ${ok ? op : negate(op)} ${shown}`;
    switch (measure) {
      case "amount": {
        if (q.unit === "units") {
          const test = (ctx: Ctx): boolean => compareWith(op, cmp({ num: ctx.units, den: 1n }, v));
          return { test, describe: (ctx) => text("quantity", { num: ctx.units, den: 1n }, test(ctx)) };
        }
        const test = (ctx: Ctx): boolean => compareWith(op, cmp(ctx.amount, v));
        return { test, describe: (ctx) => text("amount", ctx.amount, test(ctx)) };
      }
      case "quantity": {
        const test = (ctx: Ctx): boolean => compareWith(op, cmp({ num: ctx.units, den: 1n }, v));
        return { test, describe: (ctx) => text("quantity", { num: ctx.units, den: 1n }, test(ctx)) };
      }
      case "capacity": {
        const test = (ctx: Ctx): boolean => ctx.order.capacity !== undefined && compareWith(op, cmp(ctx.order.capacity, v));
        return { test, describe: (ctx) => text("capacity", ctx.order.capacity, test(ctx)) };
      }
      case "tpp":
      case "density":
      case "operations": {
        const get = (l: Line): Rational | undefined => (measure === "tpp" ? (l.chip ? l.tpp : undefined) : measure === "density" ? l.density : l.operations);
        const test = (ctx: Ctx): boolean =>
          everyLine(ctx, (l) => {
            const x = get(l);
            return x !== undefined && compareWith(op, cmp(x, v));
          });
        return {
          test,
          describe: (ctx) => {
            const first = ctx.lines[0];
            const actual = first === undefined ? undefined : get(first);
            return text(measure, actual, test(ctx));
          },
        };
      }
      default: {
        const never: never = measure;
        return never;
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Caps

export interface WindowSpan {
  readonly from: IsoDate | undefined;
  readonly to: IsoDate;
  readonly label: string;
  readonly describe: string;
  /** Schedule caps: the limit of the applicable step. */
  readonly stepLimit?: Rational;
}

const END_OF_TIME = "9999-12-31";

/** Compiles a window to a function of the order date; spans that do not depend on the exact date are built once. */
function windowFunction(w: CapWindow): (date: IsoDate) => WindowSpan | undefined {
  switch (w.kind) {
    case "calendar-year": {
      const years = new Map<string, WindowSpan>();
      return (date) => {
        const y = date.slice(0, 4);
        let span = years.get(y);
        if (span === undefined) {
          span = { from: `${y}-01-01`, to: `${y}-12-31`, label: y, describe: `in ${y}` };
          years.set(y, span);
        }
        return span;
      };
    }
    case "fixed": {
      const label = `${w.from}..${w.to}`;
      const span: WindowSpan = { from: w.from, to: w.to, label, describe: `in ${label}` };
      return (date) => (date < w.from || date > w.to ? undefined : span);
    }
    case "all-time": {
      const span: WindowSpan = { from: undefined, to: END_OF_TIME, label: "all time", describe: "over all time" };
      return () => span;
    }
    case "schedule": {
      const spans: WindowSpan[] = w.steps.map((s) => ({ from: undefined, to: END_OF_TIME, label: `through ${s.through}`, describe: `through ${s.through}`, stepLimit: s.limit.value }));
      const last = w.steps[w.steps.length - 1];
      const after: WindowSpan | undefined =
        last === undefined ? undefined : { from: undefined, to: END_OF_TIME, label: `after ${last.through}`, describe: `after ${last.through}`, stepLimit: last.limit.value };
      return (date) => {
        for (let i = 0; i < w.steps.length; i++) if ((w.steps[i]?.through ?? "") >= date) return spans[i];
        return after;
      };
    }
    case "rolling":
      return (date) => windowOf(w, date);
    default: {
      const never: never = w;
      return never;
    }
  }
}

function windowOf(w: CapWindow, date: IsoDate): WindowSpan | undefined {
  switch (w.kind) {
    case "calendar-year": {
      const y = date.slice(0, 4);
      return { from: `${y}-01-01`, to: `${y}-12-31`, label: y, describe: `in ${y}` };
    }
    case "fixed": {
      if (date < w.from || date > w.to) return undefined;
      const label = `${w.from}..${w.to}`;
      return { from: w.from, to: w.to, label, describe: `in ${label}` };
    }
    case "rolling": {
      const from =
        w.unit === "days" ? addDays(date, -(w.length - 1)) : addDays(addMonths(date, -(w.unit === "months" ? w.length : w.length * 12)), 1);
      const label = `${from}..${date}`;
      return { from, to: date, label, describe: `in the ${w.length} ${w.unit} to ${date}` };
    }
    case "all-time":
      return { from: undefined, to: END_OF_TIME, label: "all time", describe: "over all time" };
    case "schedule": {
      const steps = w.steps;
      for (const s of steps) {
        if (s.through >= date) return { from: undefined, to: END_OF_TIME, label: `through ${s.through}`, describe: `through ${s.through}`, stepLimit: s.limit.value };
      }
      const last = steps[steps.length - 1];
      if (last === undefined) return undefined;
      return { from: undefined, to: END_OF_TIME, label: `after ${last.through}`, describe: `after ${last.through}`, stepLimit: last.limit.value };
    }
    default: {
      const never: never = w;
      return never;
    }
  }
}

const HUNDRED: Rational = { num: 100n, den: 1n };

function notApplicable(cap: CCap, amount: Rational): CapCheck {
  return { cap, applicable: false, key: "", window: "", windowDescribe: "", amount, before: ZERO, after: ZERO, limit: undefined, factor: ONE, ok: true };
}

/** Tests `cap` for the lines in `ctx`: usage on the ledger plus this evaluation's pending charges. */
export function checkCap(cap: CCap, ctx: Ctx): CapCheck {
  const m = cap.model;
  const amount = m.measure === "units" ? { num: ctx.units, den: 1n } : ctx.amount;
  for (const w of cap.when) if (!w.test(ctx)) return notApplicable(cap, amount);
  const win = cap.window(ctx.order.date);
  if (win === undefined) return notApplicable(cap, amount);
  const key = cap.key(ctx.order);
  let before = ctx.ledger.usage(cap.name, key, win.from, win.to);
  const pending = ctx.pending;
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i] as Pending;
    if (p.cap === cap && p.key === key) before = add(before, p.amount);
  }
  const after = add(before, amount);
  let factor = ONE;
  for (const mod of cap.modifiers) if (mod.cond.test(ctx)) factor = mul(factor, mod.factor);
  let limit: Rational | undefined;
  const l = m.limit;
  switch (l.kind) {
    case "absolute":
      limit = l.value.value;
      break;
    case "schedule":
      limit = win.stepLimit;
      break;
    case "percent-of-capacity":
      limit = ctx.order.capacity === undefined ? undefined : mul(l.percent, add(ctx.order.capacity, amount));
      break;
    default: {
      const never: never = l;
      return never;
    }
  }
  if (limit !== undefined && factor !== ONE) limit = mul(limit, factor);
  return {
    cap,
    applicable: true,
    key,
    window: win.label,
    windowDescribe: win.describe,
    amount,
    before,
    after,
    limit,
    factor,
    ok: limit !== undefined && cmp(after, limit) <= 0,
  };
}

/** "26,914,400 TPP > 26,900,000 TPP LPP_limit limit for consignee uni-my in 2025" */
export function describeCheck(c: CapCheck, o: ValidOrder): string {
  const cap = c.cap;
  if (!c.applicable) return `${cap.name} does not count this order`;
  const who = cap.keyDescribe(o);
  if (c.limit === undefined) return `${cap.name} cannot be satisfied: capacity not given (consignee.capacityTpp) for ${who} ${c.windowDescribe}`;
  const u = cap.unit;
  const scaled = eq(c.factor, ONE) ? "" : ` (x ${formatGrouped(c.factor)})`;
  const pct = cap.model.limit.kind === "percent-of-capacity" ? ` (${formatGrouped(mul(cap.model.limit.percent, HUNDRED))} % of capacity plus this order)` : "";
  return `${formatGrouped(c.after)} ${u} ${c.ok ? "<=" : ">"} ${formatGrouped(c.limit)} ${u} ${cap.name} limit${pct}${scaled} for ${who} ${c.windowDescribe}`;
}

// ---------------------------------------------------------------------------
// Model -> compiled policy

function blockVerdict(outcome: Exclude<Outcome, "invalid">, basis: string | undefined, review: Review | undefined, why: Reason, obligations: readonly string[]): BlockVerdict {
  return { outcome, basis, review, reason: why, obligations, reasons: [why] };
}

export function reviewWords(r: ReviewPolicy): string {
  return r.replace(/-/g, " ");
}

function reason(rule: string, message: string, cite: string | undefined, source: SourceLocation): Reason {
  return cite === undefined ? { rule, message, source } : { rule, message, cite, source };
}

/** sha256 of the entry file's text (the first source), or of "" when the model carries no text. */
export function policySha256(model: PolicyModel): string {
  const entry = model.sources.find((s) => s.uri === model.uri) ?? model.sources[0];
  return sha256Hex(entry?.text ?? "");
}

export function compilePolicy(model: PolicyModel): CompiledPolicy {
  const c = new Compiler(model);
  const header = model.header;
  const identity: PolicyIdentity = { name: header?.title ?? model.uri, version: header?.version ?? "", sha256: policySha256(model) };
  const headerSource = c.loc(header?.source ?? { uri: model.uri, range: { start: 0, end: 0 } });

  const auths = new Map<string, CAuth>();
  for (const [name, a] of model.authorizations) {
    const caps = (names: readonly string[]): CCap[] => names.map((n) => c.cap(n)).filter((x): x is CCap => x !== undefined);
    auths.set(name, {
      model: a,
      when: a.when.map((w) => ({ cond: c.cond(w.cond), cite: w.cite, source: c.loc(w.source) })),
      within: caps(a.within),
      countsToward: a.countsTowardNothing ? [] : caps(a.countsToward),
      obligations: a.requires.map((r) => r.text),
    });
  }

  const classes: CClass[] = model.classes.map((k) => ({
    name: k.name,
    names: [k.name],
    when: k.when.map((w) => ({ cond: c.cond(w.cond), cite: w.cite, source: c.loc(w.source) })),
    source: c.loc(k.source),
    cite: k.cite,
  }));

  const blocks: CBlock[] = model.decisions.map((d) => {
    const rules = d.rules.map((r: RuleModel): CRule => {
      const source = c.loc(r.source);
      const text = c.sources.quote(r.source);
      const when = r.when === undefined ? undefined : c.cond(r.when);
      const cite = r.cite ?? d.cite;
      switch (r.kind) {
        case "prohibit":
          return { kind: "prohibit", when, text, source, cite, verdict: blockVerdict("prohibited", undefined, undefined, reason(d.name, `prohibited by ${d.name}: \`${text}\``, cite, source), []) };
        case "authorize": {
          const auth = r.basis === "NLR" ? undefined : auths.get(r.basis);
          const title = auth?.model.title;
          const message =
            r.basis === "NLR" ? `no license required by ${d.name}: \`${text}\`` : `authorized under ${r.basis}${title === undefined ? "" : ` (${title})`}`;
          const why = reason(r.basis, message, r.cite ?? auth?.model.cite ?? d.cite, source);
          return { kind: "authorize", basis: r.basis, auth, when, text, source, cite, verdict: blockVerdict("authorized", r.basis, undefined, why, auth?.obligations ?? []) };
        }
        case "license": {
          const charging = r.charging.map((n) => c.cap(n)).filter((x): x is CCap => x !== undefined);
          const reviews = r.reviews.map((rc) => ({
            review: rc.review,
            when: rc.when === undefined ? undefined : c.cond(rc.when),
            text: c.sources.quote(rc.source),
            verdict: blockVerdict("license-required", undefined, rc.review, reason(d.name, `license required by ${d.name}, review ${reviewWords(rc.review)}: \`${text}\``, rc.cite ?? cite, source), []),
          }));
          const fallback = blockVerdict("license-required", undefined, "case-by-case", reason(d.name, `license required by ${d.name}, review case by case: \`${text}\``, cite, source), []);
          return { kind: "license", when, charging, reviews, fallback, text, source, cite };
        }
        default: {
          const never: never = r;
          return never;
        }
      }
    });
    const source = c.loc(d.source);
    return {
      name: d.name,
      classes: new Set(d.classes),
      rules,
      nlr: blockVerdict("authorized", "NLR", undefined, reason(d.name, `no rule of ${d.name} applies: no license required`, d.cite, source), []),
      source,
      cite: d.cite,
    };
  });

  const classBlocks = model.classes.map((k) => blocks.flatMap((b, i) => (b.classes.has(k.name) ? [i] : [])));
  const catalog = catalogOf(model);
  return {
    identity,
    effective: header?.effective,
    until: header?.until,
    catalog,
    classes,
    blocks,
    classBlocks,
    statuses: [...catalog.statuses],
    noControlReasons: [reason("NLR", "no line of the order is controlled by this policy: no license required", header?.cite, headerSource)],
    headerSource,
  };
}

// ---------------------------------------------------------------------------
// Deciding a valid order

const SEVERITY: Record<Exclude<Outcome, "invalid">, number> = { authorized: 0, "license-required": 1, prohibited: 2 };
const REVIEW_SEVERITY: Record<Review, number> = { "presumption-of-approval": 0, "case-by-case": 1, "presumption-of-denial": 2 };

function lineLabel(l: Line): string {
  const what = l.model ? `model weights${l.name === undefined ? "" : ` ${l.name}`}` : `${formatInt(l.quantity)} x ${l.name ?? `chip of ${formatGrouped(l.tpp)} TPP`}`;
  return l.chip ? `${l.field}: ${what} = ${formatGrouped(l.amount)} TPP` : `${l.field}: ${what}`;
}

function capStep(c: CapCheck, o: ValidOrder, kind: string): Step {
  return step(c.cap.name, kind, c.ok, describeCheck(c, o), c.cap.cite, c.cap.source);
}


const NO_CLASSES: readonly undefined[] = [undefined];
const NO_FAILURES: Verdict["capFailures"] = [];

function chargeable(outcome: Exclude<Outcome, "invalid">, review: Review | undefined, chargeLicenses: boolean): boolean {
  return outcome === "authorized" || (outcome === "license-required" && review === "presumption-of-approval" && chargeLicenses);
}

/** Tries an `authorize NAME` rule; on success pushes its charges to `ctx.pending`. */
function tryAuthorization(auth: CAuth, ctx: Ctx, rs: Step | undefined): boolean {
  const a = auth.model;
  const order = ctx.order;
  if (a.kind === "status") {
    const held = order.statuses.includes(a.name);
    if (rs !== undefined) child(rs, step(a.name, "status", held, `consignee ${held ? "holds" : "does not hold"} ${a.name}`, a.cite));
    if (!held) return false;
  }
  for (const w of auth.when) {
    const held = w.cond.test(ctx);
    if (rs !== undefined) child(rs, step(a.name, "when", held, w.cond.describe(ctx), w.cite, w.source));
    if (!held) return false;
  }
  const within = auth.within;
  let checks: CapCheck[] | undefined;
  let capsOk = true;
  for (let i = 0; i < within.length; i++) {
    const chk = checkCap(within[i] as CCap, ctx);
    (checks ??= []).push(chk);
    if (rs !== undefined) child(rs, capStep(chk, order, "cap"));
    if (!chk.ok) capsOk = false;
  }
  if (!capsOk && checks !== undefined) {
    (ctx.failures ??= []).push({ auth, checks, lines: ctx.lines });
    return false;
  }
  if (checks !== undefined) for (const chk of checks) if (chk.applicable) ctx.pending.push(chk);
  for (const cap of auth.countsToward) {
    const chk = checkCap(cap, ctx);
    if (rs !== undefined) child(rs, capStep(chk, order, "counts-toward"));
    if (chk.applicable) ctx.pending.push(chk);
  }
  return true;
}

/** Why authorizations that failed on their caps were not available (built only for decisions that are not authorized). */
function whyNotReasons(failures: readonly CapFailure[], order: ValidOrder): Reason[] {
  const out: Reason[] = [];
  for (const f of failures)
    for (const chk of f.checks) if (!chk.ok) out.push(reason(chk.cap.name, `${f.auth.model.name} not available: ${describeCheck(chk, order)}`, chk.cap.cite, chk.cap.source));
  return out;
}

/** The first class whose `when` clauses all hold for `line` (ctx.lines must be [line]). */
function classify(p: CompiledPolicy, ctx: Ctx, line: Line, trace: Step[] | undefined): CClass | undefined {
  ctx.amount = line.amount;
  ctx.units = line.quantity;
  ctx.classes = NO_CLASSES;
  const ls = trace === undefined ? undefined : step(line.field, "line", false, lineLabel(line));
  if (ls !== undefined && trace !== undefined) trace.push(ls);
  let found: CClass | undefined;
  const classes = p.classes;
  for (let k = 0; k < classes.length && found === undefined; k++) {
    const cls = classes[k] as CClass;
    let ok = true;
    const cs = ls === undefined ? undefined : child(ls, step(cls.name, "class", false, "", cls.cite, cls.source));
    const when = cls.when;
    for (let w = 0; w < when.length; w++) {
      const c = (when[w] as CClass["when"][number]).cond;
      const held = c.test(ctx);
      if (cs !== undefined) {
        const wm = when[w] as CClass["when"][number];
        child(cs, step(cls.name, "when", held, c.describe(ctx), wm.cite, wm.source));
      }
      if (!held) {
        ok = false;
        break;
      }
    }
    if (cs !== undefined) {
      cs.applied = ok;
      cs.detail = ok ? `${line.field} is ${cls.name}` : `${line.field} is not ${cls.name}`;
    }
    if (ok) found = cls;
  }
  if (ls !== undefined) {
    ls.applied = found !== undefined;
    ls.detail += found !== undefined ? `, class ${found.name}` : ", no class: outside this policy's controls";
  }
  return found;
}

/**
 * Decides a valid order. With `trace`, appends the steps consulted; the verdict does not
 * depend on whether a trace is kept.
 */
export function decide(p: CompiledPolicy, order: ValidOrder, ledger: Ledger, chargeLicenses: boolean, trace: Step[] | undefined): Verdict {
  const pending: Pending[] = [];
  const lines = order.lines;
  const nLines = lines.length;
  const ctx: Ctx = { order, ledger, lines, classes: NO_CLASSES, amount: ZERO, units: 0n, pending, failures: undefined };
  // Classify each line: the first class whose `when` clauses all hold.
  let only: CClass | undefined;
  let lineClass: (CClass | undefined)[] | undefined;
  if (nLines === 1) only = classify(p, ctx, lines[0] as Line, trace);
  else {
    lineClass = [];
    for (let i = 0; i < nLines; i++) {
      const line = lines[i] as Line;
      ctx.lines = [line];
      lineClass.push(classify(p, ctx, line, trace));
    }
  }

  let single: BlockVerdict | undefined;
  let verdicts: BlockVerdict[] | undefined;
  for (let b = 0; b < p.blocks.length; b++) {
    const block = p.blocks[b] as CBlock;
    // The lines this block decides.
    if (lineClass === undefined) {
      const cls = only;
      if (cls === undefined || !block.classes.has(cls.name)) continue;
      ctx.lines = lines;
      ctx.classes = cls.names;
      ctx.amount = (lines[0] as Line).amount;
      ctx.units = (lines[0] as Line).quantity;
    } else {
      const blines: Line[] = [];
      const bclasses: string[] = [];
      let amount = ZERO;
      let units = 0n;
      for (let i = 0; i < nLines; i++) {
        const cls = lineClass[i];
        // (multi-line orders only)
        if (cls === undefined || !block.classes.has(cls.name)) continue;
        const l = lines[i] as Line;
        blines.push(l);
        bclasses.push(cls.name);
        amount = add(amount, l.amount);
        units += l.quantity;
      }
      if (blines.length === 0) continue;
      ctx.lines = blines;
      ctx.classes = bclasses;
      ctx.amount = amount;
      ctx.units = units;
    }
    const bs =
      trace === undefined
        ? undefined
        : step(block.name, "decide", true, `${block.name} decides ${ctx.lines.map((l) => l.field).join(", ")} (${formatGrouped(ctx.amount)} TPP)`, block.cite, block.source);
    if (bs !== undefined && trace !== undefined) trace.push(bs);
    let verdict: BlockVerdict | undefined;
    for (const rule of block.rules) {
      const whenHeld = rule.when === undefined || rule.when.test(ctx);
      const rs = bs === undefined ? undefined : child(bs, step(rule.kind === "authorize" ? rule.basis : block.name, rule.kind, false, rule.text, rule.cite, rule.source));
      if (rs !== undefined && rule.when !== undefined) child(rs, step(block.name, "when", whenHeld, rule.when.describe(ctx)));
      if (!whenHeld) continue;
      switch (rule.kind) {
        case "prohibit":
          verdict = rule.verdict;
          break;
        case "authorize": {
          const auth = rule.auth;
          if (auth === undefined) {
            if (rule.basis === "NLR") verdict = rule.verdict;
          } else if (tryAuthorization(auth, ctx, rs)) verdict = rule.verdict;
          break;
        }
        case "license": {
          let chosen: BlockVerdict | undefined;
          for (const rc of rule.reviews) {
            const held = rc.when === undefined || rc.when.test(ctx);
            if (rs !== undefined) child(rs, step(block.name, "review", held, rc.when === undefined ? rc.text : `${rc.text}: ${rc.when.describe(ctx)}`));
            if (held) {
              chosen = rc.verdict;
              break;
            }
          }
          chosen ??= rule.fallback;
          if (chosen.review === "presumption-of-approval" && chargeLicenses) {
            for (const cap of rule.charging) {
              const chk = checkCap(cap, ctx);
              if (rs !== undefined) child(rs, capStep(chk, order, "charging"));
              if (chk.applicable) pending.push(chk);
            }
          }
          verdict = chosen;
          break;
        }
        default: {
          const never: never = rule;
          return never;
        }
      }
      if (verdict !== undefined) {
        if (rs !== undefined) rs.applied = true;
        break;
      }
    }
    verdict ??= block.nlr;
    if (bs !== undefined) child(bs, step(block.name, "outcome", true, verdictText(verdict.outcome, verdict.basis, verdict.review)));
    if (single === undefined) single = verdict;
    else (verdicts ??= [single]).push(verdict);
  }

  const failures = ctx.failures ?? NO_FAILURES;
  const capFailed = ctx.failures;
  if (single === undefined) {
    return { outcome: "authorized", basis: "NLR", review: undefined, reasons: p.noControlReasons, charges: pending, obligations: [], capFailures: failures };
  }
  if (verdicts === undefined) {
    const v = single;
    const charges = chargeable(v.outcome, v.review, chargeLicenses) ? pending : [];
    const reasons = v.outcome === "authorized" || capFailed === undefined ? v.reasons : [v.reason, ...whyNotReasons(capFailed, order)];
    return { outcome: v.outcome, basis: v.basis, review: v.review, reasons, charges, obligations: v.obligations, capFailures: failures };
  }
  // Several blocks: the most restrictive outcome; the most restrictive review among licenses.
  let outcome: Exclude<Outcome, "invalid"> = "authorized";
  for (const v of verdicts) if (SEVERITY[v.outcome] > SEVERITY[outcome]) outcome = v.outcome;
  let review: Review | undefined;
  if (outcome === "license-required")
    for (const v of verdicts) if (v.review !== undefined && (review === undefined || REVIEW_SEVERITY[v.review] > REVIEW_SEVERITY[review])) review = v.review;
  const bases: string[] = [];
  if (outcome === "authorized") {
    for (const v of verdicts) if (v.basis !== undefined && v.basis !== "NLR" && !bases.includes(v.basis)) bases.push(v.basis);
    if (bases.length === 0) bases.push("NLR");
  }
  const reasons: Reason[] = [];
  for (const v of verdicts) if (v.outcome === outcome && !reasons.includes(v.reason)) reasons.push(v.reason);
  for (const v of verdicts) if (v.outcome !== outcome && !reasons.includes(v.reason)) reasons.push(v.reason);
  if (outcome !== "authorized" && capFailed !== undefined) reasons.push(...whyNotReasons(capFailed, order));
  const obligations: string[] = [];
  if (outcome === "authorized") for (const v of verdicts) for (const ob of v.obligations) if (!obligations.includes(ob)) obligations.push(ob);
  const charges = chargeable(outcome, review, chargeLicenses) ? pending : [];
  return { outcome, basis: outcome === "authorized" ? bases.join(" + ") : undefined, review, reasons, charges, obligations, capFailures: failures };
}

export function verdictText(outcome: Outcome, basis: string | undefined, review: Review | undefined): string {
  switch (outcome) {
    case "authorized":
      return basis === "NLR" || basis === undefined ? "authorized: no license required" : `authorized under ${basis}`;
    case "license-required":
      return `license required, review ${reviewWords(review ?? "case-by-case")}`;
    case "prohibited":
      return "prohibited";
    case "invalid":
      return "invalid order";
    default: {
      const never: never = outcome;
      return never;
    }
  }
}

/** Decision charge objects for pending charges. */
const NO_CHARGES: readonly Charge[] = [];

export function chargesOf(pending: readonly Pending[]): readonly Charge[] {
  if (pending.length === 0) return NO_CHARGES;
  const out: Charge[] = new Array<Charge>(pending.length);
  for (let i = 0; i < pending.length; i++) {
    const c = pending[i] as Pending;
    out[i] = {
      cap: c.cap.name,
      key: c.key,
      window: c.window,
      amount: toDecimal(c.amount),
      before: toDecimal(c.before),
      after: toDecimal(c.after),
      limit: c.cap.constantLimitText ?? toDecimal(c.limit ?? ZERO),
    };
  }
  return out;
}

/**
 * Room left under each applicable check for one more line (in the cap's measure), or
 * undefined when a limit cannot be computed. A percent cap's room solves
 * before + a <= p (capacity + a) for a.
 */
function roomOf(c: CapCheck, capacity: Rational | undefined): Rational | undefined {
  const m = c.cap.model;
  if (m.limit.kind === "percent-of-capacity") {
    if (capacity === undefined) return undefined;
    const pr = mul(m.limit.percent, c.factor);
    const oneMinus = sub(ONE, pr);
    if (oneMinus.num <= 0n) return undefined;
    return div(sub(mul(pr, capacity), c.before), oneMinus);
  }
  return c.limit === undefined ? undefined : sub(c.limit, c.before);
}

/** Largest quantity of a single-line order that keeps every check within its limit (for hints). */
export function largestFittingQuantity(checks: readonly CapCheck[], line: Line, capacity: Rational | undefined): bigint | undefined {
  let best: bigint | undefined;
  for (const c of checks) {
    if (!c.applicable) continue;
    const perUnit = c.cap.model.measure === "units" ? ONE : line.tpp;
    if (perUnit.num === 0n) continue;
    const room = roomOf(c, capacity);
    if (room === undefined) return undefined;
    const q = floor(div(room, perUnit));
    best = best === undefined || q < best ? q : best;
  }
  return best;
}

/** Largest whole TPP amount of a single-unit line that keeps every TPP check within its limit (for hints). */
export function largestFittingAmount(checks: readonly CapCheck[], capacity: Rational | undefined): bigint | undefined {
  let best: bigint | undefined;
  for (const c of checks) {
    if (!c.applicable) continue;
    if (c.cap.model.measure === "units") return undefined;
    const room = roomOf(c, capacity);
    if (room === undefined) return undefined;
    const a = floor(room);
    best = best === undefined || a < best ? a : best;
  }
  return best;
}

