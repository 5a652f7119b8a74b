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
import type { IRecognitionException, IToken } from "chevrotain";
import type {
  AuthorizationClause,
  CapClause,
  CapDecl,
  CapKey,
  ClassClause,
  ClassDecl,
  Condition,
  DecideDecl,
  Declaration,
  ErrorClause,
  ExceptionDecl,
  Identifier,
  ImportDecl,
  ItemClause,
  ItemDecl,
  KeyPart,
  Missing,
  ModelClause,
  ModelDecl,
  NoteClause,
  PolicyClause,
  PolicyDecl,
  PolicySetDecl,
  Quantity,
  Range,
  Review,
  ReviewCase,
  Rule,
  ScheduleStep,
  StatusDecl,
  UseClause,
  Window,
} from "../ast.js";
import * as T from "./tokens.js";
import { makeRange } from "./range.js";
import { ConditionRules } from "./parser/conditions.js";
import {
  AUTH_BLOCK,
  CAP_BLOCK,
  CLASS_BLOCK,
  DECIDE_BLOCK,
  ITEM_BLOCK,
  MODEL_BLOCK,
  POLICY_BLOCK,
  POLICYSET_BLOCK,
  REVIEW_BLOCK,
  SCHEDULE_BLOCK,
  TOP_LEVEL,
} from "./parser/recovery.js";
import {
  ARGS_2,
  ARGS_5,
  ARGS_6,
  ARGS_7,
  ARGS_8,
  ARGS_10,
  ARGS_11,
  ARGS_12,
  ARGS_13,
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

type ReviewPolicyName = "presumption-of-approval" | "presumption-of-denial";

export class DiffuseParser extends ConditionRules {
  constructor() {
    super();
    this.performSelfAnalysis();
    // See the module comment: chevrotain's in-repetition re-sync is replaced by skipUnexpected.
    Reflect.set(this, "attemptInRepetitionRecovery", () => undefined);
  }

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
