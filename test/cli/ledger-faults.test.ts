/**
 * `diffuse eval --ledger` when the ledger file fails during a run: the run stops (exit 2)
 * with the ledger's message and what became of the book, the batches committed before
 * stay committed, nothing after them is charged, and no order is decided `invalid`
 * because of the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffuse, fixture, hasStackTrace, openRawDb, tempDir } from "./helpers.js";

const POLICY = fixture("mini.diffuse");
const BOOK = fixture("books/orders.jsonl");

/** The order ids a ledger file holds, in recording order (read raw: the file may be damaged). */
function recordedIds(db: string): string[] {
  const raw = openRawDb(db, true);
  try {
    return raw
      .prepare("SELECT order_id FROM decisions ORDER BY id")
      .raw()
      .all()
      .map((r) => (r as [string])[0]);
  } finally {
    raw.close();
  }
}

describe("a damaged ledger found during a run", () => {
  it("stops the run (exit 2) after the batches committed, with no order decided invalid", async () => {
    const dir = tempDir();
    const db = join(dir, "ledger.db");
    expect((await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"])).code).toBe(0);
    const raw = openRawDb(db);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff' WHERE id = 1").run();
    raw.close();

    // Eight new orders dated before the recorded ones (two batches of 4 that never read
    // the damaged block), then the recorded ones: the third batch looks o-1 up.
    const recorded = readFileSync(BOOK, "utf8");
    const fresh = recorded
      .trimEnd()
      .split("\n")
      .map((line, i) => line.replace(/"id":"o-(\d)","date":"[^"]*"/, `"id":"n-$1","date":"2025-01-0${i + 1}"`))
      .join("\n");
    const book = join(dir, "book.jsonl");
    writeFileSync(book, `${fresh}\n${recorded}`);

    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--ledger", db, "--format", "jsonl", "--batch-size", "4"]);
    expect(r.code).toBe(2);
    const decided = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { order: string; outcome: string });
    expect(decided.map((d) => d.order)).toEqual(["n-1", "n-2", "n-3", "n-4", "n-5", "n-6", "n-7", "n-8"]);
    expect(decided.some((d) => d.outcome === "invalid")).toBe(false);
    expect(r.stderr).toMatch(
      /^error: ledger `.*ledger\.db` is damaged: decision block 1 cannot be read: .* \(stopped after 8 of 16 orders\)\nhelp: restore it from a backup; the batches committed before the stop are on the ledger \(nothing after them was charged\), and running the book again on it decides only the rest\n$/,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(recordedIds(db)).toEqual(["o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7", "o-8", "n-1", "n-2", "n-3", "n-4", "n-5", "n-6", "n-7", "n-8"]);
  });
});
