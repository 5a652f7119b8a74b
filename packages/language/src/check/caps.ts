/**
 * Caps (allocations): the limit (an amount, a number of units or a share of capacity) or
 * a schedule of limits, the key it is counted per, its window, `times` modifiers and
 * `when` conditions. Reports what a cap lacks or may not combine (no limit, window or
 * key; a schedule with a limit or window; a share of capacity not counted per consignee).
 */
import type { CapDecl, CapKey, QuantityExpr, Range, ScheduleStep, Window } from "../ast.js";
import type { CapLimit, CapModel, CapModifier, CapWindow, Rational, ScheduleStepModel, WhenModel } from "../model.js";
import { compare, formatPercent, formatRational, isInteger, rational } from "../rational.js";
import { cond, whenModel } from "./conditions.js";
import type { CheckContext } from "./context.js";
import { UNIT_TEXT, dateText, expectUnit, quantity } from "./quantities.js";
import { citeText, put, unreachable } from "./util.js";

const ONE = rational(1n);

/** A `cap` declaration. */
export function checkCap(cx: CheckContext, decl: CapDecl): void {
  // What the cap lacks is reported once it parses (see `hasSyntaxError`).
  const complete = !cx.hasSyntaxError(decl.range);
  const once = new Map<string, Range>();
  let limitClause: { value: QuantityExpr; range: Range } | undefined;
  let limit: CapLimit | undefined;
  let measure: "TPP" | "units" = "TPP";
  let key: readonly ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] = [];
  let perRange: Range | undefined;
  let window: CapWindow | undefined;
  let windowRange: Range | undefined;
  let schedule: ScheduleStepModel[] | undefined;
  let scheduleRange: Range | undefined;
  const modifiers: CapModifier[] = [];
  const when: WhenModel[] = [];
  let cite = citeText(decl.cite);
  for (const clause of decl.clauses) {
    switch (clause.kind) {
      case "LimitClause": {
        if (cx.once(once, "limit", clause.range, "cap")) break;
        limitClause = clause;
        const v = quantity(cx, clause.value);
        if (
          expectUnit(
            cx,
            clause.value,
            v,
            ["TPP", "units", "percent-of-capacity"],
            "an amount in TPP, a number of units or a share of capacity",
            v?.unit === "percent"
              ? "write a share of the consignee's capacity as `7 % of capacity`"
              : "e.g. `limit 26_900_000 TPP`, `limit 1_000 units` or `limit 7 % of capacity`",
          )
        ) {
          if (v.unit === "percent-of-capacity") {
            // A share above the whole never binds: a slip (`150` for `15`), not a limit.
            if (compare(v.value, ONE) > 0) {
              cx.report("DF3007", clause.value.range, `a share of capacity is at most 100 %, found \`${formatPercent(v.value)} %\``, {
                help: "write the share of the consignee's capacity as a percent from 0 to 100, e.g. `limit 7 % of capacity`",
              });
            }
            limit = { kind: "percent-of-capacity", percent: v.value };
          } else if (v.unit === "TPP" || v.unit === "units") {
            limit = { kind: "absolute", value: { unit: v.unit, value: v.value } };
            measure = v.unit;
          }
        }
        break;
      }
      case "PerClause":
        if (cx.once(once, "per", clause.range, "cap")) break;
        if (clause.key.kind === "CapKey") {
          perRange = clause.range;
          key = checkKey(cx, clause.key);
        }
        break;
      case "WindowClause":
        if (cx.once(once, "window", clause.range, "cap")) break;
        windowRange = clause.range;
        window = capWindow(cx, clause.window);
        break;
      case "ScheduleClause": {
        if (cx.once(once, "schedule", clause.range, "cap")) break;
        scheduleRange = clause.range;
        schedule = capSchedule(cx, clause.steps, clause.range, complete);
        break;
      }
      case "TimesClause": {
        const v = quantity(cx, clause.factor);
        let factor: Rational = { num: 1n, den: 1n };
        if (v) {
          if (v.unit !== "count" || v.value.num <= 0n) {
            cx.report(
              "DF3003",
              clause.factor.range,
              `the factor of \`times\` must be a plain positive number, found ${v.unit === "count" ? `\`${formatRational(v.value)}\`` : UNIT_TEXT[v.unit]}`,
              {
                help: "e.g. `times 2 when destination in g2g` doubles the limit",
              },
            );
          } else factor = v.value;
        }
        const modifier: CapModifier = { factor, when: cond(cx, clause.condition, "rule", 0), source: cx.src(clause.range) };
        put(modifier, "cite", citeText(clause.cite));
        modifiers.push(modifier);
        break;
      }
      case "WhenClause":
        when.push(whenModel(cx, clause.condition, clause.cite, clause.range, "rule"));
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
  const name = decl.name.kind === "Identifier" ? decl.name.name : "";
  const at = decl.name.kind === "Identifier" ? decl.name.range : { start: decl.range.start, end: Math.min(decl.range.end, decl.range.start + 3) };
  if (scheduleRange) {
    if (limitClause) {
      cx.report("DF4007", limitClause.range, "a cap with a `schedule` cannot also have a `limit`", {
        help: "the schedule's steps carry the limits: remove this `limit`",
        related: [{ uri: cx.uri, range: scheduleRange, message: "the schedule" }],
      });
    }
    if (windowRange) {
      cx.report("DF4007", windowRange, "a cap with a `schedule` cannot also have a `window`", {
        help: "a schedule counts cumulatively from the start: remove this `window`",
        related: [{ uri: cx.uri, range: scheduleRange, message: "the schedule" }],
      });
    }
  } else if (complete) {
    if (!once.has("limit")) {
      cx.report("DF4006", at, `cap \`${name}\` has no \`limit\``, { help: "add `limit N TPP` (or units, or `N % of capacity`), or a `schedule` of limits" });
    }
    if (!once.has("window")) {
      // Quick fix (used by the language server): a `window` line after the cap's last clause.
      const lastClause = decl.clauses[decl.clauses.length - 1];
      cx.report("DF4005", at, `cap \`${name}\` has no \`window\``, {
        help: "add `window calendar year`, `window DATE .. DATE`, `window rolling N days` or `window all time`, or use a `schedule`",
        ...(lastClause
          ? { fixes: [{ title: "add `window calendar year`", edits: [cx.clauseAfter(decl.range.start, lastClause.range.end, "window calendar year")] }] }
          : {}),
      });
    }
  }
  if (complete && !once.has("per")) {
    cx.report("DF4004", at, `cap \`${name}\` has no key`, {
      help: "add `per destination`, `per headquarters`, `per consignee`, `per consignee x destination`, `per exporter` or `per global`",
    });
  }
  if (limit?.kind === "percent-of-capacity" && perRange && !key.includes("consignee")) {
    cx.report("DF4011", perRange, "a percent-of-capacity cap must be counted per consignee", {
      help: "capacity belongs to a consignee: use `per consignee` or `per consignee x destination`",
    });
  }
  let finalLimit: CapLimit = limit ?? { kind: "absolute", value: { unit: measure, value: { num: 0n, den: 1n } } };
  let finalWindow: CapWindow = window ?? { kind: "all-time" };
  if (schedule) {
    finalLimit = { kind: "schedule" };
    finalWindow = { kind: "schedule", steps: schedule };
    const firstStep = schedule[0];
    if (firstStep) measure = firstStep.limit.unit === "units" ? "units" : "TPP";
  }
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const cap: CapModel = { name, measure, limit: finalLimit, key, window: finalWindow, modifiers, when, source: cx.src(decl.range) };
    put(cap, "title", decl.title?.value);
    put(cap, "cite", cite);
    cx.caps.set(name, cap);
  }
}

