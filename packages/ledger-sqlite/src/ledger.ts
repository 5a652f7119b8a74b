/**
 * SqliteLedger: the durable Ledger on SQLite (better-sqlite3).
 *
 * - WAL mode; `batch(fn)` is one write transaction (BEGIN IMMEDIATE): a crash loses at
 *   most the batch in flight, and an order is recorded with all its charges or not at all.
 * - Usage is answered from an in-memory index (per cap and key: dates and cumulative
 *   sums), so `usage` costs a binary search, not a query. The index is validated against
 *   the `ledger_state.generation` counter every time the write lock is taken (and before
 *   reads outside a batch): when another process wrote in between, its new rows are
 *   loaded first. A cap check and its charge therefore always see every committed charge,
 *   and two processes on one file never over-allocate a cap.
 * - Amounts are exact decimal text, summed with bigints in JavaScript.
 *
 * Callers evaluating orders wrap the evaluations in `batch` (the engine's own
 * `record` call then joins that transaction): the engine reads usage and records the
 * charge in the same write transaction, which is what makes concurrent processes safe.
 * Outside a batch every `record` is its own transaction, correct but slow, and a read of
 * usage is not held against other writers until the charge is recorded.
 */
import { statSync } from "node:fs";
import Database from "better-sqlite3";
import type { Database as Db, Statement } from "better-sqlite3";
import type { Decision, Ledger, LedgerEntry } from "@diffuse/engine";
import type { IsoDate, Rational } from "@diffuse/language";
import { ZERO, add, format, parse } from "./decimal.js";
import { IdFilter } from "./id-filter.js";
import { Series } from "./series.js";
import { LATEST_SCHEMA, MIGRATIONS } from "./schema.js";

export type LedgerErrorKind = "newer-schema" | "busy" | "not-a-ledger" | "io";

