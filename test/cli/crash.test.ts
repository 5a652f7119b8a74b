/**
 * Crash safety end to end: `diffuse eval --ledger` killed with SIGKILL at several points,
 * then run again, ends with exactly the ledger of an uninterrupted run.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffuse, fixture, ledgerContent, tempDir, writeBook } from "./helpers.js";

describe("crash safety", () => {
  it("a run killed with SIGKILL at several points, then rerun, leaves the ledger of an uninterrupted run", async () => {
    const dir = tempDir();
    const orders = join(dir, "book.jsonl");
    writeBook(orders, 3000);
    const args = (db: string): string[] => [
      "eval",
      "-p",
      fixture("mini.diffuse"),
      "-o",
      orders,
      "--ledger",
      db,
      "--format",
      "jsonl",
      "--quiet",
      "--batch-size",
      "100",
      "--no-hints",
    ];

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
