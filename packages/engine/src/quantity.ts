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

/** "26,914,400" for 26914400 (a safe integer). */
function groupDigits(n: number): string {
  const neg = n < 0;
  const digits = String(neg ? -n : n);
  const len = digits.length;
  if (len <= 3) return neg ? `-${digits}` : digits;
  const head = len % 3 === 0 ? 3 : len % 3;
  // One join: a flat string (messages that embed it are joined again, and a decision keeps them).
  const parts: string[] = neg ? ["-", digits.slice(0, head)] : [digits.slice(0, head)];
  for (let i = head; i < len; i += 3) parts.push(",", digits.slice(i, i + 3));
  return parts.join("");
}

/** `num / den` in canonical form (den must not be zero). */
export function ratioQ(num: bigint, den: bigint): Quantity {
  return quantity(rat(num, den));
}
