/**
 * PolicyRules, a layer of the parser's class chain (see ../parser.ts): the declarations
 * that say what a file is: the policy header (`policy "..." { version ... }` and its
 * clauses), `import` and `policyset`.
 */
import type { IRecognitionException } from "chevrotain";
import type { ErrorClause, ImportDecl, NoteClause, PolicyClause, PolicyDecl, PolicySetDecl, UseClause } from "../../ast.js";
import * as T from "../tokens.js";
import { ConditionRules } from "./conditions.js";
import { POLICY_BLOCK, POLICYSET_BLOCK } from "./recovery.js";
import { EXPECT, OPEN } from "./args.js";

export abstract class PolicyRules extends ConditionRules {
  readonly importDecl = this.RULE("importDecl", (): ImportDecl => {
    const kw = this.consume(0, T.Import);
    const start = this.startOf(kw);
    const path = this.leaf(0, this.string, this.stringBody, EXPECT.importPath);
    return { kind: "ImportDecl", path, range: this.span(start) };
  });

  readonly policyDecl = this.RULE("policyDecl", (): PolicyDecl => {
    const kw = this.consume(0, T.Policy);
    const start = this.startOf(kw);
    const title = this.leaf(0, this.string, this.stringBody, EXPECT.policyTitle);
    const cite = this.optionalCite();
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.policy);
    const clauses: PolicyClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.policyClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(POLICY_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the policy header");
    return { kind: "PolicyDecl", title, cite, clauses, range: this.span(start) };
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
                value: this.leaf(0, this.string, this.stringBody, EXPECT.version),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Effective));
              return {
                kind: "EffectiveClause",
                date: this.leaf(0, this.date, this.dateBody, EXPECT.date),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Until));
              return {
                kind: "UntilClause",
                date: this.leaf(1, this.date, this.dateBody, EXPECT.date),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Compliance));
              return {
                kind: "ComplianceClause",
                date: this.leaf(2, this.date, this.dateBody, EXPECT.date),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Supersedes));
              return {
                kind: "SupersedesClause",
                version: this.leaf(1, this.string, this.stringBody, EXPECT.version),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      return this.clauseCite(clause, false);
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly policySetDecl = this.RULE("policySetDecl", (): PolicySetDecl => {
    const kw = this.consume(0, T.PolicySet);
    const start = this.startOf(kw);
    const title = this.leaf(0, this.string, this.stringBody, EXPECT.policySetTitle);
    const cite = this.optionalCite();
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.policySet);
    const uses: (UseClause | NoteClause | ErrorClause)[] = [];
    for (;;) {
      this.many(0, () => {
        this.or(0, [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Use));
              const path = this.leaf(1, this.string, this.stringBody, EXPECT.importPath);
              uses.push({ kind: "UseClause", path, range: this.span(s) });
            },
          },
          { ALT: () => uses.push(this.sub(0, this.note)) },
        ]);
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(POLICYSET_BLOCK, true)) break;
    }
    this.expectClose(101, open ?? kw, "the policy set");
    return { kind: "PolicySetDecl", title, cite, uses, range: this.span(start) };
  });
}
