/**
 * Order lines carry units and amounts as plain numbers while they are safe integers and
 * as exact rationals past 2^53 (src/order.ts, src/quantity.ts); catalog lines take their
 * class from the compiled policy (src/compile.ts). These tests hold both to the exact
 * arithmetic and to full classification.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compile, ledgerFrom, MemoryLedger } from "../src/index.js";
import { catalogOf, validateOrder } from "../src/order.js";
import { toDecimal } from "../src/exact.js";
import { aiDiffusion, authorize, Builder, cmpq, flag, license, order, prohibit, qty, review } from "./helpers/model.js";

const SAFE = 2n ** 53n - 1n;

/** One chip class; cap k (all time, per consignee, a limit no test reaches) within exception E. */
function bigCapPolicy(tpp: string): ReturnType<typeof compile> {
  const b = new Builder().item("X", tpp).cls("c", flag("chip"));
  b.cap("k", { limit: qty("1e60"), per: ["consignee"], window: { kind: "all-time" } });
  b.auth("exception", "E", { within: ["k"] });
  b.decide("d", ["c"], [authorize("E"), prohibit()]);
  return compile(b.build());
}

/** A quantity as an order may give it: a JSON number when safe, else a string of digits. */
const asJson = (q: bigint): number | string => (q <= SAFE && q % 2n === 0n ? Number(q) : String(q));

describe("units and amounts around 2^53", () => {
  it("validateOrder gives quantities as bigints and amounts as rationals on either side of 2^53", () => {
    const catalog = catalogOf(aiDiffusion().build());
    for (const q of [1n, SAFE, SAFE + 1n, SAFE + 2n, 10n ** 25n]) {
      const v = validateOrder(order({ quantity: asJson(q) }), catalog);
      expect(v.ok).toBe(true);
      if (!v.ok) continue;
      expect(v.order.lines[0]?.quantity).toBe(q);
      expect(v.order.lines[0]?.amount).toEqual({ num: 15_832n * q, den: 1n });
    }
  });

  it("charges are exact sums whether the figures are safe integers or not (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("1", "3", "15832", "36000", "4800.5", "1e9"),
        fc.array(fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: SAFE / 40_000n, max: SAFE / 3_000n }), fc.bigInt({ min: 1n, max: 2n ** 70n })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        (tpp, quantities, uncatalogued) => {
          const ev = bigCapPolicy(tpp);
          const ledger = new MemoryLedger();
          const [whole, frac = ""] = tpp.includes("e") ? [String(10n ** 9n), ""] : tpp.split(".");
          const scale = 10n ** BigInt(frac.length);
          const perUnit = BigInt(`${whole ?? ""}${frac}`); // tpp x scale
          let used = 0n;
          const text = (x: bigint): string =>
            x % scale === 0n
              ? String(x / scale)
              : `${String(x / scale)}.${String(x % scale)
                  .padStart(frac.length, "0")
                  .replace(/0+$/, "")}`;
          quantities.forEach((q, i) => {
            const line = uncatalogued ? { tppPerUnit: tpp, quantity: asJson(q) } : { item: "X", quantity: asJson(q) };
            const d = ev.evaluate(order({ id: `o-${i}`, items: [line] }), ledger);
            const amount = perUnit * q;
            expect(d.outcome).toBe("authorized");
            expect(d.charges[0]).toMatchObject({ amount: text(amount), before: text(used), after: text(used + amount) });
            used += amount;
          });
          expect(ledger.usage("k", "uni-my", undefined, "2025-12-31")).toEqual(used % scale === 0n ? { num: used / scale, den: 1n } : expect.anything());
        },
      ),
      { numRuns: 150 },
    );
  });

  it("quantity and amount conditions compare exactly past 2^53", () => {
    const b = new Builder().item("X", 1).cls("c", flag("chip"));
    b.decide("d", ["c"], [prohibit(cmpq("quantity", ">", qty(String(SAFE + 1n), "units"))), authorize("NLR", cmpq("amount", "<=", qty(String(SAFE))))]);
    const ev = compile(b.build());
    const at = (q: bigint): string => ev.evaluate(order({ item: "X", quantity: String(q) }), new MemoryLedger()).outcome;
    expect(at(SAFE)).toBe("authorized");
    expect(at(SAFE + 1n)).toBe("authorized"); // amount past the NLR bound: no rule applies, NLR all the same
    expect(at(SAFE + 2n)).toBe("prohibited");
  });
});

