/**
 * Formatting as plain async functions, for `diffuse fmt` and the language server.
 * Runs on Prettier's standalone build: no Node APIs, no config-file lookup (callers that
 * want .prettierrc resolve it themselves and pass the options).
 */
import { format } from "prettier/standalone";
import { type Comment, parse } from "@diffuse/language";
import { hasNewlineBefore, isPrettierIgnore } from "./comments.js";
import { DiffuseSyntaxError, PARSER_NAME, diffusePlugin } from "./plugin.js";

export interface FormatOptions {
  /** Line width the printer aims for (default 80). */
  readonly printWidth?: number;
  /** Spaces per indentation level (default 2). */
  readonly tabWidth?: number;
  /** Indent with tabs (default false). */
  readonly useTabs?: boolean;
  /** The file's path, for messages. */
  readonly filepath?: string;
  /** Line endings of the output (default "lf"; "auto" keeps the input's). */
  readonly endOfLine?: "lf" | "crlf" | "cr" | "auto";
  /** Re-parse the output and fail unless it is the same program. */
  readonly verify?: boolean;
}

/**
 * The options a configuration file can set for a Diffuse file (`.prettierrc`,
 * `.editorconfig`): what `prettier-plugin-diffuse/config` reads, for callers that merge it
 * with their own defaults.
 */
export type ConfiguredFormatOptions = Pick<FormatOptions, "printWidth" | "tabWidth" | "useTabs" | "endOfLine">;

function prettierOptions(options: FormatOptions): Record<string, unknown> {
  const { verify, ...rest } = options;
  return { ...rest, parser: PARSER_NAME, plugins: [diffusePlugin], diffuseVerify: verify === true };
}

/**
 * Formats a Diffuse file in the canonical style. Rejects with a `SyntaxError` carrying
 * `loc` (1-based line and column) when the text does not parse.
 */
export async function formatDiffuse(text: string, options: FormatOptions = {}): Promise<string> {
  return format(text, prettierOptions(options));
}

/** Whether the text is already formatted (what `diffuse fmt --check` asks). */
export async function checkFormatted(text: string, options: FormatOptions = {}): Promise<boolean> {
  return (await formatDiffuse(text, options)) === text;
}

/** One replacement in the original text: offsets are 0-based, end-exclusive. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

/**
 * Range formatting. Prettier's own `rangeStart`/`rangeEnd` only work for its built-in
 * languages, so this formats whole declarations instead: every top-level declaration
 * the range touches (an empty range touches the declaration around it) is formatted and
 * returned as one edit. Comments outside those declarations are left as they are, but for
 * a `prettier-ignore` comment before the first one, where the edit starts so that the
 * declaration stays as written, as when the whole file is formatted. Returns undefined
 * when the range touches no declaration.
 */
export async function formatDiffuseRange(
  text: string,
  range: { readonly start: number; readonly end: number },
  options: FormatOptions = {},
): Promise<TextEdit | undefined> {
  const result = parse(text, options.filepath ?? "untitled.diffuse");
  const error = result.diagnostics.find((d) => d.severity === "error");
  if (error) throw new DiffuseSyntaxError(error.message, error.code, text, error.range);
  const touched = result.ast.declarations.filter((d) =>
    range.start === range.end ? d.range.start <= range.start && range.start <= d.range.end : d.range.start < range.end && range.start < d.range.end,
  );
  const first = touched[0];
  const last = touched[touched.length - 1];
  if (!first || !last) return undefined;
  const previous = result.ast.declarations[result.ast.declarations.indexOf(first) - 1];
  const start = ignoreCommentBefore(text, result.comments, previous?.range.end ?? 0, first.range.start) ?? first.range.start;
  const end = last.range.end;
  const endOfLine = options.endOfLine ?? (text.includes("\r\n") ? "crlf" : "lf");
  const formatted = await formatDiffuse(text.slice(start, end), { ...options, endOfLine });
  return { start, end, newText: formatted.replace(/\r?\n$/, "") };
}

/**
 * The start of a `prettier-ignore` comment among those on lines of their own between the
 * previous declaration (ending at `from`) and the one starting at `to`: formatted without
 * it, that declaration would lose its exemption. The latest such comment is taken, so the
 * edit covers as little as it can. Undefined when there is none.
 */
function ignoreCommentBefore(text: string, comments: readonly Comment[], from: number, to: number): number | undefined {
  let found: number | undefined;
  for (const comment of comments) {
    if (comment.range.start < from) continue;
    if (comment.range.end > to) break;
    // A comment on the previous declaration's last line trails it.
    if (!hasNewlineBefore(text, comment.range.start)) continue;
    if (isPrettierIgnore(comment.text)) found = comment.range.start;
  }
  return found;
}
