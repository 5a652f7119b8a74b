/** The compiled form of a policy: plain records and closures, built once by compile.ts. */
import type { AuthorizationModel, CapModel, IsoDate, ReviewPolicy } from "@diffuse/language";
import type { Ledger, Outcome, PolicyIdentity, Reason, Review, SourceLocation } from "./types.js";
import type { Catalog, OrderLine, OrderFacts } from "./order.js";
import type { WindowSpan } from "./caps.js";
import type { Quantity } from "./quantity.js";
import type { DecisionShape } from "./record.js";
import type { DensityProbes } from "./density.js";

/** A charge accepted during one evaluation, before it is recorded: an applicable cap check. */
export type Pending = CapCheck;

/** What conditions are evaluated against: the order plus the lines being decided. */
export interface Ctx {
  readonly order: OrderFacts;
  readonly ledger: Ledger;
  /** Lines being decided (one line while classifying). One context is reused through a decision. */
  lines: readonly OrderLine[];
  /** Class name of each line (undefined while classifying). */
  classes: readonly (string | undefined)[];
  /** TPP of the lines. */
  amount: Quantity;
  /** Units of the lines. */
  units: Quantity;
  /** Accepted charges so far (shared empty list until the first: see addPending). */
  pending: Pending[];
  /**
   * The lines of each pending charge, in step with `pending`, when the order's lines are
   * decided in groups (an order of several lines); undefined for a single line, for
   * which every charge is.
   */
  pendingLines: (readonly OrderLine[])[] | undefined;
  /** Authorizations that failed only on caps, for reasons and hints (created when needed). */
  failures: CapFailure[] | undefined;
  /** Review cases passed over before the one a license rule took, for reasons (created when needed). */
  skippedReviews: SkippedReview[] | undefined;
}

export interface CapFailure {
  readonly auth: CAuth;
  /** The decide block whose rule tried the authorization. */
  readonly block: CBlock;
  readonly checks: readonly CapCheck[];
  readonly lines: readonly OrderLine[];
  /**
   * For each check, the lines of the charges to its cap and key that the evaluation had
   * accepted before it (earlier blocks'), once per charge: a line there counts in the
   * check's usage as well as (if it is one of `lines`) in its amount. Undefined when
   * nothing had been charged. For hints: how far a smaller line lowers the total.
   */
  readonly charged: readonly (readonly OrderLine[])[] | undefined;
}

/** A review case of a license rule whose condition did not hold, before the case the rule took. */
export interface CReviewCase {
  readonly review: ReviewPolicy;
  readonly when: CCond | undefined;
  /** The cap when `when` is only `within CAP` (the usual case): its check, kept when the case is passed over, describes why. */
  readonly withinCap: CCap | undefined;
  readonly verdict: BlockVerdict;
  readonly text: string;
  /** "review presumption of approval not available: ", the start of the reason when the case is passed over. */
  readonly unavailable: string;
  readonly cite: string | undefined;
  readonly source: SourceLocation;
}

/** A review case passed over, with what it was tested on (its message is built only for the Decision, not for hint trials). */
export interface SkippedReview {
  readonly block: string;
  readonly review: CReviewCase;
  /** The failed check of a `within CAP` case. */
  readonly check: CapCheck | undefined;
  /** Otherwise a copy of the context the case was tested in (the context itself moves on). */
  readonly ctx: Ctx | undefined;
}

export interface CCond {
  readonly test: (ctx: Ctx) => boolean;
  /** The values that decided it, for explanations (e.g. "destination MY in tier2"). */
  readonly describe: (ctx: Ctx) => string;
}