describe("catalog lines classified at compile time", () => {
  it("a catalog line's decision equals the same chip given uncatalogued (every item of the 2025 model)", () => {
    const model = aiDiffusion().build();
    const ev = compile(model);
    for (const [name, item] of model.items) {
      const chip = {
        tppPerUnit: toDecimal(item.tppPerUnit),
        ...(item.performanceDensity === undefined ? {} : { performanceDensity: toDecimal(item.performanceDensity) }),
        dataCenter: item.dataCenter,
        quantity: 3,
      };
      for (const destination of ["DE", "MY", "CN"]) {
        const a = ev.evaluate(order({ destination, items: [{ item: name, quantity: 3 }] }), new MemoryLedger(), { dryRun: true });
        const b = ev.evaluate(order({ destination, items: [chip] }), new MemoryLedger(), { dryRun: true });
        expect({ outcome: a.outcome, basis: a.basis, review: a.review, rules: a.reasons.map((r) => r.rule) }).toEqual({
          outcome: b.outcome,
          basis: b.basis,
          review: b.review,
          rules: b.reasons.map((r) => r.rule),
        });
      }
    }
  });

  it("a class that reads more than line facts is tested for each order", () => {
    const b = new Builder().group("g", ["MY"]).item("X", 10);
    b.cls("near", flag("chip"), b.destIn("g")).cls("far", flag("chip"));
    b.decide("d1", ["near"], [prohibit()]);
    b.decide("d2", ["far"], [authorize("NLR")]);
    const ev = compile(b.build());
    expect(ev.evaluate(order({ item: "X", destination: "MY" }), new MemoryLedger()).outcome).toBe("prohibited");
    expect(ev.evaluate(order({ item: "X", destination: "DE" }), new MemoryLedger()).outcome).toBe("authorized");
  });
});

describe("quantity hints around the number fast path", () => {
  it("the largest fitting quantity is floor((limit - usage) / tpp), in numbers or not (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 2n ** 60n }),
        fc.bigInt({ min: 0n, max: 2n ** 60n }),
        fc.oneof(fc.bigInt({ min: 1n, max: 40_000n }), fc.bigInt({ min: 1n, max: 2n ** 40n })),
        fc.bigInt({ min: 2n, max: 2n ** 30n }),
        (limit, usage, tpp, quantity) => {
          const b = new Builder().item("X", String(tpp)).cls("c", flag("chip"));
          b.cap("k", { limit: qty(String(limit)), per: ["consignee"], window: { kind: "all-time" } });
          b.auth("exception", "E", { within: ["k"] });
          b.decide("d", ["c"], [authorize("E"), license([review("presumption-of-denial")])]);
          const ev = compile(b.build());
          const ledger = ledgerFrom([{ cap: "k", key: "uni-my", date: "2025-01-01", amount: String(usage) }]);
          const d = ev.evaluate(order({ items: [{ item: "X", quantity: String(quantity) }] }), ledger);
          const fits = usage + tpp * quantity <= limit;
          expect(d.outcome).toBe(fits ? "authorized" : "license-required");
          if (fits) return;
          const room = limit - usage;
          const q = room >= 0n ? room / tpp : -((-room + tpp - 1n) / tpp); // floor
          const hint = (d.hints ?? []).find((h) => h.startsWith("authorized under E if items[0].quantity"));
          if (q >= 1n && q < quantity) expect(hint).toBe(`authorized under E if items[0].quantity <= ${q.toLocaleString("en-US")}`);
          else expect(hint).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
