/**
 * Thread mode (`writer: "thread"`): one batch's rows and decision texts as they are
 * recorded, in the form the writer thread takes them (writer-protocol.ts), and the
 * lookup of a decision still in flight. How batches reach the writer: writer-client.ts.
 */
import type { Decision, LedgerCharge, LedgerEntry } from "@diffuse/engine";
import { BatchText } from "./batch-text.js";
import type { BufferPool } from "./buffer-pool.js";
import { format } from "./decimal.js";

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
      const shown =
        same !== undefined && same.cap === c.cap && same.key === c.key && same.window === c.window
          ? same
          : charges.find((d) => d.cap === c.cap && d.key === c.key && d.window === c.window);
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
