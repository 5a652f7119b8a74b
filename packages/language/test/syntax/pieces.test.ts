import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatePolicy } from "../../../../bench/generate-policy.js";
import { parse, parseInPieces, parseWhole, PIECE_CHARS } from "../../src/syntax/parse.js";
import { policyTexts, validFixtures } from "./util.js";

const URI = "file:///doc.diffuse";
const files: string[] = [...policyTexts(), ...validFixtures().map(([, t]) => t)];

/** Things placed between files: some make a block comment or a string cross a cut. */
const joints = [
  "\n",
  "\n\n// a line comment\n",
  "\n/* a block comment\ngroup commented_out = { US }\ncap c { limit 1 units }\n*/\n",
  "\n/* opened here and never closed\ngroup g = { US }\n",
  '\n"a string that is not closed\ngroup g2 = { FR }\n',
  "\r\n",
  "\n}\n",
  "\ngroup\n",
];

describe("parsing in pieces", () => {
  it("equals the whole-text parse on concatenated files with any piece size (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: files.length - 1 }), fc.constantFrom(...joints)), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 3000 }),
        (parts, pieceChars) => {
          const text = parts.map(([f, joint]) => (files[f] as string) + joint).join("");
          expect(parseInPieces(text, URI, pieceChars)).toEqual(parseWhole(text, URI));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("equals the whole-text parse after random edits (property)", () => {
    const source = files.join("\n");
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.integer({ min: 0, max: 40 }),
      insert: fc.constantFrom("", "}", "{", "(", ")", "\n", '"', "/*", "*/", "\ncap", "\ngroup x = ", "\u00a0", "((((("),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 4 }), fc.integer({ min: 1, max: 5000 }), (edits, pieceChars) => {
        let text = source;
        for (const e of edits) {
          const at = Math.floor(e.at * text.length);
          text = text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
        }
        expect(parseInPieces(text, URI, pieceChars)).toEqual(parseWhole(text, URI));
      }),
      { numRuns: 200 },
    );
  });

  it("is what `parse` does for a long text, with the same result as parsing it whole", () => {
    const text = generatePolicy(3_000);
    expect(text.length).toBeGreaterThan(PIECE_CHARS);
    const result = parse(text, URI);
    expect(result.diagnostics).toEqual([]);
    expect(result).toEqual(parseWhole(text, URI));
    // A BOM at the start and CRLF line ends do not change that.
    const crlf = `\ufeff${text.replace(/\n/g, "\r\n")}`;
    expect(parse(crlf, URI)).toEqual(parseWhole(crlf, URI));
  });

  it("keeps a block comment that crosses a cut whole", () => {
    const module = generatePolicy(200);
    const text = `${module}\n/* start\ngroup not_a_group = { US }\n*/\n${module.replace(/policy "[^"]*"[^]*?\n}\n/, "")}`;
    const whole = parseWhole(text, URI);
    for (const size of [1, 100, 5_000]) expect(parseInPieces(text, URI, size)).toEqual(whole);
    expect(whole.comments.some((c) => c.text.includes("not_a_group"))).toBe(true);
  });
});
