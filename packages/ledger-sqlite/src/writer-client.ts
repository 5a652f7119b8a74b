/**
 * The main thread's side of a SqliteLedger's writer thread (writer.ts): `Writer` starts
 * the thread and sends it requests, answered in order; `WriterClient` hands it the
 * batches SqliteLedger decides, and takes the write lock after a conflict.
 *
 * Writer thread (`writer: "thread"`, what `diffuse eval` uses): `batch(fn)` runs `fn` on
 * this thread against the in-memory index, then hands the batch's rows and decision
 * texts (encoded as they are recorded, in memory the writer reads: batch-text.ts) to a
 * writer thread with its own connection, and returns before they are
 * committed; `durable()` resolves once they are committed and on disk. The writer
 * compresses the block, inserts the rows and commits while this thread decides the next
 * batch. Deciding a batch and committing it are thus not one transaction in time, so
 * the batch carries the ledger state it was decided against (the `ledger_state`
 * generation and epoch, which every writer bumps in its commit): the writer takes the
 * write lock (BEGIN IMMEDIATE), reads the state and commits only if it is unchanged,
 * that is, if no other process committed anything since the index was last brought up
 * to date. Then every cap check of the batch read exactly what the file holds inside
 * the write transaction, as if it had been made there (optimistic concurrency: the
 * check is validated in the transaction of its charge). Otherwise the writer rolls back
 * and the batch (and the one decided after it, on top of it) fails with a `conflict`
 * LedgerError; the caller calls `recover()` and decides them again. After a conflict
 * the next batches are decided the old way, inside the write transaction: `ready()`
 * has the writer take the write lock first, this thread then reloads what other
 * processes committed and decides, and the writer commits in the same transaction.
 * Callers in this mode call `await ready()` before each `batch`.
 */
import { Worker } from "node:worker_threads";
import { sharedBufferPool } from "./batch-text.js";
import { LedgerError, translate } from "./errors.js";
import { ThreadBatch } from "./thread-batch.js";
import type { BatchRequest, WriterData, WriterReply, WriterRequest } from "./writer-protocol.js";

/** Batches decided under the write lock after a conflict, before trying without it again. */
const LOCKED_AFTER_CONFLICT = 8;

/** The writer's reply once a batch is committed: the ledger state after its commit. */
export type Committed = Extract<WriterReply, { kind: "done" }>;

/**
 * Thread mode: the batches between the ledger and its writer thread. The ledger decides
 * each batch (`current`) against its in-memory index; `send` hands it over once the
 * batch decided before it is committed.
 */
export class WriterClient {
  /** The batch being decided. */
  current: ThreadBatch;
  /** Batches handed over (or about to be) and not yet committed, oldest first. */
  unconfirmed: ThreadBatch[] = [];
  /** Whether the writer holds the write lock for the next batch. */
  locked = false;
  /** Batches still to decide under the write lock (after a conflict). */
  private lockedBatches = 0;
  private readonly buffers = sharedBufferPool();
  private readonly writer: Writer;

  /** `name`: the file as messages call it. */
  constructor(
    data: WriterData,
    private readonly name: string,
  ) {
    this.writer = new Writer(data);
    this.current = new ThreadBatch(this.buffers);
  }

  /** Whether the next batch is to be decided under the write lock (after a conflict): then call `lock` first. */
  lockDue(): boolean {
    return this.lockedBatches > 0;
  }

  /** After a conflict: waits for the batches in flight and has the writer take the write lock (the ledger then reloads its index). */
  async lock(): Promise<void> {
    await this.settled();
    if (!this.locked) {
      this.expectReply(await this.writer.request({ type: "lock", seq: 0 }));
      this.locked = true;
    }
    this.lockedBatches--;
  }

  /** Settles once every batch handed over so far is committed or has failed. */
  settled(): Promise<unknown> {
    return Promise.allSettled(this.unconfirmed.map((b) => b.committed));
  }

  /** After a conflict, once `settled`: forgets the batches not committed; the next ones are decided under the write lock. */
  forget(): void {
    for (const b of this.unconfirmed) b.text.release();
    this.unconfirmed = [];
    this.current.text.release();
    this.current = new ThreadBatch(this.buffers);
    this.lockedBatches = LOCKED_AFTER_CONFLICT;
  }

