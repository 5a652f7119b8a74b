import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile, MemoryLedger, type Decision, type Ledger, type LedgerEntry } from "@diffuse/engine";
import { check, load } from "@diffuse/language";
import { SqliteLedger } from "@diffuse/ledger-sqlite";
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
