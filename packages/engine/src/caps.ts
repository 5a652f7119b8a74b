/** Caps: windows, usage plus this order against the limit, messages, and the room left (for hints). */
import type { CapWindow, IsoDate, Rational } from "@diffuse/language";
import type { OrderLine, OrderFacts } from "./order.js";
import { cmp, div, floor, int, mul, ONE, sub } from "./exact.js";
import { addDays, addMonths, isIsoDate } from "./dates.js";
import type { CCap, CapCheck, CapFailure, Ctx, Pending } from "./model.js";
import { MemoryLedger } from "./ledger.js";
import { addQ, cmpQ, groupedQ, mulQ, quantity, toRational, type Quantity } from "./quantity.js";
import { flat } from "./text.js";

export interface WindowSpan {
  readonly from: IsoDate | undefined;
  readonly to: IsoDate;
  readonly label: string;
  readonly describe: string;
  /** Schedule caps: the limit of the applicable step. */
  readonly stepLimit?: Quantity;
  /**
   * Schedule caps: the steps after the applicable one (the last through the end of time).
   * A schedule is cumulative: an order dated in one step counts toward every later step's
   * total too, and a ledger may hold charges dated after the order (a back-dated book).
   */
  readonly later?: readonly WindowSpan[];
}

/**
 * The spans of a schedule's steps: step i sums the charges from the beginning through its
 * own date, with the steps after it as `later`; after the last step, every charge, under
 * the last limit.
 */
function scheduleSpans(w: Extract<CapWindow, { kind: "schedule" }>): { readonly steps: readonly WindowSpan[]; readonly after: WindowSpan | undefined } {
  const last = w.steps[w.steps.length - 1];
  const after: WindowSpan | undefined =
    last === undefined
      ? undefined
      : {
          from: undefined,
          to: END_OF_TIME,
          label: `after ${last.through}`,
          describe: `after ${last.through}`,
          stepLimit: quantity(last.limit.value),
          later: [],
        };
  const steps: WindowSpan[] = [];
  for (let i = w.steps.length - 1; i >= 0; i--) {
    const s = w.steps[i] as (typeof w.steps)[number];
    const next = steps[0];
    const later = next === undefined ? (after === undefined ? [] : [after]) : [next, ...(next.later ?? [])];
    steps.unshift({
      from: undefined,
      to: s.through,
      label: `through ${s.through}`,
      describe: `through ${s.through}`,
      stepLimit: quantity(s.limit.value),
      later,
    });
  }
  return { steps, after };
}

/** The span of a schedule that decides an order dated `date`: the first step whose date is on or after it. */
function scheduleSpan(spans: ReturnType<typeof scheduleSpans>, date: IsoDate): WindowSpan | undefined {
  const steps = spans.steps;
  for (let i = 0; i < steps.length; i++) if ((steps[i] as WindowSpan).to >= date) return steps[i];
  return spans.after;
}

const END_OF_TIME = "9999-12-31";

/**
 * Compiles a window to a function of the order date; spans that do not depend on the
 * exact date are built once, and the last date's span is remembered (books come in date
 * order, so consecutive orders mostly share a date).
 */
export function windowFunction(w: CapWindow): (date: IsoDate) => WindowSpan | undefined {
  const f = spanFunction(w);
  let lastDate: IsoDate | undefined;
  let lastSpan: WindowSpan | undefined;
  return (date) => {
    if (date !== lastDate) {
      lastSpan = f(date);
      lastDate = date;
    }
    return lastSpan;
  };
}

function spanFunction(w: CapWindow): (date: IsoDate) => WindowSpan | undefined {
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
      const spans = scheduleSpans(w);
      return (date) => scheduleSpan(spans, date);
    }
    case "rolling":
      return (date) => rollingSpan(w, date);
    default: {
      const never: never = w;
      return never;
    }
  }
}

/** The span of a rolling window ending on `date`. */
function rollingSpan(w: Extract<CapWindow, { kind: "rolling" }>, date: IsoDate): WindowSpan {
  const from = w.unit === "days" ? addDays(date, -(w.length - 1)) : addDays(addMonths(date, -(w.unit === "months" ? w.length : w.length * 12)), 1);
  const label = `${from}..${date}`;
  return { from, to: date, label, describe: `in the ${w.length} ${w.unit} to ${date}` };
}

