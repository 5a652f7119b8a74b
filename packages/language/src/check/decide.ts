/**
 * `decide` blocks: the classes they apply to and their rules in order (prohibit,
 * authorize by an exception, a status or NLR, require a license with review cases).
 * Reports a rule or review case that can never apply because an earlier one always does.
 */
import type { Condition, DecideDecl, Range, Rule } from "../ast.js";
import type { DecideModel, ReviewCaseModel, RuleModel } from "../model.js";
import { cond } from "./conditions.js";
import type { CheckContext } from "./context.js";
import { citeText, put, str, unreachable } from "./util.js";

function alwaysTrue(c: Condition | undefined): boolean {
  if (c === undefined) return true;
  let inner: Condition = c;
  while (inner.kind === "ParenCondition") inner = inner.inner;
  return inner.kind === "FlagCondition" && inner.flag === "true";
}

/** A `decide` block. */
export function checkDecide(cx: CheckContext, decl: DecideDecl): void {
  const classes: string[] = [];
  for (const id of decl.classes) {
    const info = cx.resolve(id, ["class"], "a class");
    if (info) classes.push(info.name);
  }
  const rules: RuleModel[] = [];
  const notes: string[] = [];
  let cite = citeText(decl.cite);
  // Reachability is judged once the block parses: a rule still being typed (`license`
  // alone, or a review case after `otherwise`) would shadow the rules after it.
  const complete = !cx.hasSyntaxError(decl.range);
  let shadow: { range: Range; what: string } | undefined;
  for (const rule of decl.rules as readonly Rule[]) {
    if (rule.kind === "ProhibitRule" || rule.kind === "AuthorizeRule" || rule.kind === "LicenseRule") {
      if (shadow && complete) {
        cx.report("DF4008", rule.range, "this rule can never apply", {
          help: `an earlier \`${shadow.what}\` rule without a condition always decides first; move this rule above it or remove it`,
          related: [{ uri: cx.uri, range: shadow.range, message: "this rule always applies first" }],
        });
      }
    }
    switch (rule.kind) {
      case "ProhibitRule": {
        const model: RuleModel & { kind: "prohibit" } = { kind: "prohibit", source: cx.src(rule.range) };
        put(model, "when", rule.condition && cond(cx, rule.condition, "rule", 0));
        put(model, "cite", citeText(rule.cite));
        rules.push(model);
        if (!shadow && alwaysTrue(rule.condition)) shadow = { range: rule.range, what: "prohibit" };
        break;
      }
      case "AuthorizeRule": {
        let basis = rule.basis.kind === "Identifier" ? rule.basis.name : "";
        // `NLR` is always the built-in: no exception or status may take the name, and another
        // declaration that does (a group `NLR`) is not what `authorize` means.
        if (rule.basis.kind === "Identifier" && rule.basis.name === "NLR") {
          cx.reference(rule.basis, undefined);
        } else {
          const info = cx.resolve(rule.basis, ["exception", "status"], "an exception or status");
          if (info) basis = info.name;
        }
        const model: RuleModel & { kind: "authorize" } = { kind: "authorize", basis, source: cx.src(rule.range) };
        put(model, "when", rule.condition && cond(cx, rule.condition, "rule", 0));
        put(model, "cite", citeText(rule.cite));
        rules.push(model);
        // NLR has no conditions or caps of its own: without a `when` it always authorizes.
        if (!shadow && basis === "NLR" && alwaysTrue(rule.condition)) shadow = { range: rule.range, what: "authorize NLR" };
        break;
      }
      case "LicenseRule": {
        const charging: string[] = [];
        for (const id of rule.charging) {
          const info = cx.resolve(id, ["cap"], "a cap");
          if (info) charging.push(info.name);
        }
        const whenCond = rule.condition && cond(cx, rule.condition, "rule", 0);
        const reviews: ReviewCaseModel[] = [];
        let otherwise: Range | undefined;
        for (const rc of rule.reviews) {
          if (otherwise && complete) {
            cx.report("DF4008", rc.range, "this review case can never apply", {
              help: "`otherwise` always matches; move this case above it or remove it",
              related: [{ uri: cx.uri, range: otherwise, message: "this case always applies first" }],
            });
          }
          const condModel = rc.condition && cond(cx, rc.condition, "rule", 0);
          if (!otherwise && alwaysTrue(rc.condition)) otherwise = rc.range;
          if (rc.review.kind === "Review") {
            const model: ReviewCaseModel = { review: rc.review.policy, source: cx.src(rc.range) };
            put(model, "when", condModel);
            put(model, "cite", citeText(rc.cite));
            reviews.push(model);
          }
        }
        const model: RuleModel & { kind: "license" } = { kind: "license", charging, reviews, source: cx.src(rule.range) };
        put(model, "when", whenCond);
        put(model, "cite", citeText(rule.cite));
        rules.push(model);
        // Without a `when` the rule always decides: when no review case holds, the engine
        // falls back to case-by-case, so an `otherwise` is not needed for it to shadow.
        if (!shadow && alwaysTrue(rule.condition)) shadow = { range: rule.range, what: "license" };
        break;
      }
      case "NoteClause": {
        const t = str(rule.text);
        if (t !== undefined) notes.push(t);
        break;
      }
      case "CiteClause":
        cite ??= citeText(rule.cite);
        break;
      case "ErrorClause":
        break;
      default:
        unreachable(rule);
    }
  }
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const model: DecideModel = { name: decl.name.name, classes, rules, notes, source: cx.src(decl.range) };
    put(model, "title", decl.title?.value);
    put(model, "cite", cite);
    cx.decisions.push(model);
  }
}
