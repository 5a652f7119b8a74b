/**
 * Decisions in compact form. A `DecisionRecord` holds what a Decision is made of (the
 * outcome's shared parts, the charges' figures, the hints) and builds the Decision for
 * an order id on demand. The in-memory ledger keeps records instead of Decisions: a
 * decision that charges nothing and has no hints is its outcome's shape, compiled with
 * the policy and shared, and one with a single charge is one small object, not the
 * Decision with its charge and strings. Holding fewer objects per order is most of the ledger's cost
 * (garbage collection of 10^5 retained decisions), and building a Decision again from
 * the same record gives the same JSON, byte for byte.
 */
import type { Charge, Decision, Outcome, PolicyIdentity, Reason, Review } from "./types.js";
import type { Pending } from "./model.js";
import { decimalQ } from "./quantity.js";

const NO_CHARGES: readonly Charge[] = Object.freeze([]);
const NONE: readonly never[] = Object.freeze([]);

/** The figures of one charge. */
type ChargeFigures = Pick<Pending, "cap" | "key" | "window" | "amount" | "before" | "after" | "limit">;

function chargeOf(c: ChargeFigures): Charge {
  return {
    cap: c.cap.name,
    key: c.key,
    window: c.window,
    amount: decimalQ(c.amount),
    before: decimalQ(c.before),
    after: decimalQ(c.after),
    limit: c.cap.constantLimitText ?? (c.limit === undefined ? "0" : decimalQ(c.limit)),
  };
}

/** Decision charge objects for accepted cap checks. */
export function chargesOf(pending: readonly Pending[]): readonly Charge[] {
  if (pending.length === 0) return NO_CHARGES;
  const out: Charge[] = new Array<Charge>(pending.length);
  for (let i = 0; i < pending.length; i++) out[i] = chargeOf(pending[i] as Pending);
  return out;
}

/** A decision as the ledger keeps it: the Decision is built again on request. */
export interface DecisionRecord {
  decision(id: string): Decision;
}

/** Keys in the documented order, so equal records serialize byte-identically. */
function build(id: string, shape: DecisionShape, reasons: readonly Reason[], charges: readonly Charge[], hints: readonly string[]): Decision {
  const { outcome, basis, review, obligations, policy } = shape;
  if (basis !== undefined) {
    return obligations.length === 0 ? { order: id, outcome, basis, reasons, charges, policy } : { order: id, outcome, basis, reasons, charges, obligations, policy };
  }
  if (review !== undefined) {
    return hints.length === 0 ? { order: id, outcome, review, reasons, charges, policy } : { order: id, outcome, review, reasons, charges, hints, policy };
  }
  return hints.length === 0 ? { order: id, outcome, reasons, charges, policy } : { order: id, outcome, reasons, charges, hints, policy };
}

/**
 * What every decision of one rule outcome shares (built with the policy). It is also the
 * whole record of such a decision when it charges nothing and has no hints or extra reasons.
 */
export class DecisionShape implements DecisionRecord {
  constructor(
    readonly outcome: Exclude<Outcome, "invalid">,
    readonly basis: string | undefined,
    readonly review: Review | undefined,
    readonly reasons: readonly Reason[],
    readonly obligations: readonly string[],
    readonly policy: PolicyIdentity,
  ) {}

  decision(id: string): Decision {
    return build(id, this, this.reasons, NO_CHARGES, NONE);
  }
}

/** A decision with its own reasons, hints or charges (any number of charges). */
class OwnRecord implements DecisionRecord {
  constructor(
    readonly shape: DecisionShape,
    readonly reasons: readonly Reason[],
    readonly hints: readonly string[],
    readonly checks: readonly Pending[],
  ) {}

  decision(id: string): Decision {
    return build(id, this.shape, this.reasons, chargesOf(this.checks), this.hints);
  }
}

/** The common charged decision: one charge, its figures held here rather than in the cap check (one object per order). */
class OneChargeRecord implements DecisionRecord {
  readonly cap: Pending["cap"];
  readonly key: string;
  readonly window: string;
  readonly amount: Pending["amount"];
  readonly before: Pending["before"];
  readonly after: Pending["after"];
  readonly limit: Pending["limit"];

  constructor(
    readonly shape: DecisionShape,
    readonly reasons: readonly Reason[],
    readonly hints: readonly string[],
    c: Pending,
  ) {
    this.cap = c.cap;
    this.key = c.key;
    this.window = c.window;
    this.amount = c.amount;
    this.before = c.before;
    this.after = c.after;
    this.limit = c.limit;
  }

  decision(id: string): Decision {
    return build(id, this.shape, this.reasons, [chargeOf(this)], this.hints);
  }
}

/** The record of a decision: its shape alone when it has nothing of its own. */
export function recordOf(shape: DecisionShape, reasons: readonly Reason[], checks: readonly Pending[], hints: readonly string[]): DecisionRecord {
  if (checks.length === 0 && hints.length === 0 && reasons === shape.reasons) return shape;
  return checks.length === 1 ? new OneChargeRecord(shape, reasons, hints, checks[0] as Pending) : new OwnRecord(shape, reasons, hints, checks);
}