export interface CCap {
  readonly name: string;
  readonly model: CapModel;
  readonly unit: string;
  readonly when: readonly CCond[];
  readonly key: (o: OrderFacts) => string;
  readonly keyDescribe: (o: OrderFacts) => string;
  readonly source: SourceLocation;
  readonly cite: string | undefined;
  /** Decimal text of a constant limit (absolute limit, no modifiers). */
  readonly constantLimitText: string | undefined;
  /** The same with thousands separators (messages). */
  readonly constantLimitGrouped: string | undefined;
  /** For a percent-of-capacity cap, " (7 % of capacity plus this order)" (messages); otherwise "". */
  readonly percentText: string;
  /** The absolute limit, when the limit is absolute. */
  readonly absoluteLimit: Quantity | undefined;
  /** Modifier factors are usually whole numbers: as Quantities. */
  readonly modifiers: readonly { readonly factor: Quantity; readonly cond: CCond }[];
  /** The percentage of a percent-of-capacity limit, as num/den (e.g. 7/100). */
  readonly percent: { readonly num: Quantity; readonly den: Quantity } | undefined;
  /** The check of an order this cap does not count (its `when` fails or no window covers the date); shared. */
  readonly notApplicable: CapCheck;
  /** The window containing a date (cached per calendar year). */
  readonly window: (date: IsoDate) => WindowSpan | undefined;
}

/** The outcome of testing one cap for the lines being decided. */
export interface CapCheck {
  readonly cap: CCap;
  /** False when the cap's `when` does not hold or its window does not cover the date: nothing to check or charge. */
  readonly applicable: boolean;
  readonly key: string;
  readonly window: string;
  readonly windowDescribe: string;
  readonly amount: Quantity;
  readonly before: Quantity;
  readonly after: Quantity;
  /** Undefined when the limit cannot be computed (percent cap without capacity). */
  readonly limit: Quantity | undefined;
  readonly factor: Quantity;
  readonly ok: boolean;
}

// ---------------------------------------------------------------------------
// Compiled policy

export interface CAuth {
  readonly model: AuthorizationModel;
  readonly when: readonly { readonly cond: CCond; readonly cite: string | undefined; readonly source: SourceLocation }[];
  readonly within: readonly CCap[];
  readonly countsToward: readonly CCap[];
  readonly obligations: readonly string[];
  /** "LPP not available: ", the start of the reason given when its caps fail. */
  readonly unavailable: string;
  /** The declaration (explanations: a status check points at it). */
  readonly source: SourceLocation;
}

export interface BlockVerdict {
  readonly outcome: Exclude<Outcome, "invalid">;
  readonly basis: string | undefined;
  readonly review: Review | undefined;
  readonly reason: Reason;
  readonly obligations: readonly string[];
  /** `[reason]`, shared. */
  readonly reasons: readonly Reason[];
  /** What every decision with this outcome shares. */
  readonly shape: DecisionShape;
  /** The verdict of an order that only this rule decided, with no charges and no failed caps (shared). */
  readonly alone: Verdict;
}

export type CRule =
  | {
      readonly kind: "prohibit";
      readonly when: CCond | undefined;
      readonly verdict: BlockVerdict;
      readonly text: string;
      readonly source: SourceLocation;
      readonly cite: string | undefined;
    }
  | {
      readonly kind: "authorize";
      readonly basis: string;
      readonly auth: CAuth | undefined;
      readonly when: CCond | undefined;
      /**
       * The conjuncts of the rule's and its authorization's conditions that read neither
       * statuses nor caps: when one is false, the rule cannot fire whatever the consignee
       * holds (used to skip hint trials that cannot succeed).
       */
      readonly staticGuard: readonly CCond[];
      readonly verdict: BlockVerdict;
      readonly text: string;
      readonly source: SourceLocation;
      readonly cite: string | undefined;
    }
  | {
      readonly kind: "license";
      readonly when: CCond | undefined;
      readonly charging: readonly CCap[];
      readonly reviews: readonly CReviewCase[];
      /** Used when no review case matches. */
      readonly fallback: BlockVerdict;
      readonly text: string;
      readonly source: SourceLocation;
      readonly cite: string | undefined;
    };

export interface CBlock {
  readonly name: string;
  readonly classes: ReadonlySet<string>;
  readonly rules: readonly CRule[];
  /** For each rule, the statuses its outcome depends on (`has S`, `authorize S`, conditions of its authorization and caps): used to skip hint trials that cannot succeed. */
  readonly statusRefs: readonly ReadonlySet<string>[];
  readonly nlr: BlockVerdict;
  readonly source: SourceLocation;
  readonly cite: string | undefined;
}

