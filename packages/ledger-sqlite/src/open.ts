/**
 * Opening a ledger file: to record on it (created if needed, in WAL mode, migrated to
 * the current schema), or only to read it (never written: a file of an older schema is
 * read as it is, or for schemas 1 and 2 through a copy migrated in memory); and the
 * schema version of a file. SqliteLedger's `open`, `openReadOnly` and `schemaVersionOf`
 * are these (the first two build the ledger on the connection through a `make`
 * callback: its constructor is private).
 */
import { accessSync, constants, existsSync, statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Database as Db } from "better-sqlite3";
import { LedgerError, READ_ONLY_HELP, sqliteCode, translate } from "./errors.js";
import { migrate, newerSchema, readSchemaVersion } from "./migrate.js";
import { LATEST_SCHEMA } from "./schema.js";
import type { WriterData } from "./writer-protocol.js";

export interface SqliteLedgerOptions {
  /** How long to wait for another process's write lock before failing (default 5000 ms). */
  readonly busyTimeoutMs?: number;
  /**
   * `commit` (default): each batch is on disk (fsync) when `batch` returns.
   * `deferred`: each batch is committed (atomic, visible to other processes, kept if this
   * process dies) when `batch` returns, and on disk once a later `durable()` resolves;
   * the fsync runs on a background thread meanwhile. A power loss or OS crash can lose
   * committed batches not yet made durable (whole batches: the file stays consistent).
   */
  readonly durability?: "commit" | "deferred";
  /**
   * `inline` (default): `batch` writes and commits on this thread.
   * `thread`: `batch` decides on this thread and hands the rows to a writer thread, which
   * commits them while the caller decides the next batch; see "Writer thread" in writer-client.ts.
   * `durability` does not apply: the writer syncs every commit (off this thread).
   */
  readonly writer?: "inline" | "thread";
  /** How error messages name the file (e.g. the path as the user wrote it); default: `path`. */
  readonly name?: string;
}

/**
 * `SqliteLedger.open` (`name`: the file as messages call it). `make` builds the ledger on
 * the migrated connection, with deferred durability or not and the writer thread's data
 * (thread mode); it runs inside the retry on a busy file, and the connection is closed
 * if it throws.
 */
export function openToRecord<T>(
  path: string,
  name: string,
  options: SqliteLedgerOptions,
  make: (db: Db, deferred: boolean, writer: WriterData | undefined) => T,
): T {
  if (statLedger(path, name)?.isDirectory() === true) {
    throw new LedgerError("io", `ledger \`${name}\` is a directory`, "give the path of a ledger file, e.g. `ledger.db`");
  }
  refuseUnwritable(path, name);
  let db: Db;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw new LedgerError("io", `cannot open ledger \`${name}\`: ${(e as Error).message}`, undefined, { cause: e });
  }
  // Switching a fresh file to WAL can report SQLITE_BUSY without waiting when another
  // process is creating the same file: retry until the busy timeout.
  const deadline = Date.now() + (options.busyTimeoutMs ?? 5000);
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      // FULL: the WAL is synced at every commit. NORMAL (deferred durability): it is
      // synced by `durable()`, and always before a checkpoint copies it to the file.
      db.pragma(`synchronous = ${options.durability === "deferred" ? "NORMAL" : "FULL"}`);
      // Checkpoint every 16,384 pages (64 MB of WAL) rather than SQLite's 1,000: a book
      // run rewrites the same index pages batch after batch, and each checkpoint copies
      // them to the file again (and syncs it). The WAL goes when the last connection closes.
      db.pragma("wal_autocheckpoint = 16384");
      migrate(db, name, LATEST_SCHEMA);
      const writer = options.writer === "thread" ? { path, busyTimeoutMs: options.busyTimeoutMs ?? 5000, closed: new SharedArrayBuffer(4) } : undefined;
      return make(db, options.durability === "deferred" && writer === undefined, writer);
    } catch (e) {
      const code = sqliteCode(e);
      if (code?.startsWith("SQLITE_BUSY") && Date.now() < deadline) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      db.close();
      throw translate(e, name);
    }
  }
}

/**
 * `statSync` of a ledger's file: undefined when nothing is there, a LedgerError naming
 * the ledger when the path cannot be looked at (a part of it is a file, not a folder; its
 * name is too long; a folder on the way cannot be entered), which Node throws.
 */
function statLedger(path: string, name: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw new LedgerError("io", `cannot open ledger \`${name}\`: ${(e as Error).message}`, undefined, { cause: e });
  }
}

