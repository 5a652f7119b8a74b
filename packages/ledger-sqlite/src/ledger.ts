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
 *
 * Writer thread (`writer: "thread"`, what `diffuse eval` uses): `batch(fn)` decides on
 * this thread and hands the batch to a writer thread, which commits it while this
 * thread decides the next batch; how, and why concurrent processes stay safe:
 * writer-client.ts. Callers in this mode call `await ready()` before each `batch`.
 *
 * Here: the index and its sync with the file, `record`/`decided`/`usage`, and the
 * batches. Elsewhere: opening and migrating a file (open.ts, migrate.ts), the batch in
 * flight in inline mode (inline-batch.ts), recorded decisions read back from the file
 * (file-decisions.ts), the reports of `ledger show|export` (reports.ts), the SQL
 * (read-sql.ts, write-sql.ts), the writer thread (writer-client.ts, thread-batch.ts,
 * writer.ts), deferred durability (wal-sync.ts), errors (errors.ts).
 */
import type { Database as Db } from "better-sqlite3";
import type { Decision, Ledger, LedgerEntry } from "@diffuse/engine";
import type { IsoDate, Rational } from "@diffuse/language";
import { StoredAmountError, ZERO, parseStored, sub } from "./decimal.js";
import { alreadyDecidedJson, decisionJson } from "./decision-json.js";
import { LedgerError, sqliteCode, translate } from "./errors.js";
import { FileDecisions } from "./file-decisions.js";
import { IdFilter } from "./id-filter.js";
import { InlineBatch } from "./inline-batch.js";
import { openToRead, openToRecord, schemaVersionOfFile, type SqliteLedgerOptions } from "./open.js";
import { prepareReads, type ReadStatements } from "./read-sql.js";
import { chargesOf, summaryOf, utilisationOf, type ChargeRow, type LedgerSummary, type UtilisationRow } from "./reports.js";
import { scrub, type ResetResult } from "./scrub.js";
import { SeriesIndex } from "./series.js";
import type { Recorded } from "./thread-batch.js";
import { WalSync } from "./wal-sync.js";
import { prepareWrites, type WriteStatements } from "./write-sql.js";
import { WriterClient } from "./writer-client.js";
import type { WriterData } from "./writer-protocol.js";

export { migrate } from "./migrate.js"; // tests build files of older schemas with it

export class SqliteLedger implements Ledger {
  readonly path: string;
  /** The file as error messages name it (see SqliteLedgerOptions.name). */
  private readonly name: string;
  private readonly db: Db;
  private readonly reads: ReadStatements;
  /** Undefined when opened to be read (a file of schema 3, read in place, could not prepare them). */
  private readonly writeStatements: WriteStatements | undefined;
  private series = new SeriesIndex();
  private decidedIds = new IdFilter();
  private seenGeneration = -1;
  private seenEpoch = -1;
  private lastChargeId = 0;
  private lastDecisionId = 0;
  private depth = 0;
  /**
   * The first error the file raised inside the batch in flight (or, outside a batch, since
   * `throwFault` was last called). The engine turns an error thrown by its ledger into an
   * invalid decision of the order at hand: the batch must not be committed as if those
   * orders had been decided, so it fails with this error.
   */
  private fault: LedgerError | undefined;
  private lastRecorded: Decision | undefined;
  private lastRecordedJson = "";
  private lastDecided: Decision | undefined;
  private lastDecidedJson = "";
  /** The order id `decided` last found, and its digest: the engine asks `orderDigest` for it next. */
  private lastFound: { readonly id: string; readonly digest: number | null } | undefined;
  /** The id `decided` last found undecided, until anything is recorded or loaded. */
  private lastMissed: string | undefined;
  /** Inline mode: the batch in flight (undefined when opened to be read, or in thread mode). */
  private readonly inline: InlineBatch | undefined;
  /** The decisions recorded in the file. */
  private readonly file: FileDecisions;
  /** Deferred durability: the WAL file, synced by `durable()`. */
  private readonly walSync: WalSync | undefined;
  /** The writer thread (`writer: "thread"`): the batches on their way to it. */
  private readonly thread: WriterClient | undefined;
  /** Bumped when the index is dropped: a batch decided before must not update it. */
  private indexVersion = 0;

  /**
   * Set by `openReadOnly`: nothing may be written (the file may be of an older schema, or
   * the connection a migrated copy in memory, where a write would vanish). The schema of
   * the file itself.
   */
  private readonly readOnly: { readonly fileSchema: number } | undefined;

