/**
 * Protocol tests: the real server over stdio, driven by a JSON-RPC client.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CancellationTokenSource,
  CodeActionRequest,
  LSPErrorCodes,
  CodeLensRequest,
  CompletionRequest,
  DefinitionRequest,
  DidChangeWatchedFilesNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  FileChangeType,
  FoldingRangeRequest,
  HoverRequest,
  MessageType,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  SemanticTokensRequest,
  type CompletionList,
  type Diagnostic,
  type MarkupContent,
  // The protocol package's own (deprecated, but complete) TextDocument helpers.
  TextDocument,
} from "vscode-languageserver-protocol/node.js";
import { REPO, startClient, type Client } from "./client.js";

let client: Client;
const fixture = (name: string): string => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const policy = fixture("policy.diffuse");

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`\`${needle}\` not found`);
  return TextDocument.create("x", "diffuse", 0, text).positionAt(offset + delta);
}

beforeAll(async () => {
  client = await startClient();
});

afterAll(async () => {
  await client.stop();
});

describe("diagnostics", () => {
  it("pushes the checker's diagnostics as the document is edited incrementally, and clears them", async () => {
    const clean = client.diagnostics("policy.diffuse");
    client.open("policy.diffuse", policy);
    expect((await clean).diagnostics).toEqual([]);

    // Type a typo: `tier2` -> `tier22` in the LPP exception.
    const at = positionOf(policy, "destination in tier2\n  within", "destination in tier2".length);
    const broken = client.diagnostics("policy.diffuse", (p) => p.version === 2);
    client.change("policy.diffuse", 2, [{ range: { start: at, end: at }, text: "2" }]);
    const { diagnostics } = await broken;
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics as [Diagnostic];
    expect(d.code).toBe("DF2001");
    expect(d.range.start).toEqual({ line: at.line, character: at.character - 5 });
    expect(d.codeDescription?.href).toMatch(/docs\/diagnostics\.md#df2001-unknown-name$/);
    expect(d.message).toContain("`tier22`");

    // Several quick edits: only the last version's diagnostics matter.
    const fixed = client.diagnostics("policy.diffuse", (p) => p.version === 4);
    client.change("policy.diffuse", 3, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: "" }]);
    client.change("policy.diffuse", 4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "// edited\n" }]);
    expect((await fixed).diagnostics).toEqual([]);
    // Debounced: the intermediate version was never checked and published.
    expect(client.published.filter((p) => p.uri === client.uri("policy.diffuse")).map((p) => p.version)).not.toContain(3);
  });

  it("re-checks open importers when an imported open file changes, and clears on close", async () => {
    const catalog = fixture("catalog.diffuse");
    client.open("catalog.diffuse", catalog);
    const importer = client.diagnostics("policy.diffuse", (p) => p.diagnostics.some((d) => d.code === "DF2001"));
    const at = positionOf(catalog, "class advanced_ic", "class ".length);
    client.change("catalog.diffuse", 2, [{ range: { start: at, end: { line: at.line, character: at.character + "advanced_ic".length } }, text: "renamed_ic" }]);
    const { diagnostics } = await importer;
    expect(diagnostics.map((d) => d.message).join("\n")).toContain("advanced_ic");

    const cleared = client.diagnostics("catalog.diffuse", (p) => p.diagnostics.length === 0 && p.version === undefined);
    const back = client.diagnostics("policy.diffuse", (p) => p.diagnostics.length === 0);
    client.close("catalog.diffuse");
    await cleared;
    await back; // the importer reads the file from disk again
  });

  it("re-checks importers when a file changes on disk (didChangeWatchedFiles)", async () => {
    const path = join(client.dir, "catalog.diffuse");
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace("class advanced_ic", "class other_ic"));
    const broken = client.diagnostics("policy.diffuse", (p) => p.diagnostics.length > 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri("catalog.diffuse"), type: FileChangeType.Changed }],
    });
    expect((await broken).diagnostics[0]?.code).toBe("DF2001");
    writeFileSync(path, original);
    const fixed = client.diagnostics("policy.diffuse", (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: client.uri("catalog.diffuse"), type: FileChangeType.Changed }],
    });
    await fixed;
  });
});

describe("requests", () => {
  const doc = { uri: "" };
  beforeAll(() => {
    doc.uri = client.uri("policy.diffuse");
  });

  it("completes names of the kind the position expects", async () => {
    // The open document is policy.diffuse with a comment line prepended (version 4).
    const text = `// edited\n${policy}`;
    const position = positionOf(text, "destination in tier2\n  within", "destination in ".length);
    const result = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: doc, position })) as CompletionList;
    const labels = result.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["tier1", "tier2", "tier3", "all"]));
    expect(labels).not.toContain("LPP_limit");
  });

  it("hovers a group with its countries and a cap with H100-equivalents", async () => {
    const text = `// edited\n${policy}`;
    const group = await client.connection.sendRequest(HoverRequest.type, { textDocument: doc, position: positionOf(text, 'tier1 "Tier 1"', 1) });
    expect((group?.contents as MarkupContent).value).toContain("GB United Kingdom");
    const cap = await client.connection.sendRequest(HoverRequest.type, { textDocument: doc, position: positionOf(text, "cap LPP_limit", 5) });
    expect((cap?.contents as MarkupContent).value).toContain("26,900,000 TPP (about 1,699.1 H100-equivalents)");
  });

  it("goes to a definition in an imported file on disk", async () => {
    const text = `// edited\n${policy}`;
    const result = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: doc, position: positionOf(text, "for advanced_ic", 5) });
    const [loc] = Array.isArray(result) ? result : [];
    expect(loc && "uri" in loc ? loc.uri : undefined).toBe(client.uri("catalog.diffuse"));
  });

  it("finds references", async () => {
    const text = `// edited\n${policy}`;
    const refs = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: doc,
      position: positionOf(text, "group tier3", "group ".length),
      context: { includeDeclaration: true },
    });
    expect(refs?.length).toBe(5); // declared, tier2 = ..., disjoint, status NVEU, prohibit
  });

  it("renames, and refuses a name already taken", async () => {
    const text = `// edited\n${policy}`;
    const position = positionOf(text, "cap LPP_limit", "cap ".length);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: doc, position });
    expect(prepared && "placeholder" in prepared ? prepared.placeholder : undefined).toBe("LPP_limit");
    const edit = await client.connection.sendRequest(RenameRequest.type, { textDocument: doc, position, newName: "lpp_cap" });
    expect(edit?.changes?.[doc.uri]?.map((e) => e.newText)).toEqual(["lpp_cap", "lpp_cap"]);
    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument: doc, position, newName: "tier1" })).rejects.toThrow(/already declared/);
  });

  it("formats through the prettier plugin", async () => {
    client.open("messy.diffuse", "group   g = {US   GB}\n");
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: client.uri("messy.diffuse") },
      options: { tabSize: 2, insertSpaces: true },
    });
    const after = TextDocument.applyEdits(TextDocument.create("x", "diffuse", 1, "group   g = {US   GB}\n"), edits ?? []);
    expect(after).toBe("group g = { US GB }\n");
  });

  it("takes the print width from the client's configuration", async () => {
    const long = 'group g "A group with a long title" = { US GB DE FR JP KR AU NZ CA IT ES NL BE SE FI DK NO }\n';
    client.open("wide.diffuse", long);
    const format = async (): Promise<string> => {
      const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri: client.uri("wide.diffuse") },
        options: { tabSize: 2, insertSpaces: true },
      });
      return TextDocument.applyEdits(TextDocument.create("x", "diffuse", 1, long), edits ?? []);
    };
    const wide = await format();
    await client.setSettings({ diagnostics: { debounceMs: 20 }, format: { printWidth: 40 } });
    let narrow = wide;
    for (let i = 0; i < 50 && narrow === wide; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      narrow = await format();
    }
    expect(narrow.split("\n").length).toBeGreaterThan(wide.split("\n").length);
    expect(Math.max(...narrow.split("\n").map((l) => l.length))).toBeLessThanOrEqual(40);
    await client.setSettings({ diagnostics: { debounceMs: 20 } });
  });

  it("formats a file under a .prettierrc with its options, not the client's, as `diffuse fmt` does", async () => {
    // The language server's fixture: a .prettierrc (width 40, four spaces) and what `diffuse fmt` writes.
    const cases = join(REPO, "packages", "language-server", "test", "fixtures", "formatting");
    const dir = mkdtempSync(join(tmpdir(), "diffuse-lsp-prettierrc-"));
    try {
      cpSync(join(cases, "prettierrc"), dir, { recursive: true });
      const uri = pathToFileURL(join(dir, "policy.diffuse")).toString();
      const text = readFileSync(join(dir, "policy.diffuse"), "utf8");
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "diffuse", version: 1, text } });
      const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
        textDocument: { uri },
        options: { tabSize: 2, insertSpaces: false },
      });
      const after = TextDocument.applyEdits(TextDocument.create(uri, "diffuse", 1, text), edits ?? []);
      expect(after).toBe(readFileSync(join(cases, "expected", "prettierrc", "policy.diffuse"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells the user, once, why a file with syntax errors is not formatted", async () => {
    const text = "group tier1 = { US GB }\n\ncap c {\n  limit 1 TPP\n  per consignee\n  window calendar year\n}\ngroup tier2 = { DE\n";
    client.open("unformattable.diffuse", text);
    const before = client.messages.length;
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri: client.uri("unformattable.diffuse") },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits).toEqual([]);
    // The warning is sent before the answer; give a second one time to arrive, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(client.messages.slice(before)).toEqual([
      {
        type: MessageType.Warning,
        message:
          "Not formatted: the file has 1 syntax error (at line 8, column 15: expected `}` to close the set, found end of file). Fix it and format again.",
      },
    ]);
  });

  it("logs each analysis when the client sets trace.server to verbose", async () => {
    await client.setSettings({ diagnostics: { debounceMs: 20 }, trace: { server: "verbose" } });
    client.open("traced.diffuse", "group g = { US }\n");
    for (let i = 0; i < 100 && !client.logs.some((l) => l.includes("traced.diffuse")); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.logs.find((l) => l.includes("traced.diffuse"))).toMatch(/^diagnostics for .*traced\.diffuse@1: 0 in \d+ ms$/);
    await client.setSettings({ diagnostics: { debounceMs: 20 } });
  });

  it("offers the checker's quick fix as a code action", async () => {
    const published = client.diagnostics("typo.diffuse", (p) => p.diagnostics.length > 0);
    client.open("typo.diffuse", "group g = { US UK }\n");
    const { diagnostics } = await published;
    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri("typo.diffuse") },
      range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics },
    });
    const action = actions?.find((a) => a.title === "change to `GB`");
    expect(action && "edit" in action ? action.edit?.changes?.[client.uri("typo.diffuse")]?.[0]?.newText : undefined).toBe("GB");
  });

  it("answers symbols, folding and semantic tokens", async () => {
    const symbols = await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: doc });
    expect(symbols?.length).toBeGreaterThan(5);
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: doc });
    expect(folds?.length).toBeGreaterThan(3);
    const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: doc });
    expect((tokens?.data.length ?? 0) % 5).toBe(0);
    expect(tokens?.data.length).toBeGreaterThan(50);
  });

  it("never answers with an error on a broken, half-typed file", async () => {
    client.open("broken.diffuse", 'policy "x" {\n  version\ngroup = { U\ncap c { limit 1 x\ndecide d for { authorize\n"unterminated\n/* open');
    const textDocument = { uri: client.uri("broken.diffuse") };
    for (let line = 0; line < 7; line++) {
      for (const character of [0, 3, 8, 40]) {
        const position = { line, character };
        await client.connection.sendRequest(CompletionRequest.type, { textDocument, position });
        await client.connection.sendRequest(HoverRequest.type, { textDocument, position });
        await client.connection.sendRequest(DefinitionRequest.type, { textDocument, position });
        await client.connection.sendRequest(ReferencesRequest.type, { textDocument, position, context: { includeDeclaration: true } });
      }
    }
    await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument });
    await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument });
    expect(await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
    // A document the server never saw: empty answers, not errors.
    expect(
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri("nope.diffuse") }, position: { line: 0, character: 0 } }),
    ).toBeNull();
    expect(client.process.exitCode).toBeNull();
  });
});

describe("cancellation", () => {
  it("answers a request cancelled while it waits for the analysis with RequestCancelled", async () => {
    // The import is read from disk, and a few thousand declarations take the checker a while:
    // the cancellation arrives while the server works on the request, however loaded the machine.
    const filler = Array.from({ length: 3000 }, (_, i) => `group f${i} = { US FR DE } - { FR }\n`).join("");
    client.open("cancel.diffuse", `import "not-there-yet.diffuse"\ngroup g = { US }\n${filler}`);
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest(
      HoverRequest.type,
      { textDocument: { uri: client.uri("cancel.diffuse") }, position: { line: 1, character: 7 } },
      source.token,
    );
    source.cancel();
    await expect(pending).rejects.toMatchObject({ code: LSPErrorCodes.RequestCancelled });
    // The server carries on.
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: client.uri("cancel.diffuse") },
      position: { line: 1, character: 7 },
    });
    expect((hover?.contents as MarkupContent).value).toContain("United States");
  });
});

describe("code lenses and commands", () => {
  it("puts lenses on the policy header and runs the tests that reference the policy", async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri("policy.diffuse") } });
    const titles = lenses?.map((l) => l.command?.title);
    expect(titles).toEqual(["run 2 test files", "evaluate example orders"]);
    const run = lenses?.[0]?.command;
    const summary = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: run?.command ?? "", arguments: run?.arguments ?? [] })) as {
      passed: number;
      failed: number;
      message: string;
    };
    expect(summary).toEqual(expect.objectContaining({ passed: 2, failed: 1, message: "2 passed, 1 failed" }));
  });

  it("evaluates example orders with the engine", async () => {
    const summary = (await client.connection.sendRequest(ExecuteCommandRequest.type, {
      command: "diffuse.evaluateExamples",
      arguments: [client.uri("policy.diffuse"), client.uri("orders.json")],
    })) as { total: number; outcomes: Record<string, number>; decisions: { order: string; outcome: string; basis?: string }[] };
    expect(summary.total).toBe(3);
    expect(summary.decisions).toEqual([
      { order: "o-1", outcome: "authorized", basis: "NLR" },
      { order: "o-2", outcome: "authorized", basis: "LPP" },
      { order: "o-3", outcome: "prohibited" },
    ]);
  });

  it("puts a run lens on a test file", async () => {
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri("policy.test.json") } });
    expect(lenses?.[0]?.command).toEqual({ title: "run test", command: "diffuse.runTests", arguments: [client.uri("policy.test.json")] });
  });
});
