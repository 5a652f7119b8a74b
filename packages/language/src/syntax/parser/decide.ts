/**
 * DecideRules, a layer of the parser's class chain (see ../parser.ts): `decide` blocks
 * and their rules: `prohibit`, `authorize`, and `license` with its review policy (one
 * `review` or a block of review cases).
 */
import type { IRecognitionException } from "chevrotain";
import type { Condition, DecideDecl, Identifier, Missing, Review, ReviewCase, Rule } from "../../ast.js";
import * as T from "../tokens.js";
import { makeRange } from "../range.js";
import { ExceptionRules } from "./exceptions.js";
import { DECIDE_BLOCK, PRESUMPTIONS, REVIEW_BLOCK, REVIEW_POLICIES } from "./recovery.js";
import { EXPECT, OPEN } from "./args.js";

type ReviewPolicyName = "presumption-of-approval" | "presumption-of-denial";

export abstract class DecideRules extends ExceptionRules {
  readonly decideDecl = this.RULE("decideDecl", (): DecideDecl => {
    const kw = this.consume(0, T.Decide);
    const start = this.startOf(kw);
    const name = this.leaf(0, this.name, this.declarationNameBody, EXPECT.decideName);
    const early = this.optionalString(220);
    this.expectToken(100, T.For, "`for` and the classes it decides");
    const classes = this.sub(0, this.nameList, EXPECT.className);
    const cite = this.optionalCite();
    const title = this.titleAfterCite(name, early, cite);
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.decide);
    const rules: Rule[] = [];
    for (;;) {
      this.many(0, () => {
        rules.push(this.sub(0, this.rule));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(DECIDE_BLOCK, true)) break;
    }
    this.expectClose(101, open ?? kw, "the decide block");
    return { kind: "DecideDecl", name, title, cite, classes, rules, range: this.span(start) };
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
              return { kind: "ProhibitRule", condition, cite: undefined, range: this.span(s) };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Authorize));
              // `authorize when ...`: the basis left out, not `when` meant as a name.
              const basis =
                !this.RECORDING_PHASE && this.LA(1).tokenType === T.When
                  ? this.missing(EXPECT.basis.ARGS[0], undefined, "write what authorizes the order before `when`, e.g. `authorize NLR when ...`")
                  : this.leaf(0, this.name, this.nameBody, EXPECT.basis);
              const condition = this.sub(1, this.optWhen);
              return { kind: "AuthorizeRule", basis, condition, cite: undefined, range: this.span(s) };
            },
          },
          { ALT: () => this.sub(0, this.licenseRule) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      if (r.kind === "CiteClause" || r.kind === "NoteClause" || r.kind === "ErrorClause") return r;
      return this.withCite(r, this.optionalCite());
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly licenseRule = this.RULE("licenseRule", (): Rule => {
    const kw = this.consume(0, T.License);
    const s = this.startOf(kw);
    let charging: (Identifier | Missing)[] = [];
    this.optionAt(0, T.Charging, () => {
      this.consume(0, T.Charging);
      charging = this.sub(0, this.nameList, EXPECT.capName);
    });
    const condition = this.sub(0, this.optWhen);
    let trailing: Condition | undefined;
    const reviews: ReviewCase[] = [];
    this.or(0, [
      {
        ALT: () => {
          const rs = this.startOf(this.consume(0, T.Review));
          const review = this.sub(0, this.reviewPolicy);
          reviews.push({ kind: "ReviewCase", review, condition: undefined, cite: undefined, range: this.span(rs) });
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
            if (this.RECORDING_PHASE || !this.skipUnexpected(REVIEW_BLOCK, true)) break;
          }
          this.expectClose(101, open, "the review cases");
        },
      },
      {
        ALT: () => void this.missing("`review` and a review policy, or a `{ ... }` block of review cases"),
      },
    ]);
    const range = this.span(s);
    let both: Condition | undefined = condition ?? trailing;
    if (condition && trailing && !this.RECORDING_PHASE)
      both = {
        kind: "AndCondition",
        operands: [condition, trailing],
        range: makeRange(condition.range.start, trailing.range.end),
      };
    return { kind: "LicenseRule", charging, reviews, condition: both, cite: undefined, range };
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
    return { kind: "ReviewCase", review, condition, cite, range: this.span(s) };
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
                { ALT: () => this.missing("`approval` or `denial`", PRESUMPTIONS) },
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
          ALT: () => this.missing("a review policy (`presumption of approval`, `case-by-case` or `presumption of denial`)", REVIEW_POLICIES),
        },
      ]),
    ),
  );
}
