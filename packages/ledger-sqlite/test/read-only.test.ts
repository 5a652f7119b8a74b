/**
 * `SqliteLedger.openReadOnly`: inspection never writes the file, and a ledger of an older
 * schema is read as it is (schema 3) or through a copy migrated in memory (schemas 1 and
 * 2); either way the file keeps its schema, so the Diffuse that writes it can still open it.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { LATEST_SCHEMA, SqliteLedger } from "../src/index.js";
import { migrate } from "../src/ledger.js";
import { format } from "../src/decimal.js";
import { entry, errorOf, recordAsSchema3, tempDb } from "./helpers.js";

const open: SqliteLedger[] = [];
function track(l: SqliteLedger): SqliteLedger {
  open.push(l);
  return l;
}
afterEach(() => {
  for (const l of open.splice(0)) l.close();
});

/** A schema-3 ledger (as Diffuse wrote it before order digests) with two orders and their charges. */
function schema3Ledger(): string {
  const path = tempDb();
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, path, 3);
  recordAsSchema3(db, [entry("a", "2025-01-05", "2.5"), entry("b", "2025-02-05", "4")]);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return path;
}

/**
 * The files a writer that died would leave: `path` and its WAL, holding commits not yet
 * copied into `path` (copied while the writer `db` still has them open), without `-shm`.
 */
function leftByDeadWriter(path: string, write: () => void): string {
  write();
  const copy = tempDb();
  copyFileSync(path, copy);
  copyFileSync(`${path}-wal`, `${copy}-wal`);
  return copy;
}

