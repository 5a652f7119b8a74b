import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { LATEST_SCHEMA, LedgerError, SqliteLedger } from "../src/index.js";
import { migrate } from "../src/ledger.js";
import { format } from "../src/decimal.js";
import { entry, tempDb } from "./helpers.js";

const open: SqliteLedger[] = [];
function openLedger(path: string, busyTimeoutMs = 2000): SqliteLedger {
  const l = SqliteLedger.open(path, { busyTimeoutMs });
  open.push(l);
  return l;
}
afterEach(() => {
  for (const l of open.splice(0)) {
    try {
      l.close();
    } catch {
      /* already closed */
    }
  }
});

function errorOf(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error("expected a LedgerError");
}

describe("usage", () => {
  it("sums charges dated inside an inclusive window, exactly", () => {
    const l = openLedger(tempDb());
    l.batch(() => {
      l.record(entry("a", "2025-01-01", "10.5"));
      l.record(entry("b", "2025-06-30", "20"));
      l.record(entry("c", "2025-12-31", "0.25"));
      l.record(entry("d", "2026-01-01", "1000"));
    });
    const u = (from: string | undefined, to: string) => format(l.usage("lpp", "uni-my", from, to));
    expect(u("2025-01-01", "2025-12-31")).toBe("30.75");
    expect(u("2025-01-02", "2025-12-31")).toBe("20.25");
    expect(u("2025-01-01", "2025-12-30")).toBe("30.5");
    expect(u(undefined, "2026-01-01")).toBe("1030.75");
    expect(u("2026-01-02", "2026-12-31")).toBe("0");
    expect(u(undefined, "2024-12-31")).toBe("0");
    expect(format(l.usage("lpp", "other", undefined, "2030-01-01"))).toBe("0");
  });

  it("accepts charges out of date order", () => {
    const l = openLedger(tempDb());
    l.record(entry("a", "2025-06-01", "1"));
    l.record(entry("b", "2025-03-01", "2"));
    l.record(entry("c", "2025-09-01", "4"));
    l.record(entry("d", "2025-03-01", "8"));
    expect(format(l.usage("lpp", "uni-my", "2025-03-01", "2025-03-01"))).toBe("10");
    expect(format(l.usage("lpp", "uni-my", "2025-03-02", "2025-12-31"))).toBe("5");
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-06-01"))).toBe("11");
  });

  it("keeps every charge with its order, outcome, policy hash, cap, key, window, amount and dates", () => {
    const path = tempDb();
    const l = openLedger(path);
    l.record(entry("o-1", "2025-02-03", "15831.2", [["lpp", "uni-my"], ["country", "MY"]]));
    const rows = [...l.charges()];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ orderId: "o-1", outcome: "authorized", cap: "lpp", key: "uni-my", window: "2025", amount: "15831.2", limit: "1000", orderDate: "2025-02-03" });
    expect(rows[0]?.policySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(rows[0]?.recordedAt ?? "")).not.toBeNaN();
    expect(l.utilisation()).toEqual([
      { cap: "country", key: "MY", window: "2025", used: "15831.2", limit: "1000", charges: 1 },
      { cap: "lpp", key: "uni-my", window: "2025", used: "15831.2", limit: "1000", charges: 1 },
    ]);
    expect(l.summary()).toEqual({ schemaVersion: LATEST_SCHEMA, decisions: 1, charges: 2, outcomes: { authorized: 1 } });
  });
});