/** The not-applicable check of a cap (shared: it carries no amounts). */
export function notApplicableCheck(cap: CCap): CapCheck {
  return { cap, applicable: false, key: "", window: "", windowDescribe: "", amount: 0, before: 0, after: 0, limit: undefined, factor: 1, ok: true };
}

/** Usage of (cap, key) in a window, without bigints on the in-memory ledger or one offering `usageInteger`. */
function usageOf(ledger: Ctx["ledger"], cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Quantity {
  if (ledger instanceof MemoryLedger) return ledger.usageOf(cap, key, from, to);
  return ledger.usageInteger?.(cap, key, from, to) ?? quantity(ledger.usage(cap, key, from, to));
}

/** Usage of (cap, key) in a window on the ledger plus this evaluation's pending charges to it. */
function usageWithPending(cap: CCap, ctx: Ctx, key: string, from: IsoDate | undefined, to: IsoDate): Quantity {
  let used = usageOf(ctx.ledger, cap.name, key, from, to);
  const pending = ctx.pending;
  for (let i = 0; i < pending.length; i++) {
    const p = pending[i] as Pending;
    if (p.cap === cap && p.key === key) used = addQ(used, p.amount);
  }
  return used;
}

/** Tests `cap` for the lines in `ctx`: usage on the ledger plus this evaluation's pending charges. */
export function checkCap(cap: CCap, ctx: Ctx): CapCheck {
  const when = cap.when;
  for (let i = 0; i < when.length; i++) if (!(when[i] as CCap["when"][number]).test(ctx)) return cap.notApplicable;
  const order = ctx.order;
  const win = cap.window(order.date);
  if (win === undefined) return cap.notApplicable;
  const amount = cap.unit === "units" ? ctx.units : ctx.amount;
  const key = cap.key(order);
  const before = usageWithPending(cap, ctx, key, win.from, win.to);
  const after = addQ(before, amount);
  let factor: Quantity = 1;
  const modifiers = cap.modifiers;
  for (let i = 0; i < modifiers.length; i++) {
    const mod = modifiers[i] as CCap["modifiers"][number];
    if (mod.cond.test(ctx)) factor = mulQ(factor, mod.factor);
  }
  let limit: Quantity | undefined;
  let ok: boolean;
  const percent = cap.percent;
  if (percent !== undefined) {
    // p % of (capacity + this order): after <= num/den x base  <=>  after x den <= num x base.
    const capacity = order.capacity === undefined ? undefined : quantity(order.capacity);
    if (capacity === undefined) {
      limit = undefined;
      ok = false;
    } else {
      const base = addQ(capacity, amount);
      const num = mulQ(percent.num, factor);
      ok = cmpQ(mulQ(after, percent.den), mulQ(num, base)) <= 0;
      limit = divideQ(mulQ(num, base), percent.den);
    }
  } else {
    limit = cap.absoluteLimit ?? win.stepLimit;
    if (limit !== undefined && factor !== 1) limit = mulQ(limit, factor);
    ok = limit !== undefined && cmpQ(after, limit) <= 0;
    const later = win.later;
    if (ok && later !== undefined && later.length > 0) {
      const failed = laterStepFailure(cap, ctx, key, later, amount, factor);
      if (failed !== undefined) return failed;
    }
  }
  return { cap, applicable: true, key, window: win.label, windowDescribe: win.describe, amount, before, after, limit, factor, ok };
}

/**
 * The first later step of a schedule whose cumulative total the order would take past its
 * limit (the charges through that step's date, this evaluation's pending ones and the
 * order), as the cap's check; undefined when every later step holds it. Only a ledger with
 * charges dated after the order can fail here: otherwise a later step sums what the
 * order's own step does, under a limit that is at least as high in any sensible schedule.
 */
function laterStepFailure(cap: CCap, ctx: Ctx, key: string, later: readonly WindowSpan[], amount: Quantity, factor: Quantity): CapCheck | undefined {
  for (let s = 0; s < later.length; s++) {
    const step = later[s] as WindowSpan;
    const base = step.stepLimit;
    if (base === undefined) continue;
    const before = usageWithPending(cap, ctx, key, step.from, step.to);
    const after = addQ(before, amount);
    const limit = factor === 1 ? base : mulQ(base, factor);
    if (cmpQ(after, limit) > 0)
      return { cap, applicable: true, key, window: step.label, windowDescribe: step.describe, amount, before, after, limit, factor, ok: false };
  }
  return undefined;
}

/** a / b exactly (b is a positive whole number), skipping bigints when b divides a. */
function divideQ(a: Quantity, b: Quantity): Quantity {
  if (typeof a === "number" && typeof b === "number" && a % b === 0) return a / b;
  return quantity(div(toRational(a), toRational(b)));
}

/**
 * "26,914,400 TPP > 26,900,000 TPP LPP_limit limit for consignee uni-my in 2025", after
 * `prefix`, for an applicable check. One flat string (see text.ts): a decision keeps it
 * as long as the ledger keeps the decision.
 */
export function describeCheck(c: CapCheck, o: OrderFacts, prefix = ""): string {
  const cap = c.cap;
  const who = cap.keyDescribe(o);
  if (c.limit === undefined)
    return flat(prefix + cap.name + " cannot be satisfied: capacity not given (consignee.capacityTpp) for " + who + " " + c.windowDescribe);
  const u = cap.unit;
  const scaled = c.factor === 1 ? "" : ` (x ${groupedQ(c.factor)})`;
  return flat(
    prefix +
      groupedQ(c.after) +
      " " +
      u +
      (c.ok ? " <= " : " > ") +
      (cap.constantLimitGrouped ?? groupedQ(c.limit)) +
      " " +
      u +
      " " +
      cap.name +
      " limit" +
      cap.percentText +
      scaled +
      " for " +
      who +
      " " +
      c.windowDescribe,
  );
}

/**
 * How many times `line` counts in check `i` of failure `f`: once if it is one of the
 * lines checked, and once per charge the evaluation accepted to the cap before it that
 * was for the line (another decide block's: blocks that share a cap).
 */
function timesIn(f: CapFailure, i: number, line: OrderLine, direct: boolean): number {
  let n = direct ? 1 : 0;
  const charged = f.charged?.[i];
  if (charged !== undefined) for (let k = 0; k < charged.length; k++) if (charged[k] === line) n++;
  return n;
}

/**
 * How far a line's measure (its TPP, or its units under a units cap) must fall for
 * failing check `c` to hold, the rest of the order as it is; undefined when no fall
 * does. The check's total falls `times` as fast as the line (timesIn); a percent of
 * capacity limit counts the lines checked in its base, so it falls too, by the percent
 * (`direct`): the fall is (after - limit) / (times - percent).
 */
function fallNeeded(c: CapCheck, times: number, direct: boolean): Rational | undefined {
  const limit = c.limit;
  if (limit === undefined || times === 0) return undefined;
  const m = c.cap.model;
  const over = sub(toRational(c.after), toRational(limit));
  if (!direct || m.limit.kind !== "percent-of-capacity") return times === 1 ? over : div(over, int(BigInt(times)));
  const rate = sub(int(BigInt(times)), mul(m.limit.percent, toRational(c.factor)));
  return rate.num <= 0n ? undefined : div(over, rate);
}

/**
 * `ceil((after - limit) / (times x perUnit))` without bigints when the limit is absolute
 * and every figure is a safe integer (undefined otherwise: the caller computes it
 * exactly). Safe integers make `%`, `-` and `/` below exact: the remainder is exact and
 * the difference a multiple of the divisor, so the division has no rounding.
 */
function unitsOver(c: CapCheck, times: number, perUnit: Rational): number | undefined {
  const { limit, after } = c;
  if (c.cap.percent !== undefined || typeof limit !== "number" || typeof after !== "number" || perUnit.den !== 1n || perUnit.num > MAX_SAFE) return undefined;
  const per = times * Number(perUnit.num);
  const over = after - limit;
  if (!Number.isSafeInteger(per) || !Number.isSafeInteger(over)) return undefined;
  const rem = over % per;
  return (over - rem) / per + (rem > 0 ? 1 : 0);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `from` (a measure of `line`) less the largest fall a failed check of `f` needs
 * (`fallOf`, in that measure, given how many times the line counts in the check),
 * rounded down; undefined when some failed check does not fall with the line.
 */
function largestAfterFall(
  f: CapFailure,
  line: OrderLine,
  from: Quantity,
  fallOf: (c: CapCheck, times: number, direct: boolean) => Rational | undefined,
): bigint | undefined {
  const direct = f.lines.includes(line);
  const checks = f.checks;
  let fall: Rational | undefined;
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i] as CapCheck;
    if (c.ok) continue;
    const by = fallOf(c, timesIn(f, i, line, direct), direct);
    if (by === undefined) return undefined;
    if (fall === undefined || cmp(by, fall) > 0) fall = by;
  }
  return fall === undefined ? undefined : floor(sub(toRational(from), fall));
}

