import { parseCommand, shortUsage } from "../args.js";
import { lspCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, UsageError } from "../errors.js";


interface ServerModule {
  readonly startServer?: () => unknown;
}

export async function runLsp(argv: readonly string[], _ctx: Context): Promise<number> {
  const { values } = parseCommand(lspCommand, argv);
  if (values.stdio !== true) throw new UsageError("`diffuse lsp` needs `--stdio`", shortUsage(lspCommand));
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

export { lspCommand };
