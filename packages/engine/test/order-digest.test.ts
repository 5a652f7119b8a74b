import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { catalogOf, compile, MemoryLedger } from "../src/index.js";
import type { Decision, Ledger } from "../src/index.js";
import { orderDigest } from "../src/digest.js";
import { validate } from "../src/order.js";
import { aiDiffusion, order } from "./helpers/model.js";

const model = aiDiffusion().build();
const ai = compile(model);
const catalog = catalogOf(model);

function digest(o: unknown): number {
  const v = validate(o, catalog);
  if (Array.isArray(v)) throw new Error(`invalid: ${JSON.stringify(v)}`);
  return orderDigest(v);
}

/** The default order with `edit` applied to a deep copy. */
function edited(
  edit: (o: { consignee: Record<string, unknown>; items: Record<string, unknown>[] } & Record<string, unknown>) => void,
  base = order({}),
): Record<string, unknown> {
  const copy = structuredClone(base) as Parameters<typeof edit>[0];
  edit(copy);
  return copy;
}

describe("order digest: what counts as the same order", () => {
  it("is a safe integer below 2^52", () => {
    const d = digest(order({}));
    expect(Number.isSafeInteger(d)).toBe(true);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(2 ** 52);
  });

  it("equal values written differently give the same digest", () => {
    const base = digest(order({ quantity: 10, statuses: ["UVEU", "NVEU"], capacityTpp: "1000" }));
    expect(digest(order({ quantity: "10", statuses: ["UVEU", "NVEU"], capacityTpp: "1000" }))).toBe(base);
    expect(digest(order({ quantity: 10, statuses: ["NVEU", "UVEU", "NVEU"], capacityTpp: "1000" }))).toBe(base);
    expect(digest(edited((o) => (o.consignee["capacityTpp"] = 1000), order({ quantity: 10, statuses: ["UVEU", "NVEU"] })))).toBe(base);
    expect(digest(order({ quantity: 10, statuses: ["UVEU", "NVEU"], capacityTpp: "1e3" }))).toBe(base);
    expect(digest(order({ quantity: 10, statuses: ["UVEU", "NVEU"], capacityTpp: "1000", headquarters: "MY" }))).toBe(base);
    expect(
      digest(edited((o) => (o.consignee["name"] = "University of Malaya"), order({ quantity: 10, statuses: ["UVEU", "NVEU"], capacityTpp: "1000" }))),
    ).toBe(base);
    // Keys in another order.
    const o = order({ quantity: 10, statuses: ["UVEU", "NVEU"], capacityTpp: "1000" });
    const reordered = Object.fromEntries(Object.entries(o).reverse());
    expect(digest(reordered)).toBe(base);
    // Uncatalogued chips: numbers as numbers or strings.
    const chip = (tpp: unknown, density: unknown): number => digest(order({ items: [{ tppPerUnit: tpp, performanceDensity: density, quantity: 2 }] }));
    expect(chip(4_800, "6")).toBe(chip("4800", "6.0"));
    // An uncatalogued chip's description (no rule reads it) and dataCenter given as its default.
    const line = { tppPerUnit: 4_800, performanceDensity: "6", quantity: 2 };
    expect(digest(order({ items: [{ ...line, description: "an accelerator card", dataCenter: true }] }))).toBe(chip(4_800, "6"));
  });

  it("every field of the order's content counts", () => {
    const base = order({ quantity: 10, statuses: ["UVEU"], capacityTpp: "1000" });
    const b = digest(base);
    const variants: [string, Record<string, unknown>][] = [
      ["id", edited((o) => (o["id"] = "o-2"), base)],
      ["date", edited((o) => (o["date"] = "2025-06-11"), base)],
      ["destination", edited((o) => (o["destination"] = "SG"), base)],
      ["exporter", edited((o) => (o["exporter"] = "acme"), base)],
      ["consignee", edited((o) => (o.consignee["id"] = "uni-sg"), base)],
      ["headquarters", edited((o) => (o.consignee["headquarters"] = "US"), base)],
      ["statuses added", edited((o) => (o.consignee["statuses"] = ["UVEU", "NVEU"]), base)],
      ["statuses removed", edited((o) => delete o.consignee["statuses"], base)],
      ["capacity", edited((o) => (o.consignee["capacityTpp"] = "1001"), base)],
      ["capacity removed", edited((o) => delete o.consignee["capacityTpp"], base)],
      ["item", edited((o) => (o.items[0] = { item: "B200", quantity: 10 }), base)],
      ["quantity", edited((o) => (o.items[0] = { item: "H100", quantity: 11 }), base)],
      ["a second line", edited((o) => o.items.push({ item: "H100", quantity: 1 }), base)],
      [
        "an uncatalogued chip with the catalog's figures",
        edited((o) => (o.items[0] = { tppPerUnit: 15_832, performanceDensity: "19.45", quantity: 10 }), base),
      ],
    ];
    const seen = new Map<number, string>([[b, "base"]]);
    for (const [what, o] of variants) {
      const d = digest(o);
      expect(seen.get(d), `${what} collides with ${seen.get(d)}`).toBeUndefined();
      seen.set(d, what);
    }
  });

  it("the numbers of uncatalogued chips and model weights count", () => {
    const chip = (line: Record<string, unknown>): number => digest(order({ items: [line] }));
    const base = { tppPerUnit: 4_800, performanceDensity: "6", quantity: 2 };
    const ds = [
      chip(base),
      chip({ ...base, tppPerUnit: 4_801 }),
      chip({ ...base, performanceDensity: "6.1" }),
      chip({ tppPerUnit: 4_800, quantity: 2 }),
      chip({ ...base, dataCenter: false }),
      chip({ ...base, quantity: 3 }),
    ];
    expect(new Set(ds).size).toBe(ds.length);
    const weights = (w: Record<string, unknown>): number => digest(order({ items: [{ modelWeights: w }] }));
    const ws = [
      weights({ trainingOps: "3e26", openWeights: false }),
      weights({ trainingOps: "3e26", openWeights: true }),
      weights({ trainingOps: "4e26", openWeights: false }),
    ];
    expect(new Set(ws).size).toBe(ws.length);
    // A name is a label, as a consignee's name is.
    expect(weights({ trainingOps: "3e26", openWeights: false, name: "m1" })).toBe(ws[0]);
  });

  it("a catalog item is its name: another policy's figures for it do not change the digest", () => {
    const other = aiDiffusion();
    other.items.set("H100", { ...(other.items.get("H100") as NonNullable<ReturnType<typeof other.items.get>>), tppPerUnit: { num: 16_000n, den: 1n } });
    const v = validate(order({ quantity: 10 }), catalogOf(other.build()));
    if (Array.isArray(v)) throw new Error("invalid");
    expect(orderDigest(v)).toBe(digest(order({ quantity: 10 })));
  });

  it("a catalog model is its name: another policy's figures for it do not change the digest", () => {
    // A rerun under a version that corrects the catalog's model figures is the same order
    // (what the order says is `{"item": "frontier"}`), as for catalog items above.
    const line = { item: "frontier", quantity: 1 };
    const other = aiDiffusion();
    other.weights("frontier", "4e26", true);
    const v = validate(order({ items: [line] }), catalogOf(other.build()));
    if (Array.isArray(v)) throw new Error("invalid");
    expect(orderDigest(v)).toBe(digest(order({ items: [line] })));
    // Through the compiled policies (their catalogs' line templates), on one ledger: a repeat.
    const ledger = new MemoryLedger();
    const first = ai.evaluate(order({ items: [line] }), ledger);
    expect(compile(other.build()).evaluate(order({ items: [line] }), ledger)).toEqual({ ...first, alreadyDecided: true });
  });

  it("a catalog model and model weights given in the order under its name are different lines", () => {
    const catalogued = digest(order({ items: [{ item: "frontier", quantity: 1 }] }));
    expect(digest(order({ items: [{ modelWeights: { name: "frontier", trainingOps: "3e26", openWeights: false } }] }))).not.toBe(catalogued);
    // and its quantity counts
    expect(digest(order({ items: [{ item: "frontier", quantity: 2 }] }))).not.toBe(catalogued);
  });

  it("a change of one character can change any bit of the digest, wherever the character is", () => {
    // Each of the 52 bits flips for some one-character change at each position (of an id,
    // a date, a country code): no part of the digest is blind to part of the text.
    const all = 2 ** 52 - 1;
    const flipped = (variants: Record<string, unknown>[], base: Record<string, unknown>): number => {
      const d = digest(base);
      let or = 0;
      for (const v of variants) {
        const x = digest(v);
        // OR of the 52-bit XORs, in two 26-bit halves (bitwise operators take 32 bits).
        const hi = (Math.floor(x / 2 ** 26) ^ Math.floor(d / 2 ** 26)) | Math.floor(or / 2 ** 26);
        const lo = ((x % 2 ** 26) ^ (d % 2 ** 26)) | (or % 2 ** 26);
        or = (hi >>> 0) * 2 ** 26 + (lo >>> 0);
      }
      return or;
    };
    const letters = "abcdefghijklmnopqrstuvwxyz0123456789-_".split("");
    for (let i = 0; i < 6; i++) {
      const variants = letters.map((c) => order({ consignee: `uni-my`.slice(0, i) + c + `uni-my`.slice(i + 1) }));
      expect(flipped(variants, order({})).toString(2), `consignee character ${i}`).toBe(all.toString(2));
    }
    const days = Array.from({ length: 28 }, (_, k) => order({ date: `2025-06-${String(k + 1).padStart(2, "0")}` })).filter((_, k) => k + 1 !== 10);
    expect(flipped(days, order({})).toString(2), "day").toBe(all.toString(2));
    const destinations = ["MA", "MC", "MD", "ME", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MR", "MT", "MU", "MV", "MW", "MX", "MZ"].map((c) =>
      order({ destination: c, headquarters: "MY" }),
    );
    expect(flipped(destinations, order({ headquarters: "MY" })).toString(2), "destination").toBe(all.toString(2));
  });

  it("is pinned: ledgers keep digests, so a change here makes every rerun on an existing ledger a conflict", () => {
    // Change these only with a ledger migration that recomputes or drops the recorded digests.
    expect(digest(order({}))).toBe(4100627300316207);
    const lines = [
      { item: "H100", quantity: 1699 },
      { tppPerUnit: 10000, performanceDensity: 6.1, quantity: 5, dataCenter: false },
      { modelWeights: { trainingOps: "3e26", openWeights: false } },
    ];
    expect(digest(order({ id: "o-17", statuses: ["UVEU", "NVEU"], capacityTpp: "12000000000", items: lines }))).toBe(4149948546857093);
    expect(digest({ ...order({ id: "o-18", items: [{ item: "frontier", quantity: 1 }] }), exporter: "acme-us" })).toBe(2089876474134883);
  });

  it("is deterministic and blind to key order and status order (property)", () => {
    const statuses = fc.subarray(["UVEU", "NVEU"]);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 2 ** 40 }), statuses, fc.boolean(), (id, quantity, st, flip) => {
        const o = order({ id, quantity, statuses: st });
        const other = order({ id, quantity, statuses: flip ? [...st].reverse() : st });
        const shuffled = Object.fromEntries(Object.entries(other).reverse());
        expect(digest(shuffled)).toBe(digest(o));
        expect(digest(o)).toBe(digest(structuredClone(o)));
      }),
    );
  });
});

