import type { Decision, LedgerEntry } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { BookLedger } from "../../src/book/ledger.js";

const policy = { name: "p", version: "1", sha256: "00" };
function entry(id: string, date: string, amount: bigint): LedgerEntry {
  const decision: Decision = { order: id, outcome: "authorized", basis: "X", reasons: [], charges: [], policy };
  return { orderId: id, date, decision, policySha256: "00", charges: [{ cap: "c", key: "k", window: "2025", date, amount: { num: amount, den: 1n } }] };
}

describe("BookLedger", () => {
  it("sums usage in windows and keeps decisions only of repeated ids", () => {
    const l = new BookLedger(new Set(["dup"]));
    l.record(entry("a", "2025-01-01", 5n));
    l.record(entry("dup", "2025-02-01", 7n));
    expect(l.usage("c", "k", "2025-01-01", "2025-12-31")).toEqual({ num: 12n, den: 1n });
    expect(l.usage("c", "k", "2025-01-02", "2025-12-31")).toEqual({ num: 7n, den: 1n });
    expect(l.usage("c", "other", undefined, "2025-12-31")).toEqual({ num: 0n, den: 1n });
    expect(l.decided("a")).toBeUndefined();
    expect(l.decided("dup")?.order).toBe("dup");
    expect(() => l.record(entry("dup", "2025-03-01", 1n))).toThrow(/already on the ledger/);
    expect(l.batch(() => 3)).toBe(3);
  });
});
