/**
 * Public contracts of the engine: Order (v1), Decision (v1), the Ledger interface.
 * See ../shared/DESIGN.md "Contracts". Quantities in decisions are exact decimal
 * strings ("26898568", "15831.2"); inside the engine they are `Rational`s.
 */
import type { Rational, IsoDate, Range } from "@diffuse/language";

// ---------------------------------------------------------------------------
// Orders (v1): what callers pass in. Unvalidated input is `unknown`; the engine
// validates it and returns an "invalid" decision for bad orders, never throws.

export interface OrderItemCatalog {
  readonly item: string;
  readonly quantity: number | string;
}
export interface OrderItemChip {
  readonly tppPerUnit: number | string;
  readonly performanceDensity?: number | string;
  readonly quantity: number | string;
  /** Designed or marketed for data centers; default true. */
  readonly dataCenter?: boolean;
  readonly description?: string;
}
export interface OrderItemWeights {
  readonly modelWeights: { readonly trainingOps: number | string; readonly openWeights: boolean; readonly name?: string };
}
export type OrderItem = OrderItemCatalog | OrderItemChip | OrderItemWeights;

export interface Order {
  readonly id: string;
  readonly date: IsoDate;
  readonly destination: string;
  readonly exporter?: string;
  readonly consignee: {
    readonly id: string;
    readonly name?: string;
    readonly headquarters?: string;
    readonly statuses?: readonly string[];
    readonly capacityTpp?: number | string;
  };
  readonly items: readonly OrderItem[];
}

// ---------------------------------------------------------------------------
// Decisions (v1)

export type Outcome = "authorized" | "license-required" | "prohibited" | "invalid";
export type Review = "presumption-of-approval" | "case-by-case" | "presumption-of-denial";

export interface SourceLocation {
  /** The declaring file's URI or path as the caller loaded it (imports resolved against the entry's); see docs/engine.md. */
  readonly path: string;
  /** 0-based LSP positions. */
  readonly range: {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
  };
}

export interface Reason {
  /** The rule's policy name (e.g. "LPP", "chips", "country_allocation"). */
  readonly rule: string;
  readonly message: string;
  readonly cite?: string;
  readonly source: SourceLocation;
}

export interface Charge {
  readonly cap: string;
  /** e.g. "MY", "uni-my", "uni-my|MY", "*" for global. */
  readonly key: string;
  /** e.g. "2025", "2025-01-01..2027-12-31", "all time", "through 2025-12-31". */
  readonly window: string;
  readonly amount: string;
  readonly before: string;
  readonly after: string;
  readonly limit: string;
}

export interface OrderError {
  /** JSON path of the bad field, e.g. "items[1].quantity". */
  readonly field: string;
  readonly message: string;
  /** Advice on fixing it (additive to v1). */
  readonly help?: string;
}

export interface Decision {
  readonly order: string;
  readonly outcome: Outcome;
  readonly basis?: string;
  readonly review?: Review;
  readonly reasons: readonly Reason[];
  readonly charges: readonly Charge[];
  readonly errors?: readonly OrderError[];
  /** Obligations attached by the authorizing exception (e.g. "notify BIS"). */
  readonly obligations?: readonly string[];
  /** Counterfactual help on decisions that are not authorized. */
  readonly hints?: readonly string[];
  /** Set when the order id was already decided on this ledger: the recorded decision is returned, nothing is charged again. */
  readonly alreadyDecided?: boolean;
  readonly policy: { readonly name: string; readonly version: string; readonly sha256: string };
}

// ---------------------------------------------------------------------------
// Ledger

/** One cap charge as stored on a ledger. */
export interface LedgerCharge {
  readonly cap: string;
  readonly key: string;
  /** Window label, as in Decision charges. */
  readonly window: string;
  /** Order date: windows are answered by summing charges dated inside them. */
  readonly date: IsoDate;
  readonly amount: Rational;
}

export interface LedgerEntry {
  readonly orderId: string;
  readonly date: IsoDate;
  readonly decision: Decision;
  readonly policySha256: string;
  readonly charges: readonly LedgerCharge[];
  /**
   * The digest of the order's content (digest.ts), kept so that the id given again with
   * different content is told apart from a repeat. Undefined from callers that have none.
   */
  readonly orderDigest?: number;
}

