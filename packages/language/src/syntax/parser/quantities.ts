/**
 * QuantityRules, a layer of the parser's class chain (see ../parser.ts): quantities
 * (`26_900_000 TPP`, `1_700 x H100`, `7 % of capacity`, a bare count) and their units.
 */
import { EOF } from "chevrotain";
import type { Identifier, Missing, NumberLiteral, Quantity, QuantityExpr, Range, UnitKeyword } from "../../ast.js";
import * as T from "../tokens.js";
import { makeRange } from "../range.js";
import { SharedRules } from "./shared.js";
import { EXPECT } from "./args.js";
import { describeFound, imageOf } from "./token-text.js";

/** Units as they get written otherwise: in the singular, or in other letters (the keywords are case-sensitive). */
const UNIT_SPELLINGS: ReadonlyMap<string, UnitKeyword> = new Map<string, UnitKeyword>([
  ["tpp", "TPP"],
  ["unit", "units"],
  ["units", "units"],
  ["op", "ops"],
  ["ops", "ops"],
  ["day", "days"],
  ["days", "days"],
  ["month", "months"],
  ["months", "months"],
  ["year", "years"],
  ["years", "years"],
]);

type QuantitySuffix =
  | { readonly tag: "item"; readonly item: Identifier | Missing }
  | {
      readonly tag: "percent";
      readonly range: Range;
      readonly ofCapacity: boolean;
    }
  | { readonly tag: "unit"; readonly unit: UnitKeyword; readonly range: Range }
  | { readonly tag: "none" };

export abstract class QuantityRules extends SharedRules {
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
                item: this.leaf(0, this.name, this.nameBody, EXPECT.itemName),
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
          return suffix.ofCapacity ? { kind: "PercentOfCapacity", percent, range: this.span(start) } : percent;
        }
        case "unit":
          return {
            kind: "Quantity",
            value,
            unit: suffix.unit,
            unitRange: suffix.range,
            range: this.span(start),
          };
        case "none": {
          const u = this.RECORDING_PHASE ? undefined : this.unitSpeltOtherwise(value);
          if (u) return { kind: "Quantity", value, unit: u.unit, unitRange: u.range, range: this.span(start) };
          return { kind: "Quantity", value, unit: "count", unitRange: undefined, range: value.range };
        }
        default: {
          // Only reached during grammar recording, where alternatives return placeholders.
          const _recording: never = suffix;
          return { kind: "Quantity", value, unit: "count", unitRange: undefined, range: value.range };
        }
      }
    },
    { recoveryValueFunc: this.missingValue("a quantity") },
  );

  /**
   * A unit written in the singular or in other letters right after a number (`rolling 12
   * month`, `1e26 op`, `5 tpp`): reported with the unit meant, and taken as that unit, so
   * the quantity keeps its unit and the word is not a second error. Not `tpp` followed by
   * a number: that starts an item's `tpp` clause (`density 5.92 tpp 15_832 TPP`).
   */
  protected unitSpeltOtherwise(value: NumberLiteral): { unit: UnitKeyword; range: Range } | undefined {
    const next = this.LA(1);
    const unit = UNIT_SPELLINGS.get(imageOf(next).toLowerCase());
    if (unit === undefined || next.tokenType === EOF || this.lineBreakBetween(value.range.end, next.startOffset)) return undefined;
    if (next.tokenType === T.Tpp && this.LA(2).tokenType === T.NumberLiteral) return undefined;
    const range = this.tokenRange(next);
    this.report("DF1001", `expected a unit after \`${value.raw}\`, found ${describeFound(next)}`, range, `did you mean \`${unit}\`?`);
    this.SKIP_TOKEN();
    this.lastMissingAt = this.currentIndex();
    return { unit, range };
  }

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
      image === "TPP" ? "TPP" : image === "units" ? "units" : image === "ops" ? "ops" : image === "days" ? "days" : image === "months" ? "months" : "years";
    return { unit, range: this.tokenRange(tok) };
  });
}
