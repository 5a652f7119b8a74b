/**
 * The in-memory ledger: per (cap, key), charges sorted by date with prefix sums, so a
 * window's usage is two binary searches and a subtraction (O(log n)). Sums are kept as
 * `Quantity`s: plain numbers while they are safe integers, exact rationals past that.
 */
import type { IsoDate, Rational } from "@diffuse/language";
import type { Decision, Ledger, LedgerCharge, LedgerEntry, Reason } from "./types.js";
import { parseDecimal, rat } from "./exact.js";
import { addQ, quantity, subQ, toRational, type Quantity } from "./quantity.js";
import { IdTable } from "./idtable.js";
import { NoChargeColumns, OneChargeColumns } from "./columns.js";
import type { ChargeFigures, DecisionShape } from "./record.js";

/** A decision kept in compact form (see record.ts): the Decision is built again on request. */
export interface StoredDecision {
  decision(orderId: string): Decision;
}

/** Charges of one (cap, key), sorted by date; `sums[i]` is the total of charges 0..i. */
interface Series {
  dates: IsoDate[];
  sums: Quantity[];
  /** The first and last charge dates and the sum of all charges: a window covering them all (the usual case) needs no search. */
  first: IsoDate;
  last: IsoDate;
  total: Quantity;
  /** Memo of the last `from` looked up and its index (valid until a charge is inserted before it). */
  memoFrom: IsoDate | undefined;
  memoLo: number;
}

/**
 * The series of one cap, by key, with the last key looked up and its series (undefined
 * when it has none yet). The engine checks a cap's usage and then, when the order is
 * charged, adds to the same (cap, key): the second lookup in a map of 10^4 keys is a
 * cache miss the memo avoids. A key's series, once created, is never replaced, so the
 * memo stays valid; `add` updates it when it creates the series.
 */
interface CapSeries {
  readonly byKey: IdTable<Series>;
  lastKey: string | undefined;
  lastSeries: Series | undefined;
}

/** The series of `key` in `c`, through the memo. */
function seriesOf(c: CapSeries, key: string): Series | undefined {
  if (c.lastKey === key) return c.lastSeries;
  const s = c.byKey.get(key);
  c.lastKey = key;
  c.lastSeries = s;
  return s;
}

/** Series up to this many charges grow by exact-size copies (see `add`). */
const SMALL = 8;

