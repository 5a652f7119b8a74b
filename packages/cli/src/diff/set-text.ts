/**
 * The country set of an `in` condition written one canonical way, so that two versions of
 * a policy that only write a set differently (spacing, comments, the order of a literal's
 * members, redundant parentheses) compare equal in `diffuse diff`.
 *
 * The model keeps a set written inline (`tier2 - { AE }`) only as its text with whitespace
 * collapsed (`CountrySetRef.display`), which still holds comments and the members' order;
 * a line comment even swallows the rest of the set once its newline is gone. So the
 * condition's own source text is parsed again, and the set printed from its syntax tree.
 */
import { parse, type Cond, type SetExpr, type SetMember } from "@diffuse/language";

type InCond = Extract<Cond, { readonly kind: "in" }>;

export class CanonicalSets {
  readonly #sources: ReadonlyMap<string, string>;
  /** Canonical text by the condition's source text: policies repeat the same few sets. */
  readonly #memo = new Map<string, string>();

  constructor(sources: readonly { readonly uri: string; readonly text: string }[]) {
    this.#sources = new Map(sources.map((s) => [s.uri, s.text]));
  }

  /** The set of `c`: a group's name as is; an expression printed canonically. */
  text(c: InCond): string {
    if (c.set.group !== undefined) return c.set.display;
    const source = this.#sources.get(c.source.uri)?.slice(c.source.range.start, c.source.range.end);
    if (source === undefined) return c.set.display;
    let text = this.#memo.get(source);
    if (text === undefined) {
      text = parsedSet(source) ?? c.set.display;
      this.#memo.set(source, text);
    }
    return text;
  }
}

/** The canonical set of a condition's text (`destination not in { CN HK }`), or undefined when it does not parse as one. */
function parsedSet(condition: string): string | undefined {
  // The newline keeps a line comment at the end of the condition away from the brace.
  const parsed = parse(`class c { when ${condition}\n}`, "diffuse-diff:set");
  if (parsed.diagnostics.length > 0) return undefined;
  const decl = parsed.ast.declarations[0];
  const clause = decl?.kind === "ClassDecl" ? decl.clauses[0] : undefined;
  if (clause?.kind !== "WhenClause" || clause.condition.kind !== "InCondition") return undefined;
  return setText(clause.condition.set);
}

/** Left-associative operators of one precedence: only a compound right operand needs parentheses. */
function setText(e: SetExpr): string {
  switch (e.kind) {
    case "SetParen":
      return setText(e.inner);
    case "SetBinary": {
      const right = unparenthesized(e.right);
      return `${setText(e.left)} ${e.op} ${right.kind === "SetBinary" ? `(${setText(right)})` : setText(right)}`;
    }
    case "SetLiteral":
      return e.members.length === 0 ? "{}" : `{ ${e.members.map(memberText).sort().join(" ")} }`;
    case "AllCountries":
      return "all";
    case "GroupRef":
      return e.name.name;
    case "Missing":
      return "?";
    default: {
      const never: never = e;
      return String(never);
    }
  }
}

function unparenthesized(e: SetExpr): SetExpr {
  return e.kind === "SetParen" ? unparenthesized(e.inner) : e;
}

/** `KH from 2024-01-01 until 2026-02-03`; a member's citation is not part of the set. */
function memberText(m: SetMember): string {
  const from = m.from?.kind === "DateLiteral" ? ` from ${m.from.raw}` : "";
  const until = m.until?.kind === "DateLiteral" ? ` until ${m.until.raw}` : "";
  return `${m.country.code}${from}${until}`;
}
