import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { formatDiffuse } from "prettier-plugin-diffuse";
import { formatDocument, formatOptions, formatRange, minimalEdit } from "../../src/features/formatting.js";

const messy = 'group   tier1 "Tier 1"= {US GB}\ncap c {limit 1 TPP\nper consignee window calendar year}\n';

describe("formatting", () => {
  it("formats the whole document through the prettier plugin, as one minimal edit", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, messy);
    const edits = await formatDocument(doc, formatOptions({ tabSize: 2, insertSpaces: true }, 80));
    const after = TextDocument.applyEdits(doc, edits);
    expect(after).toBe(await formatDiffuse(messy, { printWidth: 80 }));
    expect(edits).toHaveLength(1);
  });

  it("honours printWidth and tab options", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, "cap c {\nlimit 1 TPP\nper consignee\nwindow calendar year\n}\n");
    const edits = await formatDocument(doc, formatOptions({ tabSize: 4, insertSpaces: false }, 80));
    expect(TextDocument.applyEdits(doc, edits)).toContain("\n\tlimit 1 TPP");
  });

  it("formats only the declarations a range touches", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, messy);
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } };
    const edits = await formatRange(doc, range, formatOptions({ tabSize: 2, insertSpaces: true }, 80));
    const after = TextDocument.applyEdits(doc, edits);
    expect(after.startsWith('group   tier1 "Tier 1"= {US GB}\n')).toBe(true);
    expect(after).toContain("cap c {\n  limit 1 TPP\n");
  });

  it("returns no edits for text that does not parse, or is already formatted", async () => {
    const broken = TextDocument.create("file:///a.diffuse", "diffuse", 1, "group = {");
    expect(await formatDocument(broken, formatOptions({ tabSize: 2, insertSpaces: true }, 80))).toEqual([]);
    const clean = TextDocument.create("file:///a.diffuse", "diffuse", 1, await formatDiffuse(messy));
    expect(await formatDocument(clean, formatOptions({ tabSize: 2, insertSpaces: true }, 80))).toEqual([]);
  });

  it("minimalEdit replaces only the changed middle", () => {
    const doc = TextDocument.create("file:///a", "diffuse", 1, "abcXYZdef");
    expect(minimalEdit(doc, "abc123def")).toEqual([
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 6 } }, newText: "123" },
    ]);
    expect(minimalEdit(doc, "abcXYZdef")).toEqual([]);
  });
});
