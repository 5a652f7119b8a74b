/**
 * Exact quantities with a safe-integer fast path, for the evaluator's hot path (cap
 * usage, limits, charges, ledger sums).
 *
 * A `Quantity` is a JavaScript number when the value is an integer within
 * ±Number.MAX_SAFE_INTEGER, and a `Rational` otherwise (fractions, and integers of 2^53
 * and beyond). The form is canonical: a Rational here is never a safe integer, so each
 * value has one representation. Operations on two numbers stay in numbers only when the
 * result is a safe integer; anything else falls back to exact bigint arithmetic, so
 * results are always exact and never rounded.
 *
 * Why the number test is sound: for safe integers a and b, the exact sum, difference or
 * product s is an integer. If |s| <= 2^53 - 1 the float result is s exactly; if
 * |s| >= 2^53 the rounded result is at least 2^53 in magnitude (rounding is monotonic
 * and 2^53 is representable), so `Number.isSafeInteger` rejects it and we recompute in
 * bigint.
 */
import type { Rational } from "@diffuse/language";
import { add, cmp, mul, rat, sub, toDecimal, formatGrouped } from "./exact.js";
import { flat } from "./text.js";

export type Quantity = number | Rational;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);
const MIN = -MAX;

/** The canonical form of an exact value. */
export function quantity(r: Rational): Quantity {
  return r.den === 1n && r.num <= MAX && r.num >= MIN ? Number(r.num) : r;
}

export function fromBigInt(n: bigint): Quantity {
  return n <= MAX && n >= MIN ? Number(n) : { num: n, den: 1n };
}

export function toRational(q: Quantity): Rational {
  return typeof q === "number" ? { num: BigInt(q), den: 1n } : q;
}

export function addQ(a: Quantity, b: Quantity): Quantity {
  if (typeof a === "number" && typeof b === "number") {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return quantity(add(toRational(a), toRational(b)));
}

export function subQ(a: Quantity, b: Quantity): Quantity {
  if (typeof a === "number" && typeof b === "number") {
    const s = a - b;
    if (Number.isSafeInteger(s)) return s;
  }
  return quantity(sub(toRational(a), toRational(b)));
}

export function mulQ(a: Quantity, b: Quantity): Quantity {
  if (typeof a === "number" && typeof b === "number") {
    const p = a * b;
    // -0 (from a negative times zero) is a safe integer but must be 0 in text.
    if (Number.isSafeInteger(p)) return p === 0 ? 0 : p;
  }
  return quantity(mul(toRational(a), toRational(b)));
}

/** -1, 0 or 1. */
export function cmpQ(a: Quantity, b: Quantity): -1 | 0 | 1 {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  return cmp(toRational(a), toRational(b));
}

/** Exact decimal text, as `toDecimal`. */
export function decimalQ(q: Quantity): string {
  return typeof q === "number" ? String(q) : toDecimal(q);
}

/** Decimal text with thousands separators, as `formatGrouped`. */
export function groupedQ(q: Quantity): string {
  return typeof q === "number" ? groupDigits(q) : formatGrouped(q);
}

/** "000" to "999": the three-digit groups after the first. */
const GROUPS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * "26,914,400" for 26914400 (a safe integer), three digits at a time from the right.
 * `n % 1000` is exact on safe integers and `n - r` is a multiple of 1000, so the
 * division is exact too (no float rounding). Short results are flat strings; a long one
 * is flattened once (see text.ts), as messages keep it.
 */
function groupDigits(n: number): string {
  if (n < 0) return flat("-" + groupDigits(-n));
  if (n < 1000) return String(n);
  let r = n % 1000;
  n = (n - r) / 1000;
  let s = GROUPS[r] as string;
  while (n >= 1000) {
    r = n % 1000;
    n = (n - r) / 1000;
    s = (GROUPS[r] as string) + "," + s;
  }
  return flat(String(n) + "," + s);
}

/** `num / den` in canonical form (den must not be zero). */
export function ratioQ(num: bigint, den: bigint): Quantity {
  return quantity(rat(num, den));
}
