/**
 * Formatting of a whole document or a range, through prettier-plugin-diffuse (never a
 * second formatter). A whole-document result is one minimal edit (the changed middle
 * of the text); a range formats the declarations the range touches, as the plugin's
 * `formatDiffuseRange` does. Text the formatter refuses (syntax errors) gets no edits.
 */
import { formatDiffuse, formatDiffuseRange, type FormatOptions } from "prettier-plugin-diffuse";
import type { FormattingOptions, Range as LspRange, TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

export type { FormatOptions };

/** Options from the request (tab size, spaces) and the client configuration (print width). */
export function formatOptions(request: FormattingOptions, printWidth: number, uri?: string): FormatOptions {
  const endOfLine = "auto" as const;
  return { printWidth, tabWidth: request.tabSize, useTabs: !request.insertSpaces, endOfLine, ...(uri !== undefined ? { filepath: uri } : {}) };
}

/** One edit turning the document's text into `after`, covering only what differs; none if equal. */
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

export async function formatDocument(doc: TextDocument, options: FormatOptions): Promise<TextEdit[]> {
  let formatted: string;
  try {
    formatted = await formatDiffuse(doc.getText(), options);
  } catch {
    return [];
  }
  return minimalEdit(doc, formatted);
}

export async function formatRange(doc: TextDocument, range: LspRange, options: FormatOptions): Promise<TextEdit[]> {
  let edit: Awaited<ReturnType<typeof formatDiffuseRange>>;
  try {
    edit = await formatDiffuseRange(doc.getText(), { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) }, options);
  } catch {
    return [];
  }
  if (edit === undefined) return [];
  if (doc.getText().slice(edit.start, edit.end) === edit.newText) return [];
  return [{ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.newText }];
}
