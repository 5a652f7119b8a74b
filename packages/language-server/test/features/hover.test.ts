import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KEYWORDS } from "@diffuse/language";
import { hover } from "../../src/features/hover.js";
import { KEYWORD_DOCS } from "../../src/features/keywordDocs.js";
import { FIXTURES, ROOT, analyzeMarked, fixture } from "../helpers.js";

function hoverText(h: ReturnType<typeof hover>): string {
  if (h === null) return "";
  const c = h.contents;
  return typeof c === "object" && "value" in c ? c.value : JSON.stringify(c);
}

describe("hover fixtures", () => {
  const dir = join(FIXTURES, "hover");
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".diffuse"))
    .sort()) {
    it(name, async () => {
      const source = fixture(join("hover", name));
      const analysis = await analyzeMarked(source, `${ROOT}${name}`);
      const text = hoverText(hover(analysis, analysis.marks.cursors[0] ?? 0));
      const wanted = (/^\/\/ expect:(.*)$/m.exec(source)?.[1] ?? "")
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean);
      expect(wanted.length).toBeGreaterThan(0);
      for (const w of wanted) expect(text, `hover lacks \`${w}\``).toContain(w);
    });
  }
});

describe("hover", () => {
  it("shows a declaration's header without its body", async () => {
    const analysis = await analyzeMarked('group t|ier1 "a = {b}" = { US }\n');
    const h = hover(analysis, analysis.marks.cursors[0] ?? 0);
    const value = h !== null && typeof h.contents === "object" && "value" in h.contents ? h.contents.value : "";
    expect(value.startsWith('```diffuse\ngroup tier1 "a = {b}"\n```')).toBe(true);
  });

  it("explains keywords, but not words inside strings or comments", async () => {
    const analysis = await analyzeMarked('cap c "the win|dow" { limit 1 TPP per consignee win|dow all time } // win|dow\n');
    const [inString, keyword, inComment] = analysis.marks.cursors;
    expect(hover(analysis, inString ?? 0)).toBeNull();
    expect(hoverText(hover(analysis, keyword ?? 0))).toMatch(/^`window`: /);
    expect(hover(analysis, inComment ?? 0)).toBeNull();
  });

  it("explains every keyword, `case-by-case` included", async () => {
    const missing = KEYWORDS.filter((k) => !Object.hasOwn(KEYWORD_DOCS, k));
    expect(missing).toEqual([]);
    const analysis = await analyzeMarked('decide d for k {\n  license review case-b|y-case\n}\npolicyset "S" {\n  u|se "a.diffuse"\n}\n');
    const [hyphenated, use] = analysis.marks.cursors;
    expect(hoverText(hover(analysis, hyphenated ?? 0))).toMatch(/^`case-by-case`: /);
    expect(hoverText(hover(analysis, use ?? 0))).toMatch(/^`use`: /);
  });

  it("returns null away from names", async () => {
    const analysis = await analyzeMarked("group g = { US }\n|\n");
    expect(hover(analysis, analysis.marks.cursors[0] ?? 0)).toBeNull();
  });

  it("covers the hovered name with its range", async () => {
    const analysis = await analyzeMarked("group [[tier1]] = { US }\ngroup t2 = all - tier1\n");
    const h = hover(analysis, 8);
    const range = analysis.marks.ranges[0];
    expect(h?.range).toEqual({ start: analysis.document.positionAt(range?.start ?? 0), end: analysis.document.positionAt(range?.end ?? 0) });
  });

  it("names the file a declaration comes from as it is named, not as its URI encodes it", async () => {
    const analysis = await analyzeMarked(
      'import "lib #1 (copy).diffuse"\ngroup t2 = all - ti|er1\n',
      undefined,
      new Map([[`${ROOT}lib%20%231%20%28copy%29.diffuse`, "group tier1 = { US }\n"]]),
    );
    expect(hoverText(hover(analysis, analysis.marks.cursors[0] ?? 0))).toContain("*declared in* lib #1 (copy).diffuse");
  });
});
