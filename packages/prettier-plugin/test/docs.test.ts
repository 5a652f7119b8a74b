import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatChecked } from "./helpers.js";

const doc = join(import.meta.dirname, "..", "..", "..", "docs", "formatting.md");
const examples = [...readFileSync(doc, "utf8").matchAll(/```diffuse\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");

describe("docs/formatting.md", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });
  examples.forEach((example, i) => {
    it(`example ${i + 1} is in the canonical style`, async () => {
      expect(await formatChecked(example)).toBe(example);
    });
  });
});
