/** Caps: windows, usage plus this order against the limit, messages, and the room left (for hints). */
import type { CapWindow, IsoDate, Rational } from "@diffuse/language";
import type { Line, ValidOrder } from "./order.js";
import { add, cmp, div, eq, floor, formatGrouped, mul, ONE, sub, ZERO } from "./exact.js";
import { addDays, addMonths } from "./dates.js";
import type { CCap, CapCheck, Ctx, Pending } from "./model.js";

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
export function windowFunction(w: CapWindow): (date: IsoDate) => WindowSpan | undefined {
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
