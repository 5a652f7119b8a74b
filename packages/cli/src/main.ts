/**
 * The `diffuse` command: dispatch, global flags, and the one place errors become
 * messages and exit codes.
 */
import { readFileSync } from "node:fs";
import { shortUsage, usageText, type CommandHelp } from "./args.js";
import type { Context } from "./context.js";
import { CliError, EXIT_OK, EXIT_USAGE, UsageError } from "./errors.js";
import { checkCommand, diffCommand, evalCommand, explainCommand, fmtCommand, ledgerCommand, lspCommand, testCommand } from "./commands/specs.js";

type Runner = (argv: readonly string[], ctx: Context) => Promise<number>;

interface Command {
  readonly help: CommandHelp;
  /** Loads the command's module on first use (the parser, formatter and server are heavy). */
  load(): Promise<Runner>;
}

export const COMMANDS: readonly Command[] = [
  { help: checkCommand, load: async () => (await import("./commands/check.js")).runCheck },
  { help: evalCommand, load: async () => (await import("./commands/eval.js")).runEval },
  { help: explainCommand, load: async () => (await import("./commands/explain.js")).runExplain },
  { help: testCommand, load: async () => (await import("./commands/test.js")).runTest },
  { help: diffCommand, load: async () => (await import("./commands/diff.js")).runDiff },
  { help: fmtCommand, load: async () => (await import("./commands/fmt.js")).runFmt },
  { help: lspCommand, load: async () => (await import("./commands/lsp.js")).runLsp },
  { help: ledgerCommand, load: async () => (await import("./commands/ledger.js")).runLedger },
];

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.help.name.length));
  return [
    "usage: diffuse COMMAND [OPTIONS]",
    "",
    "Policy-as-code for compute export controls.",
    "",
    "commands:",
    ...COMMANDS.map((c) => `  ${c.help.name.padEnd(width)}  ${c.help.summary}`),
    "",
    "options:",
    "  -h, --help     show help (also after a command: `diffuse eval --help`)",
    "  -V, --version  print the version",
    "      --debug    show stack traces for internal errors",
    "",
    "exit codes: 0 success, 1 problems found (policy errors, failed tests, invalid orders),",
    "2 usage or I/O error",
    "",
    "examples:",
    "  diffuse check policies/ai-diffusion-2025.diffuse",
    "  diffuse eval --policy policies/ai-diffusion-2025.diffuse --orders policies/examples/orders.json --ledger ledger.db",
    "  diffuse explain --policy policies/ai-diffusion-2025.diffuse --order order.json",
    "",
  ].join("\n");
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: readonly string[], ctx: Context): Promise<number> {
  const debug = argv.includes("--debug");
  // `--debug` is global: it may also come before the command (every command accepts it).
  const [name, ...rest] = argv[0] === "--debug" ? argv.slice(1) : argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const sub = name === "help" && rest[0] !== undefined ? COMMANDS.find((c) => c.help.name === rest[0]) : undefined;
      if (name === "help" && rest[0] !== undefined && !sub) {
        throw new UsageError(`unknown command \`${rest[0]}\``, "usage: diffuse help COMMAND\nrun `diffuse --help` for the commands\n");
      }
      ctx.stdout.write(sub ? usageText(sub.help) : mainHelp());
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === "--version" || name === "-V" || name === "version") {
      ctx.stdout.write(`${ctx.version}\n`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.help.name === name);
    if (!command) {
      const hint = name.startsWith("-") ? `unknown flag \`${name}\`` : `unknown command \`${name}\``;
      throw new UsageError(hint, "usage: diffuse COMMAND [OPTIONS]\nrun `diffuse --help` for the commands\n");
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      ctx.stdout.write(usageText(command.help));
      return EXIT_OK;
    }
    return await (
      await command.load()
    )(rest, ctx);
  } catch (e) {
    return report(e, ctx, debug);
  } finally {
    await ctx.stdout.flush();
    await ctx.stderr.flush();
  }
}

function report(e: unknown, ctx: Context, debug: boolean): number {
  if (e instanceof CliError) {
    ctx.stderr.write(`error: ${e.message}\n`);
    if (e.help) ctx.stderr.write(`help: ${e.help}\n`);
    if (e instanceof UsageError) ctx.stderr.write(e.usage);
    if (debug && e.stack) ctx.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  if (e instanceof Error && e.name === "LedgerError") {
    ctx.stderr.write(`error: ${e.message}\n`);
    const help = (e as { help?: unknown }).help;
    if (typeof help === "string") ctx.stderr.write(`help: ${help}\n`);
    if (debug && e.stack) ctx.stderr.write(`${e.stack}\n`);
    return EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  ctx.stderr.write(`error: internal error: ${message}\n`);
  if (debug) ctx.stderr.write(`${e instanceof Error ? e.stack : ""}\n`);
  else ctx.stderr.write("help: this is a bug in diffuse; rerun with --debug for the stack trace and report it\n");
  return EXIT_USAGE;
}

export { shortUsage };
