import { describe, expect, it } from "vitest";
import { DocumentStore } from "../src/store.js";
import { analyze } from "../src/language.js";
import { definition, rename } from "../src/features/navigation.js";
import { fixture, ROOT } from "./helpers.js";

function disk(files: Record<string, string>) {
  const reads: string[] = [];
  return {
    reads,
    read: async (uri: string): Promise<string | undefined> => {
      reads.push(uri);
      return files[uri];
    },
  };
}

describe("DocumentStore", () => {
  it("caches one analysis per (uri, version) and shares concurrent requests", async () => {
    let calls = 0;
    const store = new DocumentStore(async (doc, read) => {
      calls++;
      return analyze(doc, read);
    }, disk({}).read);
    store.open(`${ROOT}a.diffuse`, "diffuse", 1, "group g = { US }");
    const [a, b] = await Promise.all([store.analysis(`${ROOT}a.diffuse`), store.analysis(`${ROOT}a.diffuse`)]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    store.change(`${ROOT}a.diffuse`, 2, [{ text: "group g = { MY }" }]);
    const c = await store.analysis(`${ROOT}a.diffuse`);
    expect(c?.version).toBe(2);
    expect(calls).toBe(2);
  });

  it("reads imports from open documents first, then from disk (cached until changed)", async () => {
    const d = disk({ [`${ROOT}catalog.diffuse`]: fixture("workspace/catalog.diffuse") });
    const store = new DocumentStore(analyze, d.read);
    const policy = `${ROOT}policy.diffuse`;
    store.open(policy, "diffuse", 1, fixture("workspace/policy.diffuse"));
    const first = await store.analysis(policy);
    expect(first?.dependencies.has(`${ROOT}catalog.diffuse`)).toBe(true);
    expect(first?.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(d.reads).toEqual([`${ROOT}catalog.diffuse`]);

    // The catalog opens with an edit that breaks the class the policy uses.
    store.open(`${ROOT}catalog.diffuse`, "diffuse", 1, "// empty\n");
    expect(store.fileChanged(`${ROOT}catalog.diffuse`)).toEqual([policy]);
    const second = await store.analysis(policy);
    expect(second?.diagnostics.some((x) => x.code === "DF2001")).toBe(true);

    // Closed again: back to the disk text.
    store.close(`${ROOT}catalog.diffuse`);
    store.fileChanged(`${ROOT}catalog.diffuse`);
    const third = await store.analysis(policy);
    expect(third?.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    expect(d.reads).toEqual([`${ROOT}catalog.diffuse`, `${ROOT}catalog.diffuse`]);
  });

  it("serves an open document under VS Code's encoded URI to the files importing it by name", async () => {
    const catalog = `${ROOT}catalog%20%28copy%29%20%231.diffuse`; // `catalog (copy) #1.diffuse`, as VS Code sends it
    const store = new DocumentStore(analyze, disk({ [catalog]: fixture("workspace/catalog.diffuse") }).read);
    const policy = `${ROOT}policy.diffuse`;
    store.open(policy, "diffuse", 1, fixture("workspace/policy.diffuse").replace('import "catalog.diffuse"', 'import "catalog (copy) #1.diffuse"'));
    expect((await store.analysis(policy))?.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    store.open(catalog, "diffuse", 1, "// empty\n");
    expect(store.fileChanged(catalog)).toEqual([policy]);
    expect((await store.analysis(policy))?.diagnostics.some((x) => x.code === "DF2001")).toBe(true);
  });

  it("parses edits incrementally: the same analysis as from scratch, unchanged declarations and imports reused", async () => {
    const d = disk({ [`${ROOT}catalog.diffuse`]: fixture("workspace/catalog.diffuse") });
    const store = new DocumentStore(analyze, d.read);
    const policy = `${ROOT}policy.diffuse`;
    const text = fixture("workspace/policy.diffuse");
    store.open(policy, "diffuse", 1, text);
    const first = await store.analysis(policy);
    // Type a character into the last declaration, then delete it again.
    const at = text.trimEnd().length - 1;
    const doc = store.document(policy);
    if (doc === undefined || first === undefined) throw new Error("not open");
    store.change(policy, 2, [{ range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: "x" }]);
    const second = await store.analysis(policy);
    const fresh = await analyze(store.document(policy) ?? doc, d.read);
    expect(second?.allDiagnostics).toEqual(fresh.allDiagnostics);
    expect(second?.ast).toEqual(fresh.ast);
    expect(second?.ast.declarations[0]).toBe(first.ast.declarations[0]);
    expect(second?.parsed.get(`${ROOT}catalog.diffuse`)).toBe(first.parsed.get(`${ROOT}catalog.diffuse`));
  });

  it("holds one analysis per open document over 10,000 incremental edits", async () => {
    const store = new DocumentStore(analyze, disk({}).read);
    const uris = [`${ROOT}a.diffuse`, `${ROOT}b.diffuse`];
    for (const uri of uris) store.open(uri, "diffuse", 0, "group g = { US }\n");
    let version = 0;
    for (let i = 0; i < 10_000; i++) {
      const uri = uris[i % 2] ?? "";
      version++;
      const doc = store.document(uri);
      const end = doc?.positionAt(doc.getText().length) ?? { line: 0, character: 0 };
      // Append a character, then (every other edit) take it back, so the text stays small.
      const change =
        i % 4 < 2
          ? { range: { start: end, end }, text: "x" }
          : { range: { start: { line: end.line, character: Math.max(0, end.character - 1) }, end }, text: "" };
      store.change(uri, version, [change]);
      // Analyse now and then, as requests would.
      if (i % 50 === 0) await store.analysis(uri);
    }
    await Promise.all(uris.map((u) => store.analysis(u)));
    expect(store.size).toBe(2);
    expect(store.analysisCount).toBe(2);
    for (const uri of uris) expect((await store.analysis(uri))?.version).toBe(store.document(uri)?.version);
    store.close(uris[0] ?? "");
    expect(store.analysisCount).toBe(1);
  });
  it("reads a file with a byte order mark as editors show it: without the mark", async () => {
    // Editors drop a UTF-8 BOM from the text they show and send, so their columns on the first
    // line do not count it; a position that did would be one column off (and a rename would
    // replace the wrong characters of the closed file).
    const catalog = `${ROOT}catalog.diffuse`;
    const store = new DocumentStore(analyze, disk({ [catalog]: "\uFEFFitem H100 { tpp 15_832 TPP }\n" }).read);
    const policy = `${ROOT}policy.diffuse`;
    const text = 'import "catalog.diffuse"\ncap c {\n  limit 5 x H100\n  per consignee\n  window calendar year\n}\n';
    store.open(policy, "diffuse", 1, text);
    const analysis = await store.analysis(policy);
    if (analysis === undefined) throw new Error("no analysis");
    expect(await store.read(catalog)).toBe("item H100 { tpp 15_832 TPP }\n");
    const at = text.indexOf("H100");
    const nameRange = { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } };
    expect(definition(analysis, at)).toEqual([{ uri: catalog, range: nameRange }]);
    const renamed = rename(analysis, at, "H200", new Set());
    expect(renamed.ok && renamed.edit.changes?.[catalog]).toEqual([{ range: nameRange, newText: "H200" }]);
  });
});
