/** Country codes for orders: ISO 3166-1 alpha-2 plus XK, the language package's list. */
import { COUNTRY_CODES } from "@diffuse/language";

export { isCountryCode } from "@diffuse/language";

/**
 * A small stable number per country code, so set membership is an array lookup. Every
 * code the language accepts is numbered up front (one lookup then both validates an
 * order's code and numbers it); other codes are numbered on first sight.
 */
const indexes = new Map<string, number>(COUNTRY_CODES.map((c, i) => [c, i]));

export function countryIndex(code: string): number {
  let k = indexes.get(code);
  if (k === undefined) {
    k = indexes.size;
    indexes.set(code, k);
  }
  return k;
}

/** The number of a code the language accepts, or undefined for any other string. */
export function knownCountryIndex(code: string): number | undefined {
  const k = indexes.get(code);
  return k !== undefined && k < COUNTRY_CODES.length ? k : undefined;
}
