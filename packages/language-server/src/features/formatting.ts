/**
 * Formatting of a whole document or a range, through prettier-plugin-diffuse (never a
 * second formatter). A whole-document result is one minimal edit (the changed middle
 * of the text); a range formats the declarations the range touches, as the plugin's
 * `formatDiffuseRange` does. Text the formatter refuses (syntax errors) gets no edits,
 * and the result says why, for the server to tell the user.
 */
import { parse } from "@diffuse/language";
import { DiffuseSyntaxError, formatDiffuse, formatDiffuseRange, type ConfiguredFormatOptions, type FormatOptions } from "prettier-plugin-diffuse";
import type { FormattingOptions, Range as LspRange, TextEdit } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";

export type { ConfiguredFormatOptions, FormatOptions };

/**
 * The options a request formats with. Either source decides alone, as in Prettier's own
 * VS Code extension:
 *
 * - when configuration files apply to the document (`configured`: `.prettierrc` in any
 *   form with its `overrides`, `.editorconfig`, read as `diffuse fmt` reads them), exactly
 *   `diffuse fmt`'s options: what they set, Prettier's defaults for the rest (width 80, two
 *   spaces). The client's setting and the request's tab options are not used, so the
 *   editor writes what `diffuse fmt --check` accepts;
 * - otherwise (no configuration file, or no file system to read it from) the client's:
 *   the width from the setting `diffuse.format.printWidth`, the indentation from the
 *   request (the editor's tab size, spaces or tabs).
 *
 * Line endings follow the document unless the configuration sets them.
 */
export function formatOptions(request: FormattingOptions, printWidth: number, uri?: string, configured?: ConfiguredFormatOptions): FormatOptions {
  const chosen: FormatOptions = configured ?? { printWidth, tabWidth: request.tabSize, useTabs: !request.insertSpaces };
  return { endOfLine: "auto", ...chosen, ...(uri !== undefined ? { filepath: uri } : {}) };
}

/** A syntax error as the user reads it: 1-based line and column. */
export interface SyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** What a formatting request came to; every kind but `formatted` means no edits, and says why. */
export type FormatResult =
  /** The edits that format the text: none when it is already formatted. */
  | { readonly kind: "formatted"; readonly edits: TextEdit[] }
  /** The formatter refuses text with syntax errors: how many, and the first. */
  | { readonly kind: "syntaxErrors"; readonly count: number; readonly first: SyntaxProblem }
  /** A range that touches no declaration (blank lines, comments between declarations). */
  | { readonly kind: "nothingToFormat" }
  /** The formatter failed for another reason: a bug, to be logged. */
  | { readonly kind: "failed"; readonly error: unknown };

/** The edits of a result; none for every other kind. */
export function editsOf(result: FormatResult): TextEdit[] {
  return result.kind === "formatted" ? result.edits : [];
}

/**
 * What to tell the user when formatting did nothing for a reason they can act on;
 * undefined when there is nothing to say.
 */
export function notFormattedMessage(result: FormatResult): string | undefined {
  switch (result.kind) {
    case "syntaxErrors": {
      const { count, first } = result;
      const where = `line ${first.line}, column ${first.column}: ${first.message}`;
      return count === 1
        ? `Not formatted: the file has 1 syntax error (at ${where}). Fix it and format again.`
        : `Not formatted: the file has ${count} syntax errors (first at ${where}). Fix them and format again.`;
    }
    case "formatted":
    case "nothingToFormat":
    case "failed":
      return undefined;
    default: {
      const unreachable: never = result;
      return unreachable;
    }
  }
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
  // Never split a surrogate pair or a CRLF, at either end: a position between `\r` and
  // `\n` stands before the `\r`, so an edit ending there would keep the `\r` (and one
  // starting there would keep it too). Both texts agree on the common prefix and suffix,
  // so widening the edit over them leaves its result as it was.
  while (start > 0 && splitsPair(before, start)) start--;
  while (endBefore < before.length && splitsPair(before, endBefore)) {
    endBefore++;
    endAfter++;
  }
  return [{ range: { start: doc.positionAt(start), end: doc.positionAt(endBefore) }, newText: after.slice(start, endAfter) }];
}

/** Whether offset `at` of `text` falls inside a surrogate pair or a CRLF. */
function splitsPair(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  const previous = text.charCodeAt(at - 1);
  return (code >= 0xdc00 && code <= 0xdfff && previous >= 0xd800 && previous <= 0xdbff) || (code === 0x0a && previous === 0x0d);
}

/**
 * Why the formatter threw. It refuses text whose parse has an error (the plugin's
 * `DiffuseSyntaxError`): those are counted from the same parse the plugin makes, and the
 * first (the one `diffuse fmt` reports) is located in the document. Anything else is a
 * failure.
 */
function refusal(doc: TextDocument, error: unknown): FormatResult {
  if (!(error instanceof DiffuseSyntaxError)) return { kind: "failed", error };
  const errors = parse(doc.getText(), doc.uri).diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  // The whole text parses, yet a piece of it did not: not the user's doing.
  if (first === undefined) return { kind: "failed", error };
  const at = doc.positionAt(first.range.start);
  return { kind: "syntaxErrors", count: errors.length, first: { line: at.line + 1, column: at.character + 1, message: first.message } };
}

export async function formatDocument(doc: TextDocument, options: FormatOptions): Promise<FormatResult> {
  let formatted: string;
  try {
    formatted = await formatDiffuse(doc.getText(), options);
  } catch (error) {
    return refusal(doc, error);
  }
  return { kind: "formatted", edits: minimalEdit(doc, formatted) };
}

export async function formatRange(doc: TextDocument, range: LspRange, options: FormatOptions): Promise<FormatResult> {
  let edit: Awaited<ReturnType<typeof formatDiffuseRange>>;
  try {
    edit = await formatDiffuseRange(doc.getText(), { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) }, options);
  } catch (error) {
    return refusal(doc, error);
  }
  if (edit === undefined) return { kind: "nothingToFormat" };
  if (doc.getText().slice(edit.start, edit.end) === edit.newText) return { kind: "formatted", edits: [] };
  return { kind: "formatted", edits: [{ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.newText }] };
}

/**
 * Files whose change can change a document's formatting options: what Prettier reads
 * (`.prettierrc` in any form, `prettier.config.*`, the `prettier` key of package.json or
 * package.yaml) and `.editorconfig`. The globs are watched; `isFormatConfigFile` tells
 * a watched change apart.
 */
export const FORMAT_CONFIG_GLOBS: readonly string[] = [
  "**/.prettierrc",
  "**/.prettierrc.*",
  "**/prettier.config.*",
  "**/.editorconfig",
  "**/package.json",
  "**/package.yaml",
];

export function isFormatConfigFile(uri: string): boolean {
  const name = uri.slice(uri.lastIndexOf("/") + 1);
  return (
    name === ".editorconfig" || name === "package.json" || name === "package.yaml" || /^\.prettierrc(\..+)?$/.test(name) || /^prettier\.config\..+$/.test(name)
  );
}
