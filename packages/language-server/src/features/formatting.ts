/**
 * Formatting of a whole document or a range, through prettier-plugin-diffuse (never a
 * second formatter). The result is one minimal edit: the changed middle of the text.
 * Text the formatter refuses (syntax errors) gets no edits.
 */
import type { FormattingOptions, Range as LspRange, TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

export interface FormatOptions {
  readonly printWidth: number;
  readonly tabWidth: number;
  readonly useTabs: boolean;
  readonly rangeStart?: number;
  readonly rangeEnd?: number;
}

/** The formatter entry point (prettier-plugin-diffuse's `formatDiffuse`), injected for tests. */
export type Formatter = (text: string, options: FormatOptions) => Promise<string> | string;

export function formatOptions(request: FormattingOptions, printWidth: number): FormatOptions {
  return { printWidth, tabWidth: request.tabSize, useTabs: !request.insertSpaces };
}

/** One edit turning `before` into `after`, covering only what differs; none if equal. */
export function minimalEdit(doc: TextDocument, after: string): TextEdit[] {
  const before = doc.getText();
  if (before === after) return [];
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Never split a surrogate pair or a CRLF.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before[start] === "\n" && before[start - 1] === "\r"))) start--;
  return [{ range: { start: doc.positionAt(start), end: doc.positionAt(endBefore) }, newText: after.slice(start, endAfter) }];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

export async function formatDocument(doc: TextDocument, options: FormatOptions, format: Formatter): Promise<TextEdit[]> {
  let formatted: string;
  try {
    formatted = await format(doc.getText(), options);
  } catch {
    return [];
  }
  return minimalEdit(doc, formatted);
}

export async function formatRange(doc: TextDocument, range: LspRange, options: FormatOptions, format: Formatter): Promise<TextEdit[]> {
  return formatDocument(doc, { ...options, rangeStart: doc.offsetAt(range.start), rangeEnd: doc.offsetAt(range.end) }, format);
}
