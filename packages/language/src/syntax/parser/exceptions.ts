/**
 * ExceptionRules, a layer of the parser's class chain (see ../parser.ts): `exception` and
 * `status` declarations, which share one body of clauses (`when`, `within`, `counts
 * toward`, `requires`).
 */
import type { IRecognitionException, IToken } from "chevrotain";
import type { AuthorizationClause, ExceptionDecl, StatusDecl } from "../../ast.js";
import * as T from "../tokens.js";
import { CapRules } from "./caps.js";
import { AUTH_BLOCK } from "./recovery.js";
import { EXPECT, OPEN } from "./args.js";

export abstract class ExceptionRules extends CapRules {
  /** Body shared by `exception` and `status`. */
  readonly authBody = this.RULE("authBody", (kw: IToken, what: string): AuthorizationClause[] => {
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.auth);
    const clauses: AuthorizationClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.authClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(AUTH_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, what);
    return clauses;
  });

  readonly exceptionDecl = this.RULE("exceptionDecl", (): ExceptionDecl => {
    const kw = this.consume(0, T.Exception);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.exceptionName);
    const clauses = this.sub(0, this.authBody, { ARGS: [kw, "the exception"] });
    return { kind: "ExceptionDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
  });

  readonly statusDecl = this.RULE("statusDecl", (): StatusDecl => {
    const kw = this.consume(0, T.Status);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.statusName);
    const clauses = this.sub(0, this.authBody, { ARGS: [kw, "the status"] });
    return { kind: "StatusDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
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
                caps: this.sub(0, this.nameList, EXPECT.capName),
                cite: undefined,
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
                      cite: undefined,
                      range: this.span(s),
                    };
                  },
                },
                {
                  ALT: () => ({
                    kind: "CountsTowardClause" as const,
                    caps: this.sub(1, this.nameList, EXPECT.capNameOrNothing),
                    nothing: false,
                    cite: undefined,
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
                text: this.leaf(0, this.string, this.stringBody, EXPECT.obligation),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      return this.clauseCite(clause, true);
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );
}
