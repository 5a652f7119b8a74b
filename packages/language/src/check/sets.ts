/**
 * Country groups and set expressions: a group's value (memoized; a group defined in
 * terms of itself is reported), set literals (unknown country codes, a country listed
 * twice, member dates out of order), set algebra, the set an `in` condition tests, and
 * `disjoint` declarations (groups that overlap).
 */
import type { DisjointDecl, GroupDecl, Identifier, Range, SetExpr, SetLiteral, SetMember } from "../ast.js";
import { COUNTRY_CODES, countryAlias, countryName, isCountryCode } from "../countries.js";
import type { CountrySetRef, GroupModel, MembershipInterval, SourceRef } from "../model.js";
import type { CheckContext, Extra } from "./context.js";
import { previousDay } from "./dates.js";
import {
  BEGIN,
  END,
  EMPTY,
  LazyMembers,
  SetBuilder,
  countries,
  difference,
  everything,
  intersection,
  isEmpty,
  spansOf,
  union,
  type DatedSet,
  type Span,
} from "./intervals.js";
import { dateText } from "./quantities.js";
import { closest } from "./suggest.js";
import { MAX_DEPTH, citeText, unreachable } from "./util.js";

/** The span of a member without `from` or `until`. */
const ALWAYS_SPAN: Span = Object.freeze([BEGIN, END] as const);

/** A `group` declaration: its value worked out now (problems reported), its model's membership on first read. */
export function checkGroup(cx: CheckContext, decl: GroupDecl): void {
  const members = groupMembership(cx, decl, cx.uri);
  if (decl.name.kind === "Identifier" && cx.isPrimary(decl)) {
    const group = new LazyGroupModel(decl.name.name, decl.title?.value, citeText(decl.cite), members, cx.src(decl.range));
    cx.groups.set(decl.name.name, group);
  }
}

/** The group's value now (its diagnostics are reported here); its membership intervals on first read. */
function groupMembership(cx: CheckContext, decl: GroupDecl, uri: string): LazyMembers {
  let m = cx.groupMembers.get(decl);
  if (!m) {
    m = new LazyMembers(groupValue(cx, decl, uri));
    cx.groupMembers.set(decl, m);
  }
  return m;
}

/**
 * Evaluates a group once (memoized); a group that refers back to itself is reported (at the
 * reference `via`) and empty. `uri` is the file that declares the group (its own
 * diagnostics go there).
 */
function groupValue(cx: CheckContext, decl: GroupDecl, uri: string, via?: Identifier): DatedSet {
  const memo = cx.groupValues.get(decl);
  if (memo === "pending") {
    if (via) {
      cx.report("DF2008", via.range, `group \`${via.name}\` is defined in terms of itself`, {
        help: "a group's value cannot depend on the group; remove the reference",
      });
    }
    return EMPTY;
  }
  if (memo) return memo;
  cx.groupValues.set(decl, "pending");
  const saved = cx.uri;
  cx.uri = uri;
  const value = setValue(cx, decl.value, 0);
  cx.uri = saved;
  cx.groupValues.set(decl, value);
  return value;
}

function allCountries(cx: CheckContext): DatedSet {
  cx.allSet ??= everything();
  return cx.allSet;
}

/** Evaluates a set expression. Left-nested chains (`a + b + c ...`) are walked without recursion. */
function setValue(cx: CheckContext, expr: SetExpr, depth: number): DatedSet {
  if (depth > MAX_DEPTH) {
    return EMPTY; // the parser bounds nesting (and reports it); this only guards hand-built trees
  }
  const chain: { op: "+" | "-" | "&"; right: SetExpr }[] = [];
  let left: SetExpr = expr;
  while (left.kind === "SetBinary") {
    chain.push({ op: left.op, right: left.right });
    left = left.left;
  }
  let value = setTerm(cx, left, depth);
  for (let i = chain.length - 1; i >= 0; i--) {
    const step = chain[i];
    if (!step) continue;
    const right = setValue(cx, step.right, depth + 1);
    value = step.op === "+" ? union(value, right) : step.op === "-" ? difference(value, right) : intersection(value, right);
  }
  return value;
}

/**
 * `destination in US`, `all - GB`: an undeclared name in a set expression that is a country
 * code is the country without its braces, not a misspelt group (the closest group name,
 * `us`, would be the wrong advice).
 */
function countryWithoutBraces(id: Identifier): Extra | undefined {
  const name = countryName(id.name);
  if (name === undefined) return undefined;
  const literal = `{ ${id.name} }`;
  return {
    help: `\`${id.name}\` (${name}) is a country code: a set of countries is written in braces, \`${literal}\``,
    fixes: [{ title: `write \`${literal}\``, edits: [{ range: id.range, newText: literal }] }],
  };
}

