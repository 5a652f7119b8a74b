/**
 * The content digest kept with each decision (schema 4): recorded by both writers, read
 * back from the batch in flight, from the file (one lookup at a time and through the
 * read-ahead of a rerun) and after reopening; none for rows migrated from older files.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { LedgerEntry } from "@diffuse/engine";
import { SqliteLedger, type LedgerError } from "../src/index.js";
import { migrate } from "../src/ledger.js";
import { entry, recordAsSchema3, tempDb } from "./helpers.js";

const open: SqliteLedger[] = [];
function openLedger(path: string, writer: "inline" | "thread" = "inline"): SqliteLedger {
  const l = SqliteLedger.open(path, { busyTimeoutMs: 5000, writer });
  open.push(l);
  return l;
}
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

/** Order `i`'s entry, with digest 2^51 + i (large, to show it is kept whole). */
function withDigest(i: number): LedgerEntry {
  return { ...entry(`o-${i}`, "2025-03-01", "1"), orderDigest: 2 ** 51 + i };
}

describe.each(["inline", "thread"] as const)("order digests, %s writer", (writer) => {
  it("are read back in flight, after commit and after reopening", async () => {
    const path = tempDb();
    const l = openLedger(path, writer);
    await l.ready();
    l.batch(() => {
      for (let i = 0; i < 3; i++) l.record(withDigest(i));
      // In flight (inline: inside the open batch).
      expect(l.orderDigest("o-1")).toBe(2 ** 51 + 1);
    });
    // Thread mode: the batch may still be on its way to the file.
    expect(l.orderDigest("o-2")).toBe(2 ** 51 + 2);
    expect(l.orderDigest("o-9")).toBeUndefined();
    l.record(entry("none", "2025-03-02", "1"));
    expect(l.orderDigest("none")).toBeUndefined();
    await l.durable();
    l.close();
    open.length = 0;
    const again = openLedger(path, writer);
    expect(again.orderDigest("o-0")).toBe(2 ** 51);
    expect(again.orderDigest("o-2")).toBe(2 ** 51 + 2);
    expect(again.orderDigest("none")).toBeUndefined();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT order_digest FROM decisions ORDER BY id").pluck().all()).toEqual([2 ** 51, 2 ** 51 + 1, 2 ** 51 + 2, null]);
    db.close();
  });
});

describe("order digests on reading a ledger in order (a rerun)", () => {
  it("come with the rows read ahead, each with its own order", () => {
    const path = tempDb();
    const l = openLedger(path);
    l.batch(() => {
      for (let i = 0; i < 3_000; i++) l.record(withDigest(i));
    });
    l.close();
    open.length = 0;
    const again = openLedger(path);
    for (let i = 0; i < 3_000; i++) {
      expect(again.decided(`o-${i}`)?.order).toBe(`o-${i}`);
      expect(again.orderDigest(`o-${i}`)).toBe(2 ** 51 + i);
    }
  });
});

describe("order digests of older ledgers", () => {
  it("a schema-3 ledger migrates with no digest for its orders; new orders get theirs", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, 3);
    const old = entry("old", "2025-01-05", "2");
    recordAsSchema3(db, [old]);
    db.close();
    expect(SqliteLedger.schemaVersionOf(path)).toBe(3);
    const l = openLedger(path);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(4);
    expect(l.decided("old")).toEqual(old.decision);
    expect(l.orderDigest("old")).toBeUndefined();
    l.record(withDigest(7));
    expect(l.orderDigest("o-7")).toBe(2 ** 51 + 7);
  });
});

describe("order digests when another process records the same id first", () => {
  it("a batch that lost the race is dropped with its digests: the id then has the other process's digest", async () => {
    const path = tempDb();
    const a = openLedger(path, "thread");
    const other = openLedger(path, "inline");
    await a.ready();
    a.batch(() => {
      a.record({ ...entry("x", "2025-03-01", "1"), orderDigest: 1 });
      expect(a.orderDigest("x")).toBe(1);
      other.batch(() => other.record({ ...entry("x", "2025-03-01", "2"), orderDigest: 2 }));
    });
    let failure: unknown;
    await a.durable().catch((e: unknown) => (failure = e));
    expect((failure as LedgerError).kind).toBe("conflict");
    await a.recover();
    await a.ready();
    expect(a.orderDigest("x")).toBe(2);
    a.batch(() => expect(a.decided("x")?.charges[0]?.amount).toBe("2"));
    await a.durable();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT order_digest FROM decisions WHERE order_id = 'x'").pluck().all()).toEqual([2]);
    db.close();
  });
});
