import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { wellFormedOrder } from "../src/order-fast.js";
import { validateFully } from "../src/order.js";
import { compile } from "../src/index.js";
import { compilePolicy } from "../src/compile.js";
import { aiDiffusion, order } from "./helpers/model.js";

const catalog = compilePolicy(aiDiffusion().build()).catalog;

const country = fc.constantFrom("DE", "US", "MY", "ZZ", "my", 3, undefined);
const number = fc.oneof(
  fc.integer({ min: -5, max: 60_000 }),
  fc.constantFrom("15831.2", "3e26", "0", "x", 1.5, 0.1 + 0.2, 2 ** 53 + 2, "9007199254740993", undefined, null),
);
const line = fc.oneof(
  fc.record({ item: fc.constantFrom("H100", "B200", "A100", "H900", 5), quantity: number }, { requiredKeys: [] }),
  fc.record(
    { tppPerUnit: number, performanceDensity: number, quantity: number, dataCenter: fc.constantFrom(true, false, "no"), description: fc.constantFrom("d", 1) },
    { requiredKeys: [] },
  ),
  fc.record({
    modelWeights: fc.oneof(
      fc.record({ trainingOps: number, openWeights: fc.constantFrom(true, false, "no"), name: fc.constantFrom("m", 2) }, { requiredKeys: [] }),
      fc.constant(3),
    ),
  }),
  fc.record({ item: fc.constant("H100"), quantity: fc.constant(1), extra: fc.constant(1) }),
);
const anyOrder = fc.record(
  {
    id: fc.constantFrom("o-1", "", 5),
    date: fc.constantFrom("2025-06-10", "2025-02-30", "2025-6-10", 20250610),
    destination: country,
    exporter: fc.constantFrom("acme", "", 1, undefined),
    consignee: fc.oneof(
      fc.record(
        {
          id: fc.constantFrom("c", "", 1),
          name: fc.constantFrom("n", 2),
          headquarters: country,
          statuses: fc.oneof(fc.subarray(["UVEU", "NVEU", "UVEU", "XVEU", 4]), fc.constant("UVEU")),
          capacityTpp: number,
          other: fc.constant(1),
        },
        { requiredKeys: [] },
      ),
      fc.constant("c"),
    ),
    items: fc.oneof(fc.array(line, { maxLength: 3 }), fc.constant("H100")),
    extra: fc.constant(true),
  },
  { requiredKeys: [] },
);

describe("validation fast path", () => {
  it("returns exactly what the full validator returns, or leaves the order to it", () => {
    fc.assert(
      fc.property(anyOrder, (o) => {
        const fast = wellFormedOrder(o, catalog);
        if (fast !== undefined) expect(fast).toStrictEqual(validateFully(o, catalog));
      }),
      { numRuns: 3_000 },
    );
  });
  it("takes well-formed orders of every line kind", () => {
    const orders = [
      order({ quantity: 1_699 }),
      { ...order({}), exporter: "acme", consignee: { id: "c", name: "C", headquarters: "US", statuses: ["UVEU", "UVEU"], capacityTpp: "50000000000" } },
      order({ items: [{ tppPerUnit: "15831.2", performanceDensity: 5.92, quantity: "9007199254740993", dataCenter: false, description: "d" }] }),
      order({ items: [{ modelWeights: { trainingOps: "3e26", openWeights: false, name: "m" } }, { item: "H100", quantity: 2 }] }),
    ];
    for (const o of orders) {
      const fast = wellFormedOrder(o, catalog);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(validateFully(o, catalog));
    }
  });
  it("leaves keys present with the value undefined, and sparse statuses, to the full validator", () => {
    expect(wellFormedOrder({ ...order({}), exporter: undefined }, catalog)).toBeUndefined();
    // eslint-disable-next-line no-sparse-arrays
    expect(wellFormedOrder({ ...order({}), consignee: { id: "c", statuses: [, "UVEU"] } }, catalog)).toBeUndefined();
    expect(
      compile(aiDiffusion().build()).evaluate(
        { ...order({}), consignee: { id: "c", statuses: [undefined] } },
        { usage: () => ({ num: 0n, den: 1n }), record: () => undefined, decided: () => undefined, batch: <T>(f: () => T): T => f() },
      ).outcome,
    ).toBe("invalid");
  });
});