  private constructor(path: string, name: string, db: Db, deferred: boolean, writer?: WriterData, readOnly?: { readonly fileSchema: number }) {
    this.path = path;
    this.name = name;
    this.readOnly = readOnly;
    this.db = db;
    // Prepared first: a file that fails them (a table missing) starts no thread.
    try {
      this.reads = prepareReads(db, readOnly === undefined || readOnly.fileSchema >= 4);
      this.writeStatements = readOnly === undefined ? prepareWrites(db) : undefined;
    } catch (e) {
      if (sqliteCode(e) !== "SQLITE_ERROR") throw e;
      throw this.damaged((e as Error).message);
    }
    this.file = new FileDecisions(this.reads, { damaged: (detail) => this.damaged(detail), resetSinceSync: () => this.resetSinceSync() });
    this.walSync = deferred ? new WalSync(path, name) : undefined;
    this.thread = writer === undefined ? undefined : new WriterClient(writer, name);
    this.inline = this.writeStatements === undefined || this.thread !== undefined ? undefined : new InlineBatch(this.writeStatements);
  }

  /**
   * Opens (creating if needed) a ledger file and migrates it to the current schema.
   * Throws `LedgerError` for a directory, a file that is not a ledger, a ledger written
   * by a newer schema, or a database locked for longer than the busy timeout.
   */
  static open(path: string, options: SqliteLedgerOptions = {}): SqliteLedger {
    const name = options.name ?? path;
    return openToRecord(path, name, options, (db, deferred, writer) => new SqliteLedger(path, name, db, deferred, writer));
  }

  /**
   * Opens an existing ledger to read it (`ledger show|export`, `explain --ledger`) and
   * never writes the file. A ledger of an older schema is read as it is (schema 3: its
   * orders have no content digest), or through a copy migrated in memory (schemas 1 and
   * 2): inspecting it with a newer Diffuse does not upgrade it out of reach of the
   * Diffuse that writes it. `record`, `batch` and `reset` throw. Throws `LedgerError` as
   * `open` does, and for a missing or empty file.
   */
  static openReadOnly(path: string, options: Pick<SqliteLedgerOptions, "busyTimeoutMs" | "name"> = {}): SqliteLedger {
    const name = options.name ?? path;
    return openToRead(path, name, options, (db, fileSchema) => new SqliteLedger(path, name, db, false, undefined, { fileSchema }));
  }

  /** Schema version of an existing file (0 when empty), without migrating it; `name` as in SqliteLedgerOptions. */
  static schemaVersionOf(path: string, name: string = path): number {
    return schemaVersionOfFile(path, name);
  }

  /** Closes the file. In thread mode, call only once `durable()` has resolved: a batch not yet committed is dropped. */
  close(): void {
    this.walSync?.close();
    this.thread?.close();
    this.db.close();
  }

  /**
   * Resolves once every batch committed so far is on disk. With `durability: "commit"`
   * they already are; with `"deferred"` this syncs the WAL file (and, the first time, its
   * folder, so a new WAL file's entry survives too) on libuv's thread pool, so the
   * caller can evaluate the next batch meanwhile.
   */
  async durable(): Promise<void> {
    const committed = this.thread?.lastCommitted();
    if (committed !== undefined) return committed;
    if (this.walSync !== undefined) await this.walSync.sync();
  }

  /**
   * Throws (once) the LedgerError the file raised since the last batch or call, when it
   * was raised outside a batch: `evaluate` or `explain` without a batch (`explain
   * --ledger`) turned it into an invalid decision, which the caller should not report as
   * the order's. (Inside a batch, `batch` throws it.)
   */
  throwFault(): void {
    const fault = this.fault;
    this.fault = undefined;
    if (fault !== undefined) throw fault;
  }

  // -------------------------------------------------------------------------
  // Ledger

  /**
   * Thread mode: call before each `batch`. Normally it brings the index up to date when no
   * batch is in flight, and returns at once. After a conflict, it waits for the batches in
   * flight, has the writer take the write lock, then brings the index up to date: the
   * next batch is decided and committed inside that one write transaction.
   */
  async ready(): Promise<void> {
    const thread = this.thread;
    if (thread === undefined) return;
    if (thread.lockDue()) {
      await thread.lock();
      this.syncOutsideBatch();
    }
  }

