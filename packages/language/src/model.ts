/**
 * The checked policy model: what `check` produces and the engine compiles.
 *
 * Names are resolved, values are exact (`Rational`, bigint-based), dated country
 * sets are flattened to membership intervals. Every element keeps the `SourceRef`
 * of the text it came from, so decisions can point at the policy.
 *
 * Plain data only (no classes, no functions): the model can be cached, compared
 * and sent to a worker.
 */
import type { Range, ReviewPolicy, KeyPart, CompareOp } from "./ast.js";

/** An exact rational number `num / den` with `den > 0` and gcd(num, den) = 1. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Where in which file a model element was written. */
export interface SourceRef {
  readonly uri: string;
  readonly range: Range;
}

/** An ISO date `YYYY-MM-DD`; comparable as a string. */
export type IsoDate = string;

/** Quantity kinds the checker distinguishes. */
export type QuantityUnit = "TPP" | "units" | "ops" | "percent" | "count";

/** A value with its unit. Percentages hold the fraction: `7 %` is 7/100. */
export interface ExactQuantity {
  readonly unit: QuantityUnit;
  readonly value: Rational;
}

// ---------------------------------------------------------------------------

export interface PolicyHeader {
  readonly title: string;
  readonly version: string;
  /** Inclusive. */
  readonly effective: IsoDate;
  /** Exclusive; absent when open-ended. */
  readonly until?: IsoDate;
  readonly compliance?: IsoDate;
  readonly supersedes?: string;
  readonly cite?: string;
  readonly source: SourceRef;
}

/** A country's membership in a group over a half-open date interval [from, until). */
export interface MembershipInterval {
  readonly country: string;
  /** Inclusive; absent = since always. */
  readonly from?: IsoDate;
  /** Exclusive; absent = for ever. */
  readonly until?: IsoDate;
}

export interface GroupModel {
  readonly name: string;
  readonly title?: string | undefined;
  readonly cite?: string | undefined;
  /** Sorted by country, then by `from`. Intervals of one country never overlap. */
  readonly members: readonly MembershipInterval[];
  readonly source: SourceRef;
}

export interface ItemModel {
  readonly name: string;
  readonly title?: string;
  readonly tppPerUnit: Rational;
  readonly performanceDensity?: Rational;
  readonly eccn?: string;
  /** Designed or marketed for data centers (default true, the conservative reading). */
  readonly dataCenter: boolean;
  readonly cite?: string;
  readonly source: SourceRef;
}

export interface ModelWeightsModel {
  readonly name: string;
  readonly title?: string;
  readonly trainingOps: Rational;
  readonly openWeights: boolean;
  readonly cite?: string;
  readonly source: SourceRef;
}

// ---------------------------------------------------------------------------
// Lowered conditions: a small closed IR the engine compiles to closures.

export type Cond =
  | { readonly kind: "const"; readonly value: boolean; readonly source: SourceRef }
  | { readonly kind: "and"; readonly operands: readonly Cond[]; readonly source: SourceRef }
  | { readonly kind: "or"; readonly operands: readonly Cond[]; readonly source: SourceRef }
  | { readonly kind: "not"; readonly operand: Cond; readonly source: SourceRef }
  /** Country membership on the order's date. `set` is a resolved, flattened set. */
  | {
      readonly kind: "in";
      readonly subject: "destination" | "headquarters";
      readonly set: CountrySetRef;
      readonly source: SourceRef;
    }
  | { readonly kind: "has"; readonly status: string; readonly source: SourceRef }
  | { readonly kind: "is"; readonly itemClass: string; readonly source: SourceRef }
  | { readonly kind: "within"; readonly cap: string; readonly source: SourceRef }
  | {
      readonly kind: "compare";
      readonly measure: "amount" | "quantity" | "capacity" | "tpp" | "density" | "operations";
      readonly op: CompareOp;
      readonly value: ExactQuantity;
      readonly source: SourceRef;
    }
  | { readonly kind: "date"; readonly op: CompareOp; readonly value: IsoDate; readonly source: SourceRef }
  | { readonly kind: "flag"; readonly flag: "chip" | "model" | "datacenter" | "open"; readonly source: SourceRef };

/** A country set after set algebra: a named group, or an anonymous set written inline. */
export interface CountrySetRef {
  /** Group name, or undefined for an inline expression. */
  readonly group?: string;
  /** Text of the expression as written, for explanations (`tier2`, `{ US }`). */
  readonly display: string;
  readonly members: readonly MembershipInterval[];
}

// ---------------------------------------------------------------------------

export interface ClassModel {
  readonly name: string;
  readonly title?: string;
  readonly eccn?: string;
  /** All `when` clauses, each kept with its own citation. */
  readonly when: readonly WhenModel[];
  readonly cite?: string;
  readonly source: SourceRef;
}

