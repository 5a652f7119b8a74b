/** Country codes for orders: ISO 3166-1 alpha-2 plus XK, the language package's list. */
export { isCountryCode } from "@diffuse/language";

const indexes = new Map<string, number>();

/** A small stable number per country code (assigned on first sight), so set membership is an array lookup. */
export function countryIndex(code: string): number {
  let k = indexes.get(code);
  if (k === undefined) {
    k = indexes.size;
    indexes.set(code, k);
  }
  return k;
}