  /**
   * Thread mode, after a batch failed with a `conflict` LedgerError: forgets the batches
   * not committed (the index drops what they charged and is reloaded from the file) and
   * has the next batches decided inside the write transaction (see `ready`). The caller
   * then decides those orders again.
   */
  async recover(): Promise<void> {
    await this.thread?.settled();
    this.thread?.forget();
    this.invalidate();
  }

  usage(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): Rational {
    if (this.depth === 0) this.syncOutsideBatch();
    return this.series.usage(cap, key, from, to);
  }

  usageInteger(cap: string, key: string, from: IsoDate | undefined, to: IsoDate): number | undefined {
    if (this.depth === 0) this.syncOutsideBatch();
    return this.series.usageInteger(cap, key, from, to);
  }

  decided(orderId: string): Decision | undefined {
    if (this.depth === 0) this.syncOutsideBatch();
    const found = this.recorded(orderId);
    if (found === undefined) {
      this.lastMissed = orderId;
      return undefined;
    }
    const decision = JSON.parse(found.text) as Decision;
    this.lastDecided = decision;
    this.lastDecidedJson = found.text;
    this.lastFound = { id: orderId, digest: found.digest };
    return decision;
  }

  orderDigest(orderId: string): number | undefined {
    if (this.depth === 0) this.syncOutsideBatch();
    const last = this.lastFound;
    const digest = last !== undefined && last.id === orderId ? last.digest : this.recorded(orderId)?.digest;
    return digest ?? undefined;
  }

  record(entry: LedgerEntry): void {
    this.refuseWrites();
    if (this.depth === 0) {
      this.batch(() => this.record(entry));
      return;
    }
    // The engine asks `decided` right before recording: no need to look the id up again.
    if (entry.orderId !== this.lastMissed && this.recorded(entry.orderId) !== undefined) {
      throw new Error(`order ${entry.orderId} is already on the ledger; check decided() first`);
    }
    this.lastMissed = undefined;
    const { decision } = entry;
    const stored: Decision = decision.alreadyDecided === undefined ? decision : withoutAlreadyDecided(decision);
    const json = decisionJson(stored);
    this.lastRecorded = stored;
    this.lastRecordedJson = json;
    if (this.thread !== undefined) this.thread.current.add(entry, decision, json);
    else {
      try {
        // Its rows go into the write transaction as they fill a multi-row INSERT.
        const lastCharge = this.inlineBatch.add(entry, decision, json, ++this.lastDecisionId);
        if (lastCharge !== undefined) this.lastChargeId = lastCharge;
      } catch (e) {
        throw this.failed(e);
      }
    }
    this.decidedIds.add(entry.orderId);
    for (const c of entry.charges) this.series.add(c.cap, c.key, c.date, c.amount);
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE). Nested calls join the outer
   * batch. `fn` must be synchronous. If it throws, nothing it recorded is kept. If the
   * file failed inside it (a damaged decision block, a write error), nothing it recorded
   * is kept either, and `batch` throws that LedgerError even when `fn` caught it (the
   * engine's `evaluate` does: it decides the order at hand invalid).
   */
  batch<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.refuseWrites();
    this.fault = undefined;
    if (this.thread !== undefined) return this.threadBatch(this.thread, fn);
    const inline = this.inlineBatch;
    this.begin();
    this.depth = 1;
    try {
      this.sync();
      inline.start();
      const result = fn();
      if (this.fault !== undefined) throw this.fault;
      if (inline.dirty) {
        const lastCharge = inline.finish();
        if (lastCharge !== undefined) this.lastChargeId = lastCharge;
        this.writes.bump.run();
        this.seenGeneration += 1;
      }
      this.writes.commit.run();
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.writes.rollback.run();
      this.invalidate();
      throw translate(e, this.name);
    } finally {
      this.depth = 0;
      this.fault = undefined;
      inline.clear();
    }
  }

  /**
   * `JSON.stringify(decision)`, reusing the text just written to the ledger when
   * `decision` is the one last recorded, or the text just read when it is the engine's
   * copy of the one last returned by `decided` (a front end writing decisions as JSON
   * need not serialize each one twice).
   */
  json(decision: Decision): string {
    if (decision === this.lastRecorded) return this.lastRecordedJson;
    const again = this.lastDecided === undefined ? undefined : alreadyDecidedJson(decision, this.lastDecided, this.lastDecidedJson);
    return again ?? decisionJson(decision);
  }

  // -------------------------------------------------------------------------
  // Inspection (ledger show / export / reset)

  summary(): LedgerSummary {
    return this.report(() => summaryOf(this.db, this.name, this.readOnly?.fileSchema));
  }

