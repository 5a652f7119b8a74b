/**
 * Entry points that read and parse files, then check them: `load` (async, through an
 * injected reader), `loadSync`, `checkText` (one file) and `checkFiles` (in-memory files).
 * No Node APIs: the reader decides what a URI means.
 */
import { parse } from "../syntax/parse.js";
import { reparse } from "../syntax/incremental.js";
import { check, type CheckResult } from "./checker.js";
import { buildProgram, importsOf, type ParsedFile, type Program } from "./program.js";
import { normalizeUri, resolveImport } from "../uri.js";

/** Options of `load` and `loadSync`. */
export interface LoadOptions {
  /**
   * The parse of an earlier version of a file (e.g. from the previous analysis of an open
   * document): only the declarations an edit touched are parsed again (see `reparse`), and
   * an unchanged file is not parsed at all.
   */
  readonly previous?: (uri: string) => ParsedFile | undefined;
}

function parseFile(text: string, uri: string, options: LoadOptions | undefined): ParsedFile {
  const before = options?.previous?.(uri);
  if (before !== undefined && before.text === text && before.uri === uri) return before;
  const { ast, comments, diagnostics } = before === undefined ? parse(text, uri) : reparse(before, text, uri);
  return { uri, text, ast, comments, diagnostics };
}

/**
 * Reads the entry file and everything it imports (or uses, for a policy set), parsing each
 * file once. `read` returns undefined (or throws, or rejects) for a file that cannot be read;
 * that becomes a missing-import diagnostic. Import paths resolve relative to the importing
 * file's URI. The entry is read and keyed as an import of it resolves (`normalizeUri`:
 * `./a/../p.diffuse` is `p.diffuse`), so a file importing it back finds the same file.
 */
export async function load(entryUri: string, read: (uri: string) => Promise<string | undefined>, options?: LoadOptions): Promise<Program> {
  const entry = normalizeUri(entryUri);
  const cache = new Map<string, ParsedFile | undefined>();
  const queue = [entry];
  while (queue.length > 0) {
    const uri = queue.shift() as string;
    if (cache.has(uri)) continue;
    let text: string | undefined;
    try {
      text = await read(uri);
    } catch {
      text = undefined;
    }
    const file = typeof text === "string" ? parseFile(text, uri, options) : undefined;
    cache.set(uri, file);
    if (file) for (const { path } of importsOf(file.ast)) queue.push(resolveImport(uri, path));
  }
  return buildProgram(entry, (uri) => cache.get(uri));
}

/** Like `load`, with a synchronous reader. */
export function loadSync(entryUri: string, read: (uri: string) => string | undefined, options?: LoadOptions): Program {
  const cache = new Map<string, ParsedFile | undefined>();
  return buildProgram(normalizeUri(entryUri), (uri) => {
    if (cache.has(uri)) return cache.get(uri);
    let text: string | undefined;
    try {
      text = read(uri);
    } catch {
      text = undefined;
    }
    const file = typeof text === "string" ? parseFile(text, uri, options) : undefined;
    cache.set(uri, file);
    return file;
  });
}

/** Loads and checks a program through an async reader. */
export async function loadAndCheck(entryUri: string, read: (uri: string) => Promise<string | undefined>): Promise<CheckResult> {
  return check(await load(entryUri, read));
}

/**
 * Checks in-memory files: `entry` plus any files it imports, looked up by resolved URI in
 * `files` (its keys taken in `normalizeUri`'s spelling, as the entry is). Files not in the
 * map are reported as missing imports.
 */
export function checkFiles(files: ReadonlyMap<string, string>, entry: string): CheckResult {
  const byUri = new Map([...files].map(([uri, text]) => [normalizeUri(uri), text]));
  return check(loadSync(entry, (uri) => byUri.get(uri)));
}

/** Checks one file on its own (its imports are reported missing unless it has none). */
export function checkText(text: string, uri: string): CheckResult {
  return checkFiles(new Map([[uri, text]]), uri);
}
