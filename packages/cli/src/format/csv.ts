/**
 * CSV fields (RFC 4180) for `ledger export`, and the spreadsheet-safe form of a text
 * field. The default export is exact: every cell reads back as recorded. A spreadsheet,
 * though, runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
 * formula (CSV or formula injection: an order id `=HYPERLINK(...)` becomes a link, on
 * some spreadsheets `=cmd|...` a command), and order ids and consignee ids come from
 * whoever wrote the order. The safe form follows OWASP's advice for such cells: a
 * leading `'`, which spreadsheets take as "this is text", in a quoted field.
 */

/** What a field needs quotes for: the separator, a quote, a line break. */
const NEEDS_QUOTES = /[",\n\r]/;

/** The first characters OWASP lists as starting a formula in some spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A field as written: quoted (its quotes doubled) when it holds a separator, a quote or a line break; null is empty. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  return NEEDS_QUOTES.test(value) ? quoted(value) : value;
}

/** Whether a spreadsheet opening the cell `value` may run it as a formula. */
export function startsLikeFormula(value: string | null): value is string {
  return value !== null && FORMULA_START.test(value);
}

/**
 * A text field a spreadsheet shows as text: one that starts like a formula gets a
 * leading `'` and quotes (the quotes keep a spreadsheet that splits on other characters
 * from starting a new cell inside it). Only for text: an amount must stay the number it is.
 */
export function spreadsheetSafeField(value: string | null): string {
  return startsLikeFormula(value) ? quoted(`'${value}`) : csvField(value);
}

function quoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
