/**
 * Exact arithmetic on `Rational`s (bigint numerator / positive denominator, reduced).
 *
 * The engine never uses floating point for quantities. Integers (denominator 1) are
 * by far the common case, so every operation has an integer fast path.
 */
import type { Rational } from "@diffuse/language";

export const ZERO: Rational = Object.freeze({ num: 0n, den: 1n });
export const ONE: Rational = Object.freeze({ num: 1n, den: 1n });

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** A reduced rational `num / den`; `den` must be non-zero. */
export function rat(num: bigint, den = 1n): Rational {
  if (den === 1n) return { num, den };
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

export function int(n: bigint): Rational {
  return { num: n, den: 1n };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num + b.num, den: 1n };
  if (a.den === b.den) return rat(a.num + b.num, a.den);
  return rat(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num - b.num, den: 1n };
  return rat(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num * b.num, den: 1n };
  return rat(a.num * b.num, a.den * b.den);
}

export function mulInt(a: Rational, n: bigint): Rational {
  if (a.den === 1n) return { num: a.num * n, den: 1n };
  return rat(a.num * n, a.den);
}

/** `a / b`; `b` must be non-zero. */
export function div(a: Rational, b: Rational): Rational {
  return rat(a.num * b.den, a.den * b.num);
}

/** -1, 0 or 1. */
export function cmp(a: Rational, b: Rational): number {
  if (a.den === b.den) return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function eq(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/** The largest integer <= a. */
export function floor(a: Rational): bigint {
  if (a.den === 1n) return a.num;
  const q = a.num / a.den;
  return a.num < 0n && q * a.den !== a.num ? q - 1n : q;
}

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]{1,4}))?$/;
/** Exponents beyond this are refused: no quantity needs them and they would cost memory. */
const MAX_EXPONENT = 400;

/** Parses a plain decimal string (`12000000000`, `15831.2`, `3e26`, `2.5e-3`); undefined if malformed. */
export function parseDecimal(text: string): Rational | undefined {
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

function onlyTwosAndFives(den: bigint): { twos: number; fives: number } | undefined {
  let twos = 0;
  let fives = 0;
  while (den % 2n === 0n) {
    den /= 2n;
    twos++;
  }
  while (den % 5n === 0n) {
    den /= 5n;
    fives++;
  }
  return den === 1n ? { twos, fives } : undefined;
}

/**
 * Exact decimal text: "26898568", "15831.2", "-0.25". A value with no finite decimal
 * expansion (e.g. 1/3) is written as a fraction, "1/3".
 */
export function toDecimal(a: Rational): string {
  if (a.den === 1n) return a.num.toString();
  const f = onlyTwosAndFives(a.den);
  if (f === undefined) return `${a.num.toString()}/${a.den.toString()}`;
  const places = Math.max(f.twos, f.fives);
  const scaled = (a.num < 0n ? -a.num : a.num) * (10n ** BigInt(places) / a.den);
  const s = scaled.toString().padStart(places + 1, "0");
  const text = `${s.slice(0, s.length - places)}.${s.slice(s.length - places)}`;
  return a.num < 0n ? `-${text}` : text;
}

function groupDigits(digits: string): string {
  const n = digits.length;
  if (n <= 3) return digits;
  const head = n % 3 === 0 ? 3 : n % 3;
  const parts = [digits.slice(0, head)];
  for (let i = head; i < n; i += 3) parts.push(digits.slice(i, i + 3));
  return parts.join(",");
}

/** Decimal text with thousands separators for messages: "26,914,400", "15,831.2". */
export function formatGrouped(a: Rational): string {
  const text = toDecimal(a);
  const neg = text.startsWith("-");
  const body = neg ? text.slice(1) : text;
  const slash = body.indexOf("/");
  if (slash >= 0) return `${neg ? "-" : ""}${groupDigits(body.slice(0, slash))}/${groupDigits(body.slice(slash + 1))}`;
  const dot = body.indexOf(".");
  const whole = dot >= 0 ? body.slice(0, dot) : body;
  return `${neg ? "-" : ""}${groupDigits(whole)}${dot >= 0 ? body.slice(dot) : ""}`;
}

/** Grouped formatting of a bigint. */
export function formatInt(n: bigint): string {
  return n < 0n ? `-${groupDigits((-n).toString())}` : groupDigits(n.toString());
}
