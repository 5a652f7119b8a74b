import fc from "fast-check";
import { parse } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { firstAstDifference } from "../src/equal.js";
import { formatDiffuse } from "../src/format.js";
import { LINE_END, policyTokens } from "./arbitraries.js";
import { GAPS, type Gap, layout } from "./layout.js";
import { placeDifferences } from "./places.js";

const occurrences = (text: string, marker: string): number => text.split(new RegExp(`${marker}(?![0-9])`)).length - 1;

const withComments = fc.tuple(
  policyTokens,
  fc.array(fc.constantFrom<Gap>("space", "space", ...GAPS), { minLength: 7, maxLength: 50 }),
  fc.boolean(),
  // line endings and the indentation after them, as files come
  fc.record({ eol: fc.constantFrom("\n", "\n", "\r\n"), indent: fc.constantFrom("", "", "  ", "\t", " \t") }),
);

describe("formatting random valid policies", () => {
  it("keeps the tree, keeps every comment exactly once and where it was written, and is idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(withComments, async ([tokens, gaps, lineComments, { eol, indent }]) => {
        const laid = layout(tokens, gaps, lineComments);
        const text = laid.text.replace(/\n/g, eol + indent);
        const { markers } = laid;
        const before = parse(text, "p.diffuse");
        expect(before.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const output = await formatDiffuse(text, { verify: true });
        const after = parse(output, "p.diffuse");
        expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(firstAstDifference(before.ast, after.ast)).toBeUndefined();
        expect(after.comments).toHaveLength(markers.length);
        for (const marker of markers) expect(occurrences(output, marker), marker).toBe(1);
        // never reordered, each in the gap between the tokens it was written between
        expect(placeDifferences(text, output)).toEqual([]);
        expect(await formatDiffuse(output)).toBe(output);
        if (eol === "\r\n") {
          const kept = await formatDiffuse(text, { endOfLine: "auto" });
          expect(kept).toBe(output.replace(/\n/g, "\r\n"));
          expect(await formatDiffuse(kept, { endOfLine: "auto" })).toBe(kept);
        }
      }),
      { numRuns: Number(process.env["DIFFUSE_FC_RUNS"] ?? 300) },
    );
  }, 180_000);

  it("is sound and idempotent at any width and indentation", async () => {
    const options = fc.record({
      printWidth: fc.integer({ min: 20, max: 140 }),
      tabWidth: fc.integer({ min: 1, max: 8 }),
      useTabs: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(policyTokens, options, async (tokens, opts) => {
        const text = tokens.map((t) => (t === LINE_END ? "\n" : t)).join(" ");
        const output = await formatDiffuse(text, { ...opts, verify: true });
        expect(firstAstDifference(parse(text, "p").ast, parse(output, "p").ast)).toBeUndefined();
        expect(await formatDiffuse(output, opts)).toBe(output);
      }),
      { numRuns: Number(process.env["DIFFUSE_FC_RUNS"] ?? 200) },
    );
  }, 180_000);
});

describe("the check of where comments stand", () => {
  it("finds a comment moved, reordered, off its brace's line or onto a line of its own", () => {
    expect(placeDifferences("cap c {\n  limit /* a */ 5 TPP\n}", "cap c {\n  limit 5 TPP /* a */\n}")).toEqual([
      "`/* a */` moved from after token 4 to after token 6",
    ]);
    expect(placeDifferences("cap c {\n  limit /* a */ 5 /* b */ TPP\n}", "cap c {\n  limit /* b */ 5 /* a */ TPP\n}")[0]).toContain("reordered");
    expect(placeDifferences("group g = { // a\n  US\n}", "group g = {\n  // a\n  US\n}")).toEqual(["`// a` now starts a line"]);
    expect(placeDifferences("group g = { /* a */\n  US\n}", "group g = {\n  /* a */ US\n}")).toEqual(["`/* a */` left the line of its `{`"]);
    expect(placeDifferences("cap c // a\n{\n}", "cap c { // a\n}")).toEqual([]);
    expect(placeDifferences("disjoint a // x\n, b", "disjoint a, // x\n  b")).toEqual([]);
  });
});
