/**
 * Country-code validation for orders. Until the language package exports its ISO
 * 3166-1 list, any two capital letters are accepted (the shape is checked in order.ts).
 */
export function isCountryCode(code: string): boolean {
  return code.length === 2;
}
