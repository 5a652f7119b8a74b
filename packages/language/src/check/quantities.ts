/**
 * Dates, numbers and quantities with units (`26_900_000 TPP`, `1_700 x H100`,
 * `7 % of capacity`): their exact values, invalid dates and unrepresentable numbers,
 * and unit mismatches.
 *
 * Items are evaluated here too: `N x ITEM` is N times the item's `tpp`, which is itself
 * a quantity, so an item declaration is lowered (once, memoized) the first time an amount
 * or its own declaration needs it. The rest of the catalog (models, classes) is in
 * catalog.ts.
 */
import type { DateLiteral, ItemDecl, Missing, QuantityExpr, Range } from "../ast.js";
import type { FixData } from "../diagnostic.js";
import type { ItemModel, Rational } from "../model.js";
import { mul, parseRational, rational } from "../rational.js";
import { malformedNumberHelp } from "../syntax/numbers.js";
import type { CheckContext, Extra } from "./context.js";
import { isValidDate } from "./dates.js";
import { citeText, put, str, unreachable, type Value, type ValueUnit } from "./util.js";

export const UNIT_TEXT: Record<ValueUnit, string> = {
  TPP: "an amount in TPP",
  units: "a number of units",
  ops: "a number of operations",
  percent: "a percent",
  count: "a plain number",
  days: "a period",
  months: "a period",
  years: "a period",
  "percent-of-capacity": "a share of capacity",
};

/**
 * Number literals parsed once per process: policies repeat the same few (`15_832`,
 * `26_900_000`, `7`), and an editor re-checks on every keystroke. Values are immutable, so
 * they are shared. Bounded: cleared when it grows past 4,096 literals.
 */
const literalValues = new Map<string, Rational | null>();

function literalValue(raw: string): Rational | undefined {
  let r = literalValues.get(raw);
  if (r === undefined) {
    if (literalValues.size >= 4096) literalValues.clear();
    r = parseRational(raw) ?? null;
    literalValues.set(raw, r);
  }
  return r ?? undefined;
}

/** A valid date's text, or undefined (reporting an invalid calendar date). */
export function dateText(cx: CheckContext, d: DateLiteral | Missing): string | undefined {
  if (d.kind !== "DateLiteral") return undefined;
  if (isValidDate(d.raw)) return d.raw;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.raw);
  let help = "write dates as `YYYY-MM-DD`";
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) help = "months run from 01 to 12";
    else {
      const days = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
      help = `${m[1]}-${m[2]} has ${days} days`;
    }
  }
  cx.report("DF3004", d.range, `\`${d.raw}\` is not a calendar date`, { help });
  return undefined;
}

/** A number literal's exact value, or undefined (reporting one too large to represent). */
export function numberValue(cx: CheckContext, raw: string, range: Range): Rational | undefined {
  const r = literalValue(raw);
  // A malformed literal (`15,832`) has had its DF0005 from the parser.
  if (!r && malformedNumberHelp(raw) === undefined)
    cx.report("DF3006", range, `\`${raw}\` is not a number Diffuse can represent`, { help: "exponents may be at most 10000" });
  return r;
}

/** A quantity's value and unit, or undefined (its problems reported); recorded in the index for hover. */
export function quantity(cx: CheckContext, q: QuantityExpr): Value | undefined {
  const v = quantityInner(cx, q);
  if (v && q.kind !== "Missing") {
    if (cx.sink.indexes(cx, cx.uri)) cx.sink.quantities.add(cx.uri, q, v);
  }
  return v;
}

function quantityInner(cx: CheckContext, q: QuantityExpr): Value | undefined {
  switch (q.kind) {
    case "Missing":
      return undefined;
    case "Quantity": {
      const n = numberValue(cx, q.value.raw, q.value.range);
      if (!n) return undefined;
      switch (q.unit) {
        case "percent":
          return { unit: "percent", value: mul(n, rational(1n, 100n)) };
        case "TPP":
        case "units":
        case "ops":
        case "count":
        case "days":
        case "months":
        case "years":
          return { unit: q.unit, value: n };
        default:
          return unreachable(q.unit);
      }
    }
    case "ItemMultiple": {
      const n = numberValue(cx, q.count.raw, q.count.range);
      const info = cx.resolve(q.item, ["item"], "an item");
      if (!n || !info || info.node.kind !== "ItemDecl") return undefined;
      const item = itemValue(cx, info.node, info.uri);
      return item ? { unit: "TPP", value: mul(n, item.tppPerUnit) } : undefined;
    }
    case "PercentOfCapacity": {
      const n = numberValue(cx, q.percent.value.raw, q.percent.value.range);
      return n ? { unit: "percent-of-capacity", value: mul(n, rational(1n, 100n)) } : undefined;
    }
    default:
      return unreachable(q);
  }
}