function setTerm(cx: CheckContext, expr: SetExpr, depth: number): DatedSet {
  switch (expr.kind) {
    case "SetLiteral":
      return setLiteral(cx, expr);
    case "AllCountries":
      return allCountries(cx);
    case "GroupRef": {
      const info = cx.resolve(expr.name, ["group"], "a group", countryWithoutBraces);
      return info && info.node.kind === "GroupDecl" ? groupValue(cx, info.node, info.uri, expr.name) : EMPTY;
    }
    case "SetParen":
      return setValue(cx, expr.inner, depth + 1);
    case "SetBinary":
      return setValue(cx, expr, depth + 1);
    case "Missing":
      return EMPTY;
    default:
      return unreachable(expr);
  }
}

function setLiteral(cx: CheckContext, lit: SetLiteral): DatedSet {
  const out = new SetBuilder();
  // Each member's span, for finding the one a duplicate repeats (rare: only when `out` listed the code before).
  const spans: Span[] = [];
  let previousEnd = lit.range.start + 1;
  const members = lit.members;
  for (let m = 0; m < members.length; m++) {
    const member = members[m] as SetMember;
    const code = member.country.code;
    const range = member.country.range;
    if (cx.sink.indexes(cx, cx.uri)) cx.sink.countries.add(cx.uri, member.country, undefined);
    const from = member.from ? dateText(cx, member.from) : undefined;
    const until = member.until ? dateText(cx, member.until) : undefined;
    if (from && until && from >= until && member.until?.kind === "DateLiteral") {
      cx.report("DF4002", member.until.range, `\`until\` ${until} is not after \`from\` ${from}`, {
        help: "`from` is inclusive and `until` exclusive: the member would never be in the set",
      });
    }
    const span: Span = from === undefined && until === undefined ? ALWAYS_SPAN : [from ?? BEGIN, until ?? END];
    spans.push(span);
    const memberEnd = member.range.end;
    if (!isCountryCode(code)) {
      // Anything but two capital letters is a syntax error the parser already reported.
      if (!/^[A-Z]{2}$/.test(code)) {
        previousEnd = memberEnd;
        continue;
      }
      const alias = countryAlias(code);
      const suggestion = alias ?? closest(code, COUNTRY_CODES);
      cx.report("DF2002", range, `unknown country code \`${code}\``, {
        help: suggestion
          ? `did you mean \`${suggestion}\` (${countryName(suggestion) ?? suggestion})?`
          : "country codes are ISO 3166-1 alpha-2 (or `XK` for Kosovo)",
        ...(suggestion ? { fixes: [{ title: `change to \`${suggestion}\``, edits: [{ range, newText: suggestion }] }] } : {}),
      });
      previousEnd = memberEnd;
      continue;
    }
    const clash = out.listed(code) ? earlierMember(members, spans, m, span) : undefined;
    if (clash) {
      cx.report("DF4009", range, `\`${code}\` (${countryName(code) ?? code}) is listed twice in this set`, {
        help: "remove the duplicate",
        related: [{ uri: cx.uri, range: clash.range, message: `\`${code}\` is first listed here` }],
        fixes: [{ title: "remove duplicate", edits: [{ range: { start: previousEnd, end: memberEnd }, newText: "" }] }],
      });
    }
    out.add(code, span);
    previousEnd = memberEnd;
  }
  return out.done();
}

/** The first member before `m` that lists the same country for an overlapping span. */
function earlierMember(members: readonly SetMember[], spans: readonly Span[], m: number, span: Span): { range: Range } | undefined {
  const code = (members[m] as SetMember).country.code;
  for (let j = 0; j < m; j++) {
    const other = members[j] as SetMember;
    const s = spans[j];
    if (other.country.code === code && s && s[0] < span[1] && span[0] < s[1]) return { range: other.country.range };
  }
  return undefined;
}

/** The set an `in` condition tests: a named group shares the group's membership; any other expression is evaluated here. */
export function setRef(cx: CheckContext, expr: SetExpr): CountrySetRef {
  let inner: SetExpr = expr;
  while (inner.kind === "SetParen") inner = inner.inner;
  if (inner.kind === "GroupRef") {
    const info = cx.resolve(inner.name, ["group"], "a group", countryWithoutBraces);
    if (info && info.node.kind === "GroupDecl") {
      const saved = cx.uri;
      const members = groupMembership(cx, info.node, info.uri);
      cx.uri = saved;
      return new GroupSetRef(info.name, inner.name.name, members);
    }
    return { display: inner.name.kind === "Identifier" ? inner.name.name : "", members: [] };
  }
  return new ExpressionSetRef(cx.text(expr.range), new LazyMembers(setValue(cx, expr, 0)));
}

