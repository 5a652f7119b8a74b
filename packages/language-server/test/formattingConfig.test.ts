/**
 * Formatting options through the server (in process, over in-memory streams): the Node
 * host reads .prettierrc and .editorconfig as `diffuse fmt` does; the browser worker's
 * host has no file system and keeps to the client's settings. Fixtures in
 * fixtures/formatting: one folder per configuration, `expected/` holds what `diffuse fmt`
 * writes for each file (test/cli checks the CLI against the same files).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createConnection, type Connection } from "vscode-languageserver/node.js";
import {
  createProtocolConnection,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  RegistrationRequest,
  ShowMessageNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type FormattingOptions,
  type LogMessageParams,
  type ProtocolConnection,
  type Range,
  type ShowMessageParams,
} from "vscode-languageserver-protocol/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { formatDiffuse } from "prettier-plugin-diffuse";
import { configuredFormatOptions } from "prettier-plugin-diffuse/config";
import { clientHost } from "../src/clientHost.js";
import { nodeHost } from "../src/node.js";
import { createServer, type ServerHost } from "../src/server.js";
import { FIXTURES } from "./helpers.js";

const CASES = join(FIXTURES, "formatting");
const SPACES_2: FormattingOptions = { tabSize: 2, insertSpaces: true };

interface InProcess {
  readonly client: ProtocolConnection;
  readonly shown: ShowMessageParams[];
  readonly logs: LogMessageParams[];
  /** Opens the file at `path` with its text on disk (or `text`); returns its URI. */
  open(path: string, text?: string): Promise<string>;
  /** Formats the open document (or `range` of it); returns the text after the edits. */
  format(path: string, options?: FormattingOptions, range?: Range): Promise<string>;
  stop(): void;
}

const running: InProcess[] = [];
const scratch: string[] = [];

afterEach(() => {
  for (const server of running.splice(0)) server.stop();
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function startServer(
  makeHost: (connection: Connection) => ServerHost,
  options: { readonly settings?: unknown; readonly capabilities?: ClientCapabilities } = {},
): Promise<InProcess> {
  const up = new PassThrough();
  const down = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  createServer(serverConnection, makeHost(serverConnection));
  serverConnection.listen();
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const shown: ShowMessageParams[] = [];
  const logs: LogMessageParams[] = [];
  client.onNotification(ShowMessageNotification.type, (p) => shown.push(p));
  client.onNotification(LogMessageNotification.type, (p) => logs.push(p));
  client.onRequest(RegistrationRequest.type, () => null);
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: options.capabilities ?? {},
    ...(options.settings !== undefined ? { initializationOptions: options.settings } : {}),
  });
  await client.sendNotification(InitializedNotification.type, {});
  const texts = new Map<string, string>();
  const server: InProcess = {
    client,
    shown,
    logs,
    async open(path, text = readFileSync(path, "utf8")) {
      const uri = pathToFileURL(path).toString();
      texts.set(uri, text);
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "diffuse", version: 1, text } });
      return uri;
    },
    async format(path, options = SPACES_2, range) {
      const uri = pathToFileURL(path).toString();
      const edits =
        range === undefined
          ? await client.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options })
          : await client.sendRequest(DocumentRangeFormattingRequest.type, { textDocument: { uri }, range, options });
      return TextDocument.applyEdits(TextDocument.create(uri, "diffuse", 1, texts.get(uri) ?? ""), edits ?? []);
    },
    stop() {
      client.dispose();
      serverConnection.dispose();
    },
  };
  running.push(server);
  return server;
}

const expected = (name: string): string => readFileSync(join(CASES, "expected", name), "utf8");

/** What `diffuse fmt` formats the file at `path` to (its options, from the same function). */
async function asFmt(path: string): Promise<string> {
  return formatDiffuse(readFileSync(path, "utf8"), { endOfLine: "auto", ...(await configuredFormatOptions(path)), filepath: path });
}

