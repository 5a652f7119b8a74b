/**
 * The browser worker's way of reading files: the server runs in process over in-memory
 * streams with the client host, and the test client answers `diffuse/readFile`.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createConnection } from "vscode-languageserver/node.js";
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DefinitionRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node.js";
import { clientHost, READ_FILE_REQUEST } from "../src/clientHost.js";
import { createServer } from "../src/server.js";
import { ROOT, fixture } from "./helpers.js";

describe("client host (browser worker)", () => {
  it("reads imports that are not open through diffuse/readFile", async () => {
    const up = new PassThrough();
    const down = new PassThrough();
    const serverConnection = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    createServer(serverConnection, clientHost(serverConnection));
    serverConnection.listen();

    const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    const asked: string[] = [];
    client.onRequest(READ_FILE_REQUEST, (params: { uri: string }) => {
      asked.push(params.uri);
      return params.uri === `${ROOT}catalog.diffuse` ? fixture("workspace/catalog.diffuse") : null;
    });
    const published = new Promise<PublishDiagnosticsParams>((resolve) => client.onNotification(PublishDiagnosticsNotification.type, resolve));
    client.listen();
    await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
    await client.sendNotification(InitializedNotification.type, {});
    const uri = `${ROOT}policy.diffuse`;
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "diffuse", version: 1, text: fixture("workspace/policy.diffuse") },
    });
    expect((await published).diagnostics).toEqual([]);
    expect(asked).toEqual([`${ROOT}catalog.diffuse`]);
    const text = fixture("workspace/policy.diffuse");
    const line = text.slice(0, text.indexOf("for advanced_ic")).split("\n").length - 1;
    const character = text.split("\n")[line]?.indexOf("advanced_ic") ?? 0;
    const result = await client.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line, character } });
    expect(Array.isArray(result) && result[0] !== undefined && "uri" in result[0] ? result[0].uri : undefined).toBe(`${ROOT}catalog.diffuse`);
    client.dispose();
    serverConnection.dispose();
  });
});
