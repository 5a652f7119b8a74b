/**
 * Exact amounts as text. Ledger amounts are stored as decimal strings ("26898568",
 * "15831.2") or, for the rare amount with no finite decimal form, as "num/den".
 * Sums are done with bigints (the language package's exact arithmetic): SQLite's
 * floating point is never used for quantities.
 */
import { rational as R, type Rational } from "@diffuse/language";

export const ZERO = R.ZERO;
export const add = R.add;
export const sub = R.sub;
export const isZero = R.isZero;
/** A reduced rational; throws on a zero denominator. */
export const normalize = R.rational;
/** Decimal text when the value has a finite decimal expansion, otherwise "num/den". */
export const format = (r: Rational): string => R.formatRational(r);

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
  if (f && f[2] !== "0") return normalize(BigInt(f[1] ?? "0"), BigInt(f[2] ?? "1"));
  throw new RangeError(`not an exact amount: \`${text}\``);
}

/** A charge row's amount that `parse` cannot read: the row was edited, or damaged, outside Diffuse. */
export class StoredAmountError extends Error {
  constructor(
    readonly chargeId: number,
    readonly text: string,
  ) {
    super(`charge ${chargeId} has the amount \`${text}\`, which Diffuse does not write (an exact decimal)`);
  }
}

/** `parse` of the amount stored in charge row `chargeId`; a StoredAmountError naming the row when it is not one `format` writes. */
export function parseStored(text: string, chargeId: number): Rational {
  try {
    return parse(text);
  } catch {
    throw new StoredAmountError(chargeId, text);
  }
}
