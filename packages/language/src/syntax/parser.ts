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
 *
 * The grammar is split by concern into a chain of classes, one file each in parser/. A
 * layer's rules use only rules of its own layer or of the layers below it (chevrotain
 * records inherited rules like its own), and only this last class calls
 * `performSelfAnalysis`, once every layer's rules are defined:
 * - base.ts: `ParserBase`, the helpers (reporting, ranges, recovery, hot-path shortcuts), no rules;
 * - shared.ts: names, strings, dates, `cite`, `note`, name lists, a declaration's header, `{`;
 * - quantities.ts: quantities and units;
 * - sets.ts: country set expressions, `group` and `disjoint`;
 * - conditions.ts: conditions and the `when` clause;
 * - policy.ts: the policy header, `import` and `policyset`;
 * - catalog.ts: `item`, `model` and `class`;
 * - caps.ts: `cap` and its clauses (keys, windows, schedules);
 * - exceptions.ts: `exception` and `status`;
 * - decide.ts: `decide` blocks and their rules;
 * - this file: `DiffuseParser`, the whole file and the choice of declaration.
 * Tables the layers share: recovery.ts (what recovery knows about each block), args.ts
 * (sub-rule arguments) and token-text.ts (a token's text, end and description).
 */
import type { IRecognitionException } from "chevrotain";
import type { Declaration } from "../ast.js";
import { DecideRules } from "./parser/decide.js";
import { TOP_LEVEL } from "./parser/recovery.js";

export class DiffuseParser extends DecideRules {
  constructor() {
    super();
    this.performSelfAnalysis();
    // See the module comment: chevrotain's in-repetition re-sync is replaced by skipUnexpected.
    Reflect.set(this, "attemptInRepetitionRecovery", () => undefined);
  }

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
}
