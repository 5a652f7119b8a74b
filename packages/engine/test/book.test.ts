import { describe, expect, it } from "vitest";
import { compareOrdersByDate, compile, evaluateBook, MemoryLedger } from "../src/index.js";
import { aiDiffusion, order } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

describe("order books", () => {
  it("decides in date order, ties in input order, undated last", () => {
    const book = [
      order({ id: "late", date: "2025-11-03", quantity: 1 }),
      { id: "undated", destination: "MY" },
      order({ id: "tie-1", date: "2025-06-10", quantity: 1_000 }),
      order({ id: "tie-2", date: "2025-06-10", quantity: 699 }),
    ];
    const decisions = [...evaluateBook(ai, book, new MemoryLedger())];
    expect(decisions.map((d) => d.order)).toEqual(["tie-1", "tie-2", "late", "undated"]);
    expect(decisions.map((d) => d.outcome)).toEqual(["authorized", "authorized", "license-required", "invalid"]);
  });
  it("compareOrdersByDate", () => {
    expect(compareOrdersByDate({ date: "2025-01-01" }, { date: "2025-01-02" })).toBe(-1);
    expect(compareOrdersByDate({ date: "2025-01-01" }, { date: "2025-01-01" })).toBe(0);
    expect(compareOrdersByDate(null, { date: "2025-01-01" })).toBe(1);
    expect(compareOrdersByDate({ date: "x" }, null)).toBe(0);
  });
  it("decides an order with errors found before parsing (a key given twice) invalid, by its input index, charging nothing", () => {
    const book = [
      order({ id: "late", date: "2025-11-03", quantity: 500 }),
      order({ id: "twice", date: "2025-06-10", quantity: 500 }),
      order({ id: "ok", date: "2025-06-10", quantity: 500 }),
    ];
    const repeated = { field: "destination", message: "`destination` is given more than once" };
    const ledger = new MemoryLedger();
    const decisions = [...evaluateBook(ai, book, ledger, {}, new Map([[1, [repeated]]]))];
    expect(decisions.map((d) => [d.order, d.outcome])).toEqual([
      ["twice", "invalid"],
      ["ok", "authorized"],
      ["late", "authorized"],
    ]);
    expect(decisions[0]?.errors).toEqual([repeated]);
    // Only "ok" and "late" charged the LPP limit of consignee uni-my.
    expect(ledger.usage("LPP_limit", "uni-my", "2025-01-01", "2025-12-31")).toEqual({ num: 15_832_000n, den: 1n });
  });
  it("is lazy: a generator", () => {
    const it = evaluateBook(ai, [order({})], new MemoryLedger());
    expect(it.next().value?.outcome).toBe("authorized");
    expect(it.next().done).toBe(true);
  });
});
