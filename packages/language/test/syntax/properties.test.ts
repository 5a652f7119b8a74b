import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, tokenize } from "../../src/syntax/parse.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";
import { allRanges, rangeInside, validFixtures } from "./util.js";

/** The invariants every parse must keep, whatever the input. */
function checkInvariants(text: string): void {
  const r = parse(text, "file:///prop.diffuse");
  expect(r.ast.kind).toBe("SourceFile");
  expect(r.ast.range).toEqual({ start: 0, end: text.length });
  for (const d of r.diagnostics) {
    expect(rangeInside(d.range, text.length), `diagnostic ${d.code} ${JSON.stringify(d.range)}`).toBe(true);
    expect(d.code).not.toBe("DF1999");
    expect(d.message).not.toContain("\n");
  }
  for (const range of allRanges(r.ast)) expect(rangeInside(range, text.length), `node range ${JSON.stringify(range)}`).toBe(true);
  for (const c of r.comments) expect(rangeInside(c.range, text.length)).toBe(true);
}

const fixtures = validFixtures().map(([, text]) => text);

/** Token texts of the valid fixtures, for mutation. */
const fixtureTokens = fixtures.map((text) => tokenize(text).map((t) => t.text));

const vocabulary = [
  ...KEYWORDS,
  "{",
  "}",
  "(",
  ")",
  ",",
  "=",
  "+",
  "-",
  "&",
  "%",
  "..",
  "<",
  "<=",
  ">",
  ">=",
  "!=",
  "US",
  "CN",
  "tier1",
  "H100",
  "x1",
  "26_900_000",
  "5.92",
  "1e26",
  "2025-01-13",
  '"text"',
  '"open',
  "// c\n",
  "/* c */",
  "\n",
  "\t",
];

describe("parser properties", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), checkInvariants), {
      numRuns: 300,
    });
  });

  it("never throws on arbitrary full-unicode strings (lone surrogates included)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), checkInvariants), { numRuns: 300 });
  });

  it("never throws on arbitrary sequences of Diffuse tokens", () => {
    const tokens = fc.array(fc.constantFrom(...vocabulary), { maxLength: 120 }).map((ts) => ts.join(" "));
    fc.assert(fc.property(tokens, checkInvariants), { numRuns: 500 });
  });

  it("never throws on random mutations (deletions, duplications, swaps) of valid policies", () => {
    const mutation = fc.record({
      op: fc.constantFrom("delete", "duplicate", "swap"),
      at: fc.nat(),
      other: fc.nat(),
      length: fc.integer({ min: 1, max: 4 }),
    });
    const arb = fc.record({
      file: fc.nat({ max: fixtureTokens.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(arb, ({ file, mutations }) => {
        const tokens = [...(fixtureTokens[file] ?? [])];
        for (const m of mutations) {
          if (tokens.length === 0) break;
          const at = m.at % tokens.length;
          if (m.op === "delete") tokens.splice(at, m.length);
          else if (m.op === "duplicate") tokens.splice(at, 0, ...tokens.slice(at, at + m.length));
          else {
            const other = m.other % tokens.length;
            const a = tokens[at] ?? "";
            tokens[at] = tokens[other] ?? "";
            tokens[other] = a;
          }
        }
        checkInvariants(tokens.join(" "));
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic: the same input gives a deep-equal result", () => {
    const inputs = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom(...vocabulary), { maxLength: 80 }).map((ts) => ts.join(" ")),
      fc.constantFrom(...fixtures),
    );
    fc.assert(
      fc.property(inputs, (text) => {
        const a = parse(text, "d");
        parse("group other = { US } +", "in-between"); // the shared parser must carry nothing over
        expect(parse(text, "d")).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it("tokenize covers the text in order with in-range, non-overlapping tokens", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...fixtures)), (text) => {
        let last = 0;
        for (const t of tokenize(text)) {
          expect(t.range.start).toBeGreaterThanOrEqual(last);
          expect(rangeInside(t.range, text.length)).toBe(true);
          expect(text.slice(t.range.start, t.range.end)).toBe(t.text);
          last = t.range.end;
        }
      }),
      { numRuns: 200 },
    );
  });
});
