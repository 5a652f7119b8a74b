/**
 * The catalog declarations other than items: model weights (`model`: training operations,
 * open or closed weights) and item classes (`class`: named conditions on an item line).
 * Items are lowered in quantities.ts, since an amount may count them (`1_700 x H100`).
 */
import type { ClassDecl, ModelDecl, Range } from "../ast.js";
import type { ClassModel, ModelWeightsModel, Rational, WhenModel } from "../model.js";
import { whenModel } from "./conditions.js";
import type { CheckContext } from "./context.js";
import { expectUnit, quantity } from "./quantities.js";
import { citeText, put, str, unreachable } from "./util.js";

/** A `model` declaration (model weights). */
export function checkModel(cx: CheckContext, decl: ModelDecl): void {
  const once = new Map<string, Range>();
  let ops: Rational | undefined;
  let open = false;
  let cite = citeText(decl.cite);
  for (const clause of decl.clauses) {
    switch (clause.kind) {
      case "OperationsClause": {
        if (cx.once(once, "operations", clause.range, "model")) break;
        const v = quantity(cx, clause.value);
        if (expectUnit(cx, clause.value, v, ["ops"], "a number of operations", "write training operations with `ops`, e.g. `operations 3e26 ops`"))
          ops = v.value;
        break;
      }
      case "WeightsClause":
        if (!cx.once(once, "weights", clause.range, "model")) open = clause.open;
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
  if (!once.has("operations") && decl.name.kind === "Identifier" && !cx.hasSyntaxError(decl.range)) {
    cx.report("DF4013", decl.name.range, `model \`${decl.name.name}\` has no \`operations\``, {
      help: "add its training operations, e.g. `operations 3e26 ops`",
    });
  }
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const model: ModelWeightsModel = { name: decl.name.name, trainingOps: ops ?? { num: 0n, den: 1n }, openWeights: open, source: cx.src(decl.range) };
    put(model, "title", decl.title?.value);
    put(model, "cite", cite);
    cx.models.set(decl.name.name, model);
  }
}

/** A `class` declaration: an item class, tested with `item is CLASS`. */
export function checkClass(cx: CheckContext, decl: ClassDecl): void {
  const once = new Map<string, Range>();
  let eccn: string | undefined;
  let cite = citeText(decl.cite);
  const when: WhenModel[] = [];
  for (const clause of decl.clauses) {
    switch (clause.kind) {
      case "EccnClause":
        if (!cx.once(once, "eccn", clause.range, "class")) eccn = str(clause.value);
        break;
      case "WhenClause":
        when.push(whenModel(cx, clause.condition, clause.cite, clause.range, "class"));
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
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const model: ClassModel = { name: decl.name.name, when, source: cx.src(decl.range) };
    put(model, "title", decl.title?.value);
    put(model, "eccn", eccn);
    put(model, "cite", cite);
    cx.classes.push(model);
  }
}