/**
 * Largest quantity of `line` that keeps every check of `f` within its limit, the rest
 * of the order as it is (for hints); undefined when some failed check does not fall with
 * the line. A line that an earlier block charged to the same cap lowers the total of the
 * check more than once.
 */
export function largestFittingQuantity(f: CapFailure, line: OrderLine): bigint | undefined {
  return largestAfterFall(f, line, line.quantity, (c, times, direct) => {
    const perUnit = c.cap.model.measure === "units" ? ONE : line.tpp;
    if (perUnit.num === 0n) return undefined;
    const fast = times === 0 ? undefined : unitsOver(c, times, perUnit);
    if (fast !== undefined) return int(BigInt(fast));
    const by = fallNeeded(c, times, direct);
    return by === undefined ? undefined : div(by, perUnit);
  });
}

/** Largest whole TPP amount of a single-unit `line` that keeps every TPP check of `f` within its limit, the rest of the order as it is (for hints). */
export function largestFittingAmount(f: CapFailure, line: OrderLine): bigint | undefined {
  // A chip's TPP does not change its units: a units cap cannot be met this way.
  return largestAfterFall(f, line, line.amount, (c, times, direct) => (c.cap.model.measure === "units" ? undefined : fallNeeded(c, times, direct)));
}

/** A date on which a failing check's window could let the same order through (for hints). */
export interface LaterStart {
  readonly date: IsoDate;
  /** A rolling window lets usage out day by day: an earlier date may do (the caller searches). */
  readonly rolling: boolean;
}