  /**
   * Totals by cap, key and window, sorted by cap, then key, then window (a schedule's
   * steps in step order). A schedule's steps (windows `through DATE`, `after DATE`)
   * count cumulatively, as the cap does: a step's total is every charge of the cap and
   * key through that step.
   */
  utilisation(): UtilisationRow[] {
    return this.report(() => utilisationOf(this.db));
  }

  /** Every charge in recording order, streamed (a damaged file is reported here, before the first row). */
  charges(): IterableIterator<ChargeRow> {
    return this.report(() => chargesOf(this.db));
  }

  /**
   * Runs a report's query. The constructor prepared only the statements deciding and
   * recording need: a file missing a table or column only a report reads (`policies`,
   * read by `charges`) is reported damaged here, as it is at opening, not as a raw SQLite error.
   */
  private report<T>(query: () => T): T {
    try {
      return query();
    } catch (e) {
      if (e instanceof StoredAmountError) throw this.damaged(e.message);
      if (sqliteCode(e) !== "SQLITE_ERROR") throw translate(e, this.name);
      throw this.damaged((e as Error).message);
    }
  }

  /** Every recorded decision in recording order (block by block), streamed. */
  *decisions(): IterableIterator<Decision> {
    // One block at a time: better-sqlite3 runs one statement at a time per connection.
    const next = this.db.prepare("SELECT id, codec, data FROM blocks WHERE id > ? ORDER BY id LIMIT 1").raw(true);
    let after = 0;
    for (;;) {
      const row = next.get(after) as [number, string, Buffer | string] | undefined;
      if (row === undefined) return;
      after = row[0];
      for (const line of this.file.decode(row[0], row[1], row[2])) yield JSON.parse(line) as Decision;
    }
  }

  /**
   * Deletes every decision and charge (other processes drop their caches too), then
   * scrubs the file of them (scrub.ts). Throws only when nothing was deleted; a scrub
   * that fails after the delete is the result's `why`.
   */
  reset(): ResetResult {
    this.refuseWrites();
    this.begin();
    try {
      this.db.exec(
        "DELETE FROM charges; DELETE FROM decisions; DELETE FROM blocks; DELETE FROM policies; UPDATE ledger_state SET generation = generation + 1, epoch = epoch + 1 WHERE id = 1;",
      );
      this.writes.commit.run();
    } catch (e) {
      if (this.db.inTransaction) this.writes.rollback.run();
      throw translate(e, this.name);
    } finally {
      this.invalidate();
    }
    return scrub(this.db, this.name);
  }

  // -------------------------------------------------------------------------

  /** `batch` in thread mode: decide here, hand the rows to the writer (see writer-client.ts). */
  private threadBatch<T>(thread: WriterClient, fn: () => T): T {
    const batch = thread.current;
    batch.recordedAt = new Date().toISOString();
    const locked = thread.locked;
    // With nothing in flight, catch up with other processes first (fewer conflicts).
    if (!locked && thread.unconfirmed.length === 0) this.syncOutsideBatch();
    const version = this.indexVersion;
    this.depth = 1;
    let result: T;
    try {
      result = fn();
      if (this.fault !== undefined) throw this.fault;
    } catch (e) {
      // Take what `fn` charged back out of the index (ids stay in the filter: a filter hit
      // is always confirmed), and give up the lock if held.
      for (const c of batch.charged) this.series.add(c.cap, c.key, c.date, sub(ZERO, c.amount));
      thread.drop(batch, locked);
      throw e;
    } finally {
      this.depth = 0;
      this.fault = undefined;
    }
    thread.send(
      batch,
      () => (locked ? undefined : [this.seenGeneration, this.seenEpoch]),
      (state) => {
        if (version !== this.indexVersion) return;
        this.seenGeneration = state.generation;
        this.seenEpoch = state.epoch;
        this.lastDecisionId = state.lastDecisionId;
        this.lastChargeId = state.lastChargeId;
      },
    );
    return result;
  }

  private begin(): void {
    try {
      this.writes.begin.run();
    } catch (e) {
      throw translate(e, this.name);
    }
  }