export interface WhenModel {
  readonly cond: Cond;
  readonly cite?: string;
  readonly source: SourceRef;
}

export type CapWindow =
  | { readonly kind: "calendar-year" }
  | { readonly kind: "fixed"; readonly from: IsoDate; readonly to: IsoDate /* inclusive */ }
  | { readonly kind: "rolling"; readonly length: number; readonly unit: "days" | "months" | "years" }
  | { readonly kind: "all-time" }
  /** Cumulative through each step's date; the first step whose `through` is on or after the order date applies; after the last step, the last limit stays. */
  | { readonly kind: "schedule"; readonly steps: readonly ScheduleStepModel[] };

export interface ScheduleStepModel {
  readonly through: IsoDate;
  readonly limit: ExactQuantity;
  readonly cite?: string;
  readonly source: SourceRef;
}

export type CapLimit =
  /** An absolute limit in TPP or units (absent for schedule caps, whose steps carry it). */
  | { readonly kind: "absolute"; readonly value: ExactQuantity }
  /** A share of the consignee's global capacity (order `consignee.capacityTpp` + this order's amount). */
  /** `percent` is the fraction itself: `7 % of capacity` is 7/100. */
  | { readonly kind: "percent-of-capacity"; readonly percent: Rational }
  | { readonly kind: "schedule" };

export interface CapModifier {
  readonly factor: Rational;
  readonly when: Cond;
  readonly cite?: string;
  readonly source: SourceRef;
}

export interface CapModel {
  readonly name: string;
  readonly title?: string;
  /** What is counted: TPP or units (percent caps count TPP). */
  readonly measure: "TPP" | "units";
  readonly limit: CapLimit;
  readonly key: readonly KeyPart[];
  readonly window: CapWindow;
  readonly modifiers: readonly CapModifier[];
  /** Orders counted toward this cap must also meet these (e.g. `when destination in tier2`). */
  readonly when: readonly WhenModel[];
  readonly cite?: string;
  readonly source: SourceRef;
}

export interface AuthorizationModel {
  readonly kind: "exception" | "status";
  readonly name: string;
  readonly title?: string;
  readonly when: readonly WhenModel[];
  /** Caps checked and charged. */
  readonly within: readonly string[];
  /** Caps charged without a check. Empty with `countsTowardNothing` when the policy says so. */
  readonly countsToward: readonly string[];
  readonly countsTowardNothing: boolean;
  readonly requires: readonly { readonly text: string; readonly cite?: string; readonly source: SourceRef }[];
  readonly cite?: string;
  readonly source: SourceRef;
}

export interface ReviewCaseModel {
  readonly review: ReviewPolicy;
  /** Absent for `otherwise`. */
  readonly when?: Cond;
  readonly cite?: string;
  readonly source: SourceRef;
}

export type RuleModel =
  | { readonly kind: "prohibit"; readonly when?: Cond; readonly cite?: string; readonly source: SourceRef }
  | {
      readonly kind: "authorize";
      readonly basis: string /* authorization name or "NLR" */;
      readonly when?: Cond;
      readonly cite?: string;
      readonly source: SourceRef;
    }
  | {
      readonly kind: "license";
      readonly when?: Cond;
      readonly charging: readonly string[];
      readonly reviews: readonly ReviewCaseModel[];
      readonly cite?: string;
      readonly source: SourceRef;
    };

export interface DecideModel {
  readonly name: string;
  readonly title?: string;
  readonly classes: readonly string[];
  readonly rules: readonly RuleModel[];
  readonly notes: readonly string[];
  readonly cite?: string;
  readonly source: SourceRef;
}

/** A checked policy: one entry file plus everything it imports. */
export interface PolicyModel {
  /** URI of the entry file. */
  readonly uri: string;
  /** Absent for a library file (catalog, country groups) without a `policy` header. */
  readonly header?: PolicyHeader;
  readonly groups: ReadonlyMap<string, GroupModel>;
  readonly disjoint: readonly { readonly groups: readonly string[]; readonly source: SourceRef }[];
  readonly items: ReadonlyMap<string, ItemModel>;
  readonly models: ReadonlyMap<string, ModelWeightsModel>;
  /** In declaration order: an item line takes the first class whose conditions it meets. */
  readonly classes: readonly ClassModel[];
  readonly caps: ReadonlyMap<string, CapModel>;
  readonly authorizations: ReadonlyMap<string, AuthorizationModel>;
  /** In declaration order. */
  readonly decisions: readonly DecideModel[];
  /** Source text of every file that makes up the policy (entry first, then imports in load order). */
  readonly sources: readonly { readonly uri: string; readonly text: string }[];
}