/**
 * The first date after `date` on which the window of failing check `c` could let the
 * same order through, or undefined when none can: the next January 1 of a calendar year
 * and, for a rolling window, a day whose window starts after `date` (both start empty of
 * the usage so far, so an absolute limit must hold the order alone); the day after a
 * window of fixed dates (the cap no longer counts the order); the first later schedule
 * step whose limit holds the usage so far and the order (a schedule is cumulative). Not
 * for a cap over all time, nor a percent of a capacity not given. The caller decides the
 * order again on that date: another cap, a modifier or a condition may read the date too.
 */
export function laterStart(c: CapCheck, date: IsoDate): LaterStart | undefined {
  const limit = c.limit;
  if (limit === undefined) return undefined;
  const fitsAlone = c.cap.percent !== undefined || cmpQ(c.amount, limit) <= 0;
  const at = (d: IsoDate, rolling: boolean): LaterStart | undefined => (isIsoDate(d) ? { date: d, rolling } : undefined);
  const w = c.cap.model.window;
  switch (w.kind) {
    case "calendar-year":
      return fitsAlone ? at(`${String(Number(date.slice(0, 4)) + 1).padStart(4, "0")}-01-01`, false) : undefined;
    case "rolling": {
      // A month is at most 31 days, a year 366: past that the window has left `date` behind.
      const days = w.unit === "days" ? w.length : w.unit === "months" ? 31 * w.length + 1 : 366 * w.length + 1;
      return fitsAlone ? at(addDays(date, days), true) : undefined;
    }
    case "fixed":
      return date <= w.to ? at(addDays(w.to, 1), false) : undefined;
    case "schedule": {
      const after = addQ(c.before, c.amount);
      const steps = w.steps;
      for (let i = 0; i + 1 < steps.length; i++) {
        const step = steps[i] as (typeof steps)[number];
        if (step.through < date) continue;
        const next = mulQ(quantity((steps[i + 1] as (typeof steps)[number]).limit.value), c.factor);
        if (cmpQ(after, next) <= 0) return at(addDays(step.through, 1), false);
      }
      return undefined;
    }
    case "all-time":
      return undefined;
    default: {
      const never: never = w;
      return never;
    }
  }
}
