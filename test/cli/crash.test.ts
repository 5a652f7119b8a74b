/**
 * Crash safety end to end: `diffuse eval --ledger` killed with SIGKILL at several points,
 * then run again, ends with exactly the ledger of an uninterrupted run.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffuse, fixture, ledgerContent, tempDir } from "./helpers.js";

function book(path: string, count: number): void {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = 1 + Math.floor((i * 28) / count);
    const dest = ["MY", "AE", "SG", "US", "CN"][Math.floor(random() * 5)] as string;
    lines.push(JSON.stringify({ id: `k-${i}`, date: `2025-02-${String(day).padStart(2, "0")}`, destination: dest, consignee: { id: `c-${Math.floor(random() * 30)}` }, items: [{ item: "H100", quantity: 1 + Math.floor(random() * 8) }] }));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

describe("crash safety", () => {
  it("a run killed with SIGKILL at several points, then rerun, leaves the ledger of an uninterrupted run", async () => {
    const dir = tempDir();
    const orders = join(dir, "book.jsonl");
    book(orders, 3000);
    const args = (db: string): string[] => ["eval", "-p", fixture("mini.diffuse"), "-o", orders, "--ledger", db, "--format", "jsonl", "--quiet", "--batch-size", "100", "--no-hints"];

    const reference = join(dir, "reference.db");
    const clean = await diffuse(args(reference));
    expect(clean.code).toBe(0);
    const expected = await ledgerContent(reference);
    expect(expected.decisions).toHaveLength(3000);
    expect(expected.charges.length).toBeGreaterThan(100);

    const crashed = join(dir, "crashed.db");
    let killed = 0;
    for (const lines of [1, 250, 900, 1700, 2600]) {
      const r = await diffuse(args(crashed), { killAfterLines: lines });
      if (r.signal === "SIGKILL") killed++;
      const partial = await ledgerContent(crashed);
      // Whole batches only: every recorded order has all its charges.
      const decided = new Set(partial.decisions.map((d) => (JSON.parse(d) as { order: string }).order));
      for (const c of partial.charges) expect(decided.has(c.split(" ")[0] ?? "")).toBe(true);
      const expectedFor = new Set(expected.charges.filter((c) => decided.has(c.split(" ")[0] ?? "")));
      expect(new Set(partial.charges)).toEqual(expectedFor);
    }
    expect(killed).toBeGreaterThanOrEqual(3);
    const rerun = await diffuse(args(crashed));
    expect(rerun.code).toBe(0);
    expect(await ledgerContent(crashed)).toEqual(expected);
  }, 300_000);
});
