/**
 * The policy header (`policy "..." { version ... effective ... }`) of the root file:
 * lowered to the model's header; a second header, a clause given twice, a missing version
 * or effective date, and an end date not after the effective date are reported.
 */
import type { PolicyDecl, PolicySetDecl, Range } from "../ast.js";
import type { PolicyHeader } from "../model.js";
import type { CheckContext } from "./context.js";
import type { ParsedFile } from "./program.js";
import { dateText } from "./quantities.js";
import { citeText, put, str, unreachable } from "./util.js";

/** `headers`: the root file's `policy` and `policyset` declarations, in source order. */
export function checkHeader(cx: CheckContext, root: ParsedFile, headers: readonly (PolicyDecl | PolicySetDecl)[]): void {
  cx.uri = root.uri;
  let seen = false;
  for (const decl of headers) {
    if (seen) {
      cx.report("DF4014", headerRange(decl), "this file already has a header", {
        help: "a file holds one `policy` or one `policyset`; move the other into its own file",
      });
      continue;
    }
    seen = true;
    if (decl.kind === "PolicyDecl") cx.header = lowerHeader(cx, decl);
  }
}

function headerRange(decl: PolicyDecl | PolicySetDecl): Range {
  return decl.title.kind === "StringLiteral"
    ? decl.title.range
    : { start: decl.range.start, end: Math.min(decl.range.end, decl.range.start + (decl.kind === "PolicyDecl" ? 6 : 9)) };
}

function lowerHeader(cx: CheckContext, decl: PolicyDecl): PolicyHeader {
  let version: string | undefined;
  let effective: { date: string; range: Range } | undefined;
  let until: { date: string; range: Range } | undefined;
  let compliance: string | undefined;
  let supersedes: { version: string; range: Range } | undefined;
  let cite = citeText(decl.cite);
  const once = new Map<string, Range>();
  const dup = (key: string, range: Range): boolean => {
    const first = once.get(key);
    if (first) {
      cx.report("DF4012", range, `the header already has \`${key}\``, {
        related: [{ uri: cx.uri, range: first, message: `first \`${key}\`` }],
        help: "keep one",
      });
      return true;
    }
    once.set(key, range);
    return false;
  };
  for (const clause of decl.clauses) {
    switch (clause.kind) {
      case "VersionClause":
        if (!dup("version", clause.range)) version = str(clause.value);
        break;
      case "EffectiveClause": {
        const d = dateText(cx, clause.date);
        if (!dup("effective", clause.range) && d && clause.date.kind === "DateLiteral") effective = { date: d, range: clause.date.range };
        break;
      }
      case "UntilClause": {
        const d = dateText(cx, clause.date);
        if (!dup("until", clause.range) && d && clause.date.kind === "DateLiteral") until = { date: d, range: clause.date.range };
        break;
      }
      case "ComplianceClause": {
        const d = dateText(cx, clause.date);
        if (!dup("compliance", clause.range) && d) compliance = d;
        break;
      }
      case "SupersedesClause":
        if (!dup("supersedes", clause.range) && clause.version.kind === "StringLiteral")
          supersedes = { version: clause.version.value, range: clause.version.range };
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
  const at = headerRange(decl);
  // What the header lacks is reported once it parses (see `hasSyntaxError`).
  const complete = !cx.hasSyntaxError(decl.range);
  if (complete && version === undefined && !once.has("version")) {
    cx.report("DF4001", at, "the policy header has no `version`", { help: 'add `version "..."` inside the header block' });
  }
  if (complete && effective === undefined && !once.has("effective")) {
    cx.report("DF4001", at, "the policy header has no `effective` date", { help: "add `effective YYYY-MM-DD` inside the header block" });
  }
  if (effective && until && until.date <= effective.date) {
    cx.report("DF4002", until.range, `\`until\` ${until.date} is not after \`effective\` ${effective.date}`, {
      help: "`until` is the exclusive end of the policy: it must come after `effective`",
      related: [{ uri: cx.uri, range: effective.range, message: "effective date" }],
    });
  }
  if (supersedes && supersedes.version === version) {
    cx.report("DF4020", supersedes.range, `version \`${version}\` supersedes itself`, {
      help: '`supersedes` names the version this one replaces (an earlier one, e.g. `supersedes "2024-10"`); remove the clause if it replaces none',
    });
  }
  cx.effective = effective?.date;
  const header: PolicyHeader = { title: str(decl.title) ?? "", version: version ?? "", effective: effective?.date ?? "", source: cx.src(decl.range) };
  put(header, "until", until?.date);
  put(header, "compliance", compliance);
  put(header, "supersedes", supersedes?.version);
  put(header, "cite", cite);
  return header;
}
