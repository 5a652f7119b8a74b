/**
 * Expanding command-line paths: a file stands for itself, a folder for the matching
 * files under it (sorted, recursively, skipping node_modules, .git and dist).
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./errors.js";
import { errorText } from "./io.js";

const SKIP = new Set(["node_modules", ".git", "dist"]);

/**
 * Appends to `out` the file `path`, or every file under the folder `path` whose name
 * ends with `suffix`. `shown` is the path as the user wrote it; `noun` says what it
 * should have been ("file") in the error for a path that does not exist.
 */
export function collectFiles(path: string, suffix: string, out: string[], shown = path, noun?: string): void {
  const stat = unreadable(() => statSync(path, { throwIfNoEntry: false }), noun ?? "path", shown);
  if (!stat) throw new CliError(`${noun === undefined ? "" : `${noun} `}\`${shown}\` does not exist`);
  if (stat.isFile()) {
    out.push(path);
    return;
  }
  const entries = unreadable(() => readdirSync(path, { withFileTypes: true }), "folder", shown);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (SKIP.has(entry.name)) continue;
    const p = join(path, entry.name);
    if (entry.isDirectory()) collectFiles(p, suffix, out, join(shown, entry.name));
    else if (entry.isFile() && entry.name.endsWith(suffix)) out.push(p);
  }
}

/** `read()`, with a failure (a folder the user may not list or enter) as a CliError naming the path as shown. */
function unreadable<T>(read: () => T, what: string, shown: string): T {
  try {
    return read();
  } catch (e) {
    throw new CliError(`cannot read ${what} \`${shown}\`: ${errorText(e)}`);
  }
}
