/**
 * Exact arithmetic on `Rational`s (bigint numerator / positive denominator, reduced).
 *
 * The engine never uses floating point for quantities. What is the engine's own here is
 * reading order input strictly (`parseDecimal`, `fromNumber`) and message formatting.
 */
import { rational as R, type Rational } from "@diffuse/language";

// The arithmetic itself is the language package's (one implementation, with integer
// fast paths); the engine keeps its short names for it.
export const ZERO = R.ZERO;
export const ONE = R.ONE;
export const add = R.add;
export const sub = R.sub;
export const mul = R.mul;
export const div = R.div;
export const floor = R.floor;
export const isZero = R.isZero;
/** A reduced rational `num / den`; `den` must be non-zero. */
export const rat = R.rational;
export const int = R.fromBigInt;
/** -1, 0 or 1. */
export const cmp = R.compare;
export const eq = R.equals;

export function mulInt(a: Rational, n: bigint): Rational {
  return a.den === 1n ? { num: a.num * n, den: 1n } : mul(a, { num: n, den: 1n });
}

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]{1,4}))?$/;
/** Exponents beyond this are refused: no quantity needs them and they would cost memory. */
/** Decimal exponents beyond this (in either direction) are refused: no figure in export controls needs them, and 10^n of a huge n would take the process down. */
export const MAX_EXPONENT = 400;

/** Parses a plain decimal string (`12000000000`, `15831.2`, `3e26`, `2.5e-3`); undefined if malformed. */
/** Whether `text` is written as a decimal (digits, optional fraction and exponent), whatever the exponent's size. */
export function isDecimalSyntax(text: string): boolean {
  return DECIMAL.test(text);
}

export function parseDecimal(text: string): Rational | undefined {
  // Plain digits of up to 15 places (capacities, counts): exact as a double, no regex.
  const n = text.length;
  if (n > 0 && n <= 15) {
    let digits = true;
    for (let i = 0; i < n && digits; i++) {
      const c = text.charCodeAt(i);
      digits = c >= 48 && c <= 57;
    }
    if (digits) return { num: BigInt(Number(text)), den: 1n };
  }
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const whole = m[1] ?? "0";
  const frac = m[2] ?? "";
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (Math.abs(exp) > MAX_EXPONENT) return undefined;
  const shift = exp - frac.length;
  const digits = BigInt(whole + frac);
  return shift >= 0 ? int(digits * 10n ** BigInt(shift)) : rat(digits, 10n ** BigInt(-shift));
}

/**
 * Converts a JSON number exactly, or returns undefined when the number cannot be
 * trusted to be the one written: integers beyond 2^53, non-finite values, and
 * fractions whose shortest form needs more than 15 significant digits (float noise).
 */
export function fromNumber(x: number): Rational | undefined {
  if (Number.isInteger(x)) return Number.isSafeInteger(x) ? int(BigInt(x)) : undefined;
  if (!Number.isFinite(x)) return undefined;
  const text = String(Math.abs(x));
  const m = /^([0-9]*)\.?([0-9]*)(?:e([+-][0-9]+))?$/.exec(text);
  if (m === null) return undefined;
  const digits = ((m[1] ?? "") + (m[2] ?? "")).replace(/^0+/, "");
  if (digits.length > 15) return undefined;
  const value = parseDecimal(text.replace(/^\./, "0."));
  if (value === undefined) return undefined;
  return x < 0 ? { num: -value.num, den: value.den } : value;
}

/**
 * Exact decimal text: "26898568", "15831.2", "-0.25". A value with no finite decimal
 * expansion (e.g. 1/3) is written as a fraction, "1/3".
 */
export function toDecimal(a: Rational): string {
  return a.den === 1n ? a.num.toString() : R.formatRational(a);
}

/** Decimal text with thousands separators for messages: "26,914,400", "15,831.2". */
export function formatGrouped(a: Rational): string {
  return R.formatRational(a, { group: true });
}

/** Grouped formatting of a bigint. */
export function formatInt(n: bigint): string {
  return formatGrouped(int(n));
}
