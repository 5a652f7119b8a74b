import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reparse, shift, type PreviousParse } from "../../src/syntax/incremental.js";
import { parse, type ParseResult } from "../../src/syntax/parse.js";
import { policyTexts, validFixtures } from "./util.js";

const URI = "file:///doc.diffuse";
const sources: string[] = [
  ...policyTexts(),
  validFixtures()
    .map(([, t]) => t)
    .join("\n"),
];

/** Text fragments an editing user (or a bad paste) inserts. */
const fragments = [
  "}",
  "{",
  "\n",
  " ",
  "x",
  "9",
  "(",
  ")",
  '"',
  "/*",
  "*/",
  "//",
  "cap",
  "cap x {\n",
  "\ncap y { limit 5 TPP per destination window calendar year }\n",
  "group g = { US }\n",
  "\ngroup h = all - g\n",
  "when destination in ",
  "limit 26_900_000 TPP\n",
  "decide d for c {\n  prohibit when destination in { KP }\n}\n",
  "policy",
  'import "lib.diffuse"\n',
  "\u00a0",
  "é",
];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 400 })),
  insert: fc.oneof(fc.constantFrom(...fragments), fc.constant(""), fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 200 }))),
});
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, e: Edit): string {
  const at = Math.floor(e.at * text.length);
  const end = Math.min(text.length, at + e.remove);
  // An inserted tuple copies a piece of the text itself (moving declarations around).
  const insert =
    typeof e.insert === "string" ? e.insert : text.slice(Math.floor(e.insert[0] * text.length), Math.floor(e.insert[0] * text.length) + e.insert[1]);
  return text.slice(0, at) + insert + text.slice(end);
}

const plain = (r: ParseResult): ParseResult => ({ ast: r.ast, comments: r.comments, diagnostics: r.diagnostics });

describe("reparse (incremental parsing)", () => {
  it("equals a full parse after every edit of a chain of random edits (property)", () => {
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 8 }), (file, edits) => {
        let text = sources[file] as string;
        let previous: PreviousParse = { ...parse(text, URI), text };
        for (const e of edits) {
          text = apply(text, e);
          const incremental = reparse(previous, text, URI);
          expect(plain(incremental)).toEqual(plain(parse(text, URI)));
          previous = { ...incremental, text };
        }
      }),
      { numRuns: 400 },
    );
  });

  it("reuses the declarations before the edit and shifts those after it", () => {
    const before = "group a = { US }\n\ngroup b = { FR }\n\ngroup c = {\n  DE\n}\n\ngroup d = { IT }\n";
    const previous: PreviousParse = { ...parse(before, URI), text: before };
    // The edit is inside `c`: `a` stands as it was; `b` and `c` are parsed again; `d` is shifted.
    const after = before.replace("DE", "DE GB");
    const r = reparse(previous, after, URI);
    expect(plain(r)).toEqual(plain(parse(after, URI)));
    expect(r.ast.declarations[0]).toBe(previous.ast.declarations[0]);
    expect(r.ast.declarations[3]).not.toBe(previous.ast.declarations[3]);
    expect(r.ast.declarations[3]?.range.start).toBe((previous.ast.declarations[3]?.range.start ?? 0) + 3);
  });

  it("returns the previous parse for unchanged text and re-parses for another document", () => {
    const text = "group a = { US }\n";
    const previous: PreviousParse = { ...parse(text, URI), text };
    expect(reparse(previous, text, URI).ast).toBe(previous.ast);
    expect(reparse(previous, text, "file:///other.diffuse").ast.uri).toBe("file:///other.diffuse");
  });

  it("falls back to a full parse when a block comment opened in the edit runs past it", () => {
    const before = "group a = { US }\n\ngroup b = { FR }\n\ngroup c = { DE }\n";
    const previous: PreviousParse = { ...parse(before, URI), text: before };
    const after = before.replace("{ FR }", "{ FR } /*");
    expect(plain(reparse(previous, after, URI))).toEqual(plain(parse(after, URI)));
    expect(parse(after, URI).ast.declarations).toHaveLength(2);
  });

  it("shift moves every range of every node in the policies and fixtures (whatever the property is called)", () => {
    const isRange = (v: unknown): v is { start: number; end: number } =>
      typeof v === "object" &&
      v !== null &&
      Object.keys(v).length === 2 &&
      typeof (v as { start?: unknown }).start === "number" &&
      typeof (v as { end?: unknown }).end === "number";
    let ranges = 0;
    const compare = (a: unknown, b: unknown): void => {
      if (isRange(a)) {
        ranges++;
        expect(b).toEqual({ start: a.start + 7, end: a.end + 7 });
        return;
      }
      if (typeof a !== "object" || a === null) return expect(b).toBe(a);
      for (const key of Object.keys(a)) compare((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    };
    for (const text of sources) {
      const { ast, diagnostics } = parse(text, URI);
      compare(ast.declarations, shift(ast.declarations, 7));
      compare(diagnostics, shift(diagnostics, 7));
    }
    expect(ranges).toBeGreaterThan(1000);
  });

  it("shift moves every range, nested ones included, and leaves the input alone", () => {
    const node = { kind: "X", range: { start: 1, end: 2 }, items: [{ range: { start: 3, end: 4 }, n: 5n }] };
    expect(shift(node, 10)).toEqual({ kind: "X", range: { start: 11, end: 12 }, items: [{ range: { start: 13, end: 14 }, n: 5n }] });
    expect(node.range.start).toBe(1);
    expect(shift(node, 0)).toBe(node);
  });
});
