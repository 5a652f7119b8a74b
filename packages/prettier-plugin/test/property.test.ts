import fc from "fast-check";
import { parse } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { firstAstDifference } from "../src/equal.js";
import { formatDiffuse } from "../src/format.js";
import { LINE_END, policyTokens } from "./arbitraries.js";
import { type Gap, layout } from "./layout.js";

const occurrences = (text: string, marker: string): number => text.split(new RegExp(`${marker}(?![0-9])`)).length - 1;

const withComments = fc.tuple(
  policyTokens,
  fc.array(fc.constantFrom<Gap>("space", "space", "newline", "blank", "block", "block-newline", "block-own-line"), {
    minLength: 7,
    maxLength: 50,
  }),
  fc.boolean(),
);

describe("formatting random valid policies", () => {
  it("keeps the tree, keeps every comment exactly once, and is idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(withComments, async ([tokens, gaps, lineComments]) => {
        const { text, markers } = layout(tokens, gaps, lineComments);
        const before = parse(text, "p.diffuse");
        expect(before.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const output = await formatDiffuse(text, { verify: true });
        const after = parse(output, "p.diffuse");
        expect(after.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(firstAstDifference(before.ast, after.ast)).toBeUndefined();
        expect(after.comments).toHaveLength(markers.length);
        for (const marker of markers) expect(occurrences(output, marker), marker).toBe(1);
        expect(await formatDiffuse(output)).toBe(output);
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
