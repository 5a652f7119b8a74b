/**
 * File names that URIs spell in more than one way (`(` or `%28`, `#` that must be `%23`):
 * the server keys documents by one spelling, so an open, edited file is what the files
 * importing it see, whichever spelling the client uses, and cross-file requests name
 * each file once. Over stdio, against the real server.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  FileChangeType,
  PublishDiagnosticsNotification,
  RenameRequest,
  TextDocument,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node.js";
import { startClient, type Client } from "./client.js";

let client: Client;
const catalog = readFileSync(join(import.meta.dirname, "fixtures", "catalog.diffuse"), "utf8");
const policy = readFileSync(join(import.meta.dirname, "fixtures", "policy.diffuse"), "utf8");

beforeAll(async () => {
  client = await startClient();
});

afterAll(async () => {
  await client.stop();
});

/** The URI VS Code sends for a file of the workspace (vscode-uri encodes all but unreserved characters). */
function vscodeUri(encodedName: string): string {
  return `${pathToFileURL(client.dir).href}/${encodedName}`;
}

/** The URI Node (and clients that encode as little as it does) give the same file. */
function nodeUri(name: string): string {
  return pathToFileURL(join(client.dir, name)).href;
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`\`${needle}\` not found`);
  return TextDocument.create("x", "diffuse", 0, text).positionAt(offset + delta);
}

/** Resolves with the first diagnostics published for `uri` that satisfy `accept`. */
function published(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve) => {
    const seen = client.published.find((p) => p.uri === uri && accept(p));
    if (seen !== undefined) return resolve(seen);
    const listener = client.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (p.uri !== uri || !accept(p)) return;
      listener.dispose();
      resolve(p);
    });
  });
}

const open = (uri: string, text: string, version = 1): void =>
  void client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "diffuse", version, text } });

/** Writes a catalog named `catalogName` and a policy named `policyName` importing it. */
function writePair(catalogName: string, policyName: string): { renamed: string } {
  writeFileSync(join(client.dir, catalogName), catalog);
  writeFileSync(join(client.dir, policyName), policy.replace('import "catalog.diffuse"', `import "${catalogName}"`));
  return { renamed: catalog.replace("class advanced_ic", "class renamed_ic") };
}

const unknownName = (p: PublishDiagnosticsParams): boolean => p.diagnostics.some((d) => d.code === "DF2001" && d.message.includes("advanced_ic"));

describe("file names a URI must encode", () => {
  it("sees an open, edited import under VS Code's spelling, and re-checks its importers as it is edited", async () => {
    const { renamed } = writePair("catalog (copy).diffuse", "policy #1.diffuse");
    const catalogUri = vscodeUri("catalog%20%28copy%29.diffuse");
    const policyUri = vscodeUri("policy%20%231.diffuse");
    open(catalogUri, renamed);
    const broken = published(policyUri, unknownName);
    open(policyUri, policy.replace('import "catalog.diffuse"', 'import "catalog (copy).diffuse"'));
    await broken; // the open text, not the file on disk

    const fixed = published(policyUri, (p) => p.diagnostics.length === 0);
    const at = positionOf(renamed, "class renamed_ic", "class ".length);
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: catalogUri, version: 2 },
      contentChanges: [{ range: { start: at, end: { line: at.line, character: at.character + "renamed_ic".length } }, text: "advanced_ic" }],
    });
    await fixed;

    const found = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: policyUri },
      position: positionOf(policy, "for advanced_ic", 5),
    });
    expect((Array.isArray(found) ? found : []).map((l) => ("uri" in l ? l.uri : l.targetUri))).toEqual([catalogUri]);
  });

  it("takes a client's other spelling of the same URI (`(` as typed) as the same document, and answers in VS Code's", async () => {
    const { renamed } = writePair("catalog (v2).diffuse", "policy (v2).diffuse");
    open(nodeUri("catalog (v2).diffuse"), renamed);
    const broken = published(vscodeUri("policy%20%28v2%29.diffuse"), unknownName);
    open(nodeUri("policy (v2).diffuse"), policy.replace('import "catalog.diffuse"', 'import "catalog (v2).diffuse"'));
    await broken;
    expect(client.published.map((p) => p.uri)).not.toContain(nodeUri("policy (v2).diffuse"));
  });

  it("renames across files once per file, though the workspace lists them under Node's spelling", async () => {
    writePair("catalog (v3).diffuse", "policy (v3).diffuse");
    const catalogUri = vscodeUri("catalog%20%28v3%29.diffuse");
    const policyUri = vscodeUri("policy%20%28v3%29.diffuse");
    const clean = published(policyUri, (p) => p.diagnostics.length === 0);
    open(catalogUri, catalog);
    open(policyUri, readFileSync(join(client.dir, "policy (v3).diffuse"), "utf8"));
    await clean;
    const position = positionOf(catalog, "class advanced_ic", "class ".length);
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri: catalogUri }, position, newName: "ic" });
    const changes = edit?.changes ?? {};
    expect(Object.keys(changes).sort()).toEqual([catalogUri, policyUri]);
    const uses = (text: string): number => text.split(/\badvanced_ic\b/).length - 1;
    expect(changes[catalogUri]).toHaveLength(uses(catalog));
    expect(changes[policyUri]).toHaveLength(uses(policy));
  });

  it("reports a missing import as written, and re-checks when the file is created", async () => {
    const policyUri = vscodeUri("policy%20%234.diffuse");
    const text = 'import "lib #4?.diffuse"\ngroup own = lib4\n';
    writeFileSync(join(client.dir, "policy #4.diffuse"), text);
    const missing = published(policyUri, (p) => p.diagnostics.some((d) => d.code === "DF2005"));
    open(policyUri, text);
    const { diagnostics } = await missing;
    // The path as written, and where it leads as a path, not as an encoded URI.
    expect(diagnostics.find((d) => d.code === "DF2005")?.message).toBe(
      `cannot read \`lib #4?.diffuse\`\nhelp: the path is relative to this file and resolves to \`${join(client.dir, "lib #4?.diffuse")}\``,
    );

    writeFileSync(join(client.dir, "lib #4?.diffuse"), "group lib4 = { US }\n");
    const fixed = published(policyUri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: nodeUri("lib #4?.diffuse"), type: FileChangeType.Created }],
    });
    await fixed;
  });
});
