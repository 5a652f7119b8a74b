/**
 * Exact amounts as text. Ledger amounts are stored as decimal strings ("26898568",
 * "15831.2") or, for the rare amount with no finite decimal form, as "num/den".
 * Sums are done here with bigints: SQLite's floating point is never used for money-like
 * quantities.
 */
import type { Rational } from "@diffuse/language";

export const ZERO: Rational = { num: 0n, den: 1n };

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

export function normalize(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError("zero denominator");
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 1n) return { num, den };
  const g = gcd(num, den);
  return g === 1n ? { num, den } : { num: num / g, den: den / g };
}

export function add(a: Rational, b: Rational): Rational {
  if (a.den === 1n && b.den === 1n) return { num: a.num + b.num, den: 1n };
  if (a.den === b.den) return normalize(a.num + b.num, a.den);
  return normalize(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { num: -b.num, den: b.den });
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/** Decimal text when the value has a finite decimal expansion, otherwise "num/den". */
export function format(r: Rational): string {
  if (r.den === 1n) return r.num.toString();
  let den = r.den;
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
  if (den !== 1n) return `${r.num}/${r.den}`;
  const digits = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(digits)) / r.den;
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const frac = text.slice(text.length - digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const FRACTION = /^(-?\d+)\/(\d+)$/;

/** Parses text written by `format`. Throws on anything else (a corrupt ledger row). */
export function parse(text: string): Rational {
  const d = DECIMAL.exec(text);
  if (d) {
    const frac = d[3] ?? "";
    const num = BigInt(`${d[1] ?? ""}${d[2] ?? "0"}${frac}`);
    return frac ? normalize(num, 10n ** BigInt(frac.length)) : { num, den: 1n };
  }
  const f = FRACTION.exec(text);
  if (f) return normalize(BigInt(f[1] ?? "0"), BigInt(f[2] ?? "1"));
  throw new RangeError(`not an exact amount: \`${text}\``);
}
