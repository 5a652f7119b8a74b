/**
 * The writer-thread mode (`writer: "thread"`): batches committed by a second connection
 * on a worker thread, validated against the ledger state they were decided on.
 * (The worker runs the compiled dist/writer.js: `pnpm build` first, as for every test.)
 */
import { describe, expect, it } from "vitest";
import { LedgerError, SqliteLedger } from "../src/index.js";
import { format } from "../src/decimal.js";
import { entry, tempDb, ledgerOpener } from "./helpers.js";

const opener = ledgerOpener({ busyTimeoutMs: 5000 });
const openLedger = (path: string, writer: "inline" | "thread"): SqliteLedger => opener(path, { writer });

function contents(path: string): { decisions: string[]; charges: string[] } {
  const l = SqliteLedger.open(path);
  try {
    return {
      decisions: [...l.decisions()].map((d) => JSON.stringify(d)),
      charges: [...l.charges()].map(
        (c) => `${c.orderId} ${c.outcome} ${c.policySha256} ${c.cap} ${c.key} ${c.window} ${c.amount} ${c.limit ?? ""} ${c.orderDate}`,
      ),
    };
  } finally {
    l.close();
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Charges `amount` of `limit` to (cap, key) when it fits: a cap check and its charge. */
function decide(l: SqliteLedger, id: string, amount: number, limit = 1000): boolean {
  const used = Number(format(l.usage("cap", "k", undefined, "2025-12-31")));
  const fits = used + amount <= limit;
  l.record(entry(id, "2025-03-01", String(amount), fits ? [["cap", "k"]] : []));
  return fits;
}

describe("writer thread", () => {
  it("writes the same ledger as the inline writer, batches committed in order", async () => {
    const inline = tempDb();
    const threaded = tempDb();
    const a = openLedger(inline, "inline");
    const b = openLedger(threaded, "thread");
    for (let batch = 0; batch < 5; batch++) {
      const ids = Array.from({ length: 7 }, (_, i) => `o-${batch}-${i}`);
      a.batch(() =>
        ids.forEach((id, i) =>
          a.record(
            entry(id, `2025-0${1 + batch}-0${1 + i}`, `${i}.5`, [
              ["lpp", `k${i % 3}`],
              ["country", "MY"],
            ]),
          ),
        ),
      );
      await b.ready();
      b.batch(() =>
        ids.forEach((id, i) =>
          b.record(
            entry(id, `2025-0${1 + batch}-0${1 + i}`, `${i}.5`, [
              ["lpp", `k${i % 3}`],
              ["country", "MY"],
            ]),
          ),
        ),
      );
      // Orders of a batch in flight are already decided for this process.
      expect(b.decided(ids[0] as string)?.order).toBe(ids[0]);
      expect(() => b.batch(() => b.record(entry(ids[1] as string, "2025-01-01", "1")))).toThrow(/already on the ledger/);
    }
    await b.durable();
    expect(format(b.usage("country", "MY", undefined, "2025-12-31"))).toBe(format(a.usage("country", "MY", undefined, "2025-12-31")));
    a.close();
    b.close();
    const x = contents(inline);
    expect(x.decisions).toHaveLength(35);
    expect(contents(threaded)).toEqual(x);
  });

  it("refuses a batch another process committed ahead of, and the batch decided on top of it; recover() decides them again inside the write transaction", async () => {
    const path = tempDb();
    const a = openLedger(path, "thread");
    const other = openLedger(path, "inline");
    await a.ready();
    a.batch(() => {
      expect(decide(a, "a-1", 600)).toBe(true); // 0 used: fits
      // Another process charges the same cap after `a` read it, before `a` commits.
      other.batch(() => expect(decide(other, "b-1", 600)).toBe(true));
    });
    const first = a.durable();
    a.batch(() => expect(decide(a, "a-2", 300)).toBe(true)); // on top of a-1, not yet committed
    const second = a.durable();
    const e1 = await rejection(first);
    const e2 = await rejection(second);
    expect(e1).toBeInstanceOf(LedgerError);
    expect((e1 as LedgerError).kind).toBe("conflict");
    expect((e2 as LedgerError).kind).toBe("conflict");

    await a.recover();
    expect(a.decided("a-1")).toBeUndefined();
    expect(format(a.usage("cap", "k", undefined, "2025-12-31"))).toBe("600");
    await a.ready(); // the writer holds the write lock from here to the commit
    a.batch(() => {
      expect(decide(a, "a-1", 600)).toBe(false); // b-1's 600 is seen now
      expect(decide(a, "a-2", 300)).toBe(true);
    });
    await a.durable();
    expect(format(a.usage("cap", "k", undefined, "2025-12-31"))).toBe("900");
    expect(format(other.usage("cap", "k", undefined, "2025-12-31"))).toBe("900");
    expect(a.decided("a-1")?.charges).toEqual([]);
    expect(other.decided("a-2")?.order).toBe("a-2");
  });

  it("holds the write lock while a batch is decided after a conflict: another writer waits", async () => {
    const path = tempDb();
    const a = openLedger(path, "thread");
    await a.ready();
    a.batch(() => {
      decide(a, "a-1", 10);
      const other = SqliteLedger.open(path, { busyTimeoutMs: 5000 });
      other.batch(() => decide(other, "b-1", 10));
      other.close();
    });
    expect(((await rejection(a.durable())) as LedgerError).kind).toBe("conflict");
    await a.recover();
    await a.ready();
    expect(() => SqliteLedger.open(path, { busyTimeoutMs: 50 }).close()).toThrow(/locked by another process/);
    a.batch(() => decide(a, "a-1", 10));
    await a.durable();
    expect(format(a.usage("cap", "k", undefined, "2025-12-31"))).toBe("20");
    // Back to deciding ahead of the commit for later batches, still seeing other writers.
    for (let i = 0; i < 10; i++) {
      await a.ready();
      a.batch(() => decide(a, `a-${i + 2}`, 1));
    }
    await a.durable();
    expect(format(a.usage("cap", "k", undefined, "2025-12-31"))).toBe("30");
  });
});