describe("formatting with .prettierrc and .editorconfig (Node host)", () => {
  it("formats with the .prettierrc's options, whatever the client's width and the editor's tabs, as diffuse fmt does", async () => {
    const server = await startServer(() => nodeHost, { settings: { format: { printWidth: 120 } } });
    const path = join(CASES, "prettierrc", "policy.diffuse");
    await server.open(path);
    // The .prettierrc sets width 40 and four spaces; it does not set tabs, so fmt's default (spaces) holds.
    const formatted = await server.format(path, { tabSize: 8, insertSpaces: false });
    expect(formatted).toBe(expected("prettierrc/policy.diffuse"));
    expect(formatted).toBe(await asFmt(path));
    expect(server.shown).toEqual([]);
  });

  it("applies the .prettierrc's overrides to the files they match", async () => {
    const server = await startServer(() => nodeHost);
    const path = join(CASES, "prettierrc", "lib", "tabs.diffuse");
    await server.open(path);
    const formatted = await server.format(path, { tabSize: 2, insertSpaces: true });
    expect(formatted).toBe(expected("prettierrc/lib/tabs.diffuse"));
    expect(formatted).toBe(await asFmt(path));
  });

  it("formats a range with the same options", async () => {
    const server = await startServer(() => nodeHost);
    const path = join(CASES, "prettierrc", "policy.diffuse");
    await server.open(path);
    // The cap, the last declaration: formatted as in the whole file, the rest left alone.
    const text = readFileSync(path, "utf8");
    const line = text.split("\n").findIndex((l) => l.startsWith("cap "));
    const after = await server.format(path, SPACES_2, { start: { line, character: 0 }, end: { line, character: 3 } });
    const want = expected("prettierrc/policy.diffuse");
    expect(after.slice(after.indexOf("cap "))).toBe(want.slice(want.indexOf("cap ")));
    expect(after.slice(0, after.indexOf("cap "))).toBe(text.slice(0, text.indexOf("cap ")));
  });

  it("formats with an .editorconfig alone (indent_size, max_line_length)", async () => {
    const server = await startServer(() => nodeHost, { settings: { format: { printWidth: 120 } } });
    const path = join(CASES, "editorconfig", "policy.diffuse");
    await server.open(path);
    const formatted = await server.format(path, { tabSize: 2, insertSpaces: true });
    expect(formatted).toBe(expected("editorconfig/policy.diffuse"));
    expect(formatted).toBe(await asFmt(path));
    expect(formatted).toContain("\n   limit 26_900_000 TPP\n");
  });

  it("reads a .prettierrc again once the client reports it changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "diffuse-format-config-"));
    scratch.push(dir);
    cpSync(join(CASES, "prettierrc"), dir, { recursive: true });
    const server = await startServer(() => nodeHost, { capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } } });
    const path = join(dir, "policy.diffuse");
    await server.open(path);
    expect(await server.format(path)).toBe(expected("prettierrc/policy.diffuse"));
    writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ printWidth: 200, tabWidth: 3 }));
    await server.client.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: pathToFileURL(join(dir, ".prettierrc")).toString(), type: FileChangeType.Changed }],
    });
    let formatted = "";
    for (let i = 0; i < 50 && !formatted.includes("\n   limit"); i++) formatted = await server.format(path);
    expect(formatted).toBe(await asFmt(path));
    expect(formatted).toContain('group tier1 "Tier 1" = { AU BE CA DE DK ES FI FR GB IE IT JP KR NL NO NZ SE TW US }\n');
    expect(formatted).toContain("\n   limit 26_900_000 TPP\n");
  });

  it("reads configuration afresh for each request when the client cannot watch files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "diffuse-format-config-"));
    scratch.push(dir);
    cpSync(join(CASES, "prettierrc"), dir, { recursive: true });
    const server = await startServer(() => nodeHost); // no didChangeWatchedFiles capability
    const path = join(dir, "policy.diffuse");
    await server.open(path);
    expect(await server.format(path)).toBe(expected("prettierrc/policy.diffuse"));
    writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ printWidth: 200, tabWidth: 3 }));
    const formatted = await server.format(path);
    expect(formatted).toBe(await asFmt(path));
    expect(formatted).toContain("\n   limit 26_900_000 TPP\n");
  });

  it("keeps to the client's settings for a file no configuration applies to", async () => {
    const server = await startServer(() => nodeHost, { settings: { format: { printWidth: 40 } } });
    // Outside the repository, whose own .prettierrc applies to every file under it.
    const dir = mkdtempSync(join(tmpdir(), "diffuse-format-config-"));
    scratch.push(dir);
    const path = join(dir, "unconfigured.diffuse");
    await server.open(path, "cap c {\nlimit 1 TPP\nper consignee\nwindow calendar year\n}\n");
    expect(await server.format(path, { tabSize: 4, insertSpaces: false })).toBe("cap c {\n\tlimit 1 TPP\n\tper consignee\n\twindow calendar year\n}\n");
  });

  it("says once, as a warning, that a configuration file cannot be read, and leaves the file alone", async () => {
    const server = await startServer(() => nodeHost);
    const path = join(CASES, "bad-config", "policy.diffuse");
    await server.open(path);
    expect(await server.format(path)).toBe(readFileSync(path, "utf8"));
    expect(server.shown).toHaveLength(1);
    expect(server.shown[0]?.type).toBe(MessageType.Warning);
    expect(server.shown[0]?.message).toMatch(/^Not formatted: the formatting configuration cannot be read: .*\.prettierrc.*line 2, column 1$/);
  });
});

