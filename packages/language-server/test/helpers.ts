/**
 * Test helpers: cursor markers in fixture text, and analyses of fixtures through the
 * real language package with an in-memory file system.
 *
 * Markers: `|` is a cursor (several allowed, in order); `[[` and `]]` delimit an
 * expected range. Neither character appears in Diffuse outside strings and comments,
 * and fixtures avoid them there.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Analysis } from "../src/analysis.js";
import { analyze } from "../src/language.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
export const ROOT = "file:///ws/";

export interface Marked {
  readonly text: string;
  /** Cursor offsets, in order. */
  readonly cursors: readonly number[];
  /** Marked ranges, in order of their start. */
  readonly ranges: readonly { readonly start: number; readonly end: number }[];
}

/** Strips `|`, `[[` and `]]` markers, returning the clean text and where they were. */
export function markers(source: string): Marked {
  let text = "";
  const cursors: number[] = [];
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source.startsWith("[[", i)) {
      open.push(text.length);
      i++;
    } else if (source.startsWith("]]", i)) {
      const start = open.pop();
      if (start === undefined) throw new Error(`unbalanced ]] at ${i}`);
      ranges.push({ start, end: text.length });
      i++;
    } else if (source[i] === "|") {
      cursors.push(text.length);
    } else text += source[i];
  }
  if (open.length > 0) throw new Error("unbalanced [[");
  ranges.sort((a, b) => a.start - b.start);
  return { text, cursors, ranges };
}

/** Every file under fixtures/workspace, keyed by its URI under ROOT. */
export function workspaceFiles(): Map<string, string> {
  const dir = join(FIXTURES, "workspace");
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) files.set(`${ROOT}${name}`, readFileSync(join(dir, name), "utf8"));
  return files;
}

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

/**
 * Analyses `text` as the open document `uri` (default `file:///ws/test.diffuse`), with the
 * workspace fixtures (and `extra` files) readable as its imports.
 */
export async function analyzeText(text: string, uri = `${ROOT}test.diffuse`, extra: ReadonlyMap<string, string> = new Map(), version = 1): Promise<Analysis> {
  const files = new Map([...workspaceFiles(), ...extra]);
  const document = TextDocument.create(uri, "diffuse", version, text);
  return analyze(document, async (target) => files.get(target));
}

/** Analyses a marked source; returns the analysis and the markers. */
export async function analyzeMarked(source: string, uri?: string, extra?: ReadonlyMap<string, string>): Promise<Analysis & { marks: Marked }> {
  const marks = markers(source);
  const analysis = await analyzeText(marks.text, uri, extra);
  return Object.assign(Object.create(null) as object, analysis, { marks });
}

/** The source text of an LSP range in a document. */
export function textAt(doc: TextDocument, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  return doc.getText(range);
}

/** The policy fixture with a marker inserted at the first occurrence of `needle` (at its start, or after `offset` chars). */
export function withCursor(text: string, needle: string, offset = 0): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`\`${needle}\` not in fixture`);
  return text.slice(0, i + offset) + "|" + text.slice(i + offset);
}
