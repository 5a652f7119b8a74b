import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isValidDate, nextDay, previousDay } from "../../src/check/dates.js";
import {
  BEGIN,
  END,
  EMPTY,
  SetBuilder,
  contains,
  countries,
  difference,
  everything,
  intersection,
  isEmpty,
  normalize,
  spansOf,
  toMembership,
  union,
  type DatedSet,
} from "../../src/check/intervals.js";
import { COUNTRY_CODES } from "../../src/countries.js";
import { closest, editDistance } from "../../src/check/suggest.js";

describe("dates", () => {
  it.each([
    ["2025-01-13", true],
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-02-30", false],
    ["2000-02-29", true],
    ["1900-02-29", false],
    ["2025-13-01", false],
    ["2025-00-10", false],
    ["2025-04-31", false],
    ["2025-1-01", false],
  ])("%s valid: %s", (d, ok) => {
    expect(isValidDate(d)).toBe(ok);
  });

  it("steps across months and years", () => {
    expect(nextDay("2024-12-31")).toBe("2025-01-01");
    expect(previousDay("2025-03-01")).toBe("2025-02-28");
    expect(previousDay("2024-03-01")).toBe("2024-02-29");
    expect(previousDay("2026-02-03")).toBe("2026-02-02");
  });
});

describe("dated sets", () => {
  const set = (entries: Record<string, [string, string][]>): DatedSet => {
    const out = new SetBuilder();
    for (const [country, spans] of Object.entries(entries)) for (const span of spans) out.add(country, span);
    return out.done();
  };

  it("normalizes touching and overlapping spans", () => {
    expect(
      normalize([
        ["2025-01-01", "2025-06-01"],
        [BEGIN, "2024-01-01"],
        ["2025-06-01", END],
        ["2026-01-01", "2026-01-01"],
      ]),
    ).toEqual([
      [BEGIN, "2024-01-01"],
      ["2025-01-01", END],
    ]);
  });

  it("evaluates union, difference and intersection per date", () => {
    const d5 = set({ CN: [[BEGIN, END]], KH: [[BEGIN, "2026-02-03"]] });
    const all = set({ CN: [[BEGIN, END]], KH: [[BEGIN, END]], MY: [[BEGIN, END]] });
    const rest = difference(all, d5);
    expect(contains(rest, "KH", "2026-02-02")).toBe(false);
    expect(contains(rest, "KH", "2026-02-03")).toBe(true);
    expect(contains(rest, "CN", "2025-01-01")).toBe(false);
    expect(toMembership(rest)).toEqual([{ country: "KH", from: "2026-02-03" }, { country: "MY" }]);
    expect(toMembership(intersection(all, d5))).toEqual([{ country: "CN" }, { country: "KH", until: "2026-02-03" }]);
    expect(toMembership(union(rest, d5))).toEqual([{ country: "CN" }, { country: "KH" }, { country: "MY" }]);
  });

  it("keeps always-members as bits and dated members in the map", () => {
    const s = set({ US: [[BEGIN, END]], KH: [[BEGIN, "2026-02-03"]], X1: [[BEGIN, END]] });
    expect(s.dated.has("US")).toBe(false);
    expect([...s.dated.keys()].sort()).toEqual(["KH", "X1"]);
    expect(countries(s)).toEqual(["KH", "US", "X1"]);
    expect(spansOf(s, "US")).toEqual([[BEGIN, END]]);
    expect(spansOf(s, "FR")).toEqual([]);
    // A dated member that becomes a member on every date turns into a bit again.
    const whole = union(s, set({ KH: [["2026-02-03", END]] }));
    expect(whole.dated.has("KH")).toBe(false);
    expect(toMembership(whole)).toEqual([{ country: "KH" }, { country: "US" }, { country: "X1" }]);
  });

  it("treats `all` as every accepted code, always", () => {
    const all = everything();
    expect(countries(all)).toEqual([...COUNTRY_CODES].sort());
    expect(all.dated.size).toBe(0);
    expect(isEmpty(difference(all, all))).toBe(true);
    expect(isEmpty(EMPTY)).toBe(true);
    expect(toMembership(difference(all, set({ US: [[BEGIN, "2025-01-01"]] }))).find((m) => m.country === "US")).toEqual({ country: "US", from: "2025-01-01" });
  });

  it("agrees with a pointwise model on random sets of several countries", () => {
    const days = ["2024-01-01", "2025-01-01", "2026-01-01"];
    const probes = ["2023-06-01", ...days, "2027-01-01"];
    // Real codes (bits when always), and a code outside the list (always in the map).
    const codes = ["AD", "US", "ZW", "XK", "Q9"];
    const bound = fc.constantFrom(BEGIN, END, ...days);
    const member = fc.oneof(fc.constant([[BEGIN, END]] as [string, string][]), fc.array(fc.tuple(bound, bound), { maxLength: 3 }));
    const sets = fc.dictionary(fc.constantFrom(...codes), member, { maxKeys: codes.length }).map((r) => set(r));
    const model = (s: DatedSet, c: string, d: string): boolean => contains(s, c, d);
    const ops: [string, (a: DatedSet, b: DatedSet) => DatedSet, (x: boolean, y: boolean) => boolean][] = [
      ["union", union, (x, y) => x || y],
      ["intersection", intersection, (x, y) => x && y],
      ["difference", difference, (x, y) => x && !y],
    ];
    fc.assert(
      fc.property(sets, sets, (a, b) => {
        for (const [, op, truth] of ops) {
          const r = op(a, b);
          for (const c of codes) for (const d of probes) expect(model(r, c, d)).toBe(truth(model(a, c, d), model(b, c, d)));
          // Canonical: a real code that is a member on every date is a bit, never a map entry.
          for (const [c, spans] of r.dated) expect(c === "Q9" || !(spans.length === 1 && spans[0]?.[0] === BEGIN && spans[0]?.[1] === END)).toBe(true);
          // The model's intervals are sorted by country and say the same thing.
          const intervals = toMembership(r);
          expect(intervals.map((m) => m.country)).toEqual(intervals.map((m) => m.country).sort());
          for (const c of codes) {
            for (const d of probes) {
              const inModel = intervals.some((m) => m.country === c && (m.from ?? BEGIN) <= d && d < (m.until ?? END));
              expect(inModel).toBe(model(r, c, d));
            }
          }
        }
      }),
    );
  });

  it("agrees with a pointwise model on random spans", () => {
    const days = ["2024-01-01", "2024-06-01", "2025-01-01", "2025-06-01", "2026-01-01"];
    const bound = fc.constantFrom(BEGIN, END, ...days);
    const spans = fc.array(fc.tuple(bound, bound), { maxLength: 4 }).map((xs) => normalize(xs));
    const sets = fc.record({ A: spans, B: spans }).map((r) => set({ X: r.A as [string, string][] }) as DatedSet);
    fc.assert(
      fc.property(sets, sets, (a, b) => {
        for (const d of [...days, "2023-01-01", "2027-01-01"]) {
          const ia = contains(a, "X", d);
          const ib = contains(b, "X", d);
          expect(contains(union(a, b), "X", d)).toBe(ia || ib);
          expect(contains(intersection(a, b), "X", d)).toBe(ia && ib);
          expect(contains(difference(a, b), "X", d)).toBe(ia && !ib);
        }
      }),
    );
  });
});

describe("suggestions", () => {
  it("measures edits with transpositions", () => {
    expect(editDistance("tier2", "tier2")).toBe(0);
    expect(editDistance("teir2", "tier2")).toBe(1);
    expect(editDistance("tier22", "tier2")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
  });

  it("suggests the closest name within a length-scaled distance", () => {
    expect(closest("tier4", ["tier1", "tier2", "d5"])).toBe("tier1");
    expect(closest("contry_allocation", ["country_allocation", "LPP_limit"])).toBe("country_allocation");
    expect(closest("lpp", ["LPP"])).toBe("LPP");
    expect(closest("zzzzzz", ["tier1"])).toBeUndefined();
  });

  it("treats look-alike characters like a case difference", () => {
    expect(closest("H1OO", ["A100", "H100", "H20"])).toBe("H100");
    expect(closest("HlOO", ["A100", "H100"])).toBe("H100");
    expect(closest("B2OO", ["B200", "H200"])).toBe("B200");
    expect(closest("H1OO", ["H1OO"])).toBeUndefined();
  });
});