describe("openReadOnly", () => {
  it("reads a ledger of an older schema without upgrading the file", () => {
    const path = schema3Ledger();
    const bytes = readFileSync(path);
    const l = track(SqliteLedger.openReadOnly(path));
    expect(l.summary()).toEqual({ schemaVersion: 3, decisions: 2, charges: 2, outcomes: { authorized: 2 } });
    expect(l.decided("b")?.order).toBe("b");
    expect(l.orderDigest("b")).toBeUndefined();
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("6.5");
    expect([...l.charges()].map((c) => `${c.orderId} ${c.amount}`)).toEqual(["a 2.5", "b 4"]);
    expect(l.utilisation()).toHaveLength(1);
    l.close();
    open.length = 0;
    expect(SqliteLedger.schemaVersionOf(path)).toBe(3);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // Opened to write, it is upgraded as before.
    track(SqliteLedger.open(path)).close();
    open.length = 0;
    expect(SqliteLedger.schemaVersionOf(path)).toBe(LATEST_SCHEMA);
  });

  it("refuses to record, batch or reset, on a current ledger and on a migrated copy", () => {
    const current = tempDb();
    const w = track(SqliteLedger.open(current));
    w.record(entry("a", "2025-01-05", "1"));
    for (const path of [current, schema3Ledger()]) {
      const l = track(SqliteLedger.openReadOnly(path, { name: "book.db" }));
      for (const write of [() => l.record(entry("z", "2025-03-01", "1")), () => l.batch(() => 1), () => l.reset()]) {
        const e = errorOf(write);
        expect(e.kind).toBe("io");
        expect(e.message).toBe("ledger `book.db` was opened to be read: nothing can be recorded on it");
      }
      expect(l.decided("z")).toBeUndefined();
    }
  });

  it("sees what a writer commits after it was opened", () => {
    const path = tempDb();
    const w = track(SqliteLedger.open(path));
    w.record(entry("a", "2025-01-05", "1"));
    const r = track(SqliteLedger.openReadOnly(path));
    expect(r.decided("b")).toBeUndefined();
    w.record(entry("b", "2025-01-06", "2"));
    expect(r.decided("b")?.order).toBe("b");
    expect(format(r.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("3");
  });

  it("reads a schema-3 ledger in place: it sees what that ledger's own writer commits later", () => {
    const path = schema3Ledger();
    const r = track(SqliteLedger.openReadOnly(path));
    expect(r.decided("c")).toBeUndefined();
    // An older Diffuse, still writing the file as schema 3, records another order.
    const older = new Database(path);
    const c = entry("c", "2025-03-05", "1");
    older.prepare("INSERT INTO blocks (id, codec, recorded_at, data) VALUES (3, 'json', 't', ?)").run(JSON.stringify(c.decision));
    older.prepare("INSERT INTO decisions (id, order_id, order_date, outcome, policy, block, slot) VALUES (3, 'c', '2025-03-05', 'authorized', 1, 3, 0)").run();
    older.prepare("INSERT INTO charges (ord, cap, key, window, amount, limit_amount) VALUES (3, 'lpp', 'uni-my', '2025', '1', NULL)").run();
    older.prepare("UPDATE ledger_state SET generation = generation + 1 WHERE id = 1").run();
    older.close();
    expect(r.decided("c")?.order).toBe("c");
    expect(r.orderDigest("c")).toBeUndefined();
    expect(format(r.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("7.5");
    expect(SqliteLedger.schemaVersionOf(path)).toBe(3);
  });

  it("reads a schema-2 ledger through a migrated copy, leaving the file at schema 2", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, 2);
    const e = entry("old", "2025-01-05", "12.5");
    db.prepare("INSERT INTO decisions (order_id, order_date, outcome, policy_sha256, decision, recorded_at) VALUES (?, ?, ?, ?, ?, 't')").run(
      e.orderId,
      e.date,
      e.decision.outcome,
      e.policySha256,
      JSON.stringify(e.decision),
    );
    db.prepare(
      "INSERT INTO charges (order_id, outcome, policy_sha256, cap, key, window, amount, limit_amount, order_date, recorded_at) VALUES ('old', 'authorized', ?, 'lpp', 'uni-my', '2025', '12.5', NULL, '2025-01-05', 't')",
    ).run(e.policySha256);
    db.close();
    const bytes = readFileSync(path);
    const l = track(SqliteLedger.openReadOnly(path));
    expect(l.summary()).toMatchObject({ schemaVersion: 2, decisions: 1, charges: 1 });
    expect(l.decided("old")?.order).toBe("old");
    expect(format(l.usage("lpp", "uni-my", undefined, "2025-12-31"))).toBe("12.5");
    l.close();
    open.length = 0;
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(SqliteLedger.schemaVersionOf(path)).toBe(2);
  });

  it("calls a ledger that lacks one of its tables damaged, opened to read or to record", () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db, path, LATEST_SCHEMA);
    db.exec("DROP TABLE ledger_state");
    db.close();
    for (const openIt of [
      () => SqliteLedger.openReadOnly(path, { name: "d.db" }),
      () => SqliteLedger.open(path, { name: "d.db" }),
      () => SqliteLedger.open(path, { name: "d.db", writer: "thread" }),
    ]) {
      const e = errorOf(openIt);
      expect(e.kind).toBe("not-a-ledger");
      expect(e.message).toBe("ledger `d.db` is damaged: no such table: ledger_state");
      expect(e.help).toBe("restore it from a backup");
    }
  });

  it("calls a ledger damaged when a report needs a table the open did not (charges need `policies`)", () => {
    const path = tempDb();
    const w = SqliteLedger.open(path);
    w.record(entry("a", "2025-01-05", "1"));
    w.close();
    const db = new Database(path);
    db.exec("DROP TABLE policies");
    db.close();
    const l = track(SqliteLedger.openReadOnly(path, { name: "d.db" }));
    expect(l.summary()).toMatchObject({ decisions: 1, charges: 1 });
    const e = errorOf(() => l.charges());
    expect(e.kind).toBe("not-a-ledger");
    expect(e.message).toBe("ledger `d.db` is damaged: no such table: policies");
    expect(e.help).toBe("restore it from a backup");
  });

  it("refuses a missing, empty, newer or foreign file with the ledger's messages", () => {
    const missing = tempDb();
    expect(errorOf(() => SqliteLedger.schemaVersionOf(missing, "m.db"))).toMatchObject({
      kind: "io",
      message: "cannot open ledger `m.db`: unable to open database file",
    });
    expect(errorOf(() => SqliteLedger.openReadOnly(missing, { name: "m.db" })).message).toBe("ledger `m.db` does not exist");
    const empty = tempDb();
    writeFileSync(empty, "");
    expect(errorOf(() => SqliteLedger.openReadOnly(empty, { name: "e.db" }))).toMatchObject({
      kind: "not-a-ledger",
      message: "ledger `e.db` is empty: it holds no Diffuse ledger",
    });
    expect(readFileSync(empty).length).toBe(0);
    const newer = tempDb();
    const db = new Database(newer);
    migrate(db, newer, LATEST_SCHEMA);
    db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')").run();
    db.close();
    expect(errorOf(() => SqliteLedger.openReadOnly(newer, { name: "n.db" }))).toMatchObject({
      kind: "newer-schema",
      message: `ledger \`n.db\` was written by a newer Diffuse (schema 99; this version reads up to ${LATEST_SCHEMA})`,
    });
    const foreign = tempDb();
    const f = new Database(foreign);
    f.exec("CREATE TABLE t (x)");
    f.close();
    expect(errorOf(() => SqliteLedger.openReadOnly(foreign)).kind).toBe("not-a-ledger");
    const text = tempDb();
    writeFileSync(text, "not a database at all, but long enough to have a header of sorts....................................................");
    expect(errorOf(() => SqliteLedger.openReadOnly(text)).kind).toBe("not-a-ledger");
  });

  it("leaves a ledger whose last writer died as it is: its WAL is read, not copied into the file", () => {
    // Current schema.
    const path = tempDb();
    const w = track(SqliteLedger.open(path));
    const current = leftByDeadWriter(path, () => {
      w.record({ ...entry("a", "2025-01-05", "1"), orderDigest: 11 });
      w.record({ ...entry("b", "2025-01-06", "2"), orderDigest: 12 });
    });
    // Schema 3.
    const old = tempDb();
    const db = new Database(old);
    db.pragma("journal_mode = WAL");
    const schema3 = leftByDeadWriter(old, () => {
      migrate(db, old, 3);
      recordAsSchema3(db, [entry("a", "2025-01-05", "2.5")]);
    });
    db.close();
    for (const [file, decisions, schema] of [
      [current, 2, LATEST_SCHEMA],
      [schema3, 1, 3],
    ] as const) {
      const bytes = readFileSync(file);
      const wal = readFileSync(`${file}-wal`);
      const l = SqliteLedger.openReadOnly(file);
      expect(l.summary()).toMatchObject({ schemaVersion: schema, decisions });
      expect(l.decided("a")?.order).toBe("a");
      l.close();
      expect(readFileSync(file).equals(bytes), `${file} unchanged`).toBe(true);
      expect(existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).equals(wal), `${file}-wal kept`).toBe(true);
    }
    // What the dead writer committed is still there for the next writer.
    const again = track(SqliteLedger.open(current));
    expect(again.orderDigest("b")).toBe(12);
  });
});
