/**
 * Usage of one (cap, key): distinct charge dates, sorted, with the cumulative sum
 * through each date, so a window's usage is two binary searches and a subtraction.
 * Compact: dates as yyyymmdd numbers in a Uint32Array and sums as JavaScript numbers in
 * a Float64Array (12 bytes a date) while every sum is a safe integer, which is what the
 * engine's fast path reads (`usageInteger`: no bigint per lookup); a series switches to
 * exact rationals for good when an amount is not a whole number or a sum would leave
 * the safe-integer range. Sums are never rounded: a number is used only when the exact
 * result is a safe integer (the same argument as the engine's Quantity).
 */
import type { Rational } from "@diffuse/language";
import { ZERO, add, sub } from "./decimal.js";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/**
 * yyyymmdd of a `YYYY-MM-DD` date (dates here come from validated orders and ledger
 * rows). Character arithmetic rather than slices and `Number`: it runs several times an
 * order and must not allocate.
 */
export function dayOf(date: string): number {
  const d = (i: number): number => date.charCodeAt(i) - 48;
  return ((d(0) * 10 + d(1)) * 10 + d(2)) * 10 + d(3) * 10_000 + (d(5) * 10 + d(6)) * 100 + d(8) * 10 + d(9);
}

/** A whole amount as a safe-integer number, or undefined. */
function safeInteger(amount: Rational): number | undefined {
  return amount.den === 1n && amount.num <= MAX && amount.num >= MIN ? Number(amount.num) : undefined;
}

export class Series {
  private days = new Uint32Array(4);
  private nums: Float64Array | undefined = new Float64Array(4);
  private rats: Rational[] | undefined;
  private n = 0;
  /** Sum of the magnitudes of the amounts added (see `fits`). */
  private magnitude = 0;
  /**
   * The first and last charge days and the sum of all charges (numbers only), held here:
   * a window covering every charge (the usual case, books being decided in date order)
   * is answered without reading the arrays, which are apart in memory and seldom cached.
   */
  private firstDay = 0;
  private lastDay = 0;
  private total = 0;

  /** Adds `amount` charged on `date` (YYYY-MM-DD). */
  add(date: string, amount: Rational): void {
    const day = dayOf(date);
    let whole = this.nums === undefined ? undefined : safeInteger(amount);
    if (this.nums !== undefined && (whole === undefined || !this.fits(whole))) {
      this.toRationals();
      whole = undefined;
    }
    let i = this.lastAtOrBefore(day);
    if (i < 0 || this.days[i] !== day) {
      i += 1;
      this.insertAt(i, day);
    }
    const nums = this.nums;
    this.firstDay = this.days[0] as number;
    this.lastDay = this.days[this.n - 1] as number;
    if (nums !== undefined && whole !== undefined) {
      for (let j = i; j < this.n; j++) nums[j] = (nums[j] as number) + whole;
      this.total = nums[this.n - 1] as number;
    } else {
      const rats = this.rats as Rational[];
      for (let j = i; j < this.n; j++) rats[j] = add(rats[j] as Rational, amount);
    }
  }

  /** Sum of charges dated in [from, to] (inclusive; `from` undefined = since the start). */
  usage(from: string | undefined, to: string): Rational {
    const whole = this.usageInteger(from, to);
    if (whole !== undefined) return { num: BigInt(whole), den: 1n };
    const hi = this.lastAtOrBefore(dayOf(to));
    if (hi < 0) return ZERO;
    const top = this.at(hi);
    if (from === undefined) return top;
    const lo = this.lastAtOrBefore(dayOf(from) - 1);
    if (lo >= hi) return ZERO;
    return lo < 0 ? top : sub(top, this.at(lo));
  }

