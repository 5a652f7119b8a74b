/**
 * Typed argument parsing on node:util parseArgs. Each command declares its options; an
 * unknown flag, a missing value or a stray argument is a usage error (exit 2) that
 * prints the command's usage.
 */
import { parseArgs } from "node:util";
import { isIsoDate } from "@diffuse/engine";
import { UsageError } from "./errors.js";

export interface StringOption {
  readonly type: "string";
  readonly short?: string;
  readonly multiple?: boolean;
  readonly value: string;
  readonly description: string;
  /** Allowed values (checked after parsing). */
  readonly choices?: readonly string[];
}
export interface BooleanOption {
  readonly type: "boolean";
  readonly short?: string;
  readonly description: string;
}
export type OptionSpec = StringOption | BooleanOption;

export interface CommandHelp {
  readonly name: string;
  /** e.g. "check FILE... [--format text|json|sarif]" */
  readonly synopsis: string;
  readonly summary: string;
  readonly description?: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples: readonly string[];
  /** Minimum and maximum positional arguments (max undefined: any number). */
  readonly positionals: { readonly min: number; readonly max?: number; readonly name: string };
}

export type ParsedValues<O extends Readonly<Record<string, OptionSpec>>> = {
  [K in keyof O]?: O[K] extends StringOption ? (O[K]["multiple"] extends true ? string[] : string) : boolean;
};

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  help: { type: "boolean", short: "h", description: "show this help" },
  debug: { type: "boolean", description: "show stack traces for internal errors" },
};

export function usageText(cmd: CommandHelp): string {
  const lines = [`usage: diffuse ${cmd.synopsis}`, "", cmd.summary];
  if (cmd.description) lines.push("", cmd.description);
  const all: Readonly<Record<string, OptionSpec>> = { ...cmd.options, ...COMMON_OPTIONS };
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.value}` : ""}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length));
  lines.push("", "options:");
  for (const [flag, description] of rows) lines.push(`  ${flag.padEnd(width)}  ${description}`);
  if (cmd.examples.length > 0) {
    lines.push("", "examples:");
    for (const e of cmd.examples) lines.push(`  ${e}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A short usage line for usage errors. */
export function shortUsage(cmd: CommandHelp): string {
  return `usage: diffuse ${cmd.synopsis}\nrun \`diffuse ${cmd.name} --help\` for the options and examples\n`;
}

export interface Parsed<O extends Readonly<Record<string, OptionSpec>>> {
  readonly values: ParsedValues<O> & { help?: boolean; debug?: boolean };
  readonly positionals: readonly string[];
}

export function parseCommand<O extends Readonly<Record<string, OptionSpec>>>(cmd: CommandHelp & { readonly options: O }, argv: readonly string[]): Parsed<O> {
  const options: ParseOptions = {};
  const all: Readonly<Record<string, OptionSpec>> = { ...cmd.options, ...COMMON_OPTIONS };
  for (const [name, o] of Object.entries(all)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === "string" && o.multiple ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseWithTokens>;
  try {
    parsed = parseWithTokens(argv, options);
  } catch (e) {
    const flagLike = flagLikeValue(e, argv, all);
    if (flagLike)
      throw new UsageError(
        `\`--${flagLike.name}\` needs a value, and \`${flagLike.value}\` looks like a flag`,
        shortUsage(cmd),
        `to give a value that starts with \`-\`, write \`--${flagLike.name}=${flagLike.value}\``,
      );
    throw new UsageError(parseErrorMessage(e), shortUsage(cmd));
  }
  const values = parsed.values;
  if (values["help"] === true) return { values: values as Parsed<O>["values"], positionals: parsed.positionals };
  refuseRepeatedValues(parsed.tokens, all, cmd);
  for (const [name, o] of Object.entries(cmd.options)) {
    const v = values[name];
    if (o.type === "string" && o.choices && typeof v === "string" && !o.choices.includes(v)) {
      throw new UsageError(`\`--${name}\` must be one of ${o.choices.map((c) => `\`${c}\``).join(", ")}, not \`${v}\``, shortUsage(cmd));
    }
  }
  const n = parsed.positionals.length;
  const { min, max, name } = cmd.positionals;
  if (n < min) {
    // Positionals named one by one ("OLD NEW"): say which are missing.
    const names = name.split(" ");
    const message =
      names.length === min ? `missing ${names.slice(n).join(" and ")}` : min === 1 ? `missing ${name}` : `expected at least ${min} ${name} arguments, got ${n}`;
    throw new UsageError(message, shortUsage(cmd));
  }
  if (max !== undefined && n > max) {
    const extra = parsed.positionals[max] ?? "";
    throw new UsageError(max === 0 ? `unexpected argument \`${extra}\`` : `unexpected extra argument \`${extra}\``, shortUsage(cmd));
  }
  return { values: values as Parsed<O>["values"], positionals: parsed.positionals };
}

