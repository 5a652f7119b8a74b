/**
 * Inline mode (no writer thread): the batch in flight inside SqliteLedger's write
 * transaction. Its decision texts become one block when it commits; its order and charge
 * rows go into the transaction as they are recorded, `ROWS_PER_INSERT` at a time. The
 * thread-mode counterpart is thread-batch.ts.
 */
import type { Decision, LedgerCharge, LedgerEntry } from "@diffuse/engine";
import { encodeBlock } from "./blocks.js";
import { format } from "./decimal.js";
import type { Recorded } from "./thread-batch.js";
import { CHARGE_COLUMNS, insertRows, ORDER_COLUMNS, ROWS_PER_INSERT, type WriteStatements } from "./write-sql.js";

export class InlineBatch {
  /** The block the batch's decisions go into. */
  private blockId = 0;
  private recordedAt = "";
  private lines: string[] = [];
  private readonly slots = new Map<string, number>();
  /** The content digest of each line's order (null: none given). */
  private digests: (number | null)[] = [];
  private orderRows: unknown[] = [];
  private chargeRows: unknown[] = [];
  /** The policies row of each content hash met (rows are added on first use, inside a batch). */
  private readonly policyIds = new Map<string, number>();

  constructor(private readonly writes: WriteStatements) {}

  /** Whether anything was recorded since `start`. */
  get dirty(): boolean {
    return this.lines.length > 0;
  }

  /** Starts a batch, inside the write transaction: its block follows the last one in the file. */
  start(): void {
    this.clear();
    this.blockId = (this.writes.maxBlock.get() as number) + 1;
    this.recordedAt = new Date().toISOString();
  }

  /**
   * Adds one recorded order as decision row `row`: its decision's text `json`, its row,
   * and a row per charge (with the limit the decision shows for it). Returns the id of the
   * last charge row written to the file, when some were written now.
   */
  add(entry: LedgerEntry, decision: Decision, json: string, row: number): number | undefined {
    const slot = this.lines.length;
    this.lines.push(json);
    this.slots.set(entry.orderId, slot);
    this.digests.push(entry.orderDigest ?? null);
    this.orderRows.push(row, entry.orderId, entry.date, decision.outcome, this.policyId(entry.policySha256), this.blockId, slot, entry.orderDigest ?? null);
    if (this.orderRows.length === ROWS_PER_INSERT * ORDER_COLUMNS.length) this.flushOrders();
    let lastCharge: number | undefined;
    for (let i = 0; i < entry.charges.length; i++) {
      const c = entry.charges[i] as LedgerCharge;
      const limit = decision.charges.find((d) => d.cap === c.cap && d.key === c.key && d.window === c.window)?.limit ?? null;
      this.chargeRows.push(row, c.cap, c.key, c.window, format(c.amount), limit);
      if (this.chargeRows.length === ROWS_PER_INSERT * CHARGE_COLUMNS.length) lastCharge = this.flushCharges() ?? lastCharge;
    }
    return lastCharge;
  }

  /** What this batch recorded for `orderId`, if it did. */
  recordedOf(orderId: string): Recorded | undefined {
    const slot = this.slots.get(orderId);
    return slot === undefined ? undefined : { text: this.lines[slot] as string, digest: this.digests[slot] ?? null };
  }

  /**
   * Writes what is left of the batch: the last rows and the block of its decision texts.
   * Returns the id of the last charge row written now, when there was one.
   */
  finish(): number | undefined {
    this.flushOrders();
    const lastCharge = this.flushCharges();
    const block = encodeBlock(this.lines);
    this.writes.insertBlock.run(this.blockId, block.codec, this.recordedAt, block.data);
    return lastCharge;
  }

  /** Forgets the batch (committed or rolled back). */
  clear(): void {
    this.lines = [];
    this.slots.clear();
    this.digests = [];
    this.orderRows = [];
    this.chargeRows = [];
  }

  /** Forgets the policy rows too: the file was reset or rolled back, and they may be gone. */
  forget(): void {
    this.clear();
    this.policyIds.clear();
  }

  private policyId(sha256: string): number {
    let id = this.policyIds.get(sha256);
    if (id === undefined) {
      const found = this.writes.policyId.get(sha256) as number | undefined;
      id = found ?? Number(this.writes.insertPolicy.run(sha256).lastInsertRowid);
      this.policyIds.set(sha256, id);
    }
    return id;
  }

  private flushOrders(): void {
    insertRows(this.orderRows, ORDER_COLUMNS.length, this.writes.insertOrders, this.writes.insertOrder);
    this.orderRows = [];
  }

  private flushCharges(): number | undefined {
    const last = insertRows(this.chargeRows, CHARGE_COLUMNS.length, this.writes.insertCharges, this.writes.insertCharge);
    this.chargeRows = [];
    return last;
  }
}