describe("an order id given again", () => {
  const run = (o: Record<string, unknown>, ledger: Ledger): Decision => ai.evaluate(o, ledger);

  it("with the same content: the recorded decision, nothing charged", () => {
    const ledger = new MemoryLedger();
    const first = run(order({ quantity: 1_000 }), ledger);
    expect(run(order({ quantity: "1000", headquarters: "MY" }), ledger)).toEqual({ ...first, alreadyDecided: true });
  });

  // One order of each way the in-memory ledger records a decision (see decideAndRecord).
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["one charge (LPP)", order({ quantity: 1_000 }), order({ quantity: 1_001 })],
    [
      "no charge, hints of its own (denied license)",
      order({ destination: "CN", headquarters: "CN" }),
      order({ destination: "CN", headquarters: "CN", quantity: 2 }),
    ],
    [
      "no charge, the shape alone (AIA)",
      order({ destination: "DE", headquarters: "DE" }),
      order({ destination: "DE", headquarters: "DE", date: "2025-06-11" }),
    ],
    ["a licence charging the allocation", order({ quantity: 2_000 }), order({ quantity: 2_000, consignee: "uni-my-2" })],
  ];
  for (const [what, first, second] of cases) {
    it(`with other content is invalid and charges nothing: ${what}`, () => {
      const ledger = new MemoryLedger();
      const recorded = run(first, ledger);
      const usage = JSON.stringify([...ledger.recorded()]);
      const d = run(second, ledger);
      expect(d.outcome).toBe("invalid");
      expect(d.alreadyDecided).toBeUndefined();
      expect(d.charges).toEqual([]);
      expect(d.errors).toHaveLength(1);
      expect(d.errors?.[0]?.field).toBe("id");
      expect(d.errors?.[0]?.message).toMatch(
        /^order id `o-1` was already decided on this ledger for an order with other content \((authorized|license required)/,
      );
      expect(d.errors?.[0]?.help).toMatch(/give this order an id of its own/);
      // The ledger is untouched: the recorded decision stands, the first order's content still repeats.
      expect(JSON.stringify([...ledger.recorded()])).toBe(usage);
      expect(run(first, ledger)).toEqual({ ...recorded, alreadyDecided: true });
    });
  }

  it("names the recorded outcome", () => {
    const ledger = new MemoryLedger();
    run(order({ quantity: 1_000 }), ledger);
    expect(run(order({ quantity: 5 }), ledger).errors?.[0]?.message).toContain("(authorized under LPP)");
  });

  it("a decision recorded without a digest (an older ledger) is taken as the same order", () => {
    const ledger = new MemoryLedger();
    const recorded = run(order({ quantity: 1_000 }), new MemoryLedger());
    ledger.record({ orderId: "o-1", date: "2025-06-10", decision: recorded, policySha256: recorded.policy.sha256, charges: [] });
    expect(ledger.orderDigest("o-1")).toBeUndefined();
    expect(run(order({ quantity: 5 }), ledger)).toEqual({ ...recorded, alreadyDecided: true });
  });

  it("a ledger without digests answers repeats as before", () => {
    const inner = new MemoryLedger();
    const plain: Ledger = {
      usage: (...a) => inner.usage(...a),
      record: (e) => inner.record(e),
      decided: (id) => inner.decided(id),
      batch: (fn) => fn(),
    };
    const first = run(order({ quantity: 1_000 }), plain);
    expect(run(order({ quantity: 5 }), plain)).toEqual({ ...first, alreadyDecided: true });
  });

  it("a generic ledger gets the digest on its entry", () => {
    const entries: number[] = [];
    const inner = new MemoryLedger();
    const spy: Ledger = {
      usage: (...a) => inner.usage(...a),
      record: (e) => {
        entries.push(e.orderDigest ?? -1);
        inner.record(e);
      },
      decided: (id) => inner.decided(id),
      orderDigest: (id) => inner.orderDigest(id),
      batch: (fn) => fn(),
    };
    run(order({ quantity: 1_000 }), spy);
    expect(entries).toEqual([digest(order({ quantity: 1_000 }))]);
    expect(run(order({ quantity: 5 }), spy).outcome).toBe("invalid");
  });

  it("a clone keeps the digests", () => {
    const ledger = new MemoryLedger();
    run(order({ quantity: 1_000 }), ledger);
    const copy = ledger.clone();
    expect(copy.orderDigest("o-1")).toBe(ledger.orderDigest("o-1"));
    expect(run(order({ quantity: 5 }), copy).outcome).toBe("invalid");
  });

  it("explain says why the order is not decided", () => {
    const ledger = new MemoryLedger();
    run(order({ quantity: 1_000 }), ledger);
    const { decision, trace } = ai.explain(order({ quantity: 5 }), ledger);
    expect(decision.outcome).toBe("invalid");
    expect(trace.find((s) => s.kind === "ledger")).toMatchObject({
      applied: false,
      detail: expect.stringMatching(/other content .*: this order is not decided$/) as unknown as string,
    });
  });

  it("the digests stay put as the ledger grows past its first storage", () => {
    const ledger = new MemoryLedger();
    for (let i = 0; i < 3_000; i++) run(order({ id: `o-${i}`, destination: "DE", headquarters: "DE", quantity: i + 1 }), ledger);
    for (const i of [0, 1_023, 1_024, 2_999]) {
      expect(ledger.orderDigest(`o-${i}`)).toBe(digest(order({ id: `o-${i}`, destination: "DE", headquarters: "DE", quantity: i + 1 })));
    }
    expect(ledger.orderDigest("o-3000")).toBeUndefined();
  });
});
