import { spawn } from "node:child_process";
import { constants } from "node:os";
import { SERVER_NODE_FLAGS, hasServerFlags } from "@diffuse/language-server/runtime";
import { parseCommand, shortUsage } from "../args.js";
import { lspCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, UsageError } from "../errors.js";

interface ServerModule {
  readonly startServer?: () => unknown;
}

/** Set in the environment of the re-started server, so it never re-starts itself again. */
const RESTARTED = "DIFFUSE_LSP_RESTARTED";

export async function runLsp(argv: readonly string[], _ctx: Context): Promise<number> {
  const { values } = parseCommand(lspCommand, argv);
  if (values.stdio !== true) throw new UsageError("`diffuse lsp` needs `--stdio`", shortUsage(lspCommand));
  // The server wants a larger young generation than Node's default (see runtime.ts in the
  // language server); V8 sizes it at startup, so without the flags we run it in a child
  // Node with them, on the same stdin and stdout.
  const script = process.argv[1];
  if (!hasServerFlags(process.execArgv) && process.env[RESTARTED] === undefined && script !== undefined) {
    return runWithServerFlags(script, process.argv.slice(2));
  }
  // The Node entry of the server: the package's main export, or its `./node` subpath.
  let server = (await import("@diffuse/language-server")) as ServerModule;
  if (typeof server.startServer !== "function") {
    const subpath = "@diffuse/language-server/node";
    server = (await import(subpath).catch(() => ({}))) as ServerModule;
  }
  if (typeof server.startServer !== "function") throw new CliError("this build of diffuse has no language server");
  // The connection keeps the process alive until the client exits it.
  server.startServer();
  return EXIT_OK;
}

/** Runs this same command in a child Node with the server's flags; resolves to its exit code. */
function runWithServerFlags(script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...process.execArgv, script, ...args], {
      stdio: "inherit",
      env: { ...process.env, [RESTARTED]: "1" },
    });
    // An editor stopping the server signals this process: pass it on.
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward);
    child.on("error", (error) => reject(new CliError(`could not start the language server: ${error.message}`)));
    // Killed by a signal: the shell convention, 128 + its number.
    child.on("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128 + constants.signals[signal])));
  });
}

export { lspCommand };
