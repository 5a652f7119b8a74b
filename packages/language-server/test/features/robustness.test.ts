/**
 * Property: no feature function throws, whatever the text and wherever the cursor: random
 * strings, and random cuts and splices of a valid policy (half-typed files).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYWORDS } from "@diffuse/language";
import { completion } from "../../src/features/completion.js";
import { hover } from "../../src/features/hover.js";
import { definition, documentHighlights, prepareRename, references, rename } from "../../src/features/navigation.js";
import { documentSymbols } from "../../src/features/symbols.js";
import { foldingRanges } from "../../src/features/folding.js";
import { semanticTokens } from "../../src/features/semanticTokens.js";
import { codeActions } from "../../src/features/codeActions.js";
import { policyCodeLenses } from "../../src/features/codeLens.js";
import { toLspDiagnostic } from "../../src/diagnostics.js";
import { ROOT, analyzeText, fixture } from "../helpers.js";

const keywords = new Set(KEYWORDS);
const policy = fixture("workspace/policy.diffuse");

async function exercise(text: string, offsets: readonly number[]): Promise<void> {
  const a = await analyzeText(text, `${ROOT}prop.diffuse`);
  documentSymbols(a);
  foldingRanges(a);
  semanticTokens(a);
  policyCodeLenses(a, []);
  const conversion = { documentFor: () => undefined };
  for (const d of a.diagnostics) toLspDiagnostic(a.document, d, conversion);
  for (const raw of offsets) {
    const offset = Math.min(raw, text.length);
    completion(a, offset);
    hover(a, offset);
    definition(a, offset);
    references(a, offset, true);
    documentHighlights(a, offset);
    prepareRename(a, offset);
    rename(a, offset, "renamed_x", keywords);
    const pos = a.document.positionAt(offset);
    codeActions(a, { start: pos, end: pos }, [], conversion);
  }
}

describe("robustness", () => {
  it("never throws on arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.array(fc.nat(220), { maxLength: 5 }), async (text, offsets) => {
        await expect(exercise(text, offsets)).resolves.toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it("answers on deeply nested and very long input", async () => {
    const deep = `group g = ${"(".repeat(10_000)}{ US }${")".repeat(10_000)}\n`;
    await expect(exercise(deep, [0, 5, 10_000, deep.length])).resolves.toBeUndefined();
    const conditions = `exception E { when ${"not ".repeat(5_000)}true counts toward nothing }\n`;
    await expect(exercise(conditions, [20, conditions.length - 5])).resolves.toBeUndefined();
    const long = `group g = { ${"US ".repeat(20_000)}}\n`;
    await expect(exercise(long, [long.length - 3])).resolves.toBeUndefined();
  });

  it("never throws on cuts and splices of a valid policy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(policy.length),
        fc.nat(60),
        fc.nat(policy.length),
        fc.array(fc.nat(policy.length), { maxLength: 4 }),
        async (at, length, from, offsets) => {
          // Delete `length` characters at `at`, then paste a slice from elsewhere.
          const text = policy.slice(0, at) + policy.slice(from, from + 15) + policy.slice(at + length);
          await expect(exercise(text, offsets)).resolves.toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});
