/** Conditions compiled to closures: `test` for deciding, `describe` for explanations. */
import type { Cond, ExactQuantity, IsoDate, KeyPart, MembershipInterval, PolicyModel, Rational, SourceRef } from "@diffuse/language";
import type { SourceLocation } from "./types.js";
import type { OrderLine, OrderFacts } from "./order.js";
import { countryIndex } from "./countries.js";
import { cmp, formatGrouped, mul, toDecimal } from "./exact.js";
import { SourceMap } from "./source.js";
import type { CapCheck, CCap, CCond, Ctx } from "./model.js";
import { checkCap, describeCheck, notApplicableCheck, windowFunction } from "./caps.js";
import { cmpQ, quantity, toRational } from "./quantity.js";

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

const HUNDRED: Rational = { num: 100n, den: 1n };

/** Placeholder while a cap's own not-applicable check is built (it refers to the cap). */
const NOT_YET = {} as CapCheck;

/** OrderLine-level facts in a context of several lines hold when they hold for every line. */
function everyLine(ctx: Ctx, f: (l: OrderLine) => boolean): boolean {
  const ls = ctx.lines;
  for (let i = 0; i < ls.length; i++) if (!f(ls[i] as OrderLine)) return false;
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
    const value = (p: KeyPart, o: OrderFacts): string => {
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
    let key: (o: OrderFacts) => string;
    const only = parts.length === 1 ? parts[0] : undefined;
    if (parts.length === 0) key = () => "*";
    else if (only !== undefined) {
      key = only === "destination" ? (o) => o.destination : only === "consignee" ? (o) => o.consignee : (o) => value(only, o);
    } else {
      const relevant = parts.filter((p) => p !== "global");
      const [a, b] = relevant;
      // Two parts (consignee x destination) are the common compound key: no array per order.
      key =
        a === undefined
          ? () => "*"
          : b === undefined
            ? (o) => value(a, o)
            : relevant.length === 2
              ? (o) => `${value(a, o)}|${value(b, o)}`
              : (o) => relevant.map((p) => value(p, o)).join("|");
    }
    const described = parts.filter((p) => p !== "global");
    const first = described[0];
    const keyDescribe: (o: OrderFacts) => string =
      first === undefined
        ? () => "all orders"
        : described.length === 1
          ? (o) => `${first} ${value(first, o)}`
          : (o) => described.map((p) => `${p} ${value(p, o)}`).join(" and ");
    const limit = m.limit;
    const c: { -readonly [K in keyof CCap]: CCap[K] } = {
      name,
      model: m,
      unit: m.measure === "units" ? "units" : "TPP",
      when: m.when.map((w) => this.cond(w.cond)),
      modifiers: m.modifiers.map((mod) => ({ factor: quantity(mod.factor), cond: this.cond(mod.when) })),
      key,
      keyDescribe,
      source: this.loc(m.source),
      cite: m.cite,
      percentText: limit.kind === "percent-of-capacity" ? ` (${formatGrouped(mul(limit.percent, HUNDRED))} % of capacity plus this order)` : "",
      constantLimitText: limit.kind === "absolute" && m.modifiers.length === 0 ? toDecimal(limit.value.value) : undefined,
      constantLimitGrouped: limit.kind === "absolute" && m.modifiers.length === 0 ? formatGrouped(limit.value.value) : undefined,
      absoluteLimit: limit.kind === "absolute" ? quantity(limit.value.value) : undefined,
      percent:
        limit.kind === "percent-of-capacity"
          ? { num: quantity({ num: limit.percent.num, den: 1n }), den: quantity({ num: limit.percent.den, den: 1n }) }
          : undefined,
      window: windowFunction(m.window),
      notApplicable: NOT_YET,
    };
    c.notApplicable = notApplicableCheck(c);
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
            // Stop at the first true operand: that is what decided it. When none is true,
            // every operand's facts together are why it failed: join them with "and" (the
            // atoms state the facts, "MY not in tier3", so "or" would claim only one holds).
            const parts: string[] = [];
            let held = false;
            for (const o of ops) {
              parts.push(o.describe(ctx));
              if (o.test(ctx)) {
                held = true;
                break;
              }
            }
            return parts.length === 1 ? (parts[0] ?? "") : `(${parts.join(held ? " or " : " and ")})`;
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
        const get = (l: OrderLine): boolean => (f === "chip" ? l.chip : f === "model" ? l.model : f === "datacenter" ? l.datacenter : l.open);
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
    const vq = quantity(v);
    const unit = unitLabel(q);
    const shown = `${formatGrouped(v)}${unit}`;
    const text = (name: string, actual: Rational | undefined, ok: boolean): string =>
      actual === undefined ? `${name} not given` : `${name} ${formatGrouped(actual)}${unit} ${ok ? op : negate(op)} ${shown}`;
    switch (measure) {
      case "amount": {
        if (q.unit === "units") {
          const test = (ctx: Ctx): boolean => compareWith(op, cmpQ(ctx.units, vq));
          return { test, describe: (ctx) => text("quantity", toRational(ctx.units), test(ctx)) };
        }
        const test = (ctx: Ctx): boolean => compareWith(op, cmpQ(ctx.amount, vq));
        return { test, describe: (ctx) => text("amount", toRational(ctx.amount), test(ctx)) };
      }
      case "quantity": {
        const test = (ctx: Ctx): boolean => compareWith(op, cmpQ(ctx.units, vq));
        return { test, describe: (ctx) => text("quantity", toRational(ctx.units), test(ctx)) };
      }
      case "capacity": {
        const test = (ctx: Ctx): boolean => ctx.order.capacity !== undefined && compareWith(op, cmp(ctx.order.capacity, v));
        return { test, describe: (ctx) => text("capacity", ctx.order.capacity, test(ctx)) };
      }
      case "tpp":
      case "density":
      case "operations": {
        const get = (l: OrderLine): Rational | undefined =>
          measure === "tpp" ? (l.chip ? l.tpp : undefined) : measure === "density" ? l.density : l.operations;
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
