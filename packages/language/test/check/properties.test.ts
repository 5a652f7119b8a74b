/** fast-check properties of the checker over mutated valid policies. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkFiles, checkText } from "../../src/check/load.js";
import { fixtureFolders, readFixture } from "./fixtures-util.js";

const URI = "file:///prop/main.diffuse";
const seeds = fixtureFolders("valid")
  .map((folder) => readFixture("valid", folder).get(`file:///${folder}/input.diffuse`) ?? "")
  .filter((t) => !t.includes("import") && !t.includes("policyset"));

type Mutation = { kind: "delete" | "duplicate" | "swap"; a: number; b: number; c: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "duplicate", "swap"),
  a: fc.nat(),
  b: fc.nat(40),
  c: fc.nat(),
});

/** Applies one mutation at positions taken modulo the text length. */
function mutate(text: string, m: Mutation): string {
  if (text.length === 0) return text;
  const start = m.a % text.length;
  const end = Math.min(text.length, start + m.b);
  const piece = text.slice(start, end);
  switch (m.kind) {
    case "delete":
      return text.slice(0, start) + text.slice(end);
    case "duplicate":
      return text.slice(0, end) + piece + text.slice(end);
    case "swap": {
      const rest = text.slice(0, start) + text.slice(end);
      const at = rest.length === 0 ? 0 : m.c % rest.length;
      return rest.slice(0, at) + piece + rest.slice(at);
    }
    default: {
      const never: never = m.kind;
      return never;
    }
  }
}

const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([seed, ms]) => ms.reduce(mutate, seed));

/** A stable text form of a check result (bigints, Maps). */
function snapshot(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v instanceof Map ? [...v.entries()] : v));
}

describe("checker properties", () => {
  it("never throws on mutated valid policies, and keeps every range inside the text", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const result = checkText(text, URI);
        for (const d of result.diagnostics) {
          expect(d.uri).toBe(URI);
          expect(d.range.start).toBeGreaterThanOrEqual(0);
          expect(d.range.end).toBeGreaterThanOrEqual(d.range.start);
          expect(d.range.end).toBeLessThanOrEqual(text.length);
          for (const r of d.related ?? []) expect(r.range.end).toBeLessThanOrEqual(text.length);
          for (const f of d.fixes ?? []) for (const e of f.edits) expect(e.range.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expect(() => checkText(text, URI)).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const a = checkText(text, URI);
        const b = checkText(text, URI);
        expect(snapshot(a.diagnostics)).toBe(snapshot(b.diagnostics));
        expect(snapshot(a.model)).toBe(snapshot(b.model));
      }),
      { numRuns: 100 },
    );
  });

  it("keeps ranges inside their own file across imports", () => {
    fc.assert(
      fc.property(mutated, mutated, (main, lib) => {
        const files = new Map([
          [URI, `import "lib.diffuse"\n${main}`],
          ["file:///prop/lib.diffuse", lib],
        ]);
        const result = checkFiles(files, URI);
        for (const d of result.diagnostics) {
          const text = files.get(d.uri);
          expect(text).toBeDefined();
          expect(d.range.end).toBeLessThanOrEqual(text?.length ?? 0);
        }
      }),
      { numRuns: 100 },
    );
  });
});
