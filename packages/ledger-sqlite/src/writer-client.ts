/**
 * The client side of a SqliteLedger's writer thread (`writer: "thread"`): `ThreadBatch`,
 * one batch's rows and decision texts as the writer takes them, and `Writer`, which
 * starts the thread (writer.ts) and sends it requests, answered in order. How the
 * ledger uses them, and why that keeps concurrent processes safe: "Writer thread" in
 * ledger.ts.
 */
import { Worker } from "node:worker_threads";
import type { Decision, LedgerCharge, LedgerEntry } from "@diffuse/engine";
import { BatchText } from "./batch-text.js";
import type { BufferPool } from "./buffer-pool.js";
import { format } from "./decimal.js";
import type { WriterData, WriterReply, WriterRequest } from "./writer-protocol.js";

/** What is recorded for an order id: its decision's JSON text, and its order's content digest (null: none recorded). */
export interface Recorded {
  readonly text: string;
  readonly digest: number | null;
}

/** Thread mode: one batch's rows and decision texts, as the writer takes them. */
export class ThreadBatch {
  recordedAt = "";
  /** The decisions' texts, encoded where the writer reads them. */
  readonly text: BatchText;
  /** Order id of each line; looked up through `slots`, built on first use (`decided` on an order in flight is rare). */
  private readonly ids: string[] = [];
  /** The content digest of each line's order (null: none given); kept, unlike `orders`, until the batch is dropped. */
  private readonly digests: (number | null)[] = [];
  private slots: Map<string, number> | undefined;
  readonly policies: string[] = [];
  readonly orders: unknown[] = [];
  readonly charges: unknown[] = [];
  /** The charges as recorded, to take them back out of the index if the batch fails. */
  readonly charged: LedgerCharge[] = [];
  /** Resolves once committed; rejects with a `conflict` LedgerError, or the error that kept it out. */
  committed: Promise<void> = Promise.resolve();

  constructor(buffers: BufferPool) {
    this.text = new BatchText(buffers);
  }

  add(entry: LedgerEntry, decision: Decision, json: string): void {
    const slot = this.ids.length;
    this.text.append(json);
    this.ids.push(entry.orderId);
    this.slots?.set(entry.orderId, slot);
    let policy = this.policies.indexOf(entry.policySha256);
    if (policy < 0) policy = this.policies.push(entry.policySha256) - 1;
    const digest = entry.orderDigest ?? null;
    this.digests.push(digest);
    this.orders.push(entry.orderId, entry.date, decision.outcome, policy, slot, digest);
    const charges = decision.charges;
    for (let i = 0; i < entry.charges.length; i++) {
      const c = entry.charges[i] as LedgerCharge;
      this.charged.push(c);
      // The engine lists a decision's charges in the order of its ledger charges: try the same position first.
      const same = charges[i];
      const shown = same !== undefined && same.cap === c.cap && same.key === c.key && same.window === c.window ? same : charges.find((d) => d.cap === c.cap && d.key === c.key && d.window === c.window);
      this.charges.push(slot, c.cap, c.key, c.window, format(c.amount), shown?.limit ?? null);
    }
  }

  /** The decision text and digest recorded for `orderId` in this batch; undefined when the batch does not hold it. */
  recordedOf(orderId: string): Recorded | undefined {
    let slots = this.slots;
    if (slots === undefined) {
      slots = new Map();
      for (let i = 0; i < this.ids.length; i++) slots.set(this.ids[i] as string, i);
      this.slots = slots;
    }
    const slot = slots.get(orderId);
    const text = slot === undefined ? undefined : this.text.line(slot);
    return slot === undefined || text === undefined ? undefined : { text, digest: this.digests[slot] as number | null };
  }
}

/** The writer thread: requests answered in order. */
export class Writer {
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
