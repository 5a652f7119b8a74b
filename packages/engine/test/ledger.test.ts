import { describe, expect, it } from "vitest";
import { ledgerFrom, MemoryLedger } from "../src/ledger.js";

describe("MemoryLedger", () => {
  const l = ledgerFrom([
    { cap: "c", key: "k", date: "2025-01-01", amount: "10" },
    { cap: "c", key: "k", date: "2025-06-01", amount: "5" },
    { cap: "c", key: "k", date: "2025-12-31", amount: "1" },
    { cap: "c", key: "k", date: "2026-01-01", amount: "100" },
    { cap: "c", key: "other", date: "2025-06-01", amount: "1000" },
  ]);
  it("usage over inclusive windows", () => {
    expect(l.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(16n);
    expect(l.usage("c", "k", "2025-01-02", "2025-12-30").num).toBe(5n);
    expect(l.usage("c", "k", undefined, "2026-01-01").num).toBe(116n);
    expect(l.usage("c", "k", "2026-01-02", "2026-12-31").num).toBe(0n);
    expect(l.usage("c", "nobody", undefined, "9999-12-31").num).toBe(0n);
  });
  it("out-of-order charges keep prefix sums right", () => {
    const m = new MemoryLedger();
    m.charge({ cap: "c", key: "k", window: "", date: "2025-03-01", amount: { num: 3n, den: 1n } });
    m.charge({ cap: "c", key: "k", window: "", date: "2025-01-01", amount: { num: 1n, den: 2n } });
    m.charge({ cap: "c", key: "k", window: "", date: "2025-02-01", amount: { num: 2n, den: 1n } });
    expect(m.usage("c", "k", "2025-02-01", "2025-03-01")).toEqual({ num: 5n, den: 1n });
    expect(m.usage("c", "k", undefined, "2025-02-01")).toEqual({ num: 5n, den: 2n });
  });
  it("clone is independent", () => {
    const c = l.clone();
    c.charge({ cap: "c", key: "k", window: "", date: "2025-06-01", amount: { num: 1n, den: 1n } });
    expect(c.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(17n);
    expect(l.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(16n);
  });
  it("refuses to record an order twice", () => {
    const m = new MemoryLedger();
    const decision = { order: "a", outcome: "authorized" as const, reasons: [], charges: [], policy: { name: "", version: "", sha256: "" } };
    m.record({ orderId: "a", date: "2025-01-01", decision, policySha256: "", charges: [] });
    expect(m.decided("a")).toBe(decision);
    expect(() => m.record({ orderId: "a", date: "2025-01-01", decision, policySha256: "", charges: [] })).toThrow();
  });
});
