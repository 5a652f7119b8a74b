import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { IdTable } from "../src/idtable.js";

describe("IdTable", () => {
  it("agrees with a Map on any sequence of lookups and insertions, and keeps insertion order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("", "a", "o-1", "o-10", "\u00e9", "\ud83d\ude00")), { maxLength: 300 }),
        (keys) => {
          const t = new IdTable<number>();
          const m = new Map<string, number>();
          keys.forEach((k, i) => {
            expect(t.get(k)).toBe(m.get(k));
            expect(t.has(k)).toBe(m.has(k));
            if (!m.has(k)) {
              t.insertAbsent(k, i);
              m.set(k, i);
            }
          });
          expect([...t.entries()]).toEqual([...m.entries()]);
          expect(t.size).toBe(m.size);
        },
      ),
    );
  });

  it("grows past many keys and finds each again (a miss remembered for one key is not used for another)", () => {
    const t = new IdTable<string>();
    for (let i = 0; i < 50_000; i++) {
      const k = `o-${i}`;
      expect(t.get(k)).toBeUndefined();
      if (i % 3 === 0) t.get(`other-${i}`); // a miss on another key in between
      t.insertAbsent(k, k);
    }
    for (let i = 0; i < 50_000; i += 7) expect(t.get(`o-${i}`)).toBe(`o-${i}`);
    expect(t.get("o-50000")).toBeUndefined();
    expect(t.size).toBe(50_000);
  });
});
