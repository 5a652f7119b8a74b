/**
 * The `diffuse` command: dispatch, global flags, and the one place errors become
 * messages and exit codes.
 */
import { readFileSync } from "node:fs";
import { LedgerError } from "@diffuse/ledger-sqlite";
import { shortUsage, usageText, type CommandHelp } from "./args.js";
import type { Context } from "./context.js";
import { CliError, EXIT_OK, EXIT_USAGE, UsageError } from "./errors.js";
import { checkCommand, runCheck } from "./commands/check.js";
import { evalCommand, runEval } from "./commands/eval.js";
import { explainCommand, runExplain } from "./commands/explain.js";
import { testCommand, runTest } from "./commands/test.js";
import { diffCommand, runDiff } from "./commands/diff.js";
import { fmtCommand, runFmt } from "./commands/fmt.js";
import { lspCommand, runLsp } from "./commands/lsp.js";
import { ledgerCommand, runLedger } from "./commands/ledger.js";

interface Command {
  readonly help: CommandHelp;
  run(argv: readonly string[], ctx: Context): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  { help: checkCommand, run: runCheck },
  { help: evalCommand, run: runEval },
  { help: explainCommand, run: runExplain },
  { help: testCommand, run: runTest },
  { help: diffCommand, run: runDiff },
  { help: fmtCommand, run: runFmt },
  { help: lspCommand, run: runLsp },
  { help: ledgerCommand, run: runLedger },
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
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      const sub = name === "help" ? COMMANDS.find((c) => c.help.name === rest[0]) : undefined;
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
    return await command.run(rest, ctx);
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
  if (e instanceof LedgerError) {
    ctx.stderr.write(`error: ${e.message}\n`);
    if (e.help) ctx.stderr.write(`help: ${e.help}\n`);
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
