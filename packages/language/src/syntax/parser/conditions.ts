/**
 * ConditionRules, a layer of the parser's class chain (see ../parser.ts): conditions
 * (`or`, `and`, `not`, parentheses; `in` a set, `has` a status, `is` a class, `within` a
 * cap, comparisons of a measure or the date, flags) and the `when COND [cite]` clause.
 */
import type { IToken, TokenType } from "chevrotain";
import type { CompareOp, Condition, Measure, WhenClause } from "../../ast.js";
import * as T from "../tokens.js";
import { makeRange } from "../range.js";
import { SetRules } from "./sets.js";
import { EXPECT } from "./args.js";
import { MAX_NESTING } from "./base.js";
import { CONDITION_STARTS } from "./recovery.js";

const COMPARE_OPS: ReadonlyMap<TokenType, CompareOp> = new Map([
  [T.Less, "<"],
  [T.LessEqual, "<="],
  [T.Greater, ">"],
  [T.GreaterEqual, ">="],
  [T.Equals, "="],
  [T.NotEqual, "!="],
]);

export abstract class ConditionRules extends SetRules {
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
      if (!this.RECORDING_PHASE && this.LA(1).tokenType !== T.And && this.LA(1).tokenType !== T.Comma) return first;
      const operands: Condition[] = [first];
      for (;;) {
        this.many(0, () => {
          this.consume(0, T.And);
          operands.push(this.sub(1, this.unaryCondition));
        });
        // `when A, B`: read B as if `and` had been written (see `commaForAnd`).
        if (this.RECORDING_PHASE || !this.commaForAnd()) break;
        operands.push(this.sub(1, this.unaryCondition));
      }
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
              const negated = this.optToken(0, 0, T.Not) !== undefined;
              const status = this.leaf(0, this.name, this.nameBody, EXPECT.statusName);
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
              const negated = this.optToken(1, 1, T.Not) !== undefined;
              const itemClass = this.leaf(1, this.name, this.nameBody, EXPECT.className);
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
              const cap = this.leaf(2, this.name, this.nameBody, EXPECT.capName);
              return { kind: "WithinCondition", cap, range: this.span(start) };
            },
          },
          { ALT: () => this.sub(0, this.compareCondition) },
          {
            ALT: () => {
              const kw = this.consume(0, T.DateKw);
              const start = this.startOf(kw);
              const op = this.sub(0, this.compareOp);
              const value = this.leaf(0, this.date, this.dateBody, EXPECT.date);
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
          {
            ALT: () =>
              this.missing(
                "a condition",
                CONDITION_STARTS,
                "a condition is a test such as `destination in tier2`, `consignee has NVEU`, `amount >= 1_000 TPP` or, in a class, `tpp >= 4_800 TPP`",
              ),
          },
        ]),
      ),
    { recoveryValueFunc: this.missingValue("a condition") },
  );

  readonly inCondition = this.RULE("inCondition", (): Condition => {
    const subjectTok = this.or(
      0,
      this.cached(4, () => [{ ALT: () => this.consume(0, T.Destination) }, { ALT: () => this.consume(0, T.Headquarters) }]),
    );
    const start = this.startOf(subjectTok);
    const negated = this.optToken(0, 0, T.Not) !== undefined;
    this.expectToken(101, T.In, "`in`");
    const set = this.sub(0, this.setExpr);
    return {
      kind: "InCondition",
      subject: subjectTok.image === "headquarters" ? "headquarters" : "destination",
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
    const value = this.sub(0, this.quantity, EXPECT.quantity);
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

  readonly when = this.RULE(
    "when",
    (): WhenClause => {
      const kw = this.consume(0, T.When);
      const start = this.startOf(kw);
      const condition = this.sub(0, this.condition);
      const cite = this.optionalCite();
      return { kind: "WhenClause", condition, cite, range: this.span(start) };
    },
    {
      recoveryValueFunc: (): WhenClause => ({
        kind: "WhenClause",
        condition: this.missingValue("a condition")(),
        cite: undefined,
        range: this.span(this.prevEnd()),
      }),
    },
  );
}
