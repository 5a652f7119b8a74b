import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LATEST_SCHEMA, SqliteLedger } from "../src/index.js";
import { migrate } from "../src/ledger.js";
import { format } from "../src/decimal.js";
import type { Decision } from "@diffuse/engine";
import { entry, errorOf, tempDb, ledgerOpener } from "./helpers.js";

const opener = ledgerOpener({ busyTimeoutMs: 2000 });
const openLedger = (path: string, busyTimeoutMs = 2000): SqliteLedger => opener(path, { busyTimeoutMs });

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
    l.record(
      entry("o-1", "2025-02-03", "15831.2", [
        ["lpp", "uni-my"],
        ["country", "MY"],
      ]),
    );
    const rows = [...l.charges()];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      orderId: "o-1",
      outcome: "authorized",
      cap: "lpp",
      key: "uni-my",
      window: "2025",
      amount: "15831.2",
      limit: "1000",
      orderDate: "2025-02-03",
    });
    expect(rows[0]?.policySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(rows[0]?.recordedAt ?? "")).not.toBeNaN();
    expect(l.utilisation()).toEqual([
      { cap: "country", key: "MY", window: "2025", used: "15831.2", limit: "1000", charges: 1 },
      { cap: "lpp", key: "uni-my", window: "2025", used: "15831.2", limit: "1000", charges: 1 },
    ]);
    expect(l.summary()).toEqual({ schemaVersion: LATEST_SCHEMA, decisions: 1, charges: 2, outcomes: { authorized: 1 } });
  });
});

