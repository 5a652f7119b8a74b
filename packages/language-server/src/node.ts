/**
 * Node entry: the server over stdio (or node-ipc/socket, as vscode-languageserver's
 * command-line flags say). `diffuse lsp --stdio` calls `startServer()`; running this
 * file directly starts it too.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as FormatConfig from "prettier-plugin-diffuse/config";
import { createConnection, ProposedFeatures, type Connection } from "vscode-languageserver/node.js";
import { createServer, type FormatConfigReader, type ServerHandle, type ServerHost } from "./server.js";

const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "out", "coverage", ".pnpm-store"]);

async function readFileUri(uri: string): Promise<string | undefined> {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return await readFile(fileURLToPath(uri), "utf8");
  } catch {
    return undefined;
  }
}

async function findFiles(folders: readonly string[], suffix: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > 12 || out.length > 5000) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith(".")) await visit(join(dir, entry.name), depth + 1);
      } else if (entry.isFile() && entry.name.endsWith(suffix)) {
        out.push(pathToFileURL(join(dir, entry.name)).toString());
      }
    }
  };
  for (const folder of folders) if (folder.startsWith("file:")) await visit(fileURLToPath(folder), 0);
  return out.sort();
}

/**
 * .prettierrc and .editorconfig, read by the function `diffuse fmt` uses. Prettier's Node
 * build is loaded on the first formatting request, not when the server starts.
 */
let formatConfigModule: Promise<typeof FormatConfig> | undefined;
const loadFormatConfig = (): Promise<typeof FormatConfig> => (formatConfigModule ??= import("prettier-plugin-diffuse/config"));

const formatConfig: FormatConfigReader = {
  resolve: async (uri) => (uri.startsWith("file:") ? (await loadFormatConfig()).configuredFormatOptions(fileURLToPath(uri)) : undefined),
  invalidate: async () => {
    if (formatConfigModule !== undefined) await (await formatConfigModule).clearConfiguredFormatOptions();
  },
};

export const nodeHost: ServerHost = { readFile: readFileUri, findFiles, formatConfig };

/**
 * Starts the language server on this process. The transport comes from the command
 * line (`--stdio`, `--node-ipc`, `--socket=N`); with none, stdio is used.
 */
export function startServer(connection?: Connection): ServerHandle {
  const argv = process.argv;
  const hasTransport = argv.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket") || a.startsWith("--pipe"));
  const conn = connection ?? (hasTransport ? createConnection(ProposedFeatures.all) : createConnection(ProposedFeatures.all, process.stdin, process.stdout));
  const handle = createServer(conn, nodeHost);
  // A bad document must never take the server down: log and carry on.
  process.on("uncaughtException", (error) => conn.console.error(`uncaught: ${error.stack ?? error.message}`));
  process.on("unhandledRejection", (reason) =>
    conn.console.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  conn.listen();
  return handle;
}

/** Whether this module is the process's entry point (`node node.js --stdio`). */
function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(entry).toString();
  } catch {
    return false;
  }
}

if (isMain()) startServer();
