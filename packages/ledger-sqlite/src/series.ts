/**
 * Usage of one (cap, key): distinct charge dates, sorted, with the cumulative sum
 * through each date, so a window's usage is two binary searches and a subtraction.
 * Compact: dates as yyyymmdd numbers in a Uint32Array and sums in a BigInt64Array
 * (12 bytes a date); a series switches to exact rationals for good when an amount is
 * not a whole number or a sum would leave the 64-bit range.
 */
import type { Rational } from "@diffuse/language";
import { ZERO, add, sub } from "./decimal.js";

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);

export function dayOf(date: string): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

export class Series {
  private days = new Uint32Array(4);
  private ints: BigInt64Array | undefined = new BigInt64Array(4);
  private rats: Rational[] | undefined;
  private n = 0;

  /** Adds `amount` charged on `date` (YYYY-MM-DD). */
  add(date: string, amount: Rational): void {
    const day = dayOf(date);
    if (this.ints && (amount.den !== 1n || !this.fits(amount.num))) this.toRationals();
    let i = this.lastAtOrBefore(day);
    if (i < 0 || this.days[i] !== day) {
      i += 1;
      this.insertAt(i, day);
    }
    if (this.ints) for (let j = i; j < this.n; j++) this.ints[j] = (this.ints[j] as bigint) + amount.num;
    else {
      const rats = this.rats as Rational[];
      for (let j = i; j < this.n; j++) rats[j] = add(rats[j] as Rational, amount);
    }
  }

  /** Sum of charges dated in [from, to] (inclusive; `from` undefined = since the start). */
  usage(from: string | undefined, to: string): Rational {
    const hi = this.lastAtOrBefore(dayOf(to));
    if (hi < 0) return ZERO;
    const top = this.at(hi);
    if (from === undefined) return top;
    const lo = this.lastAtOrBefore(dayOf(from) - 1);
    if (lo >= hi) return ZERO;
    return lo < 0 ? top : sub(top, this.at(lo));
  }

  private at(i: number): Rational {
    return this.ints ? { num: this.ints[i] as bigint, den: 1n } : (this.rats?.[i] as Rational);
  }

  /** Whether adding `num` to every sum keeps them in range (checked against the total). */
  private fits(num: bigint): boolean {
    const total = this.n === 0 ? 0n : (this.ints?.[this.n - 1] as bigint);
    const next = total + num;
    return next <= MAX && next >= MIN && num <= MAX && num >= MIN && (num >= 0n || total + num >= MIN);
  }

  private toRationals(): void {
    const ints = this.ints as BigInt64Array;
    this.rats = Array.from({ length: this.n }, (_, i) => ({ num: ints[i] as bigint, den: 1n }));
    this.ints = undefined;
  }

  private insertAt(i: number, day: number): void {
    if (this.n === this.days.length) {
      const days = new Uint32Array(this.n * 2);
      days.set(this.days);
      this.days = days;
      if (this.ints) {
        const ints = new BigInt64Array(this.n * 2);
        ints.set(this.ints);
        this.ints = ints;
      }
    }
    const before = i > 0 ? this.at(i - 1) : ZERO;
    this.days.copyWithin(i + 1, i, this.n);
    this.days[i] = day;
    if (this.ints) {
      this.ints.copyWithin(i + 1, i, this.n);
      this.ints[i] = before.num;
    } else (this.rats as Rational[]).splice(i, 0, before);
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

/**
 * Series by cap, then key. Two map lookups instead of one on a joined `cap + key` string:
 * `usage` is asked several times an order, and building the joined key each time was a
 * measurable share of a book run.
 */
export class SeriesIndex {
  private readonly byCap = new Map<string, Map<string, Series>>();

  usage(cap: string, key: string, from: string | undefined, to: string): Rational {
    return this.byCap.get(cap)?.get(key)?.usage(from, to) ?? ZERO;
  }

  add(cap: string, key: string, date: string, amount: Rational): void {
    let keys = this.byCap.get(cap);
    if (keys === undefined) {
      keys = new Map();
      this.byCap.set(cap, keys);
    }
    let s = keys.get(key);
    if (s === undefined) {
      s = new Series();
      keys.set(key, s);
    }
    s.add(date, amount);
  }
}