/** Index of the first date > `date` (dates sorted ascending). */
function upper(dates: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as IsoDate) <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first date >= `date`. */
function lower(dates: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as IsoDate) < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class MemoryLedger implements Ledger {
  /** cap -> key -> series (two levels: no string concatenation on the hot path). */
  private readonly series = new Map<string, CapSeries>();
  /**
   * Decisions as recorded: a Decision (from `record`), its compact form (from the
   * engine), or a row of the columns (columns.ts): a one-charge decision's row number,
   * or for a decision with texts of its own and no charge, -1 - its row number.
   */
  private readonly decisions = new IdTable<Decision | StoredDecision | number>();
  private oneCharge = new OneChargeColumns();
  private noCharge = new NoChargeColumns();
  /** The content digest of each decision's order (digest.ts), in recording order; -1: none given. */
  private digests = new OrderDigests();

  usage(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Rational {
    return toRational(this.usageOf(cap, key, from, to));
  }

  /** `usage` as a Quantity (the engine's fast path: no bigint while sums are safe integers). */
  usageOf(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Quantity {
    const c = this.series.get(cap);
    if (c === undefined) return 0;
    const s = seriesOf(c, key);
    if (s === undefined) return 0;
    if (s.last <= to && (from === undefined || from <= s.first)) return s.total;
    const dates = s.dates;
    const n = dates.length;
    // Books are decided in date order: `to` is usually at or past the last charge.
    const hi = (dates[n - 1] as IsoDate) <= to ? n : upper(dates, to);
    if (hi === 0) return 0;
    const top = s.sums[hi - 1] as Quantity;
    if (from === undefined) return top;
    let lo: number;
    if (s.memoFrom === from) lo = s.memoLo;
    else {
      lo = lower(dates, from);
      s.memoFrom = from;
      s.memoLo = lo;
    }
    if (lo >= hi) return 0;
    return lo === 0 ? top : subQ(top, s.sums[lo - 1] as Quantity);
  }

  record(entry: LedgerEntry): void {
    if (this.decisions.has(entry.orderId)) throw new Error(`order ${entry.orderId} is already on the ledger`);
    for (const c of entry.charges) this.charge(c);
    this.decisions.insertAbsent(entry.orderId, entry.decision);
    this.digests.push(entry.orderDigest);
  }

  /**
   * The engine's fast path: records a decision and its accepted cap checks without
   * building a LedgerEntry (same effect as `record`).
   */
  recordDecision(
    orderId: string,
    date: IsoDate,
    decision: StoredDecision,
    charges: readonly { readonly cap: { readonly name: string }; readonly key: string; readonly amount: Quantity }[],
    digest: number,
  ): void {
    // The engine asked `decided(orderId)` just before; the table remembers where that miss
    // would go, so the check and the insertion below probe no further.
    if (this.decisions.has(orderId)) throw new Error(`order ${orderId} is already on the ledger`);
    for (let i = 0; i < charges.length; i++) {
      const c = charges[i] as (typeof charges)[number];
      this.add(c.cap.name, c.key, date, c.amount);
    }
    this.decisions.insertAbsent(orderId, decision);
    this.digests.push(digest);
  }

  /**
   * The engine's fast path for the common charged decision (see columns.ts): same
   * effect as `recordDecision` with the record of `oneChargeDecision(shape, charge)`.
   */
  recordOneCharge(orderId: string, date: IsoDate, shape: DecisionShape, charge: ChargeFigures, digest: number): void {
    if (this.decisions.has(orderId)) throw new Error(`order ${orderId} is already on the ledger`);
    this.add(charge.cap.name, charge.key, date, charge.amount);
    this.decisions.insertAbsent(orderId, this.oneCharge.add(shape, charge));
    this.digests.push(digest);
  }

  /** The engine's fast path for a decision that charges nothing, with reasons after its shape's (`extra`) or hints. */
  recordNoCharge(orderId: string, shape: DecisionShape, extra: readonly Reason[], hints: readonly string[], digest: number): void {
    if (this.decisions.has(orderId)) throw new Error(`order ${orderId} is already on the ledger`);
    this.decisions.insertAbsent(orderId, -1 - this.noCharge.add(shape, extra, hints));
    this.digests.push(digest);
  }

  decided(orderId: string): Decision | undefined {
    return this.decisionOf(orderId, this.decisions.get(orderId));
  }

  orderDigest(orderId: string): number | undefined {
    const i = this.decisions.indexOf(orderId);
    return i < 0 ? undefined : this.digests.at(i);
  }

  private decisionOf(orderId: string, d: Decision | StoredDecision | number | undefined): Decision | undefined {
    if (typeof d === "number") return d >= 0 ? this.oneCharge.decision(d, orderId) : this.noCharge.decision(-1 - d, orderId);
    return d === undefined || !("decision" in d) ? d : d.decision(orderId);
  }

  batch<T>(fn: () => T): T {
    return fn();
  }

  /** The recorded decisions, in recording order. */
  *recorded(): IterableIterator<Decision> {
    for (const [id, d] of this.decisions.entries()) yield this.decisionOf(id, d) as Decision;
  }

  /** A copy with the same usage and decisions (for what-if runs that must not touch this one). */
  clone(): MemoryLedger {
    const copy = new MemoryLedger();
    for (const [cap, c] of this.series) {
      const m = new IdTable<Series>();
      for (const [k, s] of c.byKey.entries())
        m.insertAbsent(k, { dates: s.dates.slice(), sums: s.sums.slice(), first: s.first, last: s.last, total: s.total, memoFrom: undefined, memoLo: 0 });
      copy.series.set(cap, { byKey: m, lastKey: undefined, lastSeries: undefined });
    }
    for (const [k, d] of this.decisions.entries()) copy.decisions.insertAbsent(k, d);
    copy.oneCharge = this.oneCharge.clone();
    copy.noCharge = this.noCharge.clone();
    copy.digests = this.digests.clone();
    return copy;
  }

  /** Adds a charge without a decision (starting usage carried over from elsewhere). */
  charge(c: LedgerCharge): void {
    this.add(c.cap, c.key, c.date, quantity(c.amount));
  }

  private add(cap: string, key: string, date: IsoDate, amount: Quantity): void {
    let c = this.series.get(cap);
    if (c === undefined) {
      c = { byKey: new IdTable(), lastKey: undefined, lastSeries: undefined };
      this.series.set(cap, c);
    }
    let s = seriesOf(c, key);
    if (s === undefined) {
      s = { dates: [date], sums: [amount], first: date, last: date, total: amount, memoFrom: undefined, memoLo: 0 };
      c.byKey.insertAbsent(key, s);
      c.lastSeries = s; // seriesOf left lastKey at `key`
      return;
    }
    s.total = addQ(s.total, amount);
    const last = s.last; // = dates[n - 1]
    if (date < s.first) s.first = date;
    const n = s.dates.length;
    if (last <= date) {
      s.last = date;
      // Same date as the last charge: fold into it (keeps the series short).
      if (last === date) s.sums[n - 1] = s.total;
      else {
        const sum = s.total;
        if (n < SMALL) {
          // Most series hold a few charges: exact-size copies, where `push` would reserve
          // room for 17 (a ledger keeps one series per cap and key for its lifetime).
          s.dates = [...s.dates, date];
          s.sums = [...s.sums, sum];
        } else {
          s.dates.push(date);
          s.sums.push(sum);
        }
        // A charge dated before the memoized `from` moves its index.
        if (s.memoFrom !== undefined && date < s.memoFrom) s.memoLo = n + 1;
      }
      return;
    }
    // Out of date order: insert and shift the later prefix sums.
    s.memoFrom = undefined;
    const at = upper(s.dates, date);
    if (at > 0 && s.dates[at - 1] === date) {
      for (let i = at - 1; i < s.sums.length; i++) s.sums[i] = addQ(s.sums[i] as Quantity, amount);
      return;
    }
    s.dates.splice(at, 0, date);
    s.sums.splice(at, 0, at === 0 ? amount : addQ(s.sums[at - 1] as Quantity, amount));
    for (let i = at + 1; i < s.sums.length; i++) s.sums[i] = addQ(s.sums[i] as Quantity, amount);
  }
}

/** Starting usage for a ledger: a charge without an order. */
export interface StartingCharge {
  readonly cap: string;
  readonly key: string;
  readonly date: IsoDate;
  /** Exact decimal string, bigint, or Rational. */
  readonly amount: string | bigint | Rational;
  readonly window?: string;
}

/** A MemoryLedger holding the given starting usage (and, for full entries, their decisions). */
export function ledgerFrom(entries: Iterable<StartingCharge | LedgerEntry>): MemoryLedger {
  const ledger = new MemoryLedger();
  for (const e of entries) {
    if ("orderId" in e) ledger.record(e);
    else {
      const amount = typeof e.amount === "bigint" ? { num: e.amount, den: 1n } : typeof e.amount === "string" ? parseAmount(e.amount) : e.amount;
      ledger.charge({ cap: e.cap, key: e.key, window: e.window ?? "", date: e.date, amount });
    }
  }
  return ledger;
}

function parseAmount(text: string): Rational {
  const slash = text.indexOf("/");
  if (slash > 0) return rat(BigInt(text.slice(0, slash)), BigInt(text.slice(slash + 1)));
  const neg = text.startsWith("-");
  const r = parseDecimal(neg ? text.slice(1) : text);
  if (r === undefined) throw new Error(`starting usage \`${text}\` is not a decimal number`);
  return neg ? { num: -r.num, den: r.den } : r;
}

/** Order digests by recording position: numbers below 2^52 held exactly in a Float64Array; -1 for none. */
class OrderDigests {
  private values = new Float64Array(1024);
  private length = 0;

  push(digest: number | undefined): void {
    if (this.length === this.values.length) {
      const more = new Float64Array(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = digest ?? -1;
  }

  at(i: number): number | undefined {
    const d = this.values[i];
    return d === undefined || d < 0 || i >= this.length ? undefined : d;
  }

  clone(): OrderDigests {
    const copy = new OrderDigests();
    copy.values = this.values.slice();
    copy.length = this.length;
    return copy;
  }
}