/*
 * The lazily read parts of groups and set references are getters on a class's prototype,
 * not getters in object literals: V8 gives every object made by a literal with a getter a
 * dictionary of its own (thousands per large policy, one per `in` condition), slower to
 * make and to read.
 */

/** A group's model; its membership intervals are worked out on first read. */
class LazyGroupModel implements GroupModel {
  readonly #members: LazyMembers;

  constructor(
    readonly name: string,
    readonly title: string | undefined,
    readonly cite: string | undefined,
    members: LazyMembers,
    readonly source: SourceRef,
  ) {
    this.#members = members;
  }

  get members(): readonly MembershipInterval[] {
    return this.#members.get();
  }
}

/** An `in` condition's set that names a group: the group's membership, shared. */
class GroupSetRef implements CountrySetRef {
  readonly #members: LazyMembers;

  constructor(
    readonly group: string,
    readonly display: string,
    members: LazyMembers,
  ) {
    this.#members = members;
  }

  get members(): readonly MembershipInterval[] {
    return this.#members.get();
  }
}

/** A comment in a set expression (which holds no strings, so `//` and `/*` always start one). */
const COMMENT = /\/\/[^\n\r]*|\/\*[\s\S]*?(?:\*\/|$)/g;

/** An `in` condition's set written as an expression (`tier2 - { CN }`, `{ US }`). */
class ExpressionSetRef implements CountrySetRef {
  readonly #text: string;
  readonly #members: LazyMembers;
  #display: string | undefined;

  constructor(text: string, members: LazyMembers) {
    this.#text = text;
    this.#members = members;
  }

  /** The expression's text on one line without its comments, on first read: most sets are never displayed. */
  get display(): string {
    this.#display ??= this.#text.replace(COMMENT, " ").replace(/\s+/g, " ");
    return this.#display;
  }

  get members(): readonly MembershipInterval[] {
    return this.#members.get();
  }
}

/** A `disjoint` declaration: every two of its groups must have no country in common on any date. */
export function checkDisjoint(cx: CheckContext, decl: DisjointDecl): void {
  const groups: { id: Identifier; decl: GroupDecl; uri: string }[] = [];
  for (const id of decl.groups) {
    const info = cx.resolve(id, ["group"], "a group");
    if (info && info.node.kind === "GroupDecl" && id.kind === "Identifier") groups.push({ id, decl: info.node, uri: info.uri });
  }
  cx.disjoint.push({ groups: groups.map((g) => g.id.name), source: cx.src(decl.range) });
  // A group whose declaration has a syntax error has no value to compare yet (`all - tier1 -`).
  const parsed = groups.filter((g) => !cx.hasSyntaxError(g.decl.range, g.uri));
  for (let j = 1; j < parsed.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = parsed[i];
      const b = parsed[j];
      if (!a || !b || a.decl === b.decl) continue;
      const saved = cx.uri;
      const both = intersection(groupValue(cx, a.decl, a.uri), groupValue(cx, b.decl, b.uri));
      cx.uri = saved;
      if (isEmpty(both)) continue;
      const shared = countries(both);
      const country = shared[0] as string;
      const span = spansOf(both, country)[0] ?? ([BEGIN, END] as Span);
      const when = overlapDate(cx, span);
      const more =
        shared.length > 1
          ? ` (and ${shared.length - 1} more: ${shared
              .slice(1, 6)
              .map((c) => `\`${c}\``)
              .join(", ")}${shared.length > 6 ? ", ..." : ""})`
          : "";
      cx.report("DF4003", b.id.range, `\`${a.id.name}\` and \`${b.id.name}\` overlap: \`${country}\` (${countryName(country) ?? country}) is in both ${when}`, {
        help: `remove \`${country}\` from one of the groups, or date its membership with \`from\`/\`until\`${more}`,
        related: [{ uri: cx.uri, range: a.id.range, message: `\`${a.id.name}\` is declared disjoint from \`${b.id.name}\` here` }],
      });
    }
  }
}

function overlapDate(cx: CheckContext, [from, until]: Span): string {
  if (from !== BEGIN) return `on ${from}`;
  if (cx.effective && cx.effective < until) return `on ${cx.effective}`;
  if (until !== END) return `on ${previousDay(until)}`;
  return "on every date";
}
