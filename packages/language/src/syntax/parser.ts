/**
 * The Diffuse parser: one chevrotain `EmbeddedActionsParser` that builds the AST of
 * ast.ts directly (no CST, for speed), reused for every parse (`parser.input = tokens`).
 * The grammar is LL(1): chevrotain validates it with `maxLookahead: 1`.
 *
 * Recovery strategy. The grammar is written so that no rule ever throws:
 * - every token or sub-rule after the first token of a production is optional in the
 *   chevrotain grammar (an `OPTION`, or an `OR` whose last alternative is empty); when it
 *   is absent the parser builds an explicit `Missing` node with an empty range where it was
 *   expected and reports DF1001 (at most one per position, so one mistake is one error);
 * - tokens that fit nowhere inside a block are skipped up to the next clause, the closing
 *   `}` or the next declaration, and reported once per run as DF1003 (`skipUnexpected`).
 * Chevrotain's own recovery stays enabled as a safety net (a rule that still throws returns
 * a `Missing` / `ErrorClause` value), but its in-repetition re-sync is switched off: it may
 * rescan the rest of the input at every error, which is quadratic on hostile input.
 */
import {
  EOF,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import type {
  AuthorizationClause,
  CapClause,
  CapDecl,
  CapKey,
  Citation,
  ClassClause,
  ClassDecl,
  CompareOp,
  Condition,
  DateLiteral,
  DecideDecl,
  Declaration,
  DisjointDecl,
  ErrorClause,
  ExceptionDecl,
  GroupDecl,
  Identifier,
  ImportDecl,
  ItemClause,
  ItemDecl,
  KeyPart,
  Measure,
  Missing,
  ModelClause,
  ModelDecl,
  NoteClause,
  PolicyClause,
  PolicyDecl,
  PolicySetDecl,
  Quantity,
  QuantityExpr,
  Range,
  Review,
  ReviewCase,
  Rule,
  ScheduleStep,
  SetExpr,
  SetLiteral,
  SetMember,
  StatusDecl,
  StringLiteral,
  UnitKeyword,
  UseClause,
  WhenClause,
  Window,
} from "../ast.js";
import * as T from "./tokens.js";
import { makeRange } from "./range.js";
import { MAX_NESTING, type Mutable, ParserBase } from "./parser/base.js";
import { describeToken, endOf, finite } from "./parser/token-text.js";
import {
  AUTH_BLOCK,
  CAP_BLOCK,
  CLASS_BLOCK,
  DECIDE_BLOCK,
  ITEM_BLOCK,
  KEYWORD_SET,
  MODEL_BLOCK,
  POLICY_BLOCK,
  POLICYSET_BLOCK,
  REVIEW_BLOCK,
  SCHEDULE_BLOCK,
  TOP_LEVEL,
} from "./parser/recovery.js";
import {
  ARGS_0,
  ARGS_1,
  ARGS_2,
  ARGS_3,
  ARGS_4,
  ARGS_5,
  ARGS_6,
  ARGS_7,
  ARGS_8,
  ARGS_9,
  ARGS_10,
  ARGS_11,
  ARGS_12,
  ARGS_13,
  ARGS_14,
  ARGS_15,
  ARGS_16,
  ARGS_17,
  ARGS_18,
  ARGS_19,
  ARGS_20,
  ARGS_21,
  ARGS_22,
  ARGS_23,
  ARGS_24,
  ARGS_25,
  ARGS_26,
  ARGS_27,
  ARGS_28,
} from "./parser/args.js";

const COMPARE_OPS: ReadonlyMap<TokenType, CompareOp> = new Map([
  [T.Less, "<"],
  [T.LessEqual, "<="],
  [T.Greater, ">"],
  [T.GreaterEqual, ">="],
  [T.Equals, "="],
  [T.NotEqual, "!="],
]);

type ReviewPolicyName = "presumption-of-approval" | "presumption-of-denial";

/** Two uppercase ASCII letters. */
function isCountryShape(s: string): boolean {
  if (s.length !== 2) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

type QuantitySuffix =
  | { readonly tag: "item"; readonly item: Identifier | Missing }
  | {
      readonly tag: "percent";
      readonly range: Range;
      readonly ofCapacity: boolean;
    }
  | { readonly tag: "unit"; readonly unit: UnitKeyword; readonly range: Range }
  | { readonly tag: "none" };

export class DiffuseParser extends ParserBase {
  constructor() {
    super();
    this.performSelfAnalysis();
    // See the module comment: chevrotain's in-repetition re-sync is replaced by skipUnexpected.
    Reflect.set(this, "attemptInRepetitionRecovery", () => undefined);
  }

  // -------------------------------------------------------------------------
  // Small shared rules

  /** A name where one is required. */
  readonly name = this.RULE("name", (expected: string) => this.nameBody(expected), { recoveryValueFunc: this.missingValue("a name") });

  private nameBody(expected: string): Identifier | Missing {
    const tok = this.optToken(0, 0, T.Identifier);
    if (tok) return this.identifier(tok);
    return this.keywordAsName(expected) ?? this.missingLiteral(expected, false);
  }

  readonly string = this.RULE("string", (expected: string) => this.stringBody(expected), { recoveryValueFunc: this.missingValue("a string") });

  private stringBody(expected: string): StringLiteral | Missing {
    const tok = this.optToken(0, 0, T.StringLiteral);
    return tok ? this.stringLiteral(tok) : this.missingLiteral(expected, true);
  }

  readonly date = this.RULE("date", (expected: string) => this.dateBody(expected), { recoveryValueFunc: this.missingValue("a date") });

  private dateBody(expected: string): DateLiteral | Missing {
    const tok = this.optToken(0, 0, T.DateLiteral);
    return tok ? this.dateLiteral(tok) : this.missingLiteral(expected, true);
  }

  readonly cite = this.RULE("cite", (): Citation => {
    const kw = this.consume(0, T.Cite);
    const start = this.startOf(kw);
    const text = this.leaf(0, this.string, this.stringBody, ARGS_0);
    return { kind: "Citation", text, range: this.span(start) };
  });

  /** `NAME { "," NAME }` */
  readonly nameList = this.RULE(
    "nameList",
    (expected: string): (Identifier | Missing)[] => {
      const names: (Identifier | Missing)[] = [
        this.leaf(0, this.name, this.nameBody, { ARGS: [expected] }),
      ];
      if (!this.RECORDING_PHASE && this.LA(1).tokenType !== T.Comma) return names;
      this.many(0, () => {
        this.consume(0, T.Comma);
        names.push(this.leaf(1, this.name, this.nameBody, { ARGS: [expected] }));
      });
      return names;
    },
  );

  readonly note = this.RULE("note", (): NoteClause => {
    const kw = this.consume(0, T.Note);
    const start = this.startOf(kw);
    const text = this.leaf(0, this.string, this.stringBody, ARGS_1);
    const cite = this.optionalCite();
    return this.withCite(
      { kind: "NoteClause", text, range: this.span(start) },
      cite,
    );
  });

  readonly when = this.RULE(
    "when",
    (): WhenClause => {
      const kw = this.consume(0, T.When);
      const start = this.startOf(kw);
      const condition = this.sub(0, this.condition);
      const cite = this.optionalCite();
      return this.withCite(
        { kind: "WhenClause", condition, range: this.span(start) },
        cite,
      );
    },
    {
      recoveryValueFunc: (): WhenClause => ({
        kind: "WhenClause",
        condition: this.missingValue("a condition")(),
        range: this.span(this.prevEnd()),
      }),
    },
  );

  /** An optional trailing `cite "..."` (the same shortcut as `optToken`: the rule starts with `cite`). */
  private optionalCite(): Citation | undefined {
    if (this.RECORDING_PHASE) return this.option(200, () => this.sub(50, this.cite));
    return this.LA(1).tokenType === T.Cite ? this.sub(50, this.cite) : undefined;
  }

  readonly citeClause = this.RULE("citeClause", () => {
    const cite = this.sub(0, this.cite);
    return { kind: "CiteClause" as const, cite, range: cite.range };
  });

  // -------------------------------------------------------------------------
  // Quantities

  readonly quantity = this.RULE(
    "quantity",
    (expected: string): QuantityExpr => {
      const numTok = this.optToken(0, 0, T.NumberLiteral);
      if (!numTok) return this.missingLiteral(expected, true);
      const value = this.numberLiteral(numTok);
      const start = value.range.start;
      const suffix = this.or<QuantitySuffix>(
        1,
        this.cached<QuantitySuffix>(20, () => [
          {
            ALT: () => {
              this.consume(0, T.X);
              return {
                tag: "item",
                item: this.leaf(0, this.name, this.nameBody, ARGS_2),
              };
            },
          },
          {
            ALT: () => {
              const pct = this.consume(0, T.Percent);
              const ofCapacity = this.optionAt(1, T.Of, () => {
                this.consume(0, T.Of);
                this.expectToken(103, T.Capacity, "`capacity`");
                return true;
              });
              return {
                tag: "percent",
                range: this.tokenRange(pct),
                ofCapacity: ofCapacity === true,
              };
            },
          },
          { ALT: () => ({ tag: "unit", ...this.sub(0, this.unit) }) },
          { ALT: () => ({ tag: "none" }) },
        ]),
      );
      switch (suffix.tag) {
        case "item":
          return {
            kind: "ItemMultiple",
            count: value,
            item: suffix.item,
            range: this.span(start),
          };
        case "percent": {
          const percent: Quantity = {
            kind: "Quantity",
            value,
            unit: "percent",
            unitRange: suffix.range,
            range: makeRange(start, Math.max(start, suffix.range.end)),
          };
          return suffix.ofCapacity
            ? { kind: "PercentOfCapacity", percent, range: this.span(start) }
            : percent;
        }
        case "unit":
          return {
            kind: "Quantity",
            value,
            unit: suffix.unit,
            unitRange: suffix.range,
            range: this.span(start),
          };
        case "none":
          return { kind: "Quantity", value, unit: "count", range: value.range };
        default: {
          // Only reached during grammar recording, where alternatives return placeholders.
          const _recording: never = suffix;
          return { kind: "Quantity", value, unit: "count", range: value.range };
        }
      }
    },
    { recoveryValueFunc: this.missingValue("a quantity") },
  );

  readonly unit = this.RULE("unit", (): { unit: UnitKeyword; range: Range } => {
    const tok = this.or(
      0,
      this.cached(0, () => [
        { ALT: () => this.consume(0, T.TppUnit) },
        { ALT: () => this.consume(0, T.Units) },
        { ALT: () => this.consume(0, T.Ops) },
        { ALT: () => this.consume(0, T.Days) },
        { ALT: () => this.consume(0, T.Months) },
        { ALT: () => this.consume(0, T.Years) },
      ]),
    );
    const image = tok.image;
    const unit: UnitKeyword =
      image === "TPP"
        ? "TPP"
        : image === "units"
          ? "units"
          : image === "ops"
            ? "ops"
            : image === "days"
              ? "days"
              : image === "months"
                ? "months"
                : "years";
    return { unit, range: this.tokenRange(tok) };
  });

  // -------------------------------------------------------------------------
  // Country sets

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
          this.cached(1, () => [
            { ALT: () => this.consume(0, T.Plus) },
            { ALT: () => this.consume(0, T.Minus) },
            { ALT: () => this.consume(0, T.Ampersand) },
          ]),
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
            ALT: () =>
              this.missing(
                "a set of countries (`{ US CA }`, a group name or `all`)",
              ),
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
      if (this.RECORDING_PHASE || !this.skipInSet()) break;
    }
    this.expectClose(100, open, "the set");
    return { kind: "SetLiteral", members, range: this.span(start) };
  });

  /** Skips non-country tokens inside `{ ... }` (numbers, strings, commas); stops at any keyword. */
  private skipInSet(): boolean {
    const first = this.LA(1);
    const isStop = (t: IToken): boolean =>
      t.tokenType === EOF ||
      t.tokenType === T.RBrace ||
      t.tokenType === T.RParen ||
      t.tokenType === T.LBrace ||
      KEYWORD_SET.has(t.tokenType);
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
      this.report(
        "DF1003",
        `unexpected ${describeToken(first)} in a set of countries`,
        makeRange(start, Math.max(start, end)),
        help,
      );
    this.lastMissingAt = this.currentIndex();
    return this.LA(1).tokenType === T.Identifier;
  }

  readonly setMember = this.RULE("setMember", (): SetMember => {
    const tok = this.consume(0, T.Identifier);
    const range = this.tokenRange(tok);
    if (!this.RECORDING_PHASE && !isCountryShape(tok.image)) {
      this.report(
        "DF1004",
        `\`${tok.image}\` is not a country code`,
        range,
        /^[a-z_]/.test(tok.image) || tok.image.length > 2
          ? `a set literal lists two-letter country codes; to use the group \`${tok.image}\`, write it outside the braces: \`${tok.image} + { ... }\``
          : "country codes are two uppercase letters (ISO 3166-1 alpha-2), such as `US`",
      );
    }
    const member: Mutable<SetMember> = {
      kind: "SetMember",
      country: { kind: "CountryCode", code: tok.image, range },
      range,
    };
    this.optionAt(0, T.From, () => {
      this.consume(0, T.From);
      member.from = this.leaf(0, this.date, this.dateBody, ARGS_3);
    });
    this.optionAt(1, T.Until, () => {
      this.consume(0, T.Until);
      member.until = this.leaf(1, this.date, this.dateBody, ARGS_4);
    });
    const cite = this.optionalCite();
    if (cite) member.cite = cite;
    if (member.from || member.until || cite)
      member.range = this.span(range.start);
    return member;
  });

  // -------------------------------------------------------------------------
  // Conditions

  readonly condition = this.RULE(
    "condition",
    (): Condition => {
      const first = this.sub(0, this.andCondition);
      // Most conditions have no `or`: skip the repetition's closure and array (not while recording).
      if (!this.RECORDING_PHASE && this.LA(1).tokenType !== T.Or) return first;
      const operands: Condition[] = [first];
      this.many(0, () => {
        this.consume(0, T.Or);
        operands.push(this.sub(1, this.andCondition));
      });
      if (operands.length === 1) return first;
      const start = first.range.start;
      return { kind: "OrCondition", operands, range: this.span(start) };
    },
    { recoveryValueFunc: this.missingValue("a condition") },
  );

  readonly andCondition = this.RULE(
    "andCondition",
    (): Condition => {
      const first = this.sub(0, this.unaryCondition);
      if (!this.RECORDING_PHASE && this.LA(1).tokenType !== T.And) return first;
      const operands: Condition[] = [first];
      this.many(0, () => {
        this.consume(0, T.And);
        operands.push(this.sub(1, this.unaryCondition));
      });
      if (operands.length === 1) return first;
      return {
        kind: "AndCondition",
        operands,
        range: this.span(first.range.start),
      };
    },
    { recoveryValueFunc: this.missingValue("a condition") },
  );

  readonly unaryCondition = this.RULE(
    "unaryCondition",
    (): Condition => {
      if (!this.RECORDING_PHASE && this.LA(1).tokenType !== T.Not) return this.sub(0, this.atomCondition);
      const nots: IToken[] = [];
      this.many(0, () => {
        nots.push(this.consume(0, T.Not));
      });
      let result = this.sub(0, this.atomCondition);
      if (nots.length > MAX_NESTING) {
        const offending = nots[MAX_NESTING];
        if (offending)
          this.report(
            "DF1002",
            `nesting is too deep: more than ${MAX_NESTING} \`not\`s in a row`,
            this.tokenRange(offending),
            "two `not`s cancel out; simplify the condition",
          );
        nots.length = MAX_NESTING;
      }
      for (let i = nots.length - 1; i >= 0; i--) {
        const start = this.startOf(nots[i]);
        result = {
          kind: "NotCondition",
          operand: result,
          range: makeRange(start, Math.max(start, result.range.end)),
        };
      }
      return result;
    },
    { recoveryValueFunc: this.missingValue("a condition") },
  );

  readonly atomCondition = this.RULE(
    "atomCondition",
    (): Condition =>
      this.or<Condition>(
        0,
        this.cached<Condition>(3, () => [
          {
            ALT: () => {
              const open = this.consume(0, T.LParen);
              const start = this.startOf(open);
              const inner = this.sub(0, this.condition);
              this.expectToken(101, T.RParen, "`)`");
              return { kind: "ParenCondition", inner, range: this.span(start) };
            },
          },
          { ALT: () => this.sub(0, this.inCondition) },
          {
            ALT: () => {
              const kw = this.consume(0, T.Consignee);
              const start = this.startOf(kw);
              this.expectToken(102, T.Has, "`has`");
              const negated =
                this.optToken(0, 0, T.Not) !== undefined;
              const status = this.leaf(0, this.name, this.nameBody, ARGS_5);
              return {
                kind: "HasCondition",
                negated,
                status,
                range: this.span(start),
              };
            },
          },
          {
            ALT: () => {
              const kw = this.consume(0, T.Item);
              const start = this.startOf(kw);
              this.expectToken(103, T.Is, "`is`");
              const negated =
                this.optToken(1, 1, T.Not) !== undefined;
              const itemClass = this.leaf(1, this.name, this.nameBody, ARGS_6);
              return {
                kind: "IsCondition",
                negated,
                itemClass,
                range: this.span(start),
              };
            },
          },
          {
            ALT: () => {
              const kw = this.consume(0, T.Within);
              const start = this.startOf(kw);
              const cap = this.leaf(2, this.name, this.nameBody, ARGS_7);
              return { kind: "WithinCondition", cap, range: this.span(start) };
            },
          },
          { ALT: () => this.sub(0, this.compareCondition) },
          {
            ALT: () => {
              const kw = this.consume(0, T.DateKw);
              const start = this.startOf(kw);
              const op = this.sub(0, this.compareOp);
              const value = this.leaf(0, this.date, this.dateBody, ARGS_8);
              if (op === undefined)
                return {
                  kind: "Missing",
                  expected: "a comparison (`>=`, `<`, ...)",
                  range: makeRange(value.range.start, value.range.start),
                };
              return {
                kind: "DateCondition",
                op,
                value,
                range: this.span(start),
              };
            },
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "chip",
              range: this.tokenRange(this.consume(0, T.Chip)),
            }),
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "model",
              range: this.tokenRange(this.consume(0, T.Model)),
            }),
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "datacenter",
              range: this.tokenRange(this.consume(0, T.Datacenter)),
            }),
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "open",
              range: this.tokenRange(this.consume(0, T.Open)),
            }),
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "true",
              range: this.tokenRange(this.consume(0, T.True)),
            }),
          },
          {
            ALT: () => ({
              kind: "FlagCondition",
              flag: "false",
              range: this.tokenRange(this.consume(0, T.False)),
            }),
          },
          { ALT: () => this.missing("a condition") },
        ]),
      ),
    { recoveryValueFunc: this.missingValue("a condition") },
  );

  readonly inCondition = this.RULE("inCondition", (): Condition => {
    const subjectTok = this.or(
      0,
      this.cached(4, () => [
        { ALT: () => this.consume(0, T.Destination) },
        { ALT: () => this.consume(0, T.Headquarters) },
      ]),
    );
    const start = this.startOf(subjectTok);
    const negated = this.optToken(0, 0, T.Not) !== undefined;
    this.expectToken(101, T.In, "`in`");
    const set = this.sub(0, this.setExpr);
    return {
      kind: "InCondition",
      subject:
        subjectTok.image === "headquarters" ? "headquarters" : "destination",
      subjectRange: this.tokenRange(subjectTok),
      negated,
      set,
      range: this.span(start),
    };
  });

  readonly compareCondition = this.RULE("compareCondition", (): Condition => {
    const measureTok = this.or(
      0,
      this.cached(5, () => [
        { ALT: () => this.consume(0, T.Amount) },
        { ALT: () => this.consume(0, T.Quantity) },
        { ALT: () => this.consume(0, T.Capacity) },
        { ALT: () => this.consume(0, T.Tpp) },
        { ALT: () => this.consume(0, T.Density) },
        { ALT: () => this.consume(0, T.Operations) },
      ]),
    );
    const start = this.startOf(measureTok);
    const measure = measureTok.image as Measure;
    const op = this.sub(0, this.compareOp);
    const value = this.sub(0, this.quantity, ARGS_9);
    if (op === undefined) {
      const at = value.range.start;
      return {
        kind: "Missing",
        expected: "a comparison (`>=`, `<`, ...)",
        range: makeRange(at, at),
      };
    }
    return {
      kind: "CompareCondition",
      measure,
      measureRange: this.tokenRange(measureTok),
      op,
      value,
      range: this.span(start),
    };
  });

  readonly compareOp = this.RULE("compareOp", (): CompareOp | undefined =>
    this.or(
      0,
      this.cached(6, () => [
        {
          ALT: () => COMPARE_OPS.get(this.consume(0, T.GreaterEqual).tokenType),
        },
        { ALT: () => COMPARE_OPS.get(this.consume(0, T.LessEqual).tokenType) },
        { ALT: () => COMPARE_OPS.get(this.consume(0, T.Greater).tokenType) },
        { ALT: () => COMPARE_OPS.get(this.consume(0, T.Less).tokenType) },
        { ALT: () => COMPARE_OPS.get(this.consume(0, T.Equals).tokenType) },
        { ALT: () => COMPARE_OPS.get(this.consume(0, T.NotEqual).tokenType) },
        {
          ALT: () => {
            this.missing("a comparison (`>=`, `>`, `<=`, `<`, `=` or `!=`)");
            return undefined;
          },
        },
      ]),
    ),
  );

  // -------------------------------------------------------------------------
  // Declarations

  readonly file = this.RULE("file", (): void => {
    for (;;) {
      this.many(0, () => {
        const d = this.sub(0, this.declaration);
        if (!this.RECORDING_PHASE) this.declarations.push(d);
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(TOP_LEVEL, false)) break;
    }
  });

  readonly declaration = this.RULE(
    "declaration",
    (): Declaration =>
      this.or<Declaration>(
        0,
        this.cached<Declaration>(7, () => [
          { ALT: () => this.sub(0, this.importDecl) },
          { ALT: () => this.sub(0, this.policyDecl) },
          { ALT: () => this.sub(0, this.policySetDecl) },
          { ALT: () => this.sub(0, this.groupDecl) },
          { ALT: () => this.sub(0, this.disjointDecl) },
          { ALT: () => this.sub(0, this.itemDecl) },
          { ALT: () => this.sub(0, this.modelDecl) },
          { ALT: () => this.sub(0, this.classDecl) },
          { ALT: () => this.sub(0, this.capDecl) },
          { ALT: () => this.sub(0, this.exceptionDecl) },
          { ALT: () => this.sub(0, this.statusDecl) },
          { ALT: () => this.sub(0, this.decideDecl) },
        ]),
      ),
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly importDecl = this.RULE("importDecl", (): ImportDecl => {
    const kw = this.consume(0, T.Import);
    const start = this.startOf(kw);
    const path = this.leaf(0, this.string, this.stringBody, ARGS_10);
    return { kind: "ImportDecl", path, range: this.span(start) };
  });

  /** `{` or a reported Missing; returns the `{` token when present. */
  readonly openBrace = this.RULE("openBrace", () => this.openBraceBody());

  private openBraceBody(): IToken | undefined {
    const open = this.optToken(0, 0, T.LBrace);
    if (open === undefined) this.missing("`{`");
    return open;
  }

  readonly policyDecl = this.RULE("policyDecl", (): PolicyDecl => {
    const kw = this.consume(0, T.Policy);
    const start = this.startOf(kw);
    const title = this.leaf(0, this.string, this.stringBody, ARGS_11);
    const cite = this.optionalCite();
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const clauses: PolicyClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.policyClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(POLICY_BLOCK, true))
        break;
    }
    this.expectClose(100, open ?? kw, "the policy header");
    const node: PolicyDecl = {
      kind: "PolicyDecl",
      title,
      clauses,
      range: this.span(start),
    };
    return cite ? { ...node, cite } : node;
  });

  readonly policyClause = this.RULE(
    "policyClause",
    (): PolicyClause => {
      const clause = this.or<PolicyClause>(
        0,
        this.cached<PolicyClause>(8, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Version));
              return {
                kind: "VersionClause",
                value: this.leaf(0, this.string, this.stringBody, ARGS_12),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Effective));
              return {
                kind: "EffectiveClause",
                date: this.leaf(0, this.date, this.dateBody, ARGS_8),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Until));
              return {
                kind: "UntilClause",
                date: this.leaf(1, this.date, this.dateBody, ARGS_8),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Compliance));
              return {
                kind: "ComplianceClause",
                date: this.leaf(2, this.date, this.dateBody, ARGS_8),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Supersedes));
              return {
                kind: "SupersedesClause",
                version: this.leaf(1, this.string, this.stringBody, ARGS_12),
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        clause.kind === "CiteClause" ||
        clause.kind === "NoteClause" ||
        clause.kind === "ErrorClause"
      )
        return clause;
      return this.withCite(
        clause,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly policySetDecl = this.RULE("policySetDecl", (): PolicySetDecl => {
    const kw = this.consume(0, T.PolicySet);
    const start = this.startOf(kw);
    const title = this.leaf(0, this.string, this.stringBody, ARGS_13);
    const cite = this.optionalCite();
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const uses: (UseClause | NoteClause | ErrorClause)[] = [];
    for (;;) {
      this.many(0, () => {
        this.or(0, [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Use));
              const path = this.leaf(1, this.string, this.stringBody, ARGS_10);
              uses.push({ kind: "UseClause", path, range: this.span(s) });
            },
          },
          { ALT: () => uses.push(this.sub(0, this.note)) },
        ]);
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(POLICYSET_BLOCK, true))
        break;
    }
    this.expectClose(101, open ?? kw, "the policy set");
    const node: PolicySetDecl = {
      kind: "PolicySetDecl",
      title,
      uses,
      range: this.span(start),
    };
    return cite ? { ...node, cite } : node;
  });

  readonly groupDecl = this.RULE("groupDecl", (): GroupDecl => {
    const kw = this.consume(0, T.Group);
    const start = this.startOf(kw);
    const name = this.leaf(0, this.name, this.nameBody, ARGS_14);
    const title = this.optionalString(220);
    const cite = this.optionalCite();
    this.expectToken(100, T.Equals, "`=`");
    const value = this.sub(0, this.setExpr);
    let node: GroupDecl = {
      kind: "GroupDecl",
      name,
      value,
      range: this.span(start),
    };
    if (title) node = { ...node, title };
    return cite ? { ...node, cite } : node;
  });

  readonly disjointDecl = this.RULE("disjointDecl", (): DisjointDecl => {
    const kw = this.consume(0, T.Disjoint);
    const start = this.startOf(kw);
    const groups = this.sub(0, this.nameList, ARGS_14);
    const cite = this.optionalCite();
    const node: DisjointDecl = {
      kind: "DisjointDecl",
      groups,
      range: this.span(start),
    };
    return cite ? { ...node, cite } : node;
  });

  /** `NAME [STRING] [cite]` after a declaration keyword. */
  readonly header = this.RULE("header", (expected: string) => {
    const name = this.leaf(0, this.name, this.nameBody, { ARGS: [expected] });
    const title = this.optionalString(220);
    const cite = this.optionalCite();
    return { name, title, cite };
  });

  private named<
    N extends { readonly range: Range; title?: StringLiteral; cite?: Citation },
  >(
    node: N,
    h: { title: StringLiteral | undefined; cite: Citation | undefined },
  ): N {
    if (this.RECORDING_PHASE) return node;
    const out = node as Mutable<N>;
    if (h.title) out.title = h.title;
    if (h.cite) out.cite = h.cite;
    return out;
  }

  readonly itemDecl = this.RULE("itemDecl", (): ItemDecl => {
    const kw = this.consume(0, T.Item);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_2);
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const clauses: ItemClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.itemClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(ITEM_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the item");
    return this.named(
      { kind: "ItemDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly itemClause = this.RULE(
    "itemClause",
    (): ItemClause => {
      const clause = this.or<ItemClause>(
        0,
        this.cached<ItemClause>(9, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Tpp));
              return {
                kind: "TppClause",
                value: this.sub(0, this.quantity, ARGS_15),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Density));
              return {
                kind: "DensityClause",
                value: this.sub(1, this.quantity, ARGS_16),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Eccn));
              return {
                kind: "EccnClause",
                value: this.leaf(0, this.string, this.stringBody, ARGS_17),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Datacenter));
              const v = this.sub(0, this.yesNo);
              return {
                kind: "DatacenterClause",
                value: v.value,
                valueRange: v.range,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        clause.kind === "CiteClause" ||
        clause.kind === "NoteClause" ||
        clause.kind === "ErrorClause"
      )
        return clause;
      return this.withCite(
        clause,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly yesNo = this.RULE("yesNo", (): { value: boolean; range: Range } =>
    this.or(
      0,
      this.cached(30, () => [
        {
          ALT: () => ({
            value: true,
            range: this.tokenRange(this.consume(0, T.Yes)),
          }),
        },
        {
          ALT: () => ({
            value: false,
            range: this.tokenRange(this.consume(0, T.No)),
          }),
        },
        {
          ALT: () => ({
            value: true,
            range: this.missing("`yes` or `no`").range,
          }),
        },
      ]),
    ),
  );

  readonly modelDecl = this.RULE("modelDecl", (): ModelDecl => {
    const kw = this.consume(0, T.Model);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_18);
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const clauses: ModelClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.modelClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(MODEL_BLOCK, true))
        break;
    }
    this.expectClose(100, open ?? kw, "the model");
    return this.named(
      { kind: "ModelDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly modelClause = this.RULE(
    "modelClause",
    (): ModelClause => {
      const clause = this.or<ModelClause>(
        0,
        this.cached<ModelClause>(10, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Operations));
              return {
                kind: "OperationsClause",
                value: this.sub(0, this.quantity, ARGS_19),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Weights));
              const v = this.or(
                1,
                this.cached(34, () => [
                  {
                    ALT: () => ({
                      open: true,
                      range: this.tokenRange(this.consume(0, T.Open)),
                    }),
                  },
                  {
                    ALT: () => ({
                      open: false,
                      range: this.tokenRange(this.consume(0, T.Closed)),
                    }),
                  },
                  {
                    ALT: () => ({
                      open: false,
                      range: this.missing("`open` or `closed`").range,
                    }),
                  },
                ]),
              );
              return {
                kind: "WeightsClause",
                open: v.open,
                valueRange: v.range,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        clause.kind === "CiteClause" ||
        clause.kind === "NoteClause" ||
        clause.kind === "ErrorClause"
      )
        return clause;
      return this.withCite(
        clause,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly classDecl = this.RULE("classDecl", (): ClassDecl => {
    const kw = this.consume(0, T.Class);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_6);
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const clauses: ClassClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.classClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(CLASS_BLOCK, true))
        break;
    }
    this.expectClose(100, open ?? kw, "the class");
    return this.named(
      { kind: "ClassDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly classClause = this.RULE(
    "classClause",
    (): ClassClause =>
      this.or<ClassClause>(
        0,
        this.cached<ClassClause>(11, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Eccn));
              const node: ClassClause = {
                kind: "EccnClause",
                value: this.leaf(0, this.string, this.stringBody, ARGS_17),
                range: this.span(s),
              };
              return this.withCite(
                node,
                this.optionalCite(),
              );
            },
          },
          { ALT: () => this.sub(0, this.when) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      ),
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly capDecl = this.RULE("capDecl", (): CapDecl => {
    const kw = this.consume(0, T.Cap);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_7);
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const clauses: CapClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.capClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(CAP_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the cap");
    return this.named(
      { kind: "CapDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly capClause = this.RULE(
    "capClause",
    (): CapClause => {
      const clause = this.or<CapClause>(
        0,
        this.cached<CapClause>(12, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Limit));
              return {
                kind: "LimitClause",
                value: this.sub(0, this.quantity, ARGS_20),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Per));
              return {
                kind: "PerClause",
                key: this.sub(0, this.capKey),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Window));
              return {
                kind: "WindowClause",
                window: this.sub(0, this.window),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const kw = this.consume(0, T.Schedule);
              const s = this.startOf(kw);
              const open = this.leaf(0, this.openBrace, this.openBraceBody);
              const steps: ScheduleStep[] = [];
              for (;;) {
                this.many(0, () => {
                  steps.push(this.sub(0, this.scheduleStep));
                });
                if (
                  this.RECORDING_PHASE ||
                  !this.skipUnexpected(SCHEDULE_BLOCK, true)
                )
                  break;
              }
              this.expectClose(101, open ?? kw, "the schedule");
              return { kind: "ScheduleClause", steps, range: this.span(s) };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Times));
              const factor = this.sub(1, this.quantity, ARGS_21);
              const condition = this.or<Condition>(
                2,
                this.cached<Condition>(36, () => [
                  {
                    ALT: () => {
                      this.consume(0, T.When);
                      return this.sub(0, this.condition);
                    },
                  },
                  { ALT: () => this.missing("`when` and a condition") },
                ]),
              );
              return {
                kind: "TimesClause",
                factor,
                condition,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.when) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        clause.kind === "CiteClause" ||
        clause.kind === "NoteClause" ||
        clause.kind === "ErrorClause" ||
        clause.kind === "WhenClause"
      )
        return clause;
      return this.withCite(
        clause,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly capKey = this.RULE("capKey", (): CapKey | Missing => {
    const first = this.sub(0, this.keyPart);
    if (first === undefined) return this.missingValue("a key")();
    const parts = [first];
    this.many(0, () => {
      this.consume(0, T.X);
      const p = this.sub(1, this.keyPart);
      if (p) parts.push(p);
    });
    return { kind: "CapKey", parts, range: this.span(first.range.start) };
  });

  readonly keyPart = this.RULE(
    "keyPart",
    (): { part: KeyPart; range: Range } | undefined =>
      this.or<{ part: KeyPart; range: Range } | undefined>(
        0,
        this.cached<{ part: KeyPart; range: Range } | undefined>(13, () => [
          {
            ALT: () => ({
              part: "destination" as const,
              range: this.tokenRange(this.consume(0, T.Destination)),
            }),
          },
          {
            ALT: () => ({
              part: "headquarters" as const,
              range: this.tokenRange(this.consume(0, T.Headquarters)),
            }),
          },
          {
            ALT: () => ({
              part: "consignee" as const,
              range: this.tokenRange(this.consume(0, T.Consignee)),
            }),
          },
          {
            ALT: () => ({
              part: "exporter" as const,
              range: this.tokenRange(this.consume(0, T.Exporter)),
            }),
          },
          {
            ALT: () => ({
              part: "global" as const,
              range: this.tokenRange(this.consume(0, T.Global)),
            }),
          },
          {
            ALT: () => {
              this.missing(
                "a key (`destination`, `headquarters`, `consignee`, `exporter` or `global`)",
              );
              return undefined;
            },
          },
        ]),
      ),
  );

  readonly window = this.RULE(
    "window",
    (): Window =>
      this.or<Window>(
        0,
        this.cached<Window>(14, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Calendar));
              this.expectToken(101, T.Year, "`year`");
              return { kind: "CalendarYearWindow", range: this.span(s) };
            },
          },
          {
            ALT: () => {
              const fromTok = this.consume(0, T.DateLiteral);
              const from = this.dateLiteral(fromTok);
              this.expectToken(102, T.DotDot, "`..`");
              const to = this.leaf(0, this.date, this.dateBody, ARGS_22);
              return {
                kind: "FixedWindow",
                from,
                to,
                range: this.span(from.range.start),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Rolling));
              const length = this.or<Quantity | Missing>(
                3,
                this.cached<Quantity | Missing>(35, () => [
                  {
                    ALT: () => {
                      const value = this.numberLiteral(
                        this.consume(0, T.NumberLiteral),
                      );
                      const u = this.option(0, () => this.sub(0, this.unit));
                      return u
                        ? {
                            kind: "Quantity",
                            value,
                            unit: u.unit,
                            unitRange: u.range,
                            range: this.span(value.range.start),
                          }
                        : {
                            kind: "Quantity",
                            value,
                            unit: "count",
                            range: value.range,
                          };
                    },
                  },
                  { ALT: () => this.missing("a period (e.g. `365 days`)") },
                ]),
              );
              return { kind: "RollingWindow", length, range: this.span(s) };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.All));
              this.expectToken(104, T.Time, "`time`");
              return { kind: "AllTimeWindow", range: this.span(s) };
            },
          },
          {
            ALT: () =>
              this.missing(
                "a window (`calendar year`, `DATE .. DATE`, `rolling N days` or `all time`)",
              ),
          },
        ]),
      ),
    { recoveryValueFunc: this.missingValue("a window") },
  );

  readonly scheduleStep = this.RULE("scheduleStep", (): ScheduleStep => {
    const s = this.startOf(this.consume(0, T.Through));
    const through = this.leaf(0, this.date, this.dateBody, ARGS_8);
    this.expectToken(100, T.Limit, "`limit`");
    const limit = this.sub(0, this.quantity, ARGS_23);
    const cite = this.optionalCite();
    return this.withCite(
      { kind: "ScheduleStep", through, limit, range: this.span(s) },
      cite,
    );
  });

  /** Body shared by `exception` and `status`. */
  readonly authBody = this.RULE(
    "authBody",
    (kw: IToken, what: string): AuthorizationClause[] => {
      const open = this.leaf(0, this.openBrace, this.openBraceBody);
      const clauses: AuthorizationClause[] = [];
      for (;;) {
        this.many(0, () => {
          clauses.push(this.sub(0, this.authClause));
        });
        if (this.RECORDING_PHASE || !this.skipUnexpected(AUTH_BLOCK, true))
          break;
      }
      this.expectClose(100, open ?? kw, what);
      return clauses;
    },
  );

  readonly exceptionDecl = this.RULE("exceptionDecl", (): ExceptionDecl => {
    const kw = this.consume(0, T.Exception);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_24);
    const clauses = this.sub(0, this.authBody, { ARGS: [kw, "the exception"] });
    return this.named(
      { kind: "ExceptionDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly statusDecl = this.RULE("statusDecl", (): StatusDecl => {
    const kw = this.consume(0, T.Status);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, ARGS_5);
    const clauses = this.sub(0, this.authBody, { ARGS: [kw, "the status"] });
    return this.named(
      { kind: "StatusDecl", name: h.name, clauses, range: this.span(start) },
      h,
    );
  });

  readonly authClause = this.RULE(
    "authClause",
    (): AuthorizationClause => {
      const clause = this.or<AuthorizationClause>(
        0,
        this.cached<AuthorizationClause>(15, () => [
          { ALT: () => this.sub(0, this.when) },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Within));
              return {
                kind: "WithinClause",
                caps: this.sub(0, this.nameList, ARGS_7),
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Counts));
              this.expectToken(101, T.Toward, "`toward`");
              return this.or(2, [
                {
                  ALT: () => {
                    this.consume(0, T.Nothing);
                    return {
                      kind: "CountsTowardClause" as const,
                      caps: [],
                      nothing: true,
                      range: this.span(s),
                    };
                  },
                },
                {
                  ALT: () => ({
                    kind: "CountsTowardClause" as const,
                    caps: this.sub(1, this.nameList, ARGS_25),
                    nothing: false,
                    range: this.span(s),
                  }),
                },
              ]);
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Requires));
              return {
                kind: "RequiresClause",
                text: this.leaf(0, this.string, this.stringBody, ARGS_26),
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        clause.kind === "CiteClause" ||
        clause.kind === "NoteClause" ||
        clause.kind === "ErrorClause" ||
        clause.kind === "WhenClause"
      )
        return clause;
      return this.withCite(
        clause,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly decideDecl = this.RULE("decideDecl", (): DecideDecl => {
    const kw = this.consume(0, T.Decide);
    const start = this.startOf(kw);
    const name = this.leaf(0, this.name, this.nameBody, ARGS_27);
    const title = this.optionalString(220);
    this.expectToken(100, T.For, "`for` and the classes it decides");
    const classes = this.sub(0, this.nameList, ARGS_6);
    const cite = this.optionalCite();
    const open = this.leaf(0, this.openBrace, this.openBraceBody);
    const rules: Rule[] = [];
    for (;;) {
      this.many(0, () => {
        rules.push(this.sub(0, this.rule));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(DECIDE_BLOCK, true))
        break;
    }
    this.expectClose(101, open ?? kw, "the decide block");
    return this.named(
      { kind: "DecideDecl", name, classes, rules, range: this.span(start) },
      { title, cite },
    );
  });

  readonly optWhen = this.RULE("optWhen", (): Condition | undefined =>
    this.optionAt(0, T.When, () => {
      this.consume(0, T.When);
      return this.sub(0, this.condition);
    }),
  );

  readonly rule = this.RULE(
    "rule",
    (): Rule => {
      const r = this.or<Rule>(
        0,
        this.cached<Rule>(16, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Prohibit));
              const condition = this.sub(0, this.optWhen);
              const node: Rule = { kind: "ProhibitRule", range: this.span(s) };
              return condition ? { ...node, condition } : node;
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Authorize));
              const basis = this.leaf(0, this.name, this.nameBody, ARGS_28);
              const condition = this.sub(1, this.optWhen);
              const node: Rule = {
                kind: "AuthorizeRule",
                basis,
                range: this.span(s),
              };
              return condition ? { ...node, condition } : node;
            },
          },
          { ALT: () => this.sub(0, this.licenseRule) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (
        r.kind === "CiteClause" ||
        r.kind === "NoteClause" ||
        r.kind === "ErrorClause"
      )
        return r;
      return this.withCite(
        r,
        this.optionalCite(),
      );
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly licenseRule = this.RULE("licenseRule", (): Rule => {
    const kw = this.consume(0, T.License);
    const s = this.startOf(kw);
    let charging: (Identifier | Missing)[] = [];
    this.optionAt(0, T.Charging, () => {
      this.consume(0, T.Charging);
      charging = this.sub(0, this.nameList, ARGS_7);
    });
    const condition = this.sub(0, this.optWhen);
    let trailing: Condition | undefined;
    const reviews: ReviewCase[] = [];
    this.or(0, [
      {
        ALT: () => {
          const rs = this.startOf(this.consume(0, T.Review));
          const review = this.sub(0, this.reviewPolicy);
          reviews.push({ kind: "ReviewCase", review, range: this.span(rs) });
          // `license review presumption of denial when COND`: the condition may follow the review.
          trailing = this.sub(1, this.optWhen);
        },
      },
      {
        ALT: () => {
          const open = this.consume(0, T.LBrace);
          for (;;) {
            this.many(0, () => {
              reviews.push(this.sub(0, this.reviewCase));
            });
            if (
              this.RECORDING_PHASE ||
              !this.skipUnexpected(REVIEW_BLOCK, true)
            )
              break;
          }
          this.expectClose(101, open, "the review cases");
        },
      },
      {
        ALT: () =>
          void this.missing(
            "`review` and a review policy, or a `{ ... }` block of review cases",
          ),
      },
    ]);
    const node: Rule = {
      kind: "LicenseRule",
      charging,
      reviews,
      range: this.span(s),
    };
    let both: Condition | undefined = condition ?? trailing;
    if (condition && trailing && !this.RECORDING_PHASE)
      both = {
        kind: "AndCondition",
        operands: [condition, trailing],
        range: makeRange(condition.range.start, trailing.range.end),
      };
    return both ? { ...node, condition: both } : node;
  });

  readonly reviewCase = this.RULE("reviewCase", (): ReviewCase => {
    const s = this.startOf(this.consume(0, T.Review));
    const review = this.sub(0, this.reviewPolicy);
    const condition = this.or<Condition | undefined>(
      0,
      this.cached<Condition | undefined>(33, () => [
        {
          ALT: () => {
            this.consume(0, T.When);
            return this.sub(0, this.condition);
          },
        },
        {
          ALT: () => {
            this.consume(0, T.Otherwise);
            return undefined;
          },
        },
        { ALT: () => this.missing("`when` and a condition, or `otherwise`") },
      ]),
    );
    const cite = this.optionalCite();
    let node: ReviewCase = { kind: "ReviewCase", review, range: this.span(s) };
    if (condition) node = { ...node, condition };
    return cite ? { ...node, cite } : node;
  });

  readonly reviewPolicy = this.RULE("reviewPolicy", (): Review | Missing =>
    this.or<Review | Missing>(
      0,
      this.cached<Review | Missing>(31, () => [
        {
          ALT: () => {
            const s = this.startOf(this.consume(0, T.Presumption));
            this.expectToken(101, T.Of, "`of`");
            const policy = this.or<ReviewPolicyName | Missing>(
              2,
              this.cached<ReviewPolicyName | Missing>(32, () => [
                {
                  ALT: () => {
                    this.consume(0, T.Approval);
                    return "presumption-of-approval" as const;
                  },
                },
                {
                  ALT: () => {
                    this.consume(0, T.Denial);
                    return "presumption-of-denial" as const;
                  },
                },
                { ALT: () => this.missing("`approval` or `denial`") },
              ]),
            );
            if (typeof policy !== "string") return policy;
            return { kind: "Review", policy, range: this.span(s) };
          },
        },
        {
          ALT: () => ({
            kind: "Review",
            policy: "case-by-case",
            range: this.tokenRange(this.consume(0, T.CaseByCase)),
          }),
        },
        {
          ALT: () =>
            this.missing(
              "a review policy (`presumption of approval`, `case-by-case` or `presumption of denial`)",
            ),
        },
      ]),
    ),
  );
}
