/**
 * Decisions in compact form. A `DecisionRecord` holds what a Decision is made of (the
 * verdict's shared parts, the accepted cap checks, the hints) and builds the Decision
 * for an order id on demand. The in-memory ledger keeps records instead of Decisions:
 * a decision that charges nothing and has no hints shares one record per rule outcome,
 * compiled with the policy, and a charged one keeps only its record and cap checks, not
 * the Decision's strings. Holding fewer objects per order is most of the ledger's cost
 * (garbage collection of 10^5 retained decisions), and building a Decision again from
 * the same record gives the same JSON, byte for byte.
 */
import type { Charge, Decision, Outcome, PolicyIdentity, Reason, Review } from "./types.js";
import type { Pending } from "./model.js";
import { decimalQ } from "./quantity.js";

const NO_CHARGES: readonly Charge[] = Object.freeze([]);
const NONE: readonly never[] = Object.freeze([]);

/** Decision charge objects for accepted cap checks. */
export function chargesOf(pending: readonly Pending[]): readonly Charge[] {
  if (pending.length === 0) return NO_CHARGES;
  const out: Charge[] = new Array<Charge>(pending.length);
  for (let i = 0; i < pending.length; i++) {
    const c = pending[i] as Pending;
    out[i] = {
      cap: c.cap.name,
      key: c.key,
      window: c.window,
      amount: decimalQ(c.amount),
      before: decimalQ(c.before),
      after: decimalQ(c.after),
      limit: c.cap.constantLimitText ?? (c.limit === undefined ? "0" : decimalQ(c.limit)),
    };
  }
  return out;
}

export class DecisionRecord {
  constructor(
    readonly outcome: Exclude<Outcome, "invalid">,
    readonly basis: string | undefined,
    readonly review: Review | undefined,
    readonly reasons: readonly Reason[],
    /** Accepted cap checks (the charges); empty unless the outcome charges. */
    readonly checks: readonly Pending[],
    readonly obligations: readonly string[],
    readonly hints: readonly string[],
    readonly policy: PolicyIdentity,
  ) {}

  /** True when this record holds nothing of one order's own (it can be shared). */
  get shareable(): boolean {
    return this.checks.length === 0 && this.hints.length === 0;
  }

  /** The Decision for order `id`; keys in the documented order, so equal records serialize byte-identically. */
  decision(id: string): Decision {
    const { outcome, basis, review, reasons, obligations, hints, policy } = this;
    const charges = chargesOf(this.checks);
    if (basis !== undefined) {
      return obligations.length === 0 ? { order: id, outcome, basis, reasons, charges, policy } : { order: id, outcome, basis, reasons, charges, obligations, policy };
    }
    if (review !== undefined) {
      return hints.length === 0 ? { order: id, outcome, review, reasons, charges, policy } : { order: id, outcome, review, reasons, charges, hints, policy };
    }
    return hints.length === 0 ? { order: id, outcome, reasons, charges, policy } : { order: id, outcome, reasons, charges, hints, policy };
  }
}

/** The shared record of an outcome that charges nothing and carries no hints. */
export function sharedRecord(outcome: Exclude<Outcome, "invalid">, basis: string | undefined, review: Review | undefined, reasons: readonly Reason[], obligations: readonly string[], policy: PolicyIdentity): DecisionRecord {
  return new DecisionRecord(outcome, basis, review, reasons, NONE, obligations, NONE, policy);
}