type ParseOptions = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

function parseWithTokens(argv: readonly string[], options: ParseOptions) {
  return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
}

/**
 * parseArgs refuses a value that starts with `-` after a flag (`--batch-size -1`) as
 * "ambiguous", and its advice is on lines we do not show: find the flag and the value.
 */
function flagLikeValue(e: unknown, argv: readonly string[], all: Readonly<Record<string, OptionSpec>>): { name: string; value: string } | undefined {
  const raw = /^Option '(-[^']+)' argument is ambiguous/.exec((e as { message?: string }).message ?? "")?.[1];
  if (raw === undefined) return undefined;
  const name = raw.startsWith("--") ? raw.slice(2) : Object.entries(all).find(([, o]) => `-${o.short ?? ""}` === raw)?.[0];
  const value = argv[argv.indexOf(raw) + 1];
  return name === undefined || value === undefined ? undefined : { name, value };
}

/** A flag that takes one value, given twice: parseArgs keeps the last silently, which could evaluate another policy or ledger than the one meant. */
function refuseRepeatedValues(tokens: ReturnType<typeof parseWithTokens>["tokens"], all: Readonly<Record<string, OptionSpec>>, cmd: CommandHelp): void {
  const seen = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind !== "option" || t.value === undefined) continue;
    const spec = all[t.name];
    if (spec?.type !== "string" || spec.multiple === true) continue;
    const before = seen.get(t.name);
    if (before !== undefined) throw new UsageError(`\`--${t.name}\` given twice (\`${before}\`, then \`${t.value}\`)`, shortUsage(cmd), "give it once");
    seen.set(t.name, t.value);
  }
}

function parseErrorMessage(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const msg = err.message ?? String(e);
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return `unknown flag \`${unknown[1]}\``;
  const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(msg);
  if (missing) return `\`${missing[1]?.replace(/^-\w, /, "")}\` needs a value`;
  const notString = /Option '([^']+?)' does not take an argument/.exec(msg);
  if (notString) return `\`${notString[1]?.replace(/^-\w, /, "")}\` does not take a value`;
  const first = msg.split("\n")[0] ?? msg;
  return first.charAt(0).toLowerCase() + first.slice(1).replace(/\.$/, "");
}

/** A `--flag DATE` value: a real calendar date written `YYYY-MM-DD` (so not 2025-02-30), or undefined when absent. */
export function isoDateFlag(name: string, value: string | undefined, usage: string): string | undefined {
  if (value === undefined || isIsoDate(value)) return value;
  throw new UsageError(`\`--${name}\` must be a calendar date \`YYYY-MM-DD\`, not \`${value}\``, usage);
}

/** `--busy-timeout MS` (eval, ledger): how long to wait for another process's lock on the ledger, default 5000. */
export function busyTimeoutFlag(value: string | undefined, usage: string): number {
  // SQLite's busy handler takes a 32-bit signed count of milliseconds (about 24.8 days).
  return positiveInt("busy-timeout", value, 5000, usage, 2 ** 31 - 1);
}

/** A positive integer flag value, at most `max` (a limit of what consumes it, e.g. a timer's 2^31 - 1 ms), or `fallback` when absent. */
export function positiveInt(name: string, value: string | undefined, fallback: number, usage: string, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`\`--${name}\` must be a positive integer, not \`${value}\``, usage);
  if (BigInt(value) > BigInt(max)) throw new UsageError(`\`--${name}\` must be at most ${max.toLocaleString("en-US")}, not \`${value}\``, usage);
  return Number(value);
}