describe("formatting a file with syntax errors", () => {
  it("returns no edits and shows exactly one warning saying how many errors and where the first is", async () => {
    const server = await startServer(() => nodeHost);
    const path = join(CASES, "broken.diffuse");
    const text = 'group tier1 = { US GB }\n\ncap c {\n  limit 1 TPP\n  per consignee\n  window calendar year\n  x y\n}\ngroup = { "open\n';
    await server.open(path, text);
    expect(await server.format(path)).toBe(text);
    expect(server.shown).toEqual([
      {
        type: MessageType.Warning,
        message: "Not formatted: the file has 4 syntax errors (first at line 7, column 3: unexpected keyword `x` in a cap block). Fix them and format again.",
      },
    ]);
    // A range in the file: refused the same way, one message for the request.
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
    expect(await server.format(path, SPACES_2, range)).toBe(text);
    expect(server.shown).toHaveLength(2);
    expect(server.shown[1]?.message).toBe(server.shown[0]?.message);
    expect(server.logs.filter((l) => l.type === MessageType.Error)).toEqual([]);
  });

  it("logs a formatter failure that is not the user's (with the error), and shows nothing", async () => {
    // A host whose configuration asks for what the formatter cannot do: an unknown line ending.
    const broken: ServerHost = {
      ...nodeHost,
      formatConfig: { resolve: () => Promise.resolve({ endOfLine: "nope" as "lf" }), invalidate: () => Promise.resolve() },
    };
    const server = await startServer(() => broken);
    const path = join(CASES, "failing.diffuse");
    await server.open(path, "group   g = { US }\n");
    expect(await server.format(path)).toBe("group   g = { US }\n");
    expect(server.shown).toEqual([]);
    const errors = server.logs.filter((l) => l.type === MessageType.Error).map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^formatting file:.*failing\.diffuse failed: .*endOfLine/s);
  });
});

describe("formatting in the browser worker (no file system)", () => {
  it("uses the client's settings and the editor's tabs, even where a .prettierrc exists", async () => {
    // The browser entry's host: files come from the client (which has none to offer here).
    const up = await startServer(clientHost, { settings: { format: { printWidth: 60 } } });
    const path = join(CASES, "prettierrc", "policy.diffuse");
    await up.open(path);
    const formatted = await up.format(path, { tabSize: 3, insertSpaces: true });
    expect(formatted).toBe(await formatDiffuse(readFileSync(path, "utf8"), { printWidth: 60, tabWidth: 3, useTabs: false }));
    expect(formatted).not.toBe(expected("prettierrc/policy.diffuse"));
    expect(formatted).toContain("\n   limit 26_900_000 TPP\n");
  });
});
