/**
 * License exceptions and end-user statuses (`exception`, `status`), lowered to
 * authorizations: their conditions, the caps they stay within and count toward, and
 * their requirements. Reports one that does not say which caps it counts toward.
 */
import type { AuthorizationClause, ExceptionDecl, StatusDecl } from "../ast.js";
import type { AuthorizationModel, SourceRef, WhenModel } from "../model.js";
import { whenModel } from "./conditions.js";
import type { CheckContext } from "./context.js";
import { citeText, put, str, unreachable } from "./util.js";

/** An `exception` or `status` declaration. */
export function checkAuthorization(cx: CheckContext, decl: ExceptionDecl | StatusDecl): void {
  const when: WhenModel[] = [];
  const within: string[] = [];
  const countsToward: string[] = [];
  let nothing = false;
  let said = false;
  const requires: { text: string; cite?: string; source: SourceRef }[] = [];
  let cite = citeText(decl.cite);
  for (const clause of decl.clauses as readonly AuthorizationClause[]) {
    switch (clause.kind) {
      case "WhenClause":
        when.push(whenModel(cx, clause.condition, clause.cite, clause.range, "rule"));
        break;
      case "WithinClause":
        for (const id of clause.caps) {
          const info = cx.resolve(id, ["cap"], "a cap");
          if (info) within.push(info.name);
        }
        break;
      case "CountsTowardClause":
        said = true;
        if (clause.nothing) nothing = true;
        for (const id of clause.caps) {
          const info = cx.resolve(id, ["cap"], "a cap");
          if (info) countsToward.push(info.name);
        }
        break;
      case "RequiresClause": {
        const text = str(clause.text);
        if (text !== undefined) {
          const requirement: (typeof requires)[number] = { text, source: cx.src(clause.range) };
          put(requirement, "cite", citeText(clause.cite));
          requires.push(requirement);
        }
        break;
      }
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
  const kind = decl.kind === "ExceptionDecl" ? "exception" : "status";
  if (!said && decl.name.kind === "Identifier" && !cx.hasSyntaxError(decl.range)) {
    cx.report("DF4010", decl.name.range, `${kind} \`${decl.name.name}\` does not say which caps it counts toward`, {
      help: "add `counts toward CAP, ...` or `counts toward nothing`",
    });
  }
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const model: AuthorizationModel = {
      kind,
      name: decl.name.name,
      when,
      within,
      countsToward: nothing ? [] : countsToward,
      countsTowardNothing: nothing && countsToward.length === 0,
      requires,
      source: cx.src(decl.range),
    };
    put(model, "title", decl.title?.value);
    put(model, "cite", cite);
    cx.authorizations.set(decl.name.name, model);
  }
}
