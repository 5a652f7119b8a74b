import { describe, expect, it } from "vitest";
import { KEYWORDS } from "@diffuse/language";
import { definition, documentHighlights, prepareRename, references, rename } from "../../src/features/navigation.js";
import { ROOT, analyzeMarked, analyzeText, fixture } from "../helpers.js";

const keywords = new Set(KEYWORDS);

describe("go to definition", () => {
  it("jumps from a reference to the declared name", async () => {
    const a = await analyzeMarked("group [[tier1]] = { US }\ngroup tier2 = all - tie|r1\n");
    const [loc] = definition(a, a.marks.cursors[0] ?? 0);
    expect(loc?.uri).toBe(a.uri);
    expect(a.document.offsetAt(loc?.range.start ?? { line: 0, character: 0 })).toBe(a.marks.ranges[0]?.start);
  });

  it("jumps into an imported file", async () => {
    const a = await analyzeMarked('import "catalog.diffuse"\ncap c { limit 1 x H1|00 per consignee window all time }\n');
    const [loc] = definition(a, a.marks.cursors[0] ?? 0);
    expect(loc?.uri).toBe(`${ROOT}catalog.diffuse`);
    expect(loc?.range.start.line).toBe(1);
  });

  it("finds nothing for an unknown name or whitespace", async () => {
    const a = await analyzeMarked("exception E { when destination in nope| counts toward nothing }\n|");
    expect(definition(a, a.marks.cursors[0] ?? 0)).toEqual([]);
    expect(definition(a, a.marks.cursors[1] ?? 0)).toEqual([]);
  });
});

describe("references and highlights", () => {
  const source = "group [[tier1]] = { US }\ngroup tier2 = all - [[tier1]]\nexception E { when destination in [[ti|er1]] counts toward nothing }\n";

  it("finds every reference, with or without the declaration", async () => {
    const a = await analyzeMarked(source);
    const offset = a.marks.cursors[0] ?? 0;
    const all = references(a, offset, true).map((l) => a.document.offsetAt(l.range.start));
    expect(all.sort((x, y) => x - y)).toEqual(a.marks.ranges.map((r) => r.start));
    expect(references(a, offset, false)).toHaveLength(2);
  });

  it("finds references in other open documents that import the declaring file", async () => {
    const catalog = await analyzeText(fixture("workspace/catalog.diffuse"), `${ROOT}catalog.diffuse`);
    const policy = await analyzeText(fixture("workspace/policy.diffuse"), `${ROOT}policy.diffuse`);
    const offset = catalog.document.getText().indexOf("advanced_ic");
    const locations = references(catalog, offset, true, [policy]);
    expect(locations.map((l) => l.uri).sort()).toEqual([`${ROOT}catalog.diffuse`, `${ROOT}policy.diffuse`]);
  });

  it("highlights the declaration as a write and references as reads", async () => {
    const a = await analyzeMarked(source);
    const highlights = documentHighlights(a, a.marks.cursors[0] ?? 0);
    expect(highlights.map((h) => h.kind)).toEqual([3, 2, 2]);
  });
});

describe("rename", () => {
  it("renames the declaration and every reference", async () => {
    const a = await analyzeMarked("group [[tier1]] = { US }\ngroup tier2 = all - [[tie|r1]]\n");
    const result = rename(a, a.marks.cursors[0] ?? 0, "first_tier", keywords);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const edits = result.edit.changes?.[a.uri] ?? [];
    expect(edits.map((e) => e.newText)).toEqual(["first_tier", "first_tier"]);
    expect(edits.map((e) => a.document.offsetAt(e.range.start)).sort((x, y) => x - y)).toEqual(a.marks.ranges.map((r) => r.start));
  });

  it("renames across imported files", async () => {
    const a = await analyzeText(fixture("workspace/policy.diffuse"), `${ROOT}policy.diffuse`);
    const offset = a.document.getText().indexOf("advanced_ic");
    const result = rename(a, offset, "ic", keywords);
    expect(result.ok && Object.keys(result.edit.changes ?? {}).sort()).toEqual([`${ROOT}catalog.diffuse`, `${ROOT}policy.diffuse`]);
  });

  it("refuses invalid names, keywords and names already taken", async () => {
    const a = await analyzeMarked("group tier1 = { US }\ngroup tier2 = all - tie|r1\n");
    const offset = a.marks.cursors[0] ?? 0;
    for (const bad of ["1tier", "tier-1", "", "a b"]) {
      const r = rename(a, offset, bad, keywords);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/not a valid name/);
    }
    const kw = rename(a, offset, "group", keywords);
    expect(!kw.ok && kw.message).toBe("`group` is a reserved keyword and cannot be used as a name; choose another name");
    const taken = rename(a, offset, "tier2", keywords);
    expect(!taken.ok && taken.message).toBe("`tier2` is already declared (a group)");
  });

  it("refuses to rename an exception or status to the built-in `NLR`", async () => {
    // `authorize E` would become `authorize NLR`: no license required, whatever E's conditions and caps.
    const a = await analyzeMarked(
      "class k { when chip }\nexception E|X { when destination in { US } counts toward nothing }\ndecide d for k {\n  authorize EX\n}\n",
    );
    const r = rename(a, a.marks.cursors[0] ?? 0, "NLR", keywords);
    expect(!r.ok && r.message).toMatch(/`NLR` is built in/);
    const group = await analyzeMarked("group g| = { US }\n");
    expect(rename(group, group.marks.cursors[0] ?? 0, "NLR", keywords).ok).toBe(true);
  });

  it("prepareRename gives the name's range, and refuses elsewhere", async () => {
    const a = await analyzeMarked("group [[tier1]] = { US }\n|group t = { US } // c|\nexception E { when destination in unknown| counts toward nothing }");
    const ok = prepareRename(a, (a.marks.ranges[0]?.start ?? 0) + 1);
    expect("placeholder" in ok && ok.placeholder).toBe("tier1");
    expect("message" in prepareRename(a, a.marks.cursors[0] ?? 0)).toBe(true);
    expect("message" in prepareRename(a, a.marks.cursors[2] ?? 0)).toBe(true);
  });
});