/** A problem with the ledger file the user can act on (the CLI prints message and help). */
export class LedgerError extends Error {
  override readonly name = "LedgerError";
  constructor(
    readonly kind: LedgerErrorKind,
    message: string,
    readonly help?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SqliteLedgerOptions {
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
}

/** One charge row, as `ledger export` writes it. */
export interface ChargeRow {
  readonly orderId: string;
  readonly outcome: string;
  readonly policySha256: string;
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly amount: string;
  readonly limit: string | null;
  readonly orderDate: string;
  readonly recordedAt: string;
}

/** Total charged to one cap, key and window (`ledger show`). */
export interface UtilisationRow {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly used: string;
  /** The limit recorded with the latest charge, when known. */
  readonly limit: string | null;
  readonly charges: number;
}

export interface LedgerSummary {
  readonly schemaVersion: number;
  readonly decisions: number;
  readonly charges: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

interface SqliteError {
  readonly code?: unknown;
}

function sqliteCode(e: unknown): string | undefined {
  const code = (e as SqliteError | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function seriesKey(cap: string, key: string): string {
  return `${cap}\u0000${key}`;
}

export class SqliteLedger implements Ledger {
  readonly path: string;
  private readonly db: Db;
  private readonly stmts: {
    begin: Statement;
    commit: Statement;
    rollback: Statement;
    state: Statement;
    bump: Statement;
    insertDecision: Statement;
    insertCharge: Statement;
    chargesSince: Statement;
    decisionsSince: Statement;
    decisionById: Statement;
  };
  private series = new Map<string, Series>();
  private decidedIds = new IdFilter();
  private seenGeneration = -1;
  private seenEpoch = -1;
  private lastChargeId = 0;
  private lastDecisionId = 0;
  private depth = 0;
  private dirty = false;
  private batchTime = "";
  private lastRecorded: Decision | undefined;
  private lastRecordedJson = "";

  private constructor(path: string, db: Db) {
    this.path = path;
    this.db = db;
    this.stmts = {
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      rollback: db.prepare("ROLLBACK"),
      state: db.prepare("SELECT generation, epoch FROM ledger_state WHERE id = 1"),
      bump: db.prepare("UPDATE ledger_state SET generation = generation + 1 WHERE id = 1"),
      insertDecision: db.prepare(
        "INSERT INTO decisions (order_id, order_date, outcome, policy_sha256, decision, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      insertCharge: db.prepare(
        "INSERT INTO charges (order_id, outcome, policy_sha256, cap, key, window, amount, limit_amount, order_date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      chargesSince: db.prepare("SELECT id, cap, key, order_date, amount FROM charges WHERE id > ? ORDER BY id").raw(true),
      decisionsSince: db.prepare("SELECT id, order_id FROM decisions WHERE id > ? ORDER BY id").raw(true),
      decisionById: db.prepare("SELECT decision FROM decisions WHERE order_id = ?").pluck(true),
    };
  }

  /**
   * Opens (creating if needed) a ledger file and migrates it to the current schema.
   * Throws `LedgerError` for a directory, a file that is not a ledger, a ledger written
   * by a newer schema, or a database locked for longer than the busy timeout.
   */
  static open(path: string, options: SqliteLedgerOptions = {}): SqliteLedger {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      throw new LedgerError("io", `ledger \`${path}\` is a directory`, "give the path of a ledger file, e.g. `ledger.db`");
    }
    let db: Db;
    try {
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    } catch (e) {
      throw new LedgerError("io", `cannot open ledger \`${path}\`: ${(e as Error).message}`, undefined, { cause: e });
    }
    // Switching a fresh file to WAL can report SQLITE_BUSY without waiting when another
    // process is creating the same file: retry until the busy timeout.
    const deadline = Date.now() + (options.busyTimeoutMs ?? 5000);
    for (;;) {
      try {
        db.pragma("journal_mode = WAL");
        db.pragma("synchronous = FULL");
        migrate(db, path, LATEST_SCHEMA);
        return new SqliteLedger(path, db);
      } catch (e) {
        const code = sqliteCode(e);
        if (code?.startsWith("SQLITE_BUSY") && Date.now() < deadline) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
          continue;
        }
        db.close();
        throw translate(e, path);
      }
    }
  }

  /** Schema version of an existing file (0 when empty), without migrating it. */
  static schemaVersionOf(path: string): number {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return readSchemaVersion(db, path);
    } catch (e) {
      throw translate(e, path);
    } finally {
      db.close();
    }
  }

  close(): void {
    this.db.close();
  }

  // -------------------------------------------------------------------------
  // Ledger

  usage(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Rational {
    if (this.depth === 0) this.syncOutsideBatch();
    return this.series.get(seriesKey(cap, key))?.usage(from, to) ?? ZERO;
  }

  decided(orderId: string): Decision | undefined {
    if (this.depth === 0) this.syncOutsideBatch();
    if (!this.decidedIds.has(orderId)) return undefined;
    const text = this.stmts.decisionById.get(orderId) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as Decision);
  }

  record(entry: LedgerEntry): void {
    if (this.depth === 0) {
      this.batch(() => this.record(entry));
      return;
    }
    if (this.decidedIds.has(entry.orderId) && this.stmts.decisionById.get(entry.orderId) !== undefined) {
      throw new Error(`order ${entry.orderId} is already on the ledger; check decided() first`);
    }
    const { decision } = entry;
    const stored: Decision = decision.alreadyDecided === undefined ? decision : withoutAlreadyDecided(decision);
    const json = JSON.stringify(stored);
    this.lastRecorded = stored;
    this.lastRecordedJson = json;
    const info = this.stmts.insertDecision.run(entry.orderId, entry.date, decision.outcome, entry.policySha256, json, this.batchTime);
    this.lastDecisionId = Number(info.lastInsertRowid);
    this.decidedIds.add(entry.orderId);
    for (const c of entry.charges) {
      const limit = decision.charges.find((d) => d.cap === c.cap && d.key === c.key && d.window === c.window)?.limit ?? null;
      const ci = this.stmts.insertCharge.run(
        entry.orderId,
        decision.outcome,
        entry.policySha256,
        c.cap,
        c.key,
        c.window,
        format(c.amount),
        limit,
        c.date,
        this.batchTime,
      );
      this.lastChargeId = Number(ci.lastInsertRowid);
      this.addCharge(c.cap, c.key, c.date, c.amount);
    }
    this.dirty = true;
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE). Nested calls join the outer
   * batch. `fn` must be synchronous. If it throws, nothing it recorded is kept.
   */
  batch<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.begin();
    this.depth = 1;
    this.dirty = false;
    this.batchTime = new Date().toISOString();
    try {
      this.sync();
      const result = fn();
      if (this.dirty) {
        this.stmts.bump.run();
        this.seenGeneration += 1;
      }
      this.stmts.commit.run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.stmts.rollback.run();
      this.invalidate();
      throw translate(e, this.path);
    } finally {
      this.depth = 0;
    }
  }

  /**
   * `JSON.stringify(decision)`, reusing the text just written to the ledger when
   * `decision` is the one last recorded (a front end writing decisions as JSON need not
   * serialize each one twice).
   */
  json(decision: Decision): string {
    return decision === this.lastRecorded ? this.lastRecordedJson : JSON.stringify(decision);
  }

  // -------------------------------------------------------------------------
  // Inspection (ledger show / export / reset)

  summary(): LedgerSummary {
    const outcomes: Record<string, number> = {};
    let decisions = 0;
    for (const row of this.db.prepare("SELECT outcome, COUNT(*) AS n FROM decisions GROUP BY outcome ORDER BY outcome").all() as {
      outcome: string;
      n: number;
    }[]) {
      outcomes[row.outcome] = row.n;
      decisions += row.n;
    }
    const charges = (this.db.prepare("SELECT COUNT(*) FROM charges").pluck().get() as number) ?? 0;
    return { schemaVersion: readSchemaVersion(this.db, this.path), decisions, charges, outcomes };
  }

  /** Totals by cap, key and window, sorted by cap, then key, then window. */
  utilisation(): UtilisationRow[] {
    const rows = new Map<string, { cap: string; key: string; window: string; used: Rational; limit: string | null; charges: number }>();
    const stmt = this.db.prepare("SELECT cap, key, window, amount, limit_amount FROM charges ORDER BY id").raw(true);
    for (const raw of stmt.iterate()) {
      const [cap, key, window, amount, limit] = raw as [string, string, string, string, string | null];
      const id = `${cap}\u0000${key}\u0000${window}`;
      const row = rows.get(id);
      if (row) {
        row.used = add(row.used, parse(amount));
        row.charges += 1;
        if (limit !== null) row.limit = limit;
      } else rows.set(id, { cap, key, window, used: parse(amount), limit, charges: 1 });
    }
    return [...rows.values()]
      .sort((a, b) => cmp(a.cap, b.cap) || cmp(a.key, b.key) || cmp(a.window, b.window))
      .map((r) => ({ cap: r.cap, key: r.key, window: r.window, used: format(r.used), limit: r.limit, charges: r.charges }));
  }

  /** Every charge in recording order, streamed. */
  *charges(): IterableIterator<ChargeRow> {
    const stmt = this.db.prepare(
      "SELECT order_id, outcome, policy_sha256, cap, key, window, amount, limit_amount, order_date, recorded_at FROM charges ORDER BY id",
    );
    for (const r of stmt.iterate() as IterableIterator<Record<string, string | null>>) {
      yield {
        orderId: r["order_id"] as string,
        outcome: r["outcome"] as string,
        policySha256: r["policy_sha256"] as string,
        cap: r["cap"] as string,
        key: r["key"] as string,
        window: r["window"] as string,
        amount: r["amount"] as string,
        limit: r["limit_amount"] ?? null,
        orderDate: r["order_date"] as string,
        recordedAt: r["recorded_at"] as string,
      };
    }
  }

  /** Every recorded decision in recording order, streamed. */
  *decisions(): IterableIterator<Decision> {
    const stmt = this.db.prepare("SELECT decision FROM decisions ORDER BY id").pluck(true);
    for (const text of stmt.iterate() as IterableIterator<string>) yield JSON.parse(text) as Decision;
  }

  /** Deletes every decision and charge (other processes drop their caches too). */
  reset(): void {
    this.begin();
    try {
      this.db.exec("DELETE FROM charges; DELETE FROM decisions; UPDATE ledger_state SET generation = generation + 1, epoch = epoch + 1 WHERE id = 1;");
      this.stmts.commit.run();
    } catch (e) {
      if (this.db.inTransaction) this.stmts.rollback.run();
      throw translate(e, this.path);
    } finally {
      this.invalidate();
    }
  }

  // -------------------------------------------------------------------------

  private begin(): void {
    try {
      this.stmts.begin.run();
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  private addCharge(cap: string, key: string, date: string, amount: Rational): void {
    const k = seriesKey(cap, key);
    let s = this.series.get(k);
    if (!s) {
      s = new Series();
      this.series.set(k, s);
    }
    s.add(date, amount);
  }

  /** Brings the in-memory index up to date with the file. Call with a transaction open. */
  private sync(): void {
    const state = this.stmts.state.get() as { generation: number; epoch: number } | undefined;
    if (!state) throw new LedgerError("not-a-ledger", `ledger \`${this.path}\` has no state row`, "the file is damaged; restore it from a backup");
    if (state.epoch !== this.seenEpoch) {
      this.invalidate();
      this.seenEpoch = state.epoch;
    } else if (state.generation === this.seenGeneration) return;
    for (const raw of this.stmts.chargesSince.iterate(this.lastChargeId)) {
      const [id, cap, key, date, amount] = raw as [number, string, string, string, string];
      this.addCharge(cap, key, date, parse(amount));
      this.lastChargeId = id;
    }
    for (const raw of this.stmts.decisionsSince.iterate(this.lastDecisionId)) {
      const [id, orderId] = raw as [number, string];
      this.decidedIds.add(orderId);
      this.lastDecisionId = id;
    }
    this.seenGeneration = state.generation;
  }

  private syncOutsideBatch(): void {
    try {
      this.db.transaction(() => this.sync())();
    } catch (e) {
      throw translate(e, this.path);
    }
  }

  private invalidate(): void {
    this.series = new Map();
    this.decidedIds = new IdFilter();
    this.seenGeneration = -1;
    this.seenEpoch = -1;
    this.lastChargeId = 0;
    this.lastDecisionId = 0;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function withoutAlreadyDecided(d: Decision): Decision {
  const { alreadyDecided: _ignored, ...rest } = d;
  return rest;
}

function readSchemaVersion(db: Db, path: string): number {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return 0;
  if (!tables.includes("schema_version")) {
    throw new LedgerError(
      "not-a-ledger",
      `\`${path}\` is an SQLite database but not a Diffuse ledger`,
      "give a new file name to start a ledger, or the path of an existing Diffuse ledger",
    );
  }
  const v = db.prepare("SELECT MAX(version) FROM schema_version").pluck().get();
  return typeof v === "number" ? v : 0;
}

/** Migrates an open database to `target` (tests use a lower target to build old files). */
export function migrate(db: Db, path: string, target: number): void {
  db.prepare("BEGIN IMMEDIATE").run();
  try {
    const current = readSchemaVersion(db, path);
    if (current > LATEST_SCHEMA) {
      throw new LedgerError(
        "newer-schema",
        `ledger \`${path}\` was written by a newer Diffuse (schema ${current}; this version reads up to ${LATEST_SCHEMA})`,
        "upgrade Diffuse to read this ledger, or give another --ledger file",
      );
    }
    if (current === 0) db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
    }
    db.prepare("COMMIT").run();
  } catch (e) {
    if (db.inTransaction) db.prepare("ROLLBACK").run();
    throw e;
  }
}

/** Turns SQLite errors the user can act on into `LedgerError`s; passes others through. */
function translate(e: unknown, path: string): unknown {
  if (e instanceof LedgerError) return e;
  const code = sqliteCode(e);
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code?.startsWith("SQLITE_BUSY_")) {
    return new LedgerError(
      "busy",
      `ledger \`${path}\` is locked by another process`,
      "wait for the other process to finish, or raise the wait with --busy-timeout",
      { cause: e },
    );
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new LedgerError("not-a-ledger", `\`${path}\` is not a Diffuse ledger (not an SQLite database)`, "give a new file name to start a ledger", {
      cause: e,
    });
  }
  if (code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN" || code === "SQLITE_IOERR" || code === "SQLITE_FULL") {
    return new LedgerError("io", `cannot write ledger \`${path}\`: ${(e as Error).message}`, undefined, { cause: e });
  }
  return e;
}