describe("utilisation", () => {
  /** `entry` with its charges under `window` instead of "2025". */
  function stepEntry(orderId: string, date: string, amount: string, window: string, key = "nveu-sa|SA"): ReturnType<typeof entry> {
    const e = entry(orderId, date, amount, [["nveu", key]]);
    return {
      ...e,
      decision: { ...e.decision, charges: e.decision.charges.map((c) => ({ ...c, window })) },
      charges: e.charges.map((c) => ({ ...c, window })),
    };
  }

  it("counts a schedule's steps cumulatively, as the cap does, in step order (totals and numbers of charges alike), and other windows on their own", () => {
    const l = openLedger(tempDb());
    l.batch(() => {
      l.record(stepEntry("a", "2025-03-01", "100", "through 2025-12-31"));
      l.record(stepEntry("b", "2025-09-01", "50", "through 2025-12-31"));
      l.record(stepEntry("c", "2026-02-01", "30", "through 2026-12-31"));
      l.record(stepEntry("d", "2028-01-05", "7", "after 2027-12-31"));
      l.record(stepEntry("e", "2026-05-01", "1", "through 2026-12-31", "nveu-ae|AE"));
      l.record(entry("f", "2025-04-01", "5"));
      l.record(entry("g", "2025-05-01", "6"));
    });
    expect(l.utilisation()).toEqual([
      { cap: "lpp", key: "uni-my", window: "2025", used: "11", limit: "1000", charges: 2 },
      { cap: "nveu", key: "nveu-ae|AE", window: "through 2026-12-31", used: "1", limit: "1000", charges: 1 },
      { cap: "nveu", key: "nveu-sa|SA", window: "through 2025-12-31", used: "150", limit: "1000", charges: 2 },
      { cap: "nveu", key: "nveu-sa|SA", window: "through 2026-12-31", used: "180", limit: "1000", charges: 3 },
      { cap: "nveu", key: "nveu-sa|SA", window: "after 2027-12-31", used: "187", limit: "1000", charges: 4 },
    ]);
  });

  it("sums a date range window over every charge of its cap and key dated in it: a rolling window as the cap counts it", () => {
    const l = openLedger(tempDb());
    l.batch(() => {
      // Rolling 30 days: each order's window ends on its date.
      l.record(stepEntry("a", "2025-06-01", "10", "2025-05-03..2025-06-01", "c-my"));
      l.record(stepEntry("b", "2025-06-02", "20", "2025-05-04..2025-06-02", "c-my"));
      l.record(stepEntry("c", "2025-07-03", "40", "2025-06-04..2025-07-03", "c-my"));
      // Recorded later, dated inside the first two windows (a book out of date order, a rerun).
      l.record(stepEntry("d", "2025-05-20", "1", "2025-04-21..2025-05-20", "c-my"));
      // A fixed range: every charge carries the same label, and the sum is the same either way.
      l.record(stepEntry("e", "2025-02-01", "5", "2025-01-01..2027-12-31", "MY"));
      l.record(stepEntry("f", "2026-02-01", "6", "2025-01-01..2027-12-31", "MY"));
    });
    expect(l.utilisation()).toEqual([
      { cap: "nveu", key: "MY", window: "2025-01-01..2027-12-31", used: "11", limit: "1000", charges: 2 },
      { cap: "nveu", key: "c-my", window: "2025-04-21..2025-05-20", used: "1", limit: "1000", charges: 1 },
      { cap: "nveu", key: "c-my", window: "2025-05-03..2025-06-01", used: "11", limit: "1000", charges: 2 },
      { cap: "nveu", key: "c-my", window: "2025-05-04..2025-06-02", used: "31", limit: "1000", charges: 3 },
      { cap: "nveu", key: "c-my", window: "2025-06-04..2025-07-03", used: "40", limit: "1000", charges: 1 },
    ]);
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

describe("decision blocks", () => {
  it("stores a batch's decisions in one compressed block and reads each back exactly, in and after the batch", () => {
    const path = tempDb();
    const l = openLedger(path);
    const entries = Array.from({ length: 250 }, (_, i) => entry(`o-${i}`, "2025-01-01", String(i)));
    l.batch(() => {
      for (const e of entries) {
        l.record(e);
        expect(l.decided(e.orderId)).toEqual(e.decision);
      }
      expect(l.decided("o-0")).toEqual(entries[0]?.decision);
      expect(() => l.record(entries[7] as (typeof entries)[number])).toThrow(/already on the ledger/);
    });
    l.record(entry("late", "2025-01-02", "1"));
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT codec, COUNT(*) FROM blocks GROUP BY codec").raw().all()).toEqual([["brotli", 2]]);
    raw.close();
    l.close();
    const again = openLedger(path);
    for (const e of entries) expect(again.decided(e.orderId)).toEqual(e.decision);
    expect([...again.decisions()].map((d) => d.order)).toEqual([...entries.map((e) => e.orderId), "late"]);
    expect(again.json(entries[3]?.decision as Decision)).toBe(JSON.stringify(entries[3]?.decision));
  });

  it("finds every decision in recording order (read ahead), in reverse and at random, across batches", () => {
    const path = tempDb();
    const l = openLedger(path);
    const entries = Array.from({ length: 2500 }, (_, i) => entry(`r-${i}`, "2025-01-01", "1"));
    for (let b = 0; b < entries.length; b += 700) l.batch(() => entries.slice(b, b + 700).forEach((e) => l.record(e)));
    l.close();
    const again = openLedger(path);
    for (const e of entries) expect(again.decided(e.orderId)?.order).toBe(e.orderId);
    for (const e of [...entries].reverse()) expect(again.decided(e.orderId)?.order).toBe(e.orderId);
    for (let i = 0; i < 300; i++) {
      const e = entries[(i * 7919) % entries.length] as (typeof entries)[number];
      expect(again.decided(e.orderId)?.order).toBe(e.orderId);
    }
    expect(again.decided("r-2500")).toBeUndefined();
    again.reset();
    expect(again.decided("r-0")).toBeUndefined();
  });

  it("reports a damaged block as a damaged ledger", () => {
    const path = tempDb();
    const l = openLedger(path);
    l.record(entry("a", "2025-01-01", "1"));
    l.close();
    const raw = new Database(path);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff'").run();
    raw.close();
    const e = errorOf(() => openLedger(path).decided("a"));
    expect(e.kind).toBe("not-a-ledger");
    expect(e.message).toMatch(/^ledger `.*` is damaged: decision block 1 cannot be read: /);
  });
});

describe("reset", () => {
  /** Whether the ledger file or its WAL holds `text` anywhere, free pages included. */
  const fileHolds = (path: string, text: string): boolean => [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(text));
  /** A ledger with enough distinctive orders to fill many pages. */
  function ledgerWithSecrets(path: string): SqliteLedger {
    const l = openLedger(path);
    l.batch(() => {
      for (let i = 0; i < 2000; i++) l.record(entry(`zq-secret-order-${i}`, "2025-01-01", "1", [["lpp", `zq-secret-consignee-${i % 50}`]]));
    });
    expect(fileHolds(path, "zq-secret-order-1999")).toBe(true);
    return l;
  }

  it("leaves nothing of the deleted rows in the file or its WAL, and shrinks the file", () => {
    const path = tempDb();
    const l = ledgerWithSecrets(path);
    const before = statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    expect(l.reset()).toEqual({ reclaimed: true });
    // Still open: the WAL is there, and must not keep the deleted pages either.
    for (const secret of ["zq-secret-order-", "zq-secret-consignee-"]) expect(fileHolds(path, secret), secret).toBe(false);
    expect(statSync(path).size + (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0)).toBeLessThan(before / 4);
    expect(l.summary()).toMatchObject({ decisions: 0, charges: 0 });
    l.record(entry("after", "2025-01-01", "3"));
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("3");
    l.close();
    expect(fileHolds(path, "zq-secret-order-")).toBe(false);
  });

  it("says so when another connection's read keeps the WAL from being emptied; a reset once it is done clears it", () => {
    const path = tempDb();
    const l = ledgerWithSecrets(path);
    const reader = new Database(path);
    reader.prepare("BEGIN").run();
    reader.prepare("SELECT COUNT(*) FROM decisions").get();
    const outcome = l.reset();
    expect(outcome.reclaimed).toBe(false);
    expect(outcome.reclaimed ? "" : outcome.why).toBe(`another process is reading the ledger: \`${path}-wal\` keeps the deleted rows until it stops`);
    expect(fileHolds(path, "zq-secret-order-")).toBe(true);
    reader.prepare("COMMIT").run();
    expect(l.reset()).toEqual({ reclaimed: true });
    expect(fileHolds(path, "zq-secret-order-")).toBe(false);
    reader.close();
    l.close();
  });
});

describe("deferred durability", () => {
  it("commits each batch at once (other connections see it) and syncs it to disk on durable()", async () => {
    const path = tempDb();
    const l = opener(path, { durability: "deferred" });
    await l.durable(); // nothing written yet
    const other = openLedger(path);
    l.record(entry("a", "2025-01-01", "7"));
    expect(format(other.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("7");
    await l.durable();
    l.record(entry("b", "2025-01-01", "1"));
    await Promise.all([l.durable(), l.durable()]);
    l.close();
    expect(other.decided("b")?.order).toBe("b");
  });

  it("syncs at every commit by default", async () => {
    const l = openLedger(tempDb());
    l.record(entry("a", "2025-01-01", "7"));
    await l.durable();
    expect(l.decided("a")?.order).toBe("a");
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

  it("migrates a version-2 ledger (whole decisions per row) to decision blocks, keeping every decision and charge", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, 2);
    const old = [
      entry("o-1", "2025-01-05", "12.5", [
        ["lpp", "uni-my"],
        ["country", "MY"],
      ]),
      entry("o-2", "2025-02-01", "3"),
      entry("o-3", "2025-03-01", "0"),
    ];
    const insertDecision = db.prepare("INSERT INTO decisions (order_id, order_date, outcome, policy_sha256, decision, recorded_at) VALUES (?, ?, ?, ?, ?, ?)");
    const insertCharge = db.prepare(
      "INSERT INTO charges (order_id, outcome, policy_sha256, cap, key, window, amount, limit_amount, order_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    old.forEach((e, i) => {
      const sha = i === 2 ? "ef".repeat(32) : e.policySha256;
      insertDecision.run(e.orderId, e.date, e.decision.outcome, sha, JSON.stringify(e.decision), `2025-06-0${i + 1}T00:00:00.000Z`);
      for (const c of e.charges)
        insertCharge.run(e.orderId, e.decision.outcome, sha, c.cap, c.key, c.window, format(c.amount), "1000", e.date, `2025-06-0${i + 1}T00:00:00.000Z`);
    });
    db.close();
    expect(SqliteLedger.schemaVersionOf(path)).toBe(2);

    const l = openLedger(path);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(LATEST_SCHEMA);
    for (const e of old) expect(l.decided(e.orderId)).toEqual(e.decision);
    expect([...l.decisions()]).toEqual(old.map((e) => e.decision));
    expect([...l.charges()]).toEqual([
      {
        orderId: "o-1",
        outcome: "authorized",
        policySha256: "cd".repeat(32),
        cap: "lpp",
        key: "uni-my",
        window: "2025",
        amount: "12.5",
        limit: "1000",
        orderDate: "2025-01-05",
        recordedAt: "2025-06-01T00:00:00.000Z",
      },
      {
        orderId: "o-1",
        outcome: "authorized",
        policySha256: "cd".repeat(32),
        cap: "country",
        key: "MY",
        window: "2025",
        amount: "12.5",
        limit: "1000",
        orderDate: "2025-01-05",
        recordedAt: "2025-06-01T00:00:00.000Z",
      },
      {
        orderId: "o-2",
        outcome: "authorized",
        policySha256: "cd".repeat(32),
        cap: "lpp",
        key: "uni-my",
        window: "2025",
        amount: "3",
        limit: "1000",
        orderDate: "2025-02-01",
        recordedAt: "2025-06-02T00:00:00.000Z",
      },
      {
        orderId: "o-3",
        outcome: "authorized",
        policySha256: "ef".repeat(32),
        cap: "lpp",
        key: "uni-my",
        window: "2025",
        amount: "0",
        limit: "1000",
        orderDate: "2025-03-01",
        recordedAt: "2025-06-03T00:00:00.000Z",
      },
    ]);
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("15.5");
    expect(l.summary()).toEqual({ schemaVersion: LATEST_SCHEMA, decisions: 3, charges: 4, outcomes: { authorized: 3 } });
    l.record(entry("o-4", "2025-04-01", "1"));
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("16.5");
    expect([...l.decisions()].map((d) => d.order)).toEqual(["o-1", "o-2", "o-3", "o-4"]);
    expect(() => l.record(entry("o-2", "2025-04-01", "1"))).toThrow(/already on the ledger/);
  });

  it("refuses to migrate a ledger that would lose rows, and leaves it at its version", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, 2);
    // A charge whose decision row is missing: the file is inconsistent.
    db.prepare(
      "INSERT INTO charges (order_id, outcome, policy_sha256, cap, key, window, amount, limit_amount, order_date, recorded_at) VALUES ('ghost', 'authorized', 'x', 'lpp', 'k', '2025', '1', NULL, '2025-01-01', 't')",
    ).run();
    db.close();
    const e = errorOf(() => SqliteLedger.open(path));
    expect(e.kind).toBe("not-a-ledger");
    expect(e.message).toBe(`ledger \`${path}\` cannot be migrated to schema 3: table \`charges\` would go from 1 to 0 rows`);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(2);
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
