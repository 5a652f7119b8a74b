/**
 * CapRules, a layer of the parser's class chain (see ../parser.ts): `cap` declarations
 * and their clauses: `limit`, `per` and its key, `window`, `schedule` and its steps,
 * `times ... when`, `when`.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { CapClause, CapDecl, CapKey, Condition, DateLiteral, KeyPart, Missing, Quantity, Range, ScheduleStep, Window } from "../../ast.js";
import * as T from "../tokens.js";
import { CatalogRules } from "./catalog.js";
import { CAP_BLOCK, KEY_PARTS, SCHEDULE_BLOCK, suggestKeyword, WINDOW_STARTS } from "./recovery.js";
import { describeFound, endOf, imageOf } from "./token-text.js";
import { EXPECT, OPEN } from "./args.js";

export abstract class CapRules extends CatalogRules {
  readonly capDecl = this.RULE("capDecl", (): CapDecl => {
    const kw = this.consume(0, T.Cap);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.capName);
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.cap);
    const clauses: CapClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.capClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(CAP_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the cap");
    return { kind: "CapDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
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
                value: this.sub(0, this.quantity, EXPECT.capLimit),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Per));
              // `per calendar year`: a window where the key belongs, read as the window clause meant.
              if (!this.RECORDING_PHASE && this.windowForKey())
                return { kind: "WindowClause", window: this.sub(0, this.window), cite: undefined, range: this.span(s) };
              return {
                kind: "PerClause",
                key: this.sub(0, this.capKey),
                cite: undefined,
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
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const kw = this.consume(0, T.Schedule);
              const s = this.startOf(kw);
              const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.schedule);
              const steps: ScheduleStep[] = [];
              for (;;) {
                this.many(0, () => {
                  steps.push(this.sub(0, this.scheduleStep));
                });
                if (this.RECORDING_PHASE || !this.skipUnexpected(SCHEDULE_BLOCK, true)) break;
              }
              this.expectClose(101, open ?? kw, "the schedule");
              return { kind: "ScheduleClause", steps, cite: undefined, range: this.span(s) };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Times));
              const factor = this.sub(1, this.quantity, EXPECT.multiplier);
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
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.when) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      return this.clauseCite(clause, true);
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly capKey = this.RULE("capKey", (): CapKey | Missing => {
    const first = this.sub(0, this.keyPart);
    if (first === undefined) return this.missingValue("a key")();
    const parts = [first];
    for (;;) {
      this.many(0, () => {
        this.consume(0, T.X);
        const p = this.sub(1, this.keyPart);
        if (p) parts.push(p);
      });
      // `per destination, consignee`: read as if `x` had been written (see `keySeparator`).
      if (this.RECORDING_PHASE || !this.keySeparator()) break;
      const p = this.sub(1, this.keyPart);
      if (p) parts.push(p);
    }
    return { kind: "CapKey", parts, range: this.span(first.range.start) };
  });

  /**
   * `per calendar year` (as in "26,900,000 TPP per consignee per calendar year"): a window
   * written after `per`. Reported where the key was expected, with the clause to write;
   * the caller then reads the window as a `window` clause.
   */
  private windowForKey(): boolean {
    const next = this.LA(1);
    if (!WINDOW_STARTS.has(next.tokenType) && next.tokenType !== T.DateLiteral) return false;
    this.report(
      "DF1001",
      `expected a key after \`per\`, found ${describeFound(next)}`,
      this.tokenRange(next),
      `the window is a clause of its own: \`window ${this.lineFrom(next)}\`; \`per\` names the key the limit is counted by, such as \`per consignee\``,
    );
    this.lastMissingAt = this.currentIndex();
    return true;
  }

  /** The source text from `token` to the end of its line, trimmed (what a help quotes back). */
  private lineFrom(token: IToken): string {
    const end = this.text.indexOf("\n", token.startOffset);
    return this.text.slice(token.startOffset, end < 0 ? undefined : end).trim();
  }

  /**
   * A `,`, `and` or `&` between two parts of a key (`per destination, consignee`), where
   * `x` was meant: reported and skipped when a key part (or a near miss of one) follows on
   * its line, so the part after it is read as if `x` had been written.
   */
  private keySeparator(): boolean {
    const sep = this.LA(1);
    const next = this.LA(2);
    const type = sep.tokenType;
    if (type !== T.Comma && type !== T.And && type !== T.Ampersand) return false;
    if (!KEY_PARTS.has(next.tokenType) && suggestKeyword(next, KEY_PARTS) === undefined) return false;
    if (this.lineBreakBetween(endOf(sep), next.startOffset)) return false;
    const help = `join the parts of a key with \`x\`: \`${imageOf(this.LA(0))} x ${imageOf(next)}\``;
    this.report("DF1003", `unexpected ${describeFound(sep)} between the parts of a key`, this.tokenRange(sep), help);
    this.SKIP_TOKEN();
    return true;
  }

  /**
   * `2025-01-01 - 2025-12-31`, `2025-01-01 to 2025-12-31`: a date range written with a
   * word or a dash where `..` belongs. Reported once and skipped, so the end date is read.
   */
  private rangeSeparator(from: DateLiteral): boolean {
    const sep = this.LA(1);
    const to = this.LA(2);
    if (to.tokenType !== T.DateLiteral || this.lineBreakBetween(endOf(sep), to.startOffset)) return false;
    const type = sep.tokenType;
    const word = type === T.Identifier ? imageOf(sep) : "";
    if (type !== T.Minus && type !== T.Through && type !== T.Until && word !== "to" && word !== "till") return false;
    const help = `write the dates of a range with \`..\` between them: \`${from.raw} .. ${imageOf(to)}\``;
    this.report("DF1001", `expected \`..\` after \`${from.raw}\`, found ${describeFound(sep)}`, this.tokenRange(sep), help);
    this.SKIP_TOKEN();
    this.lastMissingAt = this.currentIndex();
    return true;
  }

  readonly keyPart = this.RULE("keyPart", (): { part: KeyPart; range: Range } | undefined =>
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
            this.missing("a key (`destination`, `headquarters`, `consignee`, `exporter` or `global`)", KEY_PARTS);
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
              if (this.RECORDING_PHASE || !this.rangeSeparator(from)) this.expectToken(102, T.DotDot, "`..`");
              const to = this.leaf(0, this.date, this.dateBody, EXPECT.endDate);
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
                      const value = this.numberLiteral(this.consume(0, T.NumberLiteral));
                      const u = this.option(0, () => this.sub(0, this.unit)) ?? (this.RECORDING_PHASE ? undefined : this.unitSpeltOtherwise(value));
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
                            unitRange: undefined,
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
            ALT: () => this.missing("a window (`calendar year`, `DATE .. DATE`, `rolling N days` or `all time`)", WINDOW_STARTS),
          },
        ]),
      ),
    { recoveryValueFunc: this.missingValue("a window") },
  );

  readonly scheduleStep = this.RULE("scheduleStep", (): ScheduleStep => {
    const s = this.startOf(this.consume(0, T.Through));
    const through = this.leaf(0, this.date, this.dateBody, EXPECT.date);
    this.expectToken(100, T.Limit, "`limit`");
    const limit = this.sub(0, this.quantity, EXPECT.limit);
    const cite = this.optionalCite();
    return { kind: "ScheduleStep", through, limit, cite, range: this.span(s) };
  });
}