export interface Ledger {
  /** Sum of charges to (cap, key) dated in [from, to] (inclusive; `from` undefined = since the beginning). */
  usage(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Rational;
  /**
   * Optional fast path: the same sum as `usage` as a JavaScript number when it is a safe
   * integer, or undefined (the engine then asks `usage`). The engine reads usage several
   * times an order; this spares it a bigint round trip each time.
   */
  usageInteger?(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): number | undefined;
  /** Append one order's decision and charges atomically. */
  record(entry: LedgerEntry): void;
  /** The decision recorded for an order id, if any. */
  decided(orderId: string): Decision | undefined;
  /**
   * The content digest recorded with an order id's decision; undefined when there is no
   * decision or it was recorded without one (an older ledger). Optional: a ledger that
   * keeps no digests cannot tell a repeat from another order under the same id.
   */
  orderDigest?(orderId: string): number | undefined;
  /** Run `fn` as one unit: a durable ledger commits it in one transaction. */
  batch<T>(fn: () => T): T;
}

export type { Range };

// ---------------------------------------------------------------------------
// Evaluators (implemented in compile.ts; signatures agreed here)

/** Options of `compileSet`. */
export interface CompileSetOptions {
  /**
   * The set's own name (a `policyset`'s title, `CheckResult.policySet.title`): the
   * `policy.name` of a decision that no version made (none in force on its date).
   * Default: the first version's title.
   */
  readonly name?: string;
}

export interface EvaluateOptions {
  /** Charge licenses under presumption of approval to their `charging` caps as if granted (default true). */
  readonly chargeLicenses?: boolean;
  /** Pick the policy version in force on this date instead of each order's date (policy sets only). */
  readonly asOf?: IsoDate;
  /** Decide without recording anything on the ledger (explain, counterfactuals). */
  readonly dryRun?: boolean;
  /** Compute counterfactual hints on decisions that are not authorized (default true; additive to v1). */
  readonly hints?: boolean;
  /**
   * Problems in the order's text that its parsed value cannot show, found by whoever
   * parsed it (a JSON key given twice, of which `JSON.parse` keeps the last): the order
   * is invalid with these errors and any of its own, and nothing is charged.
   */
  readonly orderErrors?: readonly OrderError[];
}

export interface PolicyIdentity {
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
}

/** One consulted rule in an explanation, in the order it was consulted. */
export interface TraceStep {
  readonly rule: string;
  /** What kind of rule: class, decide, authorize, license, prohibit, cap, when, ... */
  readonly kind: string;
  readonly applied: boolean;
  /** The values that decided it, e.g. "26,914,400 TPP > 26,900,000 TPP LPP limit for consignee uni-my in 2025". */
  readonly detail: string;
  readonly cite?: string;
  readonly source?: SourceLocation;
  readonly children?: readonly TraceStep[];
}

export interface Explanation {
  readonly decision: Decision;
  readonly trace: readonly TraceStep[];
}

/**
 * A compiled policy (or policy set): built once, used for many orders.
 * `evaluate` never throws on bad input; an invalid order yields outcome "invalid".
 * Unless `dryRun`, a decided order is recorded on the ledger (decision + charges, atomically);
 * an order id already on the ledger returns its recorded decision with `alreadyDecided: true`.
 */
export interface Evaluator {
  /** The policy (for a set: the versions, oldest first). */
  readonly policies: readonly PolicyIdentity[];
  /** The names of the policy's caps (for a set: of any of its versions), sorted: what a ledger's charges may name. */
  readonly caps: readonly string[];
  /**
   * What an authorized decision's `basis` may name (for a set: under any version), sorted:
   * `NLR` and each authorization an `authorize` rule names. A basis joining several
   * (`AIA + LPP`) names them all.
   */
  readonly bases: readonly string[];
  /** What a reason's `rule` may name (for a set: under any version), sorted: the bases, the decide blocks and the caps. */
  readonly rules: readonly string[];
  /** The version that decides an order dated `date` (or any order, under `asOf: date`); undefined when no version of a set is in force then. A single policy is in force on every date. */
  inForce(date: IsoDate): PolicyIdentity | undefined;
  evaluate(order: unknown, ledger: Ledger, options?: EvaluateOptions): Decision;
  explain(order: unknown, ledger: Ledger, options?: EvaluateOptions): Explanation;
}
