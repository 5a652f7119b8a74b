import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duplicateKeyErrors, duplicateKeyErrorsByOrder, duplicateKeys } from "../src/json-duplicates.js";

/** A JSON value as written: objects keep their entries in order, repeats and all. */
type Written = { readonly scalar: string } | { readonly array: readonly Written[] } | { readonly entries: readonly (readonly [Key, Written])[] };
/** A key: what it means, and how this text spells it. */
interface Key {
  readonly name: string;
  readonly spelling: string;
}

const key: fc.Arbitrary<Key> = fc.constantFrom(
  { name: "a", spelling: "a" },
  { name: "a", spelling: "\\u0061" },
  { name: "id", spelling: "id" },
  { name: "é", spelling: "é" },
  { name: "é", spelling: "\\u00e9" },
  { name: 'q"', spelling: 'q\\"' },
  { name: "x y", spelling: "x y" },
  { name: "", spelling: "" },
);
const scalar = fc.constantFrom("1", "-2.5e3", "true", "null", '"s"', '"{\\"a\\":1,\\"a\\":2}"', '"[,]"');
const written: fc.Arbitrary<Written> = fc.letrec<{ value: Written }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    scalar.map((s) => ({ scalar: s })),
    fc.array(tie("value"), { maxLength: 3 }).map((array) => ({ array })),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
})).value;
const space = fc.constantFrom("", " ", "\n  ", "\t");

function text(v: Written, ws: string): string {
  if ("scalar" in v) return v.scalar;
  if ("array" in v) return `[${ws}${v.array.map((x) => text(x, ws)).join(`,${ws}`)}${ws}]`;
  return `{${ws}${v.entries.map(([k, x]) => `"${k.spelling}"${ws}:${ws}${text(x, ws)}`).join(`,${ws}`)}${ws}}`;
}

/** The repeated keys' paths, read off the model. */
function expected(v: Written, path = "", out: string[] = []): string[] {
  if ("array" in v) v.array.forEach((x, i) => expected(x, `${path}[${i}]`, out));
  else if ("entries" in v) {
    const seen = new Set<string>();
    for (const [k, x] of v.entries) {
      const p = path === "" ? k.name : `${path}.${k.name}`;
      if (seen.has(k.name)) out.push(p);
      seen.add(k.name);
      expected(x, p, out);
    }
  }
  return out;
}

describe("duplicateKeys", () => {
  it("finds exactly the keys an object repeats, with their paths (property)", () => {
    fc.assert(
      fc.property(written, space, (v, ws) => {
        const t = text(v, ws);
        JSON.parse(t); // the generator writes JSON
        expect(duplicateKeys(t).map((d) => d.path)).toEqual(expected(v));
      }),
      { numRuns: 5_000 },
    );
  });

  it("points at the later appearance of the key", () => {
    const t = '{"id": "a",\n "items": [{"item": "H100", "item": "B200"}]}';
    expect(duplicateKeys(t)).toEqual([{ path: "items[0].item", offset: t.lastIndexOf('"item"') }]);
  });

  it("never throws, and finds nothing in text that has no object", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => duplicateKeys(s)).not.toThrow();
      }),
    );
    expect(duplicateKeys("[1, 2, 3]")).toEqual([]);
    expect(duplicateKeys('"{\\"a\\":1,\\"a\\":2}"')).toEqual([]);
  });

  it("works at any depth", () => {
    const deep = `${'{"a":'.repeat(100_000)}{"b":1,"b":2}${"}".repeat(100_000)}`;
    expect(duplicateKeys(deep)).toHaveLength(1);
  });

  it("sorts an array book's repeated keys by order, with paths inside each order", () => {
    const byOrder = duplicateKeyErrorsByOrder('[{"id":"a"},{"id":"b","id":"c","items":[{"q":1,"q":2}]},{"x":1,"x":2}]');
    expect([...byOrder.keys()]).toEqual([1, 2]);
    expect(byOrder.get(1)?.map((e) => e.field)).toEqual(["id", "items[0].q"]);
    expect(byOrder.get(2)?.map((e) => e.field)).toEqual(["x"]);
  });

  it("makes one order error per repeated key", () => {
    expect(duplicateKeyErrors('{"destination":"MY","destination":"CN","consignee":{"id":"a","id":"b"}}')).toEqual([
      {
        field: "destination",
        message: "given more than once (a JSON reader keeps only one of the values)",
        help: "give `destination` once, with the value meant",
      },
      {
        field: "consignee.id",
        message: "given more than once (a JSON reader keeps only one of the values)",
        help: "give `consignee.id` once, with the value meant",
      },
    ]);
  });
});