  /** What is recorded for an order id: from the batch in flight, or from the file (its row and block). */
  private recorded(orderId: string): Recorded | undefined {
    if (!this.decidedIds.has(orderId)) return undefined;
    const pending = this.inline?.recordedOf(orderId);
    if (pending !== undefined) return pending;
    const thread = this.thread;
    if (thread !== undefined) {
      const here = thread.current.recordedOf(orderId);
      if (here !== undefined) return here;
      for (const b of thread.unconfirmed) {
        const found = b.recordedOf(orderId);
        if (found !== undefined) return found;
      }
    }
    try {
      return this.file.recorded(orderId);
    } catch (e) {
      throw this.failed(e);
    }
  }

  /**
   * Thread mode: whether another process reset the ledger since the index was last
   * brought up to date. Batches are then decided against a stale view (the index, and
   * rows read ahead, name blocks the reset deleted) until the writer finds the ledger
   * state changed and the batch conflicts: a block missing then is no damage, and the
   * order is taken as not decided (the batch is decided again after the conflict).
   */
  private resetSinceSync(): boolean {
    if (this.thread === undefined) return false;
    const state = this.reads.state.get() as { epoch: number } | undefined;
    return state !== undefined && state.epoch !== this.seenEpoch;
  }

  /** `e`, raised by the file, as the ledger reports it; kept as the `fault` unless it is not a LedgerError (a programming error). */
  private failed(e: unknown): unknown {
    const error = translate(e, this.name);
    if (error instanceof LedgerError) this.fault ??= error;
    return error;
  }

  /** A charge's stored amount, read as the cap counts it; an amount Diffuse did not write is damage. */
  private storedAmount(text: string, chargeId: number): Rational {
    try {
      return parseStored(text, chargeId);
    } catch (e) {
      if (e instanceof StoredAmountError) throw this.damaged(e.message);
      throw e;
    }
  }

  private damaged(detail: string): LedgerError {
    return new LedgerError("not-a-ledger", `ledger \`${this.name}\` is damaged: ${detail}`, "restore it from a backup");
  }

  /** Inline mode's batch (only reached past `refuseWrites`, outside thread mode). */
  private get inlineBatch(): InlineBatch {
    if (this.inline === undefined) throw this.readOnlyError();
    return this.inline;
  }

  /** The statements that write (only reached past `refuseWrites`). */
  private get writes(): WriteStatements {
    if (this.writeStatements === undefined) throw this.readOnlyError();
    return this.writeStatements;
  }

  private refuseWrites(): void {
    if (this.readOnly !== undefined) throw this.readOnlyError();
  }

  private readOnlyError(): LedgerError {
    return new LedgerError("io", `ledger \`${this.name}\` was opened to be read: nothing can be recorded on it`);
  }

  /** Brings the in-memory index up to date with the file. Call with a transaction open. */
  private sync(): void {
    this.lastMissed = undefined;
    const state = this.reads.state.get() as { generation: number; epoch: number } | undefined;
    if (!state) throw new LedgerError("not-a-ledger", `ledger \`${this.name}\` has no state row`, "the file is damaged; restore it from a backup");
    if (state.epoch !== this.seenEpoch) {
      this.invalidate();
      this.seenEpoch = state.epoch;
    } else if (state.generation === this.seenGeneration) return;
    for (const raw of this.reads.chargesSince.iterate(this.lastChargeId)) {
      const [id, cap, key, date, amount] = raw as [number, string, string, string, string];
      this.series.add(cap, key, date, this.storedAmount(amount, id));
      this.lastChargeId = id;
    }
    for (const raw of this.reads.decisionsSince.iterate(this.lastDecisionId)) {
      const [id, orderId] = raw as [number, string];
      this.decidedIds.add(orderId);
      this.lastDecisionId = id;
    }
    this.seenGeneration = state.generation;
  }

  private syncOutsideBatch(): void {
    // Thread mode: batches in flight are in the index but maybe not yet known to be in the
    // file; reading "what is new" now could count them twice. `ready` syncs between batches.
    if (this.thread !== undefined && this.thread.unconfirmed.length > 0) return;
    try {
      this.db.transaction(() => this.sync())();
    } catch (e) {
      throw this.failed(e);
    }
  }

  private invalidate(): void {
    this.lastMissed = undefined;
    this.lastFound = undefined;
    this.indexVersion++;
    this.series = new SeriesIndex();
    this.decidedIds = new IdFilter();
    this.inline?.forget();
    this.file.forget();
    this.seenGeneration = -1;
    this.seenEpoch = -1;
    this.lastChargeId = 0;
    this.lastDecisionId = 0;
  }
}

function withoutAlreadyDecided(d: Decision): Decision {
  const { alreadyDecided: _ignored, ...rest } = d;
  return rest;
}
