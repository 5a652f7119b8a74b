/**
 * A batch in which the file fails: the engine turns an error its ledger throws into an
 * invalid decision of the order at hand, so the batch itself must fail, with nothing of
 * it recorded. And what is not a failure of the file: a view of it made stale by another
 * process's reset, which the writer thread's conflict check takes care of.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LedgerError, SqliteLedger } from "../src/index.js";
import { format } from "../src/decimal.js";
import { entry, errorOf, tempDb, ledgerOpener } from "./helpers.js";

const opener = ledgerOpener({ busyTimeoutMs: 5000 });
const openLedger = (path: string, writer: "inline" | "thread"): SqliteLedger => opener(path, { writer });

/** What `fn` throws or rejects with (anything else fails the test). */
async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

/** As the engine calls a ledger: an error thrown by it is caught (and the order decided invalid). */
function asEngine(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // the engine's `internalError`
  }
}

function orderIds(path: string): string[] {
  const l = SqliteLedger.openReadOnly(path);
  try {
    return [...l.charges()].map((c) => c.orderId);
  } finally {
    l.close();
  }
}

describe.each(["inline", "thread"] as const)("a batch in which the file fails, %s writer", (writer) => {
  it("fails with the ledger's error even when the engine caught it, and records nothing of the batch", async () => {
    const path = tempDb();
    const first = openLedger(path, writer);
    await first.ready();
    first.batch(() => first.record(entry("a", "2025-01-01", "1")));
    await first.durable();
    first.close();
    const raw = new Database(path);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff'").run();
    raw.close();

    const l = openLedger(path, writer);
    await l.ready();
    const e = await failure(async () => {
      l.batch(() => {
        l.record(entry("b", "2025-01-02", "1"));
        asEngine(() => l.decided("a"));
        l.record(entry("c", "2025-01-03", "1"));
      });
      await l.durable();
    });
    expect(e).toBeInstanceOf(LedgerError);
    expect((e as LedgerError).message).toMatch(/^ledger `.*` is damaged: decision block 1 cannot be read: /);
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("1");
    await l.durable();
    expect(orderIds(path)).toEqual(["a"]);

    // The next batch starts afresh: one that does not read the damaged block commits.
    await l.ready();
    l.batch(() => l.record(entry("d", "2025-01-04", "1")));
    await l.durable();
    expect(orderIds(path)).toEqual(["a", "d"]);
  });
});

describe("a read of the file that fails outside a batch", () => {
  it("is thrown by the read, and again, once, by throwFault (the engine caught the first)", () => {
    const path = tempDb();
    const first = openLedger(path, "inline");
    first.record(entry("a", "2025-01-01", "1"));
    const raw = new Database(path);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff'").run();
    raw.close();

    const l = opener.closeLater(SqliteLedger.openReadOnly(path));
    l.throwFault();
    asEngine(() => l.decided("a"));
    const e = (() => {
      try {
        l.throwFault();
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect((e as LedgerError).message).toMatch(/^ledger `.*` is damaged: decision block 1 cannot be read: /);
    l.throwFault();
  });
});

describe("a view made stale by another process's reset (thread mode)", () => {
  it("is no damage: the orders read ahead are taken as undecided, and the batch conflicts at commit", async () => {
    const path = tempDb();
    const l = openLedger(path, "thread");
    await l.ready();
    for (const ids of [
      ["a", "b"],
      ["c", "d"],
    ]) {
      await l.ready();
      l.batch(() => {
        for (const id of ids) l.record(entry(id, "2025-01-01", "1"));
      });
      await l.durable();
    }
    await l.ready();
    // Two lookups in recording order: the rows after them are read ahead (c and d, in block 2).
    l.batch(() => {
      expect(l.decided("a")?.order).toBe("a");
      expect(l.decided("b")?.order).toBe("b");
    });
    const other = new Database(path, { timeout: 5000 });
    other.exec(
      "DELETE FROM charges; DELETE FROM decisions; DELETE FROM blocks; DELETE FROM policies; UPDATE ledger_state SET generation = generation + 1, epoch = epoch + 1 WHERE id = 1;",
    );
    other.close();
    // Still on the view from before the reset (a batch is in flight): c's block is gone.
    await l.ready();
    l.batch(() => {
      expect(l.decided("c")).toBeUndefined();
    });
    const e = await failure(() => l.durable());
    expect((e as LedgerError).kind).toBe("conflict");
  });
});

describe("a charge whose amount is not one Diffuse writes (the row edited outside Diffuse)", () => {
  it("is damage naming the charge row, to report on and to decide against, not an internal error", () => {
    const path = tempDb();
    const l = openLedger(path, "inline");
    l.batch(() => {
      l.record(entry("o-1", "2025-02-03", "5"));
      l.record(entry("o-2", "2025-02-04", "6"));
    });
    l.close();
    const db = new Database(path);
    db.prepare("UPDATE charges SET amount = '1e5' WHERE id = 2").run();
    db.close();
    const damage = "ledger `ledger.db` is damaged: charge 2 has the amount `1e5`, which Diffuse does not write (an exact decimal)";
    const reader = SqliteLedger.openReadOnly(path, { name: "ledger.db" });
    expect(errorOf(() => reader.utilisation())).toMatchObject({ kind: "not-a-ledger", message: damage, help: "restore it from a backup" });
    reader.close();
    const writer = SqliteLedger.open(path, { name: "ledger.db" });
    expect(errorOf(() => writer.usage("lpp", "uni-my", undefined, "2025-12-31"))).toMatchObject({ kind: "not-a-ledger", message: damage });
    writer.close();
  });
});
