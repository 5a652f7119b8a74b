import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "@diffuse/language";
import { parseCommand } from "../args.js";
import { checkCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../errors.js";
import { formatText, summaryLine, toJson, toSarif, type FileDiagnostics, type RuleInfo } from "../format/diagnostics.js";
import { expandPattern } from "../files.js";
import { displayPath } from "../io.js";
import { sourceLookup } from "../format/policy-errors.js";
import { loadPolicy } from "../policy.js";
import { ruleInfo } from "../rules.js";

export async function runCheck(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(checkCommand, argv);
  const format = values.format ?? "text";
  const byPath = new Map<string, FileDiagnostics>();
  const order: string[] = [];
  const ioErrors: CliError[] = [];
  const add = (path: string, text: string, diagnostics: readonly Diagnostic[]): void => {
    const existing = byPath.get(path);
    if (existing) {
      const seen = new Set(existing.diagnostics.map(key));
      byPath.set(path, { ...existing, diagnostics: [...existing.diagnostics, ...diagnostics.filter((d) => !seen.has(key(d)))] });
    } else {
      byPath.set(path, { path, text, diagnostics });
      order.push(path);
    }
  };
  /** Every file read, imports included, once (and its text, for notes that point into it). */
  const read = new Map<string, string>();
  const given: string[] = [];
  for (const arg of positionals) {
    try {
      given.push(...expandPattern(arg, ctx.cwd));
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      ioErrors.push(e);
    }
  }
  for (const file of given) {
    let loaded;
    try {
      loaded = await loadPolicy(file, ctx.cwd);
    } catch (e) {
      if (e instanceof CliError) {
        ioErrors.push(e);
        continue;
      }
      throw e;
    }
    const groups = new Map<string, Diagnostic[]>([[loaded.uri, []]]);
    for (const d of loaded.result.diagnostics) {
      const list = groups.get(d.uri) ?? [];
      list.push(d);
      groups.set(d.uri, list);
    }
    for (const [uri, text] of loaded.sources) read.set(uri, text);
    for (const [uri, diagnostics] of groups) {
      add(displayPath(resolve(ctx.cwd, uri), ctx.cwd), loaded.sources.get(uri) ?? "", diagnostics);
    }
  }
  for (const e of ioErrors) {
    ctx.stderr.write(`error: ${e.message}\n`);
    if (e.help) ctx.stderr.write(`help: ${e.help}\n`);
  }
  const files = order.map((p) => byPath.get(p) as FileDiagnostics);
  // Notes may point into any file read (a first declaration in an import).
  const sources = sourceLookup(read, ctx.cwd);
  switch (format) {
    case "json":
      ctx.stdout.write(`${JSON.stringify(toJson(files, sources), null, 2)}\n`);
      break;
    case "sarif":
      ctx.stdout.write(
        `${JSON.stringify(toSarif(files, { version: ctx.version, rules: (c): RuleInfo | undefined => ruleInfo(c), srcroot: pathToFileURL(ctx.cwd).href }, sources), null, 2)}\n`,
      );
      break;
    default:
      ctx.stdout.write(formatText(files, sources));
      if (values.quiet !== true && files.length > 0) ctx.stdout.write(summaryLine(files, Math.max(read.size, files.length)));
  }
  if (ioErrors.length > 0) return EXIT_USAGE;
  return files.some((f) => f.diagnostics.some((d) => d.severity === "error")) ? EXIT_PROBLEMS : EXIT_OK;
}

function key(d: Diagnostic): string {
  return `${d.code}:${d.range.start}:${d.range.end}:${d.message}`;
}

export { checkCommand };
