import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { ledgerFrom, type MemoryLedger } from "../src/ledger.js";
import type { Decision, Ledger, LedgerEntry } from "../src/types.js";
import { aiDiffusion, order } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

/** The same ledger behind the generic interface: decisions kept whole, as `record` gets them. */
function generic(inner: MemoryLedger): Ledger {
  return {
    usage: (cap, key, from, to) => inner.usage(cap, key, from, to),
    record: (e: LedgerEntry) => inner.record(e),
    decided: (id) => inner.decided(id),
    batch: (fn) => fn(),
  };
}

/** A book with one-charge decisions (LPP), licenses with failure reasons and hints, shared outcomes, and starting usage that is not a whole number. */
function book(): Record<string, unknown>[] {
  const orders: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    orders.push(order({ id: `a-${i}`, date: `2025-0${1 + (i % 9)}-1${i % 10}`, consignee: `c-${i % 3}`, quantity: 200 + 37 * i }));
    orders.push(order({ id: `b-${i}`, destination: i % 2 === 0 ? "DE" : "CN", headquarters: i % 2 === 0 ? "DE" : "CN", consignee: `d-${i}`, quantity: 5 }));
    orders.push(order({ id: `n-${i}`, consignee: `v-${i % 2}`, statuses: ["NVEU"], quantity: 30_000 + i }));
  }
  return orders;
}

describe("decisions kept as columns", () => {
  it("give back, for every order, the decision evaluate returned (decided, recorded, clone)", () => {
    const start = [{ cap: "LPP_limit", key: "c-1", date: "2025-01-01", amount: "1/3" }];
    const columns = ledgerFrom(start);
    const whole = ledgerFrom(start);
    const returned: Decision[] = [];
    for (const o of book()) {
      const d = ai.evaluate(o, columns);
      returned.push(d);
      expect(JSON.stringify(d)).toBe(JSON.stringify(ai.evaluate(o, generic(whole))));
    }
    expect(returned.some((d) => d.charges.length === 1 && d.hints === undefined)).toBe(true);
    expect(returned.some((d) => d.charges.length === 0 && d.hints !== undefined)).toBe(true);
    expect(returned.some((d) => d.charges.some((c) => c.before.includes("/")))).toBe(true);
    const copy = columns.clone();
    for (const d of returned) {
      expect(JSON.stringify(columns.decided(d.order))).toBe(JSON.stringify(d));
      expect(JSON.stringify(copy.decided(d.order))).toBe(JSON.stringify(d));
      expect(
        JSON.stringify(
          ai.evaluate(
            book().find((o) => o["id"] === d.order),
            columns,
          ),
        ),
      ).toBe(JSON.stringify({ ...d, alreadyDecided: true }));
    }
    expect(JSON.stringify([...columns.recorded()])).toBe(JSON.stringify(returned));
    expect(JSON.stringify([...columns.recorded()])).toBe(JSON.stringify([...whole.recorded()]));
  });
});
