/**
 * What is wrong with a number literal as the lexer reads it. The `NumberLiteral` token
 * takes in digits grouped with commas (`15,832`) and a second decimal point (`1.2.3`), so
 * each is one malformed number (DF0005) rather than a number, a stray `,` or `.`, and
 * more digits: three errors for one slip.
 */

const WELL_FORMED = /^\d+(?:_\d+)*(?:\.\d+(?:_\d+)*)?(?:[eE][+-]?\d+(?:_\d+)*)?$/;
/** Thousands grouped with commas, as in `1,234,567.5`: the same number with `_` is a fix. */
const COMMA_GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** The help of DF0005 for a malformed number literal, or undefined for a well-formed one. */
export function malformedNumberHelp(raw: string): string | undefined {
  // The usual literal has no `_`, `,` or second `.`: answered without a regular expression.
  const dot = raw.indexOf(".");
  const twoDots = dot >= 0 && raw.indexOf(".", dot + 1) >= 0;
  if (!twoDots && !raw.includes(",") && (!raw.includes("_") || WELL_FORMED.test(raw))) return undefined;
  if (raw.includes(",")) {
    return COMMA_GROUPED.test(raw) ? `group digits with \`_\`, not \`,\`: \`${raw.replace(/,/g, "_")}\`` : "group digits with `_`, not `,`";
  }
  if (twoDots) return "a number has at most one decimal point";
  return "`_` may only separate digits, as in `26_900_000`";
}
