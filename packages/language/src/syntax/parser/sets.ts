/**
 * SetRules, a layer of the parser's class chain (see ../parser.ts): country set
 * expressions (set literals with dated members, group names, `all`, parentheses and
 * `+ - &` algebra) and the declarations about groups: `group` and `disjoint`.
 */
import { EOF, type IToken } from "chevrotain";
import type { DisjointDecl, GroupDecl, SetExpr, SetLiteral, SetMember } from "../../ast.js";
import { countryName } from "../../countries.js";
import * as T from "../tokens.js";
import { makeRange } from "../range.js";
import { QuantityRules } from "./quantities.js";
import { describeToken, endOf, finite, quotedText } from "./token-text.js";
import { KEYWORD_SET } from "./recovery.js";
import { EXPECT } from "./args.js";

/** Two uppercase ASCII letters. */
function isCountryShape(s: string): boolean {
  if (s.length !== 2) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/** What to write instead of `word` in a set literal: the code it spells in lowercase, or the group outside the braces. */
function notACountryHelp(word: string): string {
  const upper = word.toUpperCase();
  const name = upper.length === 2 ? countryName(upper) : undefined;
  if (name !== undefined) return `did you mean \`${upper}\` (${name})? country codes are uppercase`;
  return /^[a-z_]/.test(word) || word.length > 2
    ? `a set literal lists two-letter country codes; to use the group \`${word}\`, write it outside the braces: \`${word} + { ... }\``
    : "country codes are two uppercase letters (ISO 3166-1 alpha-2), such as `US`";
}

export abstract class SetRules extends QuantityRules {
  readonly setExpr = this.RULE(
    "setExpr",
    (): SetExpr => {
      let left = this.sub(0, this.setTerm);
      if (!this.RECORDING_PHASE) {
        // Most set expressions are one term: skip the repetition's closure.
        const next = this.LA(1).tokenType;
        if (next !== T.Plus && next !== T.Minus && next !== T.Ampersand) return left;
      }
      this.many(0, () => {
        const opTok = this.or(
          0,
          this.cached(1, () => [{ ALT: () => this.consume(0, T.Plus) }, { ALT: () => this.consume(0, T.Minus) }, { ALT: () => this.consume(0, T.Ampersand) }]),
        );
        const right = this.sub(1, this.setTerm);
        const op = opTok.image === "+" ? "+" : opTok.image === "-" ? "-" : "&";
        const start = left.range.start;
        left = {
          kind: "SetBinary",
          op,
          left,
          right,
          range: {
            start,
            end: Math.max(start, right.range.end, this.prevEnd()),
          },
        };
      });
      return left;
    },
    { recoveryValueFunc: this.missingValue("a set of countries") },
  );

  readonly setTerm = this.RULE(
    "setTerm",
    (): SetExpr =>
      this.or<SetExpr>(
        0,
        this.cached<SetExpr>(2, () => [
          { ALT: () => this.sub(0, this.setLiteral) },
          {
            ALT: () => {
              const name = this.identifier(this.consume(0, T.Identifier));
              return { kind: "GroupRef", name, range: name.range };
            },
          },
          {
            ALT: () => ({
              kind: "AllCountries",
              range: this.tokenRange(this.consume(0, T.All)),
            }),
          },
          {
            ALT: () => {
              const open = this.consume(0, T.LParen);
              const start = this.startOf(open);
              const inner = this.sub(0, this.setExpr);
              this.expectToken(101, T.RParen, "`)`");
              return { kind: "SetParen", inner, range: this.span(start) };
            },
          },
          {
            ALT: () => this.missing("a set of countries (`{ US CA }`, a group name or `all`)"),
          },
        ]),
      ),
    { recoveryValueFunc: this.missingValue("a set of countries") },
  );

  readonly setLiteral = this.RULE("setLiteral", (): SetLiteral => {
    const open = this.consume(0, T.LBrace);
    const start = this.startOf(open);
    const members: SetMember[] = [];
    for (;;) {
      this.many(0, () => {
        members.push(this.sub(0, this.setMember));
      });
      if (this.RECORDING_PHASE || !(this.quotedCountries(members) || this.skipInSet())) break;
    }
    this.expectClose(100, open, "the set");
    return { kind: "SetLiteral", members, range: this.span(start) };
  });

  /**
   * Country codes in quotes (`{ 'US' }`, `{ "GB FR" }`, as in a spreadsheet or a JSON
   * list): reported once and read as the countries, so the group has its members and
   * nothing downstream (overlaps, membership) is checked without them. Only when every
   * word in the quotes is shaped like a country code; anything else is skipped.
   */
  private quotedCountries(members: SetMember[]): boolean {
    const token = this.LA(1);
    const type = token.tokenType;
    if (type !== T.SingleQuotedString && type !== T.TerminatedString) return false;
    const body = quotedText(token);
    const codes = [...body.matchAll(/[^\s,]+/g)];
    if (codes.length === 0 || !codes.every((m) => isCountryShape(m[0]))) return false;
    const help = `country codes are written without quotes: \`${body}\``;
    if (type === T.SingleQuotedString) this.singleQuotes(token, help);
    else this.report("DF1003", `unexpected string ${describeToken(token)} in a set of countries`, this.tokenRange(token), help);
    this.SKIP_TOKEN();
    this.lastMissingAt = this.currentIndex();
    for (const m of codes) {
      const range = makeRange(token.startOffset + 1 + m.index, token.startOffset + 1 + m.index + m[0].length);
      members.push({ kind: "SetMember", country: { kind: "CountryCode", code: m[0], range }, from: undefined, until: undefined, cite: undefined, range });
    }
    return true;
  }

  /** Skips non-country tokens inside `{ ... }` (numbers, strings, commas); stops at any keyword. */
  private skipInSet(): boolean {
    const first = this.LA(1);
    const isStop = (t: IToken): boolean =>
      t.tokenType === EOF || t.tokenType === T.RBrace || t.tokenType === T.RParen || t.tokenType === T.LBrace || KEYWORD_SET.has(t.tokenType);
    if (isStop(first) || first.tokenType === T.Identifier) return false;
    let last = first;
    while (!isStop(this.LA(1)) && this.LA(1).tokenType !== T.Identifier) {
      last = this.LA(1);
      this.SKIP_TOKEN();
    }
    const start = this.startOf(first);
    const end = finite(last.startOffset) ? endOf(last) : start;
    const help =
      first.tokenType === T.Comma
        ? "countries in a set are separated by spaces, not commas: `{ US CA }`"
        : "a set literal lists country codes separated by spaces, such as `{ US CA }`";
    if (first !== this.lastMissingToken)
      this.report("DF1003", `unexpected ${describeToken(first)} in a set of countries`, makeRange(start, Math.max(start, end)), help);
    this.lastMissingAt = this.currentIndex();
    return this.LA(1).tokenType === T.Identifier;
  }

  readonly setMember = this.RULE("setMember", (): SetMember => {
    const tok = this.consume(0, T.Identifier);
    const range = this.tokenRange(tok);
    if (!this.RECORDING_PHASE && !isCountryShape(tok.image)) {
      this.report("DF1004", `\`${tok.image}\` is not a country code`, range, notACountryHelp(tok.image));
    }
    const from = this.optionAt(0, T.From, () => {
      this.consume(0, T.From);
      return this.leaf(0, this.date, this.dateBody, EXPECT.date);
    });
    const until = this.optionAt(1, T.Until, () => {
      this.consume(0, T.Until);
      return this.leaf(1, this.date, this.dateBody, EXPECT.date);
    });
    const cite = this.optionalCite();
    return {
      kind: "SetMember",
      country: { kind: "CountryCode", code: tok.image, range },
      from,
      until,
      cite,
      range: from || until || cite ? this.span(range.start) : range,
    };
  });

  readonly groupDecl = this.RULE("groupDecl", (): GroupDecl => {
    const kw = this.consume(0, T.Group);
    const start = this.startOf(kw);
    const name = this.leaf(0, this.name, this.declarationNameBody, EXPECT.groupName);
    const early = this.optionalString(220);
    const cite = this.optionalCite();
    const title = this.titleAfterCite(name, early, cite);
    this.expectToken(100, T.Equals, "`=`");
    const value = this.sub(0, this.setExpr);
    return { kind: "GroupDecl", name, title, cite, value, range: this.span(start) };
  });

  readonly disjointDecl = this.RULE("disjointDecl", (): DisjointDecl => {
    const kw = this.consume(0, T.Disjoint);
    const start = this.startOf(kw);
    const groups = this.sub(0, this.nameList, EXPECT.groupName);
    const cite = this.optionalCite();
    return { kind: "DisjointDecl", groups, cite, range: this.span(start) };
  });
}
