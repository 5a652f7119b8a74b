/**
 * Crash and concurrency tests: real child processes on one ledger file.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SqliteLedger } from "../src/index.js";
import { format } from "../src/decimal.js";
import { tempDb } from "./helpers.js";

const child = fileURLToPath(new URL("./fixtures/book-child.ts", import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the child; with `killAfterBatches`, SIGKILLs it shortly after that many committed batches. */
function run(args: readonly string[], killAfterBatches?: number, killDelayMs = 0): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let killed = false;
    p.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const batches = stdout.split("\n").filter((l) => l.startsWith("batch ")).length;
      if (killAfterBatches !== undefined && !killed && batches >= killAfterBatches) {
        killed = true;
        setTimeout(() => p.kill("SIGKILL"), killDelayMs);
      }
    });
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", reject);
    p.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The ledger's content without recording times. */
function snapshot(path: string): { decisions: string[]; charges: string[] } {
  const l = SqliteLedger.open(path);
  try {
    const decisions = [...l.decisions()].map((d) => `${d.order} ${d.outcome} ${d.charges.map((c) => `${c.cap}/${c.key}=${c.amount}`).join(",")}`);
    const charges = [...l.charges()].map((c) => `${c.orderId} ${c.outcome} ${c.cap} ${c.key} ${c.window} ${c.amount} ${c.orderDate} ${c.policySha256}`);
    return { decisions, charges };
  } finally {
    l.close();
  }
}

describe("crash safety", () => {
  it("a book killed with SIGKILL at several points ends, after a rerun, with the ledger of an uninterrupted run", async () => {
    // 600 orders, batches of 50, cap 2000 in units of 7 per key: the cap runs out part way,
    // so a lost or doubled charge would change later decisions.
    const book = ["o", "600", "50", "2000", "7"];
    const reference = tempDb();
    const clean = await run([reference, ...book]);
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    const expected = snapshot(reference);
    expect(expected.decisions).toHaveLength(600);

    const crashed = tempDb();
    const kills: [number, number][] = [
      [0, 0],
      [1, 5],
      [3, 0],
      [5, 20],
      [8, 2],
    ];
    let killedRuns = 0;
    for (const [afterBatches, delay] of kills) {
      const r = await run([crashed, ...book, "1"], afterBatches, delay);
      if (r.signal === "SIGKILL") killedRuns += 1;
      const partial = snapshot(crashed);
      // Whole batches only: never an order without its charges, never a partial batch.
      expect(partial.decisions.length % 50 === 0 || partial.decisions.length === 600).toBe(true);
      expect(partial.decisions).toEqual(expected.decisions.slice(0, partial.decisions.length));
    }
    expect(killedRuns).toBeGreaterThanOrEqual(3);
    const rerun = await run([crashed, ...book]);
    expect(rerun.code).toBe(0);
    expect(snapshot(crashed)).toEqual(expected);
  }, 120_000);
});

describe("concurrency", () => {
  it("two processes racing for the last units of a cap never over-allocate it", async () => {
    const path = tempDb();
    // Each process offers 600 orders of 7 units (a third on key MY, the rest on AE) against
    // a limit of 1000 per key; small batches and a little work per order so they interleave.
    const args = ["600", "10", "1000", "7", "1"];
    const [a, b] = await Promise.all([run([path, "a", ...args]), run([path, "b", ...args])]);
    expect(`${a.stderr}${b.stderr}`).toBe("");
    expect([a.code, b.code]).toEqual([0, 0]);
    const l = SqliteLedger.open(path);
    try {
      const rows = l.utilisation();
      for (const key of ["MY", "AE"]) {
        const used = BigInt(rows.find((r) => r.key === key)?.used ?? "0");
        expect(used).toBeLessThanOrEqual(1000n);
        expect(used).toBeGreaterThan(1000n - 7n);
      }
      expect(format(l.usage("country", "AE", "2025-01-01", "2025-12-31"))).toBe("994");
      const s = l.summary();
      expect(s.decisions).toBe(1200);
      expect(s.outcomes["authorized"]).toBe(Math.floor(1000 / 7) * 2);
    } finally {
      l.close();
    }
  }, 120_000);
});
