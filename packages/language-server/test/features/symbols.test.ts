import { describe, expect, it } from "vitest";
import { SymbolKind } from "vscode-languageserver";
import { documentSymbols } from "../../src/features/symbols.js";
import { foldingRanges } from "../../src/features/folding.js";
import { ROOT, analyzeText, fixture } from "../helpers.js";

describe("document symbols", () => {
  it("outlines every declaration, with clauses as children", async () => {
    const a = await analyzeText(fixture("workspace/policy.diffuse"), `${ROOT}policy.diffuse`);
    const symbols = documentSymbols(a);
    expect(symbols.map((s) => s.name)).toEqual([
      "Test rule",
      "catalog.diffuse",
      "tier1",
      "tier3",
      "tier2",
      "disjoint",
      "LPP_limit",
      "country_allocation",
      "LPP",
      "NVEU",
      "chips",
    ]);
    const cap = symbols.find((s) => s.name === "LPP_limit");
    expect(cap?.kind).toBe(SymbolKind.Constant);
    expect(cap?.detail).toBe("LPP annual limit");
    expect(cap?.children?.map((c) => c.name)).toEqual(["limit", "per", "window"]);
    const decide = symbols.find((s) => s.name === "chips");
    expect(decide?.children?.map((c) => c.name)).toEqual(["prohibit", "authorize NLR", "authorize LPP", "authorize NVEU", "license"]);
    // Every selection range lies inside its range.
    for (const s of symbols) {
      expect(s.selectionRange.start.line).toBeGreaterThanOrEqual(s.range.start.line);
      expect(s.selectionRange.end.line).toBeLessThanOrEqual(s.range.end.line);
    }
  });

  it("shows a title written after `cite`, and a class after a missing comma", async () => {
    const a = await analyzeText('cap c cite "15 CFR 740.27" "Country allocation" {\n  limit 5 TPP\n}\ndecide d for big_ic w2 {\n  prohibit\n}');
    // `w2` is read as a class, so it is resolved (here: reported unknown) like `big_ic`.
    expect(a.diagnostics.map((d) => `${d.code} ${a.document.getText().slice(d.range.start, d.range.end)}`)).toEqual([
      'DF1001 "Country allocation"',
      "DF2001 big_ic",
      "DF1001 w2",
      "DF2001 w2",
    ]);
    expect(documentSymbols(a).map((s) => [s.name, s.detail])).toEqual([
      ["c", "Country allocation"],
      ["d", "decide"],
    ]);
  });

  it("outlines a half-typed file without throwing", async () => {
    const a = await analyzeText("group = {\ncap x {\n  limit\ndecide");
    expect(() => documentSymbols(a)).not.toThrow();
  });
});

describe("folding ranges", () => {
  it("folds blocks, multi-line sets, imports and comment runs", async () => {
    const text = [
      "// one", // 0
      "// two", // 1
      'import "a.diffuse"', // 2
      'import "b.diffuse"', // 3
      "group g = {", // 4
      "  US", // 5
      "  GB", // 6
      "}", // 7
      "cap c {", // 8
      "  limit 1 TPP", // 9
      "  per consignee", // 10
      "  window all time", // 11
      "}", // 12
      "/* a", // 13
      "   block */", // 14
    ].join("\n");
    const a = await analyzeText(text);
    const ranges = foldingRanges(a).map((r) => [r.startLine, r.endLine, r.kind ?? ""]);
    expect(ranges).toContainEqual([0, 1, "comment"]);
    expect(ranges).toContainEqual([2, 3, "imports"]);
    expect(ranges).toContainEqual([4, 6, ""]);
    expect(ranges).toContainEqual([8, 11, ""]);
    expect(ranges).toContainEqual([13, 14, "comment"]);
  });
});

describe("document links", () => {
  it("links import paths to the files they resolve to", async () => {
    const { documentLinks } = await import("../../src/features/links.js");
    const a = await analyzeText('import "catalog.diffuse"\nimport "missing.diffuse"\n');
    const links = documentLinks(a);
    expect(links.map((l) => [l.target, l.range.start.character, l.range.end.character, l.tooltip])).toEqual([
      [`${ROOT}catalog.diffuse`, 8, 23, undefined],
      [`${ROOT}missing.diffuse`, 8, 23, "file not found"],
    ]);
  });
});