  /** The commit of the last batch handed over, while one is in flight (each is sent once the one before it is committed). */
  lastCommitted(): Promise<void> | undefined {
    return this.unconfirmed[this.unconfirmed.length - 1]?.committed;
  }

  /** Deciding `batch` threw (under the write lock if `locked`): it is never sent, the next batch starts afresh, and the lock is given up. */
  drop(batch: ThreadBatch, locked: boolean): void {
    batch.text.release(); // never sent
    this.current = new ThreadBatch(this.buffers);
    if (locked) {
      this.locked = false;
      void this.writer.request({ type: "unlock", seq: 0 }).catch(() => undefined);
    }
  }

  /**
   * Hands over `batch`, decided, and starts the next one. It is sent once the batch
   * before it is committed, with the ledger state `expected()` returns then (undefined:
   * decided under the write lock); once it is committed, `committed` gets the state after
   * its commit. `batch.committed` settles then, or fails (a `conflict` LedgerError, or the
   * error that kept it out).
   */
  send(batch: ThreadBatch, expected: () => readonly [generation: number, epoch: number] | undefined, committed: (state: Committed) => void): void {
    this.current = new ThreadBatch(this.buffers);
    this.locked = false;
    batch.charged.length = 0;
    const previous = this.unconfirmed[this.unconfirmed.length - 1];
    this.unconfirmed.push(batch);
    const send = async (): Promise<void> => {
      // Decided on top of `previous`: sent once it is committed, against the state it left.
      if (previous !== undefined) await previous.committed;
      const request: BatchRequest = {
        type: "batch",
        seq: 0,
        expected: expected(),
        recordedAt: batch.recordedAt,
        textLength: batch.text.length,
        buffer: batch.text.buffer,
        policies: batch.policies,
        orders: batch.orders,
        charges: batch.charges,
      };
      const pending = this.writer.request(request);
      // Copied to the writer: only the decision texts are kept (for `decided`) until the commit.
      batch.orders.length = 0;
      batch.charges.length = 0;
      const reply = await pending;
      if (reply.kind === "conflict") {
        throw new LedgerError(
          "conflict",
          `ledger \`${this.name}\` was written by another process while a batch was decided`,
          "decide the batch again (recover())",
        );
      }
      this.expectReply(reply);
      if (reply.kind === "done") committed(reply);
      const i = this.unconfirmed.indexOf(batch);
      if (i >= 0) {
        this.unconfirmed.splice(i, 1);
        batch.text.release(); // committed: `decided` reads it from the file now
      }
    };
    batch.committed = send();
    batch.committed.catch(() => undefined); // awaited by `durable`; never an unhandled rejection
  }

  close(): void {
    this.writer.close();
  }

  /** Throws the error a writer reply carries. */
  private expectReply(reply: WriterReply): void {
    if (reply.kind === "error") {
      const e = Object.assign(new Error(reply.message), { code: reply.code });
      throw translate(e, this.name);
    }
  }
}

/** The writer thread: requests answered in order. */
class Writer {
  private readonly worker: Worker;
  private readonly closed: Int32Array;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (r: WriterReply) => void; reject: (e: unknown) => void }>();
  private failure: unknown;

  constructor(data: WriterData) {
    this.closed = new Int32Array(data.closed);
    // The compiled writer, from src/ (tests) as from dist/.
    this.worker = new Worker(new URL("../dist/writer.js", import.meta.url), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.unref();
    this.worker.on("message", (reply: WriterReply) => {
      const w = this.waiting.get(reply.seq);
      this.waiting.delete(reply.seq);
      if (this.waiting.size === 0) this.worker.unref();
      w?.resolve(reply);
    });
    const fail = (e: unknown): void => {
      this.failure ??= e;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`the ledger writer thread stopped (exit code ${code})`)));
  }

  request(req: WriterRequest): Promise<WriterReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ ...req, seq });
    });
  }

  /**
   * Closes the writer's connection before the caller closes its own, so that the last
   * one to close (the caller's) checkpoints and removes the WAL file; waits up to 30 s.
   */
  close(): void {
    if (this.failure === undefined) {
      this.failure = new Error("the ledger is closed");
      this.worker.postMessage({ type: "close", seq: 0 });
      Atomics.wait(this.closed, 0, 0, 30_000);
    }
    void this.worker.terminate();
  }
}