export interface CClass {
  readonly name: string;
  /** `[name]`, shared. */
  readonly names: readonly string[];
  /** For each decide block (by index), whether it lists this class. */
  readonly inBlock: readonly boolean[];
  readonly when: readonly { readonly cond: CCond; readonly cite: string | undefined; readonly source: SourceLocation }[];
  readonly source: SourceLocation;
  readonly cite: string | undefined;
}

/** An authorization a status can open, and the hint saying so. */
export interface StatusHint {
  readonly basis: string;
  readonly text: string;
}

export interface CompiledPolicy {
  readonly identity: PolicyIdentity;
  /** True when a class condition mentions a status (then any status may change a decision). */
  readonly classesUseStatuses: boolean;
  readonly effective: IsoDate | undefined;
  readonly until: IsoDate | undefined;
  readonly catalog: Catalog;
  readonly classes: readonly CClass[];
  /** The densities a chip without one is classified at to see whether its class turns on it (density.ts); undefined when no class reads `density`. */
  readonly densityProbes: DensityProbes | undefined;
  readonly blocks: readonly CBlock[];
  /** For each class index, the indexes of the decide blocks listing it. */
  readonly classBlocks: readonly (readonly number[])[];
  readonly statuses: readonly string[];
  /** The names of the policy's caps, sorted. */
  readonly caps: readonly string[];
  /** What an authorized decision's `basis` may name (each part of a joined one): `NLR` and the authorizations of `authorize` rules, sorted. */
  readonly bases: readonly string[];
  /** What a reason's `rule` may name: the bases, the decide blocks and the caps, sorted. */
  readonly rules: readonly string[];
  /**
   * For each status, the authorizations holding it can open and the hint naming each
   * (texts shared by every decision that carries them): the status itself, then each
   * exception whose conditions or `within` caps read it (ACM asks for ACM_end_user).
   */
  readonly statusHints: readonly (readonly StatusHint[])[];
  /** The decision when no line is controlled (shared). */
  readonly noControl: DecisionShape;
  readonly headerSource: SourceLocation;
}

/** A decide block that did not authorize, with what it decided on. */
export interface Blocked {
  readonly block: CBlock;
  /** Index of the rule that decided it (rules.length: none). */
  readonly at: number;
  readonly lines: readonly OrderLine[];
  readonly classes: readonly (string | undefined)[];
  readonly amount: Quantity;
  readonly units: Quantity;
}

/** The result of deciding one valid order, before it becomes a Decision. */
export interface Verdict {
  readonly outcome: Exclude<Outcome, "invalid">;
  readonly basis: string | undefined;
  readonly review: Review | undefined;
  /** The rules' reasons; a decision adds the `whyNot` ones after them. */
  readonly reasons: readonly Reason[];
  /** On decisions that are not authorized: authorizations that failed on their caps (their messages are built only for the Decision, not for hint trials). */
  readonly whyNot: readonly CapFailure[] | undefined;
  /** On license decisions: the review cases passed over before the one taken (why the review is not a more favourable one). */
  readonly skippedReviews: readonly SkippedReview[] | undefined;
  /** Charges to record (empty unless the outcome charges). */
  readonly charges: readonly Pending[];
  readonly obligations: readonly string[];
  /** Blocks that did not authorize. */
  readonly blocked: readonly Blocked[];
  /** How many decide blocks decided a line of the order. */
  readonly blocksRun: number;
  /** When several blocks decided lines: each, in the order run, with its own verdict (hints ask which authorization let a block through). */
  readonly byBlock: { readonly blocks: readonly CBlock[]; readonly verdicts: readonly BlockVerdict[] } | undefined;
  /** The shared shape of this outcome (one block or none); undefined when several blocks combine. */
  readonly shape: DecisionShape | undefined;
  /** Authorizations that failed only on a cap, for hints. */
  readonly capFailures: readonly CapFailure[];
}
