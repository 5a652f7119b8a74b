import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareOrdersByDate, compile, MemoryLedger, type Decision, type Evaluator, type Ledger, type LedgerEntry } from "@diffuse/engine";
import { check, load } from "@diffuse/language";
import { SqliteLedger } from "@diffuse/ledger-sqlite";
import fc from "fast-check";
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

describe("the engine on the CLI's ledgers", () => {
  it("answers usageInteger as usage", () => {
    const l = new BookLedger(new Set());
    l.record(entry("a", "2025-01-01", 5n));
    expect(l.usageInteger("c", "k", "2025-01-01", "2025-02-28")).toBe(5);
    expect(l.usageInteger("c", "other", "2025-01-01", "2025-02-28")).toBe(0);
    l.record(entry("b", "2025-03-01", 2n ** 60n)); // past the safe integers: no number from then on
    expect(l.usageInteger("c", "k", undefined, "2025-12-31")).toBeUndefined();
    expect(l.usage("c", "k", undefined, "2025-12-31")).toEqual({ num: 2n ** 60n + 5n, den: 1n });
  });

  it("decides the example book as on the engine's MemoryLedger, in memory and on SQLite", async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
    const result = check(await load("policies/ai-diffusion-2025.diffuse", (u) => readFile(resolve(root, u), "utf8")));
    if (!result.model.header) throw new Error("no policy");
    const evaluator = compile(result.model);
    const orders = JSON.parse(readFileSync(resolve(root, "policies/examples/orders.json"), "utf8")) as { date?: string }[];
    orders.sort((a, b) => ((a.date ?? "") < (b.date ?? "") ? -1 : (a.date ?? "") > (b.date ?? "") ? 1 : 0));
    const decide = (ledger: Ledger): string[] => ledger.batch(() => orders.map((o) => JSON.stringify(evaluator.evaluate(o, ledger))));
    const expected = decide(new MemoryLedger());
    expect(decide(new BookLedger(new Set()))).toEqual(expected);
    const dir = mkdtempSync(join(tmpdir(), "diffuse-book-ledger-"));
    const sqlite = SqliteLedger.open(join(dir, "l.db"), { writer: "thread" });
    try {
      expect(decide(sqlite)).toEqual(expected);
      await sqlite.durable();
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Random books on the 2025 rule, decided on each ledger `diffuse eval` can use: the
 * engine's MemoryLedger (the reference), the CLI's BookLedger and SQLite (both writers),
 * in batches of random size. The generator mixes catalog lines, uncatalogued chips with
 * fractional TPP, quantities past 2^53 as digit strings, model weights, consignees with
 * capacities (the percent-of-capacity caps), orders whose id comes again (the same order,
 * or other content under the same id) and invalid orders.
 */
describe("random books on every ledger", () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
  const evaluatorOnce = (async () => {
    const result = check(await load("policies/ai-diffusion-2025.diffuse", (u) => readFile(resolve(root, u), "utf8")));
    return compile(result.model);
  })();

  const date = fc
    .tuple(fc.integer({ min: 2025, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  const country = fc.constantFrom("DE", "US", "MY", "IN", "AE", "SA", "CN", "SG");
  const line = fc.oneof(
    fc.record({
      item: fc.constantFrom("H100", "B200", "A100", "H20", "MI300X"),
      quantity: fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.constantFrom("1699", "90071992547409930")),
    }),
    fc.record({
      tppPerUnit: fc.constantFrom(4_800, "15831.2", "0.3", "123456789012345678.5"),
      performanceDensity: fc.constantFrom("1", "5.92"),
      quantity: fc.integer({ min: 1, max: 50 }),
    }),
    fc.record({ modelWeights: fc.record({ trainingOps: fc.constantFrom("1e26", "3e26"), openWeights: fc.boolean() }) }),
  );
  const order = fc.record(
    {
      id: fc.constantFrom("a", "b", "c", "o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7"),
      date,
      destination: country,
      consignee: fc.record(
        {
          id: fc.constantFrom("u1", "u2"),
          headquarters: country,
          statuses: fc.subarray(["UVEU", "NVEU"]),
          capacityTpp: fc.constantFrom("0", "1000000000", "123456789.7"),
        },
        { requiredKeys: ["id"] },
      ),
      items: fc.array(line, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ["id", "date", "destination", "consignee", "items"] },
  );
  // An order given twice comes back unchanged now and then (a repeat), not only as another order under its id.
  const book = fc
    .array(fc.oneof({ weight: 8, arbitrary: order }, { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { id: "a", items: [] }) }), { maxLength: 25 })
    .chain((orders) =>
      fc.array(fc.nat(), { maxLength: 4 }).map((again) => [...orders, ...again.flatMap((i) => (orders.length === 0 ? [] : [orders[i % orders.length]]))]),
    );

  /** The book decided in date order in batches of `size` orders, as `diffuse eval --batch-size` does. */
  const decide = (evaluator: Evaluator, orders: readonly unknown[], ledger: Ledger, size: number): string[] => {
    const sorted = [...orders].sort(compareOrdersByDate);
    const out: string[] = [];
    for (let i = 0; i < sorted.length; i += size)
      ledger.batch(() => {
        for (const o of sorted.slice(i, i + size)) out.push(JSON.stringify(evaluator.evaluate(o, ledger)));
      });
    return out;
  };

  it("decides each book as the MemoryLedger does; SQLite exports each charge of the decisions exactly, and a rerun decides nothing again", async () => {
    const evaluator = await evaluatorOnce;
    await fc.assert(
      fc.asyncProperty(book, fc.integer({ min: 1, max: 10 }), fc.constantFrom("inline" as const, "thread" as const), async (orders, size, writer) => {
        const expected = decide(evaluator, orders, new MemoryLedger(), orders.length + 1);
        const ids = orders.map((o) => (typeof o === "object" && o !== null && typeof (o as { id?: unknown }).id === "string" ? (o as { id: string }).id : ""));
        const repeated = new Set(ids.filter((id, i) => ids.indexOf(id) !== i));
        expect(decide(evaluator, orders, new BookLedger(repeated), size)).toEqual(expected);

        const dir = mkdtempSync(join(tmpdir(), "diffuse-book-ledger-"));
        try {
          const path = join(dir, "l.db");
          const sqlite = SqliteLedger.open(path, { writer });
          try {
            expect(decide(evaluator, orders, sqlite, size)).toEqual(expected);
            await sqlite.durable();
          } finally {
            sqlite.close();
          }
          // Every charge of a fresh decision is a row of the export, in order, amounts and limits as decided.
          const fresh = expected.map((j) => JSON.parse(j) as Decision).filter((d) => d.outcome !== "invalid" && d.alreadyDecided !== true);
          const charged = fresh.flatMap((d) => d.charges.map((c) => [d.order, d.outcome, c.cap, c.key, c.window, c.amount, c.limit]));
          const exported = (): unknown[][] => {
            const l = SqliteLedger.openReadOnly(path);
            try {
              return [...l.charges()].map((r) => [r.orderId, r.outcome, r.cap, r.key, r.window, r.amount, r.limit]);
            } finally {
              l.close();
            }
          };
          const before = exported();
          expect(before).toEqual(charged);
          // A rerun on the same file: every order already decided as it was, nothing charged again.
          const again = SqliteLedger.open(path, { writer });
          try {
            const rerun = decide(evaluator, orders, again, size).map((j) => JSON.parse(j) as Decision);
            const first = new Map(fresh.map((d) => [d.order, d]));
            for (const d of rerun) {
              const was = first.get(d.order);
              if (d.outcome === "invalid" || was === undefined) continue;
              expect(d).toEqual({ ...was, alreadyDecided: true });
            }
            await again.durable();
          } finally {
            again.close();
          }
          expect(exported()).toEqual(before);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});