function checkKey(cx: CheckContext, key: CapKey): readonly ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] {
  const parts: ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] = [];
  for (const p of key.parts) {
    if (parts.includes(p.part)) {
      cx.report("DF4015", p.range, `\`${p.part}\` appears twice in this key`, { help: "list each part of a key once" });
      continue;
    }
    parts.push(p.part);
  }
  if (parts.includes("global") && parts.length > 1) {
    const g = key.parts.find((p) => p.part === "global");
    cx.report("DF4015", g?.range ?? key.range, "`global` cannot be combined with other key parts", {
      help: "`per global` is one total for everyone; remove `global` or the other parts",
    });
    return parts.filter((p) => p !== "global");
  }
  return parts;
}

function capWindow(cx: CheckContext, w: Window): CapWindow | undefined {
  switch (w.kind) {
    case "Missing":
      return undefined;
    case "CalendarYearWindow":
      return { kind: "calendar-year" };
    case "AllTimeWindow":
      return { kind: "all-time" };
    case "FixedWindow": {
      const from = dateText(cx, w.from);
      const to = dateText(cx, w.to);
      if (from && to && from > to && w.to.kind === "DateLiteral") {
        cx.report("DF4002", w.to.range, `the window ends on ${to}, before it starts on ${from}`, {
          help: "write the window as `START .. END` (both inclusive)",
        });
      }
      return from && to ? { kind: "fixed", from, to } : undefined;
    }
    case "RollingWindow": {
      if (w.length.kind === "Missing") return undefined;
      const v = quantity(cx, w.length);
      if (!v) return undefined;
      if (v.unit !== "days" && v.unit !== "months" && v.unit !== "years") {
        cx.report("DF3001", w.length.range, `expected a period in days, months or years, found ${UNIT_TEXT[v.unit]}`, {
          help: "e.g. `window rolling 365 days`",
        });
        return undefined;
      }
      if (!isInteger(v.value) || v.value.num <= 0n || v.value.num > 1_000_000n) {
        cx.report("DF3005", w.length.range, `a rolling window must be a positive whole number of ${v.unit}, found \`${formatRational(v.value)}\``, {
          help: "e.g. `window rolling 12 months`",
        });
        return undefined;
      }
      return { kind: "rolling", length: Number(v.value.num), unit: v.unit };
    }
    default:
      return unreachable(w);
  }
}