/**
 * Whether `v` has one of the `allowed` units; if not, reports the mismatch, with a fix that
 * appends the expected unit to a bare number. `help` may be a function, for a text only
 * worth building when there is a problem.
 */
export function expectUnit(
  cx: CheckContext,
  q: QuantityExpr,
  v: Value | undefined,
  allowed: readonly ValueUnit[],
  expected: string,
  help?: string | (() => string),
): v is Value {
  if (!v) return false;
  if (allowed.includes(v.unit)) return true;
  const helpText = typeof help === "function" ? help() : help;
  const extra: Extra = helpText ? { help: helpText } : {};
  let fixes: FixData[] | undefined;
  const first = allowed[0];
  if (v.unit === "count" && q.kind === "Quantity" && first && first !== "count" && first !== "percent-of-capacity" && first !== "percent") {
    fixes = [{ title: `add the unit \`${first}\``, edits: [{ range: { start: q.range.end, end: q.range.end }, newText: ` ${first}` }] }];
  }
  cx.report("DF3001", q.range, `expected ${expected}, found ${UNIT_TEXT[v.unit]}`, { ...extra, ...(fixes ? { fixes } : {}) });
  return false;
}

/** `uri` is the file that declares the item. */
export function itemValue(cx: CheckContext, decl: ItemDecl, uri: string): ItemModel | undefined {
  const memo = cx.itemValues.get(decl);
  if (memo === "pending") {
    if (decl.name.kind === "Identifier") {
      // At the item's name, in the file that declares it (the cycle may close in another).
      const saved = cx.uri;
      cx.uri = uri;
      cx.report("DF2008", decl.name.range, `item \`${decl.name.name}\` is defined in terms of itself`, { help: "give its `tpp` as an amount in TPP" });
      cx.uri = saved;
    }
    return undefined;
  }
  if (memo) return memo;
  cx.itemValues.set(decl, "pending");
  const saved = cx.uri;
  cx.uri = uri;
  const once = new Map<string, Range>();
  let tpp: Rational | undefined;
  let density: Rational | undefined;
  let eccn: string | undefined;
  let dataCenter = true;
  let cite = citeText(decl.cite);
  for (const clause of decl.clauses) {
    switch (clause.kind) {
      case "TppClause": {
        if (cx.once(once, "tpp", clause.range, "item")) break;
        const v = quantity(cx, clause.value);
        if (expectUnit(cx, clause.value, v, ["TPP"], "an amount in TPP", "write the TPP per unit, e.g. `tpp 15_832 TPP`")) tpp = v.value;
        break;
      }
      case "DensityClause": {
        if (cx.once(once, "density", clause.range, "item")) break;
        const v = quantity(cx, clause.value);
        if (expectUnit(cx, clause.value, v, ["count"], "a plain number", "performance density is a plain number, e.g. `density 5.92`")) density = v.value;
        break;
      }
      case "EccnClause":
        if (!cx.once(once, "eccn", clause.range, "item")) eccn = str(clause.value);
        break;
      case "DatacenterClause":
        if (!cx.once(once, "datacenter", clause.range, "item")) dataCenter = clause.value;
        break;
      case "CiteClause":
        cite ??= citeText(clause.cite);
        break;
      case "NoteClause":
      case "ErrorClause":
        break;
      default:
        unreachable(clause);
    }
  }
  if (!once.has("tpp") && decl.name.kind === "Identifier" && !cx.hasSyntaxError(decl.range)) {
    cx.report("DF4013", decl.name.range, `item \`${decl.name.name}\` has no \`tpp\``, {
      help: "add its total processing performance per unit, e.g. `tpp 15_832 TPP`",
    });
  }
  const model: ItemModel = {
    name: decl.name.kind === "Identifier" ? decl.name.name : "",
    tppPerUnit: tpp ?? { num: 0n, den: 1n },
    dataCenter,
    source: cx.src(decl.range),
  };
  put(model, "title", decl.title?.value);
  put(model, "performanceDensity", density);
  put(model, "eccn", eccn);
  put(model, "cite", cite);
  cx.uri = saved;
  cx.itemValues.set(decl, model);
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) cx.items.set(decl.name.name, model);
  return model;
}
