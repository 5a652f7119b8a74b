/**
 * Cross-file navigation from a library file whose importers are closed: the server finds
 * them in the workspace, so references and rename reach them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReferencesRequest, RenameRequest } from "vscode-languageserver-protocol/node.js";
import { startClient, type Client } from "./client.js";

let client: Client;

beforeAll(async () => {
  client = await startClient();
});

afterAll(async () => {
  await client.stop();
});

describe("a library file opened alone", () => {
  it("finds references and renames in closed files that import it", async () => {
    const text = readFileSync(join(client.dir, "catalog.diffuse"), "utf8");
    const published = client.diagnostics("catalog.diffuse");
    client.open("catalog.diffuse", text);
    await published;
    const before = text.slice(0, text.indexOf("class advanced_ic") + "class ".length);
    const position = { line: before.split("\n").length - 1, character: before.length - (before.lastIndexOf("\n") + 1) };
    const textDocument = { uri: client.uri("catalog.diffuse") };

    const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } });
    expect([...new Set(refs?.map((r) => r.uri))].sort()).toEqual([client.uri("catalog.diffuse"), client.uri("policy.diffuse")]);

    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument, position, newName: "ic" });
    expect(Object.keys(edit?.changes ?? {}).sort()).toEqual([client.uri("catalog.diffuse"), client.uri("policy.diffuse")]);
    // `tier1` is declared in the importing policy: taking it would clash there.
    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument, position, newName: "tier1" })).rejects.toThrow(/already declared/);
  });
});
