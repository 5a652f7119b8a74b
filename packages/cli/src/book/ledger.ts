/**
 * The in-memory ledger `diffuse eval` uses without --ledger. Unlike the engine's
 * MemoryLedger it does not keep every decision: a book is evaluated once, so only the
 * decisions of order ids that occur more than once in the book (found in the first
 * pass) are kept, to answer `decided` for their repeats. Usage lives in compact series.
 * Memory stays flat in the size of the book.
 */
import type { Decision, Ledger, LedgerEntry } from "@diffuse/engine";
import type { IsoDate, Rational } from "@diffuse/language";
import { SeriesIndex } from "@diffuse/ledger-sqlite";

export class BookLedger implements Ledger {
  private readonly series = new SeriesIndex();
  private readonly kept = new Map<string, Decision>();
  /** The content digest of each kept decision's order, when the engine gave one. */
  private readonly digests = new Map<string, number>();

  /** `repeated`: the order ids that occur more than once in the book. */
  constructor(private readonly repeated: ReadonlySet<string>) {}

  usage(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Rational {
    return this.series.usage(cap, key, from, to);
  }

  usageInteger(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): number | undefined {
    return this.series.usageInteger(cap, key, from, to);
  }

  record(entry: LedgerEntry): void {
    if (this.kept.has(entry.orderId)) throw new Error(`order ${entry.orderId} is already on the ledger`);
    for (const c of entry.charges) this.series.add(c.cap, c.key, c.date, c.amount);
    if (this.repeated.has(entry.orderId)) {
      this.kept.set(entry.orderId, entry.decision);
      if (entry.orderDigest !== undefined) this.digests.set(entry.orderId, entry.orderDigest);
    }
  }

  decided(orderId: string): Decision | undefined {
    return this.kept.get(orderId);
  }

  orderDigest(orderId: string): number | undefined {
    return this.digests.get(orderId);
  }

  batch<T>(fn: () => T): T {
    return fn();
  }
}
