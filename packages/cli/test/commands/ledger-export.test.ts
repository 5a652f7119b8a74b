import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Decision, LedgerEntry } from "@diffuse/engine";
import { SqliteLedger } from "@diffuse/ledger-sqlite";
import { describe, expect, it } from "vitest";
import type { Context } from "../../src/context.js";
import { MemorySink, type Sink } from "../../src/io.js";
import { main } from "../../src/main.js";

const policy = { name: "test", version: "1", sha256: "ab".repeat(32) };

/** An authorized order charging 5 to one cap. */
function entry(i: number): LedgerEntry {
  const orderId = `o-${i}`;
  const date = "2025-06-10";
  const charge = { cap: "lpp", key: `c-${i % 100}`, window: "2025" };
  const decision: Decision = {
    order: orderId,
    outcome: "authorized",
    basis: "LPP",
    reasons: [],
    charges: [{ ...charge, amount: "5", before: "0", after: "5", limit: "1000" }],
    policy,
  };
  return { orderId, date, decision, policySha256: policy.sha256, charges: [{ ...charge, date, amount: { num: 5n, den: 1n } }] };
}

/** A stdout whose reader goes away after the first write (`diffuse ledger export | head -1`); counts the writes made after. */
class ClosingSink implements Sink {
  readonly isTTY = false;
  isClosed = false;
  writesAfterClose = 0;
  write(): void {
    if (this.isClosed) this.writesAfterClose++;
    this.isClosed = true;
  }
  writeBytes(_bytes: Uint8Array, _chars: number, done: () => void): void {
    done();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
}

describe("ledger export", () => {
  it("stops reading the ledger once the reader of its output has gone away", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "diffuse-export-")), "ledger.db");
    const ledger = SqliteLedger.open(db);
    ledger.batch(() => {
      for (let i = 0; i < 25_000; i++) ledger.record(entry(i));
    });
    ledger.close();
    const stdout = new ClosingSink();
    const ctx: Context = { stdout, stderr: new MemorySink(), stdin: process.stdin, cwd: process.cwd(), version: "test" };
    expect(await main(["ledger", "export", "--ledger", db], ctx)).toBe(0);
    // It may finish the rows between two flushes, not read on to the end.
    expect(stdout.writesAfterClose).toBeLessThanOrEqual(10_000);
  });
});
