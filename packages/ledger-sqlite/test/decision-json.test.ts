import fc from "fast-check";
import type { Decision } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { alreadyDecidedJson, decisionJson, jsonString } from "../src/decision-json.js";

/** Any UTF-16 code unit, lone surrogates and controls included. */
const text = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const word = fc.oneof(text, fc.string({ maxLength: 12 }), fc.constantFrom("LPP", "2025", "26,900,000", 'a"b', "c\\d", "\n", "é", "😀"));

/** An object with these entries in a shuffled key order, some values possibly undefined. */
function shuffled(entries: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.record(entries, { requiredKeys: [] }), fc.infiniteStream(fc.nat())).map(([o, randoms]) => {
    const keys = Object.keys(o);
    const order = keys.map((k) => [randoms.next().value as number, k] as const).sort((a, b) => a[0] - b[0]);
    const out: Record<string, unknown> = {};
    for (const [, k] of order) out[k] = o[k];
    return out;
  });
}

const extra = fc.oneof(fc.jsonValue(), fc.constant(undefined));
const sources = [
  { path: "p.diffuse", range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } } },
  { path: 'q "x".diffuse', range: { start: { line: 0, character: 0 }, end: { line: 3, character: 1 } } },
];
const policies = [
  { name: "Framework", version: "2025-01", sha256: "ab".repeat(32) },
  { name: "ünïcode \u2028", version: "1", sha256: "" },
];

const reason = shuffled({ rule: word, message: word, cite: fc.oneof(word, fc.constant(undefined)), source: fc.constantFrom(...sources), other: extra });
const charge = shuffled({ cap: word, key: word, window: word, amount: word, before: word, after: word, limit: word, n: fc.oneof(fc.integer(), fc.double()) });
const decision = shuffled({
  order: word,
  outcome: fc.constantFrom("authorized", "license-required", "prohibited", "invalid"),
  basis: fc.oneof(word, fc.constant(undefined)),
  review: word,
  reasons: fc.array(fc.oneof(reason, extra), { maxLength: 3 }),
  charges: fc.array(charge, { maxLength: 3 }),
  errors: fc.array(shuffled({ field: word, message: word, help: word })),
  obligations: fc.array(fc.oneof(word, extra), { maxLength: 3 }),
  hints: fc.array(word, { maxLength: 3 }),
  alreadyDecided: fc.oneof(fc.boolean(), fc.constant(undefined)),
  policy: fc.oneof(fc.constantFrom(...policies), fc.jsonValue()),
  surprise: extra,
});

describe("decisionJson", () => {
  it("writes exactly what JSON.stringify writes (property)", () => {
    fc.assert(
      fc.property(decision, (d) => {
        expect(decisionJson(d as unknown as Decision)).toBe(JSON.stringify(d));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes shared sources and policies from their first text, for every decision sharing them", () => {
    const d = (order: string): Decision => ({
      order,
      outcome: "authorized",
      basis: "NLR",
      reasons: [{ rule: "r", message: "m", source: sources[0] as Decision["reasons"][number]["source"] }],
      charges: [],
      policy: policies[0] as Decision["policy"],
    });
    for (const id of ["a", "b", 'c"quoted"']) expect(decisionJson(d(id))).toBe(JSON.stringify(d(id)));
  });

  it("escapes strings as JSON.stringify does (property)", () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(jsonString(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("alreadyDecidedJson", () => {
  it("is JSON.stringify of the engine's already-decided copy of a recorded decision (property)", () => {
    fc.assert(
      fc.property(decision, (generated) => {
        const recordedJson = JSON.stringify({ ...generated, alreadyDecided: undefined });
        const recorded = JSON.parse(recordedJson) as Decision;
        const copy: Decision = { ...recorded, alreadyDecided: true };
        const text = alreadyDecidedJson(copy, recorded, recordedJson);
        expect(text).toBe(Object.keys(recorded).length === 0 ? undefined : JSON.stringify(copy));
      }),
      { numRuns: 1000 },
    );
  });

  it("declines anything that is not that copy", () => {
    const recorded = JSON.parse('{"order":"a","outcome":"authorized","reasons":[],"charges":[]}') as Decision;
    const json = JSON.stringify(recorded);
    expect(alreadyDecidedJson({ ...recorded }, recorded, json)).toBeUndefined();
    expect(alreadyDecidedJson({ ...recorded, alreadyDecided: true, order: "b" }, recorded, json)).toBeUndefined();
    expect(alreadyDecidedJson({ ...recorded, reasons: [], alreadyDecided: true }, recorded, json)).toBeUndefined();
    expect(alreadyDecidedJson({ alreadyDecided: true, ...recorded }, recorded, json)).toBeUndefined();
    expect(alreadyDecidedJson({ ...recorded, alreadyDecided: true }, recorded, json)).toBe(JSON.stringify({ ...recorded, alreadyDecided: true }));
  });
});
