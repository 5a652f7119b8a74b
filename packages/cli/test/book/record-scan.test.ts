import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayNumber, scanRecord, type RecordFacts } from "../../src/book/record-scan.js";
import { duplicateKeys } from "@diffuse/engine";

/** What pass 1 needs from a record, by `JSON.parse` (and the text walker for repeated keys): undefined when it is not JSON. */
function reference(bytes: Buffer): RecordFacts | undefined {
  const text = bytes.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const duplicateKey = duplicateKeys(text).length > 0;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { date: undefined, id: undefined, duplicateKey };
  const { date, id } = value as { date?: unknown; id?: unknown };
  return { date: typeof date === "string" ? dayNumber(date) : undefined, id: typeof id === "string" ? id : undefined, duplicateKey };
}

function scan(text: string | Buffer): RecordFacts | undefined {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return scanRecord(bytes, 0, bytes.length);
}

const key = fc.constantFrom("id", "date", "\\u0064ate", "i\\u0064", "dat", "ids", "items", "é");
const dateText = fc.oneof(
  fc.constantFrom("2025-01-13", "2025-1-13", "2025-01-13 ", "\\u0032025-01-13", "20250113", "2025\\u002d01\\u002d13", "２０２５-01-13"),
  fc.string({ maxLength: 10 }),
);
/** JSON-ish text built from pieces, valid or not: objects with `id`/`date` keys, escapes, numbers, literals. */
const piece: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(
      "0",
      "-0",
      "1.5",
      "1e5",
      "-2.5E-3",
      "01",
      "1.",
      ".5",
      "-",
      "1e",
      "true",
      "false",
      "null",
      "nul",
      "tru",
      '"a\\"b"',
      '"\\x"',
      '"\\u12"',
      '"\\ud800"',
      '"\t"',
      '"😀"',
    ),
    dateText.map((d) => `"${d}"`),
    fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
    fc.array(tie("value"), { maxLength: 3 }).map((vs) => `[${vs.join(",")}]`),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((kvs) => `{${kvs.map(([k, v]) => `"${k}":${v}`).join(",")}}`),
  ),
})).value;
/** Small damage: a character inserted, deleted or replaced. */
const damaged = fc.tuple(piece, fc.nat(), fc.constantFrom("", ",", "}", "]", '"', "\\", " ", "\n", "\u0001", "x", ":", "{", "[")).map(([t, at, c]) => {
  const i = t.length === 0 ? 0 : at % t.length;
  return at % 3 === 0 ? t.slice(0, i) + c + t.slice(i) : at % 3 === 1 ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + c + t.slice(i + 1);
});

describe("scanRecord", () => {
  it("accepts exactly what JSON.parse accepts and finds the same date and id (property)", () => {
    fc.assert(
      fc.property(fc.oneof(piece, damaged, fc.json(), fc.string()), fc.constantFrom("", " ", "\r\n", "\t "), (text, pad) => {
        const bytes = Buffer.from(`${pad}${text}${pad}`, "utf8");
        expect(scan(bytes)).toEqual(reference(bytes));
      }),
      { numRuns: 20_000 },
    );
  });

  it("takes the last of repeated keys, as JSON.parse does, and says a key was repeated", () => {
    expect(scan('{"date":"2025-01-01","id":"a","date":"2025-02-03","id":7}')).toEqual({ date: 20250203, id: undefined, duplicateKey: true });
    expect(scan('{"date":"2025-01-01","date":5}')).toEqual({ date: undefined, id: undefined, duplicateKey: true });
  });

  it("finds a key repeated in any object, written plainly or with escapes, and only within one object", () => {
    const repeated = (text: string): boolean | undefined => scan(text)?.duplicateKey;
    expect(repeated('{"a":{"x":1,"y":2,"x":3}}')).toBe(true);
    expect(repeated('{"items":[{"q":1},{"q":2,"q":2}]}')).toBe(true);
    expect(repeated('[{"a":1,"a":1}]')).toBe(true);
    expect(repeated('{"destination":1,"d\\u0065stination":2}')).toBe(true);
    expect(repeated('{"é":1,"\\u00e9":2}')).toBe(true);
    expect(repeated('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":1}]}')).toBe(false);
    expect(repeated('{"ab":1,"a":2,"b":3,"abc":4}')).toBe(false);
    // Keys of an object closed earlier do not count against the next one at the same depth.
    expect(repeated('{"x":{"k":1},"y":{"k":1},"z":{"k":2,"j":3}}')).toBe(false);
    // More keys than the scanner's first key stack holds.
    const many = Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(",");
    expect(repeated(`{${many}}`)).toBe(false);
    expect(repeated(`{${many},"k7":0}`)).toBe(true);
  });

  it("reads escaped and non-ASCII ids and dates", () => {
    expect(scan('{"i\\u0064":"\\u00e9t\\u00e9","date":"2025\\u002d01-13"}')).toEqual({ date: 20250113, id: "été", duplicateKey: false });
    expect(scan('{"id":"été 😀"}')).toEqual({ date: undefined, id: "été 😀", duplicateKey: false });
  });

  it("ignores `date` and `id` below the top level", () => {
    expect(scan('{"consignee":{"id":"x","date":"2025-01-01"},"items":[{"id":"y"}]}')).toEqual({ date: undefined, id: undefined, duplicateKey: false });
    expect(scan('[{"id":"x","date":"2025-01-01"}]')).toEqual({ date: undefined, id: undefined, duplicateKey: false });
  });

  it("rejects what JSON.parse rejects, including deep nesting it cannot scan", () => {
    for (const bad of ["", "{", '{"a":1,}', "[1,]", '{"a" 1}', "{'a':1}", '"\u0001"', "NaN", "1 2", "\uFEFF{}"]) expect(scan(bad)).toBeUndefined();
    expect(scan(`${"[".repeat(200_000)}${"]".repeat(200_000)}`)).toBeUndefined();
  });
});