function capSchedule(cx: CheckContext, steps: readonly ScheduleStep[], range: Range, complete: boolean): ScheduleStepModel[] {
  const out: ScheduleStepModel[] = [];
  let previous: { date: string; range: Range } | undefined;
  let unit: "TPP" | "units" | undefined;
  if (steps.length === 0 && complete) {
    cx.report("DF4006", range, "this schedule has no steps", { help: "add steps such as `through 2025-12-31 limit 100_000 x H100`" });
  }
  for (const step of steps) {
    const date = dateText(cx, step.through);
    if (date && previous && date <= previous.date && step.through.kind === "DateLiteral") {
      cx.report("DF4002", step.through.range, `schedule step \`through ${date}\` is not after the previous step \`through ${previous.date}\``, {
        help: "list schedule steps in increasing date order",
        related: [{ uri: cx.uri, range: previous.range, message: "previous step" }],
      });
    }
    if (date && step.through.kind === "DateLiteral") previous = { date, range: step.through.range };
    const v = quantity(cx, step.limit);
    if (
      !expectUnit(
        cx,
        step.limit,
        v,
        unit ? [unit] : ["TPP", "units"],
        unit ? (unit === "TPP" ? "an amount in TPP like the first step" : "a number of units like the first step") : "an amount in TPP or a number of units",
      )
    )
      continue;
    if (v.unit !== "TPP" && v.unit !== "units") continue;
    unit ??= v.unit;
    if (date) {
      const model: ScheduleStepModel = { through: date, limit: { unit: v.unit, value: v.value }, source: cx.src(step.range) };
      put(model, "cite", citeText(step.cite));
      out.push(model);
    }
  }
  return out;
}
