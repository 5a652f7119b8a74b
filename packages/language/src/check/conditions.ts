/**
 * Conditions (`when`, `times ... when`, rule and review conditions, class conditions):
 * lowered to the model's `Cond`, with the names they use resolved and their quantities
 * checked, and facts used where they mean nothing reported (a fact of the order in a
 * class, a fact of one item line in a rule).
 */
import type { Citation, Condition, Measure, Range } from "../ast.js";
import type { Cond, ExactQuantity, WhenModel } from "../model.js";
import type { CheckContext } from "./context.js";
import { UNIT_TEXT, dateText, expectUnit, quantity } from "./quantities.js";
import { setRef } from "./sets.js";
import { MAX_DEPTH, citeText, put, unreachable } from "./util.js";

/** Where a condition is written: in a class (facts of one item line) or a rule (facts of the order). */
type Scope = "class" | "rule";

const MEASURE_UNIT: Record<Measure, ExactQuantity["unit"]> = {
  amount: "TPP",
  quantity: "units",
  capacity: "TPP",
  tpp: "TPP",
  density: "count",
  operations: "ops",
};

const MEASURE_EXAMPLE: Record<Measure, string> = {
  amount: "`1_700 x H100` or `26_900_000 TPP`",
  quantity: "`6 units`",
  capacity: "`1e9 TPP`",
  tpp: "`4_800 TPP`",
  density: "a plain number such as `5.92`",
  operations: "`1e26 ops`",
};

const CLASS_MEASURES: ReadonlySet<Measure> = new Set(["tpp", "density", "operations"]);

/** A `when` clause with its citation. */
export function whenModel(cx: CheckContext, condition: Condition, cite: Citation | undefined, range: Range, scope: Scope): WhenModel {
  const model: WhenModel = { cond: cond(cx, condition, scope, 0), source: cx.src(range) };
  put(model, "cite", citeText(cite));
  return model;
}

function wrongContext(cx: CheckContext, range: Range, what: string, scope: Scope): void {
  if (scope === "class") {
    cx.report("DF3002", range, `\`${what}\` is a fact of the order, not of an item line, so it cannot be used in a class`, {
      help: "class conditions may use `chip`, `model`, `datacenter`, `open`, `tpp`, `density`, `operations` and `date`",
    });
  } else {
    cx.report("DF3002", range, `\`${what}\` is a fact of one item line and can only be used in a class`, {
      help: "declare a class with this condition and test it with `item is CLASS`",
    });
  }
}

/** Lowers a condition; one that cannot be lowered (missing, or nested too deep) is `false`. */
export function cond(cx: CheckContext, c: Condition, scope: Scope, depth: number): Cond {
  const source = cx.src(c.range);
  if (depth > MAX_DEPTH) {
    return { kind: "const", value: false, source }; // bounded by the parser; guards hand-built trees
  }
  switch (c.kind) {
    case "Missing":
      return { kind: "const", value: false, source };
    case "ParenCondition":
      return cond(cx, c.inner, scope, depth + 1);
    case "NotCondition":
      return { kind: "not", operand: cond(cx, c.operand, scope, depth + 1), source };
    case "AndCondition":
      return { kind: "and", operands: c.operands.map((o) => cond(cx, o, scope, depth + 1)), source };
    case "OrCondition":
      return { kind: "or", operands: c.operands.map((o) => cond(cx, o, scope, depth + 1)), source };
    case "InCondition": {
      if (scope === "class") wrongContext(cx, c.subjectRange, c.subject, scope);
      const set = setRef(cx, c.set);
      const inner: Cond = { kind: "in", subject: c.subject, set, source };
      return c.negated ? { kind: "not", operand: inner, source } : inner;
    }
    case "HasCondition": {
      if (scope === "class") wrongContext(cx, { start: c.range.start, end: Math.min(c.range.end, c.range.start + 9) }, "consignee", scope);
      const info = cx.resolve(c.status, ["status"], "a status");
      const inner: Cond = { kind: "has", status: info?.name ?? (c.status.kind === "Identifier" ? c.status.name : ""), source };
      return c.negated ? { kind: "not", operand: inner, source } : inner;
    }
    case "IsCondition": {
      if (scope === "class") wrongContext(cx, { start: c.range.start, end: Math.min(c.range.end, c.range.start + 4) }, "item is", scope);
      const info = cx.resolve(c.itemClass, ["class"], "a class");
      const inner: Cond = { kind: "is", itemClass: info?.name ?? (c.itemClass.kind === "Identifier" ? c.itemClass.name : ""), source };
      return c.negated ? { kind: "not", operand: inner, source } : inner;
    }
    case "WithinCondition": {
      const kw = { start: c.range.start, end: Math.min(c.range.end, c.range.start + 6) };
      if (scope === "class") wrongContext(cx, kw, "within", scope);
      const info = cx.resolve(c.cap, ["cap"], "a cap");
      return { kind: "within", cap: info?.name ?? (c.cap.kind === "Identifier" ? c.cap.name : ""), source };
    }
    case "CompareCondition": {
      const classOnly = CLASS_MEASURES.has(c.measure);
      if (classOnly !== (scope === "class")) wrongContext(cx, c.measureRange, c.measure, scope);
      const want = MEASURE_UNIT[c.measure];
      const v = quantity(cx, c.value);
      const ok = expectUnit(cx, c.value, v, [want], UNIT_TEXT[want], () => `\`${c.measure}\` compares with ${MEASURE_EXAMPLE[c.measure]}`);
      const value: ExactQuantity = ok && v.unit === want ? { unit: want, value: v.value } : { unit: want, value: { num: 0n, den: 1n } };
      return { kind: "compare", measure: c.measure, op: c.op, value, source };
    }
    case "DateCondition":
      return { kind: "date", op: c.op, value: dateText(cx, c.value) ?? "", source };
    case "FlagCondition": {
      if (c.flag === "true" || c.flag === "false") return { kind: "const", value: c.flag === "true", source };
      if (scope !== "class") wrongContext(cx, c.range, c.flag, scope);
      return { kind: "flag", flag: c.flag, source };
    }
    default:
      return unreachable(c);
  }
}
