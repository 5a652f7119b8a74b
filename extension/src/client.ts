/**
 * The language client: starts the bundled server (dist/server.js) over stdio for
 * .diffuse files and policy test files, and shows the results of the server's own
 * commands (the code lenses) where a user can read them.
 */
import * as vscode from "vscode";
import { SERVER_NODE_FLAGS } from "@diffuse/language-server/runtime";
import { LanguageClient, TransportKind } from "vscode-languageclient/node";
import type { LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

/** Commands the server executes (workspace/executeCommand), behind its code lenses. */
export const SERVER_COMMANDS = {
  runTests: "diffuse.runTests",
  evaluateExamples: "diffuse.evaluateExamples",
} as const;

export interface ResultSink {
  /** A `diffuse.runTests` result, from a lens or from the test controller. */
  tests(result: unknown): void;
  /** A `diffuse.evaluateExamples` result, from a lens. */
  evaluation(result: unknown): void;
}

export function createClient(context: vscode.ExtensionContext, sink: ResultSink): LanguageClient {
  const module = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    // The server runs with a larger young generation (see SERVER_NODE_FLAGS).
    run: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS, "--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "diffuse" },
      { scheme: "untitled", language: "diffuse" },
      { scheme: "file", language: "json", pattern: "**/*.test.json" },
    ],
    synchronize: {
      configurationSection: "diffuse",
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{diffuse,json,jsonl}"),
    },
    outputChannelName: "Diffuse Language Server",
    middleware: {
      executeCommand: async (command, args, next) => {
        const result: unknown = await next(command, args);
        if (command === SERVER_COMMANDS.runTests) sink.tests(result);
        if (command === SERVER_COMMANDS.evaluateExamples) sink.evaluation(result);
        return result;
      },
    },
  };
  return new LanguageClient("diffuse", "Diffuse Language Server", serverOptions, clientOptions);
}
