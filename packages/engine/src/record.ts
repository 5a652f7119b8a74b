/**
 * Decisions in compact form. A `DecisionRecord` holds what a Decision is made of (the
 * outcome's shared parts, the charges' figures, the hints) and builds the Decision for
 * an order id on demand. The in-memory ledger keeps records instead of Decisions: a
 * decision that charges nothing and has no hints is its outcome's shape, compiled with
 * the policy and shared, and one with a single charge is a row of columns (columns.ts),
 * not the Decision with its charge and strings. Holding fewer objects per order is most
 * of the ledger's cost (garbage collection of 10^5 retained decisions), and building a
 * Decision again from the same record gives the same JSON, byte for byte.
 */
import type { Charge, Decision, Outcome, PolicyIdentity, Reason, Review, SourceLocation } from "./types.js";
import type { Pending } from "./model.js";
import { addQ, decimalQ } from "./quantity.js";

export const NO_CHARGES: readonly Charge[] = Object.freeze([]);
const NONE: readonly never[] = Object.freeze([]);

/** The figures of one charge (its `after` is `before + amount`, as the cap check computed it). */
export type ChargeFigures = Pick<Pending, "cap" | "key" | "window" | "amount" | "before" | "limit">;

function chargeOf(c: ChargeFigures): Charge {
  return {
    cap: c.cap.name,
    key: c.key,
    window: c.window,
    amount: decimalQ(c.amount),
    before: decimalQ(c.before),
    after: decimalQ(addQ(c.before, c.amount)),
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

/** A reason object, keys in the documented order (`cite` only when there is one). */
export function reason(rule: string, message: string, cite: string | undefined, source: SourceLocation): Reason {
  return cite === undefined ? { rule, message, source } : { rule, message, cite, source };
}

/** A decision as the ledger keeps it: the Decision is built again on request. */
export interface DecisionRecord {
  decision(id: string): Decision;
}

/** Keys in the documented order, so equal records serialize byte-identically. */
export function build(id: string, shape: DecisionShape, reasons: readonly Reason[], charges: readonly Charge[], hints: readonly string[]): Decision {
  const { outcome, basis, review, obligations, policy } = shape;
  if (basis !== undefined) {
    return obligations.length === 0
      ? { order: id, outcome, basis, reasons, charges, policy }
      : { order: id, outcome, basis, reasons, charges, obligations, policy };
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

/**
 * The Decision of the common charged outcome: one charge, the shape's reasons, no
 * hints. The in-memory ledger keeps such decisions as columns (columns.ts), with no
 * object per decision, and builds them again with this function.
 */
export function oneChargeDecision(id: string, shape: DecisionShape, c: ChargeFigures): Decision {
  return build(id, shape, shape.reasons, [chargeOf(c)], NONE);
}

/** True when a decision is `oneChargeDecision` of its shape and its only charge. */
export function isOneCharge(shape: DecisionShape, reasons: readonly Reason[], checks: readonly Pending[], hints: readonly string[]): boolean {
  return checks.length === 1 && hints.length === 0 && reasons === shape.reasons;
}

/** The one-charge record for ledgers other than the in-memory one (see `recordOf`). */
class OneChargeRecord implements DecisionRecord {
  constructor(
    readonly shape: DecisionShape,
    readonly check: Pending,
  ) {}

  decision(id: string): Decision {
    return oneChargeDecision(id, this.shape, this.check);
  }
}

/** The record of a decision: its shape alone when it has nothing of its own. */
export function recordOf(shape: DecisionShape, reasons: readonly Reason[], checks: readonly Pending[], hints: readonly string[]): DecisionRecord {
  if (checks.length === 0 && hints.length === 0 && reasons === shape.reasons) return shape;
  if (isOneCharge(shape, reasons, checks, hints)) return new OneChargeRecord(shape, checks[0] as Pending);
  return new OwnRecord(shape, reasons, hints, checks);
}
