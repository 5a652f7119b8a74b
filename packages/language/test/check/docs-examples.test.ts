/** The examples in docs/language.md check cleanly, apart from names they take from other files. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkText } from "../../src/check/load.js";

const doc = readFileSync(new URL("../../../../docs/language.md", import.meta.url), "utf8");
const blocks = [...doc.matchAll(/```diffuse\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("docs/language.md examples", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThan(5);
  });

  it("check together without errors other than names declared elsewhere", () => {
    // Declarations only: imports and the policy set refer to files that are not there.
    const text = blocks.filter((b) => !/^\s*(import|policyset)\b/m.test(b)).join("\n");
    const result = checkText(text, "file:///docs/language.diffuse");
    const unexpected = result.diagnostics
      .map((d) => ({ code: d.code, text: text.slice(d.range.start, d.range.end), message: d.message }))
      .filter((d) => !(d.code === "DF2001" && ["g2g", "AIA", "UVEU"].includes(d.text)));
    expect(unexpected).toEqual([]);
  });
});
