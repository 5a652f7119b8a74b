import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdFilter } from "../src/id-filter.js";

describe("IdFilter", () => {
  it("has every id added, through growth", () => {
    const f = new IdFilter();
    for (let i = 0; i < 50_000; i++) f.add(`ord-${i}`);
    expect(f.size).toBe(50_000);
    for (let i = 0; i < 50_000; i++) expect(f.has(`ord-${i}`)).toBe(true);
    let falsePositives = 0;
    for (let i = 50_000; i < 100_000; i++) if (f.has(`ord-${i}`)) falsePositives++;
    expect(falsePositives).toBe(0);
  });

  it("counts an id once and empties on clear", () => {
    const f = new IdFilter();
    f.add("");
    f.add("a");
    f.add("a");
    expect(f.size).toBe(2);
    expect(f.has("")).toBe(true);
    f.clear();
    expect(f.has("a")).toBe(false);
  });

  it("agrees with a Set (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (added, probes) => {
        const f = new IdFilter();
        const s = new Set<string>();
        for (const id of added) {
          f.add(id);
          s.add(id);
        }
        expect(f.size).toBe(s.size);
        for (const id of [...added, ...probes]) if (s.has(id)) expect(f.has(id)).toBe(true);
      }),
    );
  });
});