/**
 * Refuses a ledger that cannot be recorded on, before SQLite opens it: SQLite reports a
 * missing or unwritable folder only as "unable to open database file", and a read-only
 * ledger only at the first write, after creating `-wal` and `-shm` files as read-only as
 * the ledger, which then keep it from being written once the ledger is made writable.
 * (A ledger in a folder that cannot be written, SQLite reports itself: translate().)
 */
function refuseUnwritable(path: string, name: string): void {
  if (!existsSync(dirname(path))) {
    throw new LedgerError(
      "io",
      `cannot create ledger \`${name}\`: folder \`${dirname(name)}\` does not exist`,
      "create the folder first, or give another ledger path",
    );
  }
  if (!existsSync(path)) {
    if (!writable(dirname(path))) {
      throw new LedgerError(
        "io",
        `cannot create ledger \`${name}\`: folder \`${dirname(name)}\` cannot be written`,
        "make the folder writable, or give a ledger path in a folder that is",
      );
    }
    return;
  }
  for (const suffix of ["", "-wal", "-shm"]) {
    const file = `${path}${suffix}`;
    if (existsSync(file) && !writable(file)) throw new LedgerError("io", `cannot write ledger \`${name}\`: \`${name}${suffix}\` is read-only`, READ_ONLY_HELP);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The oldest schema read in place: schema 4 only added `decisions.order_digest`, which a
 * reader does without (see `prepareReads`). An older file is read through a copy.
 */
const READ_IN_PLACE_FROM = 3;

/**
 * `SqliteLedger.openReadOnly` (`name`: the file as messages call it). `make` builds the
 * ledger on the connection to read (the file's, or a migrated copy's), given the file's
 * own schema version.
 */
export function openToRead<T>(path: string, name: string, options: Pick<SqliteLedgerOptions, "busyTimeoutMs">, make: (db: Db, fileSchema: number) => T): T {
  const stat = statLedger(path, name);
  if (stat?.isDirectory() === true) throw new LedgerError("io", `ledger \`${name}\` is a directory`, "give the path of a ledger file, e.g. `ledger.db`");
  if (stat === undefined) throw new LedgerError("io", `ledger \`${name}\` does not exist`);
  let file: Db | undefined;
  let copy: Db | undefined;
  try {
    // Nothing here writes: the file is only read, or copied to memory to be migrated
    // there. But the last connection to close a WAL-mode file copies the WAL into it
    // (a checkpoint) and deletes it: with a WAL already there (another process has the
    // ledger open, or its last writer died), a read-only connection, which never does,
    // leaves file and WAL as they were. With none, a read-only connection would leave
    // the -wal and -shm files it needs behind; a read-write one removes them on close,
    // and its checkpoint finds nothing to copy (unless a writer commits and closes
    // while this one reads: then this one finishes that writer's checkpoint).
    const wal = statLedger(`${path}-wal`, name);
    file = new Database(path, { fileMustExist: true, readonly: wal !== undefined && wal.size > 0, timeout: options.busyTimeoutMs ?? 5000 });
    const fileSchema = readSchemaVersion(file, name);
    if (fileSchema > LATEST_SCHEMA) throw newerSchema(name, fileSchema);
    if (fileSchema === 0) throw new LedgerError("not-a-ledger", `ledger \`${name}\` is empty: it holds no Diffuse ledger`);
    if (fileSchema >= READ_IN_PLACE_FROM) {
      const ledger = make(file, fileSchema);
      file = undefined;
      return ledger;
    }
    // Schemas 1 and 2 laid the rows out otherwise: read through a migrated copy in memory
    // (which holds the whole file; such ledgers come from Diffuse's first versions).
    const image = file.serialize();
    // The file format's read and write versions (header bytes 18 and 19) say WAL (2); an
    // in-memory database cannot be in WAL mode, so the copy says rollback journal (1).
    image[18] = 1;
    image[19] = 1;
    copy = new Database(image);
    file.close();
    file = undefined;
    migrate(copy, name, LATEST_SCHEMA);
    const ledger = make(copy, fileSchema);
    copy = undefined;
    return ledger;
  } catch (e) {
    file?.close();
    copy?.close();
    throw translate(e, name);
  }
}

/** `SqliteLedger.schemaVersionOf`. */
export function schemaVersionOfFile(path: string, name: string): number {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new LedgerError("io", `cannot open ledger \`${name}\`: ${(e as Error).message}`, undefined, { cause: e });
  }
  try {
    return readSchemaVersion(db, name);
  } catch (e) {
    throw translate(e, name);
  } finally {
    db.close();
  }
}
