import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compile, MemoryLedger } from "../src/index.js";
import { densityProbes } from "../src/density.js";
import { formatGrouped } from "../src/exact.js";
import { aiDiffusion, and, authorize, Builder, cmpq, flag, license, order, qty, review } from "./helpers/model.js";

/** The AI Diffusion model of the helpers plus 3A090.b (legacy_ic) and an item with no density, as in the shipped catalog's MI210. */
function withLegacy(): Builder {
  const b = aiDiffusion().item("MI210", 2_896).item("BIG", 6_000);
  b.cls(
    "legacy_ic",
    flag("chip"),
    flag("datacenter"),
    cmpq("tpp", ">=", qty(1_600)),
    and(cmpq("density", ">=", qty("3.2", "count")), cmpq("density", "<", qty("5.92", "count"))),
  );
  b.auth("exception", "NAC", {});
  b.decide("legacy", ["legacy_ic"], [authorize("NAC")]);
  return b;
}

const ev = compile(withLegacy().build());
const chip = (tppPerUnit: number, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  order({ destination: "CN", items: [{ tppPerUnit, quantity: 10, ...extra }] });

describe("a chip whose performance density is not given", () => {
  it("is tried at each threshold, between them and beyond either end", () => {
    const probes = densityProbes(withLegacy().build())?.probes ?? [];
    expect(probes.map(formatGrouped)).toEqual(["1.6", "3.2", "4.56", "5.92", "6.92"]);
  });

  it("makes the order invalid where its class turns on the density, naming the classes it could take", () => {
    const d = ev.evaluate(chip(3_000), new MemoryLedger());
    expect(d.outcome).toBe("invalid");
    expect(d.errors).toHaveLength(1);
    expect(d.errors?.[0]?.field).toBe("items[0].performanceDensity");
    expect(d.errors?.[0]?.message).toBe(
      "performance density not given: under this policy a chip of 3,000 TPP per unit is outside its controls, legacy_ic or advanced_ic depending on its performance density",
    );
    expect(d.errors?.[0]?.help).toContain("3.2, 5.92");
    expect(d.charges).toEqual([]);
  });

  it("is decided where no density would change its class", () => {
    // 4,800 TPP or more is 3A090.a whatever the density; below 1,600 nothing reads it; not for data centers, no class here reads it.
    expect(ev.evaluate(chip(4_800), new MemoryLedger())).toMatchObject({ outcome: "license-required", review: "presumption-of-denial" });
    expect(ev.evaluate(chip(1_599), new MemoryLedger())).toMatchObject({ outcome: "authorized", basis: "NLR" });
    expect(ev.evaluate(chip(3_000, { dataCenter: false }), new MemoryLedger())).toMatchObject({ outcome: "authorized", basis: "NLR" });
    expect(ev.evaluate(chip(3_000, { performanceDensity: "4" }), new MemoryLedger())).toMatchObject({ outcome: "authorized", basis: "NAC" });
  });

  it("in the catalog: an item without a density is refused only where its class turns on it, and the error names the item", () => {
    const d = ev.evaluate(order({ destination: "CN", item: "MI210", quantity: 10 }), new MemoryLedger());
    expect(d.outcome).toBe("invalid");
    expect(d.errors?.[0]?.field).toBe("items[0].item");
    expect(d.errors?.[0]?.message).toContain("the catalog gives no performance density for MI210");
    expect(d.errors?.[0]?.help).toContain("add `density` to item MI210");
    expect(ev.evaluate(order({ destination: "CN", item: "BIG", quantity: 10 }), new MemoryLedger())).toMatchObject({ outcome: "license-required" });
  });

  it("reports each line that needs its density, and only those", () => {
    const d = ev.evaluate(
      order({
        destination: "CN",
        items: [
          { item: "H100", quantity: 1 },
          { tppPerUnit: 2_000, quantity: 1 },
          { tppPerUnit: 9_000, quantity: 1 },
          { item: "MI210", quantity: 1 },
        ],
      }),
      new MemoryLedger(),
    );
    expect(d.errors?.map((e) => e.field)).toEqual(["items[1].performanceDensity", "items[3].item"]);
  });

  it("is said in the explanation, as the order's step", () => {
    const { decision, trace } = ev.explain(chip(3_000), new MemoryLedger());
    expect(decision.outcome).toBe("invalid");
    expect(trace.at(-1)).toMatchObject({ rule: "order", kind: "order", applied: false });
    expect(trace.at(-1)?.detail).toContain("items[0].performanceDensity: performance density not given");
  });

  it("changes nothing under a policy whose classes do not read density", () => {
    const b = new Builder().item("H100", 15_832).cls("chips", flag("chip"), cmpq("tpp", ">=", qty(4_800)));
    b.decide("d", ["chips"], [license([review("case-by-case")])]);
    const plain = compile(b.build());
    expect(densityProbes(b.build())).toBeUndefined();
    expect(plain.evaluate(chip(5_000), new MemoryLedger())).toMatchObject({ outcome: "license-required" });
  });

  it("is decided as it would be with any density, when it is decided at all (property)", () => {
    // A chip's TPP around the thresholds, with and without the data-center flag, and a
    // density anywhere from 0.01 to 20 in hundredths (the thresholds among them).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7_000 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2_000 }),
        fc.constantFrom("CN", "MY", "DE"),
        (tpp, dataCenter, hundredths, destination) => {
          const without = order({ destination, items: [{ tppPerUnit: tpp, quantity: 1, dataCenter }] });
          const d = ev.evaluate(without, new MemoryLedger(), { dryRun: true });
          if (d.outcome === "invalid") {
            expect(d.errors?.map((e) => e.field)).toEqual(["items[0].performanceDensity"]);
            return;
          }
          const density = (hundredths / 100).toFixed(2);
          const withDensity = order({ destination, items: [{ tppPerUnit: tpp, quantity: 1, dataCenter, performanceDensity: density }] });
          const e = ev.evaluate(withDensity, new MemoryLedger(), { dryRun: true });
          expect([e.outcome, e.basis, e.review]).toEqual([d.outcome, d.basis, d.review]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
