import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { completion } from "../../src/features/completion.js";
import { FIXTURES, ROOT, analyzeMarked, fixture } from "../helpers.js";

/** `// expect: a b c` and `// reject: d e` lines at the top of a fixture. */
function expectations(text: string): { expect: string[]; reject: string[] } {
  const line = (name: string): string[] =>
    (new RegExp(`^// ${name}:(.*)$`, "m").exec(text)?.[1] ?? "")
      .trim()
      .split(/\s+/)
      .filter((w) => w !== "");
  return { expect: line("expect"), reject: line("reject") };
}

describe("completion fixtures", () => {
  const dir = join(FIXTURES, "completion");
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".diffuse"))
    .sort()) {
    it(name, async () => {
      const source = fixture(join("completion", name));
      const analysis = await analyzeMarked(source, `${ROOT}${name}`);
      const cursor = analysis.marks.cursors[0];
      expect(cursor).toBeDefined();
      const labels = completion(analysis, cursor ?? 0).items.map((i) => i.label);
      const { expect: wanted, reject } = expectations(source);
      for (const w of wanted) expect(labels, `expected \`${w}\``).toContain(w);
      for (const r of reject) expect(labels, `did not expect \`${r}\``).not.toContain(r);
      if (wanted.length === 0) expect(labels).toEqual([]);
    });
  }
});

describe("completion details", () => {
  it("gives country names with the codes", async () => {
    const analysis = await analyzeMarked("group g = { |}");
    const my = completion(analysis, analysis.marks.cursors[0] ?? 0).items.find((i) => i.label === "MY");
    expect(my?.detail).toBe("Malaysia");
  });

  it("gives declared titles as details", async () => {
    const analysis = await analyzeMarked('group tier1 "Tier 1" = { US }\nexception E { when destination in | }');
    const item = completion(analysis, analysis.marks.cursors[0] ?? 0).items.find((i) => i.label === "tier1");
    expect(item?.detail).toBe('group "Tier 1"');
  });

  it("offers a snippet for every top-level construct", async () => {
    const analysis = await analyzeMarked("|");
    const snippets = completion(analysis, 0)
      .items.filter((i) => i.insertTextFormat === 2)
      .map((i) => i.label);
    for (const s of ["policy", "import", "group", "disjoint", "item", "model", "class", "cap", "cap schedule", "exception", "status", "decide"]) {
      expect(snippets).toContain(s);
    }
  });

  it("answers on an empty and on a broken file", async () => {
    for (const source of ["", "group = { ", "cap { limit", "decide d for { authorize", "}}}{{{", '"unterminated']) {
      const analysis = await analyzeMarked(source + "|");
      expect(() => completion(analysis, analysis.marks.cursors[0] ?? 0)).not.toThrow();
    }
  });

  it("offers each keyword once (`cite` ends a clause and a condition)", async () => {
    const analysis = await analyzeMarked("exception E {\n  when destination in { US } |\n}");
    const keywords = completion(analysis, analysis.marks.cursors[0] ?? 0)
      .items.filter((i) => i.insertTextFormat !== 2)
      .map((i) => i.label);
    expect(keywords).toContain("cite");
    expect(keywords).toEqual([...new Set(keywords)]);
  });
});