describe("idempotency", () => {
  it("returns the recorded decision for a decided order, across reopening", () => {
    const path = tempDb();
    const l = openLedger(path);
    expect(l.decided("o-1")).toBeUndefined();
    l.record(entry("o-1", "2025-02-03", "5"));
    expect(l.decided("o-1")).toMatchObject({ order: "o-1", outcome: "authorized", basis: "LPP" });
    l.close();
    const again = openLedger(path);
    expect(again.decided("o-1")?.order).toBe("o-1");
    expect(() => again.record(entry("o-1", "2025-02-03", "5"))).toThrow(/already on the ledger/);
    expect(format(again.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("5");
  });

  it("stores decisions without the alreadyDecided flag", () => {
    const l = openLedger(tempDb());
    const e = entry("o-1", "2025-02-03", "5");
    l.record({ ...e, decision: { ...e.decision, alreadyDecided: false } });
    expect(l.decided("o-1")).not.toHaveProperty("alreadyDecided");
  });
});

describe("batches", () => {
  it("keeps nothing of a batch that throws", () => {
    const l = openLedger(tempDb());
    l.record(entry("a", "2025-01-01", "1"));
    expect(() =>
      l.batch(() => {
        l.record(entry("b", "2025-01-02", "2"));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(l.decided("b")).toBeUndefined();
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("1");
    expect(l.batch(() => 42)).toBe(42);
  });

  it("joins nested batches into the outer one", () => {
    const l = openLedger(tempDb());
    l.batch(() => {
      l.batch(() => l.record(entry("a", "2025-01-01", "1")));
      l.record(entry("b", "2025-01-01", "1"));
    });
    expect(l.summary().decisions).toBe(2);
  });
});

describe("several connections", () => {
  it("sees charges another connection committed", () => {
    const path = tempDb();
    const a = openLedger(path);
    const b = openLedger(path);
    expect(format(b.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("0");
    a.record(entry("x", "2025-01-01", "7"));
    expect(format(b.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("7");
    b.batch(() => {
      expect(b.decided("x")?.order).toBe("x");
      b.record(entry("y", "2025-01-01", "3"));
    });
    expect(format(a.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("10");
  });

  it("drops caches when another connection resets the ledger", () => {
    const path = tempDb();
    const a = openLedger(path);
    const b = openLedger(path);
    a.record(entry("x", "2025-01-01", "7"));
    expect(format(b.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("7");
    a.reset();
    expect(format(b.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("0");
    expect(b.decided("x")).toBeUndefined();
    b.record(entry("x", "2025-01-01", "1"));
    expect(format(a.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("1");
  });

  it("fails with a clear error when the write lock is held past the busy timeout", () => {
    const path = tempDb();
    const a = openLedger(path);
    const b = openLedger(path, 100);
    a.batch(() => {
      a.record(entry("x", "2025-01-01", "7"));
      const e = errorOf(() => b.batch(() => b.record(entry("y", "2025-01-01", "1"))));
      expect(e.kind).toBe("busy");
      expect(e.message).toBe(`ledger \`${path}\` is locked by another process`);
      expect(e.help).toMatch(/busy-timeout/);
    });
    expect(b.decided("y")).toBeUndefined();
    expect(b.decided("x")?.order).toBe("x");
  });
});

describe("schema and migrations", () => {
  it("creates a fresh ledger at the latest schema", () => {
    const path = tempDb();
    openLedger(path).close();
    expect(SqliteLedger.schemaVersionOf(path)).toBe(LATEST_SCHEMA);
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("migrates a version-1 ledger and keeps its data", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, 1);
    db.prepare(
      "INSERT INTO decisions (order_id, order_date, outcome, policy_sha256, decision, recorded_at) VALUES ('old', '2025-01-05', 'authorized', 'x', '{\"order\":\"old\",\"outcome\":\"authorized\"}', 't')",
    ).run();
    db.prepare(
      "INSERT INTO charges (order_id, outcome, policy_sha256, cap, key, window, amount, order_date, recorded_at) VALUES ('old', 'authorized', 'x', 'lpp', 'uni-my', '2025', '12.5', '2025-01-05', 't')",
    ).run();
    db.close();
    expect(SqliteLedger.schemaVersionOf(path)).toBe(1);
    const l = openLedger(path);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(LATEST_SCHEMA);
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("12.5");
    expect(l.decided("old")?.order).toBe("old");
    expect([...l.charges()][0]?.limit).toBeNull();
    l.record(entry("new", "2025-02-01", "1"));
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("13.5");
  });

  it("refuses a ledger written by a newer schema, and leaves it untouched", () => {
    const path = tempDb();
    openLedger(path).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')").run();
    db.close();
    const e = errorOf(() => SqliteLedger.open(path));
    expect(e.kind).toBe("newer-schema");
    expect(e.message).toBe(`ledger \`${path}\` was written by a newer Diffuse (schema 99; this version reads up to ${LATEST_SCHEMA})`);
    expect(e.help).toMatch(/upgrade Diffuse/);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(99);
  });

  it("refuses files that are not ledgers", () => {
    const other = tempDb();
    const db = new Database(other);
    db.exec("CREATE TABLE t (x)");
    db.close();
    expect(errorOf(() => SqliteLedger.open(other)).kind).toBe("not-a-ledger");

    const text = tempDb("notes.txt");
    writeFileSync(text, "this is not a database, it is a text file that is long enough to have a header".repeat(20));
    const e = errorOf(() => SqliteLedger.open(text));
    expect(e.kind).toBe("not-a-ledger");
    expect(e.message).toMatch(/not a Diffuse ledger/);

    const dir = join(dirname(tempDb()), "folder");
    mkdirSync(dir);
    expect(errorOf(() => SqliteLedger.open(dir)).message).toBe(`ledger \`${dir}\` is a directory`);
  });
});
