/**
 * A JSON-RPC client for protocol tests: starts the real server over stdio
 * (`node --import tsx packages/language-server/src/node.ts --stdio`), initializes it,
 * and collects what it pushes (diagnostics, log messages).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node.js";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = join(here, "..", "..");
export const SERVER = join(REPO, "packages", "language-server", "src", "node.ts");

export interface Client {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** A scratch copy of test/lsp/fixtures. */
  readonly dir: string;
  uri(name: string): string;
  open(name: string, text: string, version?: number): void;
  change(name: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  close(name: string): void;
  /** Resolves with the first diagnostics published for `name` (after now) that satisfy `accept`. */
  diagnostics(name: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  readonly logs: string[];
  /** What the server asked the client to show (window/showMessage). */
  readonly messages: ShowMessageParams[];
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[];
  /** Replace the settings the client answers workspace/configuration with, and tell the server. */
  setSettings(settings: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

export interface ClientOptions {
  readonly settings?: Record<string, unknown>;
  /** Use this folder as the workspace (read-only use) instead of a scratch copy of the fixtures. */
  readonly workspace?: string;
}

export async function startClient(options: ClientOptions = {}): Promise<Client> {
  const scratch = options.workspace === undefined;
  const dir = options.workspace ?? mkdtempSync(join(tmpdir(), "diffuse-lsp-"));
  if (scratch) cpSync(join(here, "fixtures"), dir, { recursive: true });
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", SERVER, "--stdio"], {
    cwd: REPO,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  if (child.stdout === null || child.stdin === null) throw new Error("no stdio");
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const logs: string[] = [];
  const messages: ShowMessageParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const published: PublishDiagnosticsParams[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.accept(params)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(params);
      }
    }
  });
  connection.onNotification(LogMessageNotification.type, (p) => logs.push(p.message));
  connection.onNotification(ShowMessageNotification.type, (p) => messages.push(p));
  let settings: Record<string, unknown> = options.settings ?? { diagnostics: { debounceMs: 20 } };
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => settings));
  connection.onRequest(RegistrationRequest.type, () => null);
  connection.listen();
  const rootUri = pathToFileURL(dir).toString();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "fixtures" }],
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, codeLens: { refreshSupport: true } },
      textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true } },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const uri = (name: string): string => `${rootUri}/${name}`;
  return {
    connection,
    process: child,
    dir,
    uri,
    logs,
    messages,
    published,
    open(name, text, version = 1) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(name), languageId: "diffuse", version, text } });
    },
    change(name, version, changes) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(name), version }, contentChanges: changes });
    },
    close(name) {
      void connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uri(name) } });
    },
    diagnostics(name, accept = () => true) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${name}; server stderr: ${stderr.join("")}; logs: ${logs.join("\n")}`)), 20_000);
        waiters.push({
          uri: uri(name),
          accept,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async setSettings(next) {
      settings = next;
      await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { diffuse: next } });
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      connection.dispose();
      child.kill();
      if (scratch) rmSync(dir, { recursive: true, force: true });
    },
  };
}