  /** `usage` as a number while the series holds safe integers (then every window's sum is one); else undefined. */
  usageInteger(from: string | undefined, to: string): number | undefined {
    const nums = this.nums;
    if (nums === undefined) return undefined;
    const n = this.n;
    if (n === 0) return 0;
    // Books are decided in date order: `to` is usually at or after the last charge.
    const dayTo = dayOf(to);
    if (this.lastDay <= dayTo && (from === undefined || this.firstDay >= dayOf(from))) return this.total;
    const hi = this.lastDay <= dayTo ? n - 1 : this.lastAtOrBefore(dayTo);
    if (hi < 0) return 0;
    const top = nums[hi] as number;
    if (from === undefined) return top;
    const dayFrom = dayOf(from);
    if ((this.days[0] as number) >= dayFrom) return top;
    const lo = this.lastAtOrBefore(dayFrom - 1);
    if (lo >= hi) return 0;
    return top - (nums[lo] as number);
  }

  private at(i: number): Rational {
    return this.nums ? { num: BigInt(this.nums[i] as number), den: 1n } : (this.rats?.[i] as Rational);
  }

  /**
   * Whether every sum stays a safe integer after adding `whole`: each sum is at most the
   * total of the amounts' magnitudes in size (charges may be negative: a failed batch
   * taken back out), so that total bounds them all, in O(1).
   */
  private fits(whole: number): boolean {
    const bound = this.magnitude + Math.abs(whole);
    if (!Number.isSafeInteger(bound)) return false;
    this.magnitude = bound;
    return true;
  }

  private toRationals(): void {
    const nums = this.nums as Float64Array;
    this.rats = Array.from({ length: this.n }, (_, i) => ({ num: BigInt(nums[i] as number), den: 1n }));
    this.nums = undefined;
  }

  private insertAt(i: number, day: number): void {
    if (this.n === this.days.length) {
      const days = new Uint32Array(this.n * 2);
      days.set(this.days);
      this.days = days;
      if (this.nums) {
        const nums = new Float64Array(this.n * 2);
        nums.set(this.nums);
        this.nums = nums;
      }
    }
    this.days.copyWithin(i + 1, i, this.n);
    this.days[i] = day;
    if (this.nums) {
      const before = i > 0 ? (this.nums[i - 1] as number) : 0;
      this.nums.copyWithin(i + 1, i, this.n);
      this.nums[i] = before;
    } else {
      const rats = this.rats as Rational[];
      rats.splice(i, 0, i > 0 ? (rats[i - 1] as Rational) : ZERO);
    }
    this.n++;
  }

  /** Index of the last day <= `day`, or -1. */
  private lastAtOrBefore(day: number): number {
    let lo = 0;
    let hi = this.n - 1;
    let found = -1;
    const days = this.days;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((days[mid] as number) <= day) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

/** The series of one cap by key, with the last key looked up (a cap's usage is read, then charged, for the same key). */
class CapSeries {
  readonly byKey = new Map<string, Series>();
  lastKey: string | undefined;
  lastSeries: Series | undefined;

  get(key: string): Series | undefined {
    if (key === this.lastKey) return this.lastSeries;
    const s = this.byKey.get(key);
    this.lastKey = key;
    this.lastSeries = s;
    return s;
  }
}

/**
 * Series by cap, then key. Two map lookups instead of one on a joined `cap + key` string:
 * `usage` is asked several times an order, and building the joined key each time was a
 * measurable share of a book run.
 */
export class SeriesIndex {
  private readonly byCap = new Map<string, CapSeries>();

  usage(cap: string, key: string, from: string | undefined, to: string): Rational {
    return this.byCap.get(cap)?.get(key)?.usage(from, to) ?? ZERO;
  }

  /** `usage` as a number when it is a safe integer, else undefined (see `Series.usageInteger`). */
  usageInteger(cap: string, key: string, from: string | undefined, to: string): number | undefined {
    const s = this.byCap.get(cap)?.get(key);
    return s === undefined ? 0 : s.usageInteger(from, to);
  }

  add(cap: string, key: string, date: string, amount: Rational): void {
    let keys = this.byCap.get(cap);
    if (keys === undefined) {
      keys = new CapSeries();
      this.byCap.set(cap, keys);
    }
    let s = keys.get(key);
    if (s === undefined) {
      s = new Series();
      keys.byKey.set(key, s);
      keys.lastSeries = s; // `get` left lastKey at `key`
    }
    s.add(date, amount);
  }
}
