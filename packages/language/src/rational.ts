/**
 * Exact rational arithmetic on bigint numerator/denominator pairs.
 *
 * Every quantity in Diffuse is exact: number literals are parsed digit by digit into
 * a `Rational`, never through a JavaScript number. The engine reuses these helpers.
 * All functions return normalized values: `den > 0` and gcd(|num|, den) = 1.
 */
import type { Rational } from "./model.js";

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

/** Builds a normalized rational; throws on a zero denominator (a programming error). */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RangeError("rational with a zero denominator");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

export const ZERO: Rational = { num: 0n, den: 1n };
export const ONE: Rational = { num: 1n, den: 1n };

const INTEGER_RE = /^\d[\d_]*$/;
const NUMBER_RE = /^([+-]?)(\d[\d_]*)?(?:\.(\d[\d_]*)?)?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal literal exactly: digits with `_` separators, an optional fraction and
 * an optional exponent (`26_900_000`, `5.92`, `1e26`, `2.5e25`, `-3`). Also accepts the
 * plain decimal strings orders carry (`"12000000000"`, `"6.1"`). Returns undefined for
 * anything else (including an empty string, `.`, `1e`, `NaN`, `Infinity`).
 */
export function parseRational(text: string): Rational | undefined {
  // Fast path: plain digits (with separators), the common case in policies.
  if (INTEGER_RE.test(text)) return { num: BigInt(text.includes("_") ? text.replace(/_/g, "") : text), den: 1n };
  const m = NUMBER_RE.exec(text.trim());
  if (!m) return undefined;
  const [, sign = "", intRaw = "", fracRaw = "", expRaw] = m;
  const intDigits = intRaw.replace(/_/g, "");
  const fracDigits = fracRaw.replace(/_/g, "");
  if (intDigits === "" && fracDigits === "") return undefined;
  // Exponents are bounded so a typo like 1e999999999 cannot allocate a huge bigint.
  const exp = expRaw === undefined ? 0 : Number.parseInt(expRaw, 10);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 10_000) return undefined;
  let num = BigInt((intDigits || "0") + fracDigits);
  let den = 10n ** BigInt(fracDigits.length);
  if (exp > 0) num *= 10n ** BigInt(exp);
  else if (exp < 0) den *= 10n ** BigInt(-exp);
  if (sign === "-") num = -num;
  return rational(num, den);
}

/** Converts a JavaScript number or decimal string exactly (a number goes through its shortest decimal form). */
export function toRational(value: number | string | bigint): Rational | undefined {
  if (typeof value === "bigint") return { num: value, den: 1n };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return undefined;
    return parseRational(String(value));
  }
  return parseRational(value);
}

export function fromBigInt(value: bigint): Rational {
  return { num: value, den: 1n };
}

// Integers (denominator 1) are by far the common case, so the operations below take
// an integer fast path that skips the gcd (the engine's hot path runs through them).

export function add(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num + b.num, den: 1n };
  if (a.den === b.den) return rational(a.num + b.num, a.den);
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num - b.num, den: 1n };
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function neg(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num * b.num, den: 1n };
  return rational(a.num * b.num, a.den * b.den);
}

/** Throws on division by zero (a programming error: check `isZero` first). */
export function div(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den, a.den * b.num);
}

/** -1, 0 or 1. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  if (a.den === b.den) return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

export function isInteger(a: Rational): boolean {
  return a.den === 1n;
}

export function min(a: Rational, b: Rational): Rational {
  return compare(a, b) <= 0 ? a : b;
}

export function max(a: Rational, b: Rational): Rational {
  return compare(a, b) >= 0 ? a : b;
}

/** Largest integer not above `a`. */
export function floor(a: Rational): bigint {
  if (a.den === 1n) return a.num;
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

/**
 * Exact decimal text: `26898568`, `15831.2`, `-0.07`. A value whose decimal expansion
 * does not terminate (1/3) is written as a fraction, `1/3`, so the text is always exact.
 * With `group`, the integer part gets `,` thousands separators (for messages).
 */
export function formatRational(a: Rational, options: { readonly group?: boolean } = {}): string {
  const negative = a.num < 0n;
  const num = negative ? -a.num : a.num;
  // The expansion terminates iff den has no prime factors other than 2 and 5.
  let d = a.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return `${negative ? "-" : ""}${groupDigits(num.toString(), options.group)}/${a.den.toString()}`;
  const scale = Math.max(twos, fives);
  const scaled = num * (10n ** BigInt(scale) / a.den);
  let digits = scaled.toString();
  if (scale > 0) digits = digits.padStart(scale + 1, "0");
  const intPart = scale > 0 ? digits.slice(0, digits.length - scale) : digits;
  const fracPart = scale > 0 ? digits.slice(digits.length - scale) : "";
  return `${negative ? "-" : ""}${groupDigits(intPart, options.group)}${fracPart ? `.${fracPart}` : ""}`;
}

function groupDigits(digits: string, group: boolean | undefined): string {
  if (!group) return digits;
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A percentage held as its fraction (the model's convention: `7 %` is 7/100), written
 * as the percent figure: `formatPercent(7/100)` is `7`.
 */
export function formatPercent(fraction: Rational, options: { readonly group?: boolean } = {}): string {
  return formatRational(mul(fraction, rational(100n)), options);
}
