/**
 * Expanding command-line paths: a glob pattern the shell left alone for its matches, a
 * file for itself, a folder for the matching files under it (sorted, recursively,
 * skipping node_modules, .git and dist).
 */
import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { CliError } from "./errors.js";
import { errorText, statPath } from "./io.js";

const SKIP = new Set(["node_modules", ".git", "dist"]);

/**
 * Appends to `out` the file `path`, or every file under the folder `path` whose name
 * ends with `suffix`. `shown` is the path as the user wrote it; `noun` says what it
 * should have been ("file") in the error for a path that does not exist.
 */
export function collectFiles(path: string, suffix: string, out: string[], shown = path, noun?: string): void {
  const stat = statPath(path, noun ?? "path", shown);
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

/**
 * The paths a command-line argument stands for: itself, or, when it is a glob pattern
 * (`policies/*.diffuse`), what it matches. A shell expands an unquoted pattern before
 * Diffuse sees it, but not a quoted one, and cmd.exe, PowerShell and npm scripts on
 * Windows never do. Matched as a shell would: `*`, `?` and `[...]` within a name, `**`
 * across folders, `{a,b}`; no dot files; sorted. Folders named in SKIP are not searched
 * unless the pattern names them. Paths come back relative to `cwd` (absolute for an
 * absolute pattern). An argument that exists as written is itself, glob characters in its
 * name or not. Throws a CliError when nothing matches.
 */
export function expandPattern(arg: string, cwd: string): string[] {
  // Glob patterns separate folders with `/` only (a `\` escapes): a Windows path is written with `\`.
  const pattern = process.platform === "win32" ? arg.replaceAll("\\", "/") : arg;
  if (!isDynamicPattern(pattern) || existsSync(resolve(cwd, arg))) return [arg];
  const named = new Set(pattern.split("/"));
  const matches = globSync(pattern, {
    cwd,
    absolute: isAbsolute(arg),
    onlyFiles: false,
    expandDirectories: false,
    ignore: [...SKIP].filter((name) => !named.has(name)).map((name) => `**/${name}/**`),
  });
  if (matches.length === 0) throw new CliError(`no file matches \`${arg}\``);
  return matches.map((m) => (m.endsWith("/") ? m.slice(0, -1) : m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `read()`, with a failure (a folder the user may not list or enter) as a CliError naming the path as shown. */
function unreadable<T>(read: () => T, what: string, shown: string): T {
  try {
    return read();
  } catch (e) {
    throw new CliError(`cannot read ${what} \`${shown}\`: ${errorText(e)}`);
  }
}
