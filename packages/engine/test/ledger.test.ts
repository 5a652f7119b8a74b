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

describe("MemoryLedger usage memo", () => {
  it("stays right when charges are appended before a memoized window start", () => {
    const m = new MemoryLedger();
    const charge = (date: string, n: bigint): void => m.charge({ cap: "c", key: "k", window: "", date, amount: { num: n, den: 1n } });
    charge("2024-05-01", 1n);
    expect(m.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(0n);
    charge("2024-06-01", 2n);
    expect(m.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(0n);
    charge("2025-02-01", 4n);
    expect(m.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(4n);
    charge("2024-12-31", 8n);
    expect(m.usage("c", "k", "2025-01-01", "2025-12-31").num).toBe(4n);
    expect(m.usage("c", "k", "2024-01-01", "2024-12-31").num).toBe(11n);
  });
  it("matches a naive sum on random charges and windows (property)", async () => {
    const fc = (await import("fast-check")).default;
    const day = fc
      .integer({ min: 1, max: 60 })
      .map((d) => `2025-${String(1 + Math.floor((d - 1) / 28)).padStart(2, "0")}-${String(1 + ((d - 1) % 28)).padStart(2, "0")}`);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ t: fc.constant("c" as const), date: day, n: fc.integer({ min: 1, max: 9 }) }),
            fc.record({ t: fc.constant("q" as const), from: fc.option(day, { nil: undefined }), to: day }),
          ),
        ),
        (ops) => {
          const m = new MemoryLedger();
          const all: { date: string; n: number }[] = [];
          for (const op of ops) {
            if (op.t === "c") {
              m.charge({ cap: "c", key: "k", window: "", date: op.date, amount: { num: BigInt(op.n), den: 1n } });
              all.push(op);
            } else {
              const want = all.filter((c) => (op.from === undefined || c.date >= op.from) && c.date <= op.to).reduce((a, c) => a + c.n, 0);
              expect(m.usage("c", "k", op.from, op.to).num).toBe(BigInt(want));
            }
          }
        },
      ),
    );
  });
});

describe("MemoryLedger sums across 2^53", () => {
  const top = BigInt(Number.MAX_SAFE_INTEGER);
  it("stays exact when a running sum passes the largest safe integer, and back under it in a window", () => {
    const m = new MemoryLedger();
    const charge = (date: string, num: bigint, den = 1n): void => m.charge({ cap: "c", key: "k", window: "", date, amount: { num, den } });
    charge("2025-01-01", top - 1n);
    expect(m.usage("c", "k", undefined, "2025-12-31")).toEqual({ num: top - 1n, den: 1n });
    charge("2025-02-01", 2n); // 2^53 + 0: the first sum past the boundary
    charge("2025-03-01", 1n); // 2^53 + 1: a double would round it to 2^53
    expect(m.usage("c", "k", undefined, "2025-12-31")).toEqual({ num: top + 2n, den: 1n });
    // A window that leaves the big charge out is the difference of two big sums: back to a small exact value.
    expect(m.usage("c", "k", "2025-02-01", "2025-12-31")).toEqual({ num: 3n, den: 1n });
    expect(m.usageOf("c", "k", "2025-02-01", "2025-12-31")).toBe(3);
    charge("2025-01-15", 1n, 3n); // out of order, fractional: later prefix sums shift exactly
    expect(m.usage("c", "k", undefined, "2025-12-31")).toEqual({ num: 3n * (top + 2n) + 1n, den: 3n });
    expect(m.usage("c", "k", "2025-02-01", "2025-12-31")).toEqual({ num: 3n, den: 1n });
  });
  it("matches bigint sums on charges around the boundary (property)", async () => {
    const fc = (await import("fast-check")).default;
    const amount = fc.oneof(
      fc.bigInt({ min: 1n, max: 1000n }),
      fc.bigInt({ min: top / 2n - 1000n, max: top / 2n + 1000n }),
      fc.bigInt({ min: top - 1000n, max: top + 1000n }),
    );
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2025-01-${String(d).padStart(2, "0")}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(day, amount), { maxLength: 12 }), day, day, (charges, a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const m = new MemoryLedger();
        for (const [date, n] of charges) m.charge({ cap: "c", key: "k", window: "", date, amount: { num: n, den: 1n } });
        const want = charges.filter(([d]) => d >= from && d <= to).reduce((s, [, n]) => s + n, 0n);
        expect(m.usage("c", "k", from, to)).toEqual({ num: want, den: 1n });
      }),
    );
  });
});

describe("MemoryLedger per-cap key memo", () => {
  it("matches a naive sum when caps and keys interleave, absent keys queried before their first charge (property)", async () => {
    const fc = (await import("fast-check")).default;
    const cap = fc.constantFrom("a", "b");
    const key = fc.constantFrom("k1", "k2", "k3");
    const day = fc.integer({ min: 1, max: 28 }).map((d) => `2025-01-${String(d).padStart(2, "0")}`);
    const op = fc.oneof(
      fc.record({ t: fc.constant("c" as const), cap, key, date: day, n: fc.integer({ min: 1, max: 9 }) }),
      fc.record({ t: fc.constant("q" as const), cap, key, from: fc.option(day, { nil: undefined }), to: day }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const m = new MemoryLedger();
        const all: { cap: string; key: string; date: string; n: number }[] = [];
        for (const o of ops) {
          if (o.t === "c") {
            m.charge({ cap: o.cap, key: o.key, window: "", date: o.date, amount: { num: BigInt(o.n), den: 1n } });
            all.push(o);
          } else {
            const want = all
              .filter((c) => c.cap === o.cap && c.key === o.key && (o.from === undefined || c.date >= o.from) && c.date <= o.to)
              .reduce((a, c) => a + c.n, 0);
            // Keys built afresh (not the same string objects) must find the same series.
            expect(m.usage(o.cap, `${o.key.slice(0, 1)}${o.key.slice(1)}`, o.from, o.to).num).toBe(BigInt(want));
          }
        }
        expect(m.clone().usage("a", "k1", undefined, "2025-12-31").num).toBe(
          BigInt(all.filter((c) => c.cap === "a" && c.key === "k1").reduce((a, c) => a + c.n, 0)),
        );
      }),
    );
  });
});

describe("MemoryLedger duplicate check after a miss", () => {
  const decision = { order: "a", outcome: "authorized" as const, reasons: [], charges: [], policy: { name: "", version: "", sha256: "" } };
  const stored = { decision: () => decision };
  it("still refuses an order recorded after `decided` last missed it", () => {
    const m = new MemoryLedger();
    expect(m.decided("a")).toBeUndefined();
    m.record({ orderId: "a", date: "2025-01-01", decision, policySha256: "", charges: [] });
    expect(() => m.recordDecision("a", "2025-01-01", stored, [], 1)).toThrow();
  });
  it("refuses a second recordDecision of the id that missed", () => {
    const m = new MemoryLedger();
    expect(m.decided("b")).toBeUndefined();
    m.recordDecision("b", "2025-01-01", stored, [], 1);
    expect(() => m.recordDecision("b", "2025-01-01", stored, [], 1)).toThrow();
  });
  it("checks an id other than the one that missed", () => {
    const m = new MemoryLedger();
    m.recordDecision("c", "2025-01-01", stored, [], 1);
    expect(m.decided("d")).toBeUndefined();
    expect(() => m.recordDecision("c", "2025-01-01", stored, [], 1)).toThrow();
  });
});
