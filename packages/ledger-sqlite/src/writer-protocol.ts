/**
 * Messages between a SqliteLedger in `writer: "thread"` mode and its writer thread
 * (writer.ts). See writer-client.ts for the protocol and why it keeps concurrent processes safe.
 */

/** What the writer thread is started with. */
export interface WriterData {
  readonly path: string;
  readonly busyTimeoutMs: number;
  /** An Int32Array's buffer: set to 1 (and notified) once a `close` request has closed the connection. */
  readonly closed: SharedArrayBuffer;
}

/**
 * One batch to write. Order rows are flat, `ORDER_FIELDS` values each; charge rows
 * `CHARGE_FIELDS` each. Rows refer to each other and to policies by position in this
 * batch; the writer turns positions into row ids inside its transaction.
 */
export interface BatchRequest {
  readonly type: "batch";
  readonly seq: number;
  /**
   * The ledger state (generation, epoch) the batch was decided against. The writer
   * commits only if the file is still in that state once it holds the write lock;
   * undefined when the batch was decided while the writer already held the lock (`lock`).
   */
  readonly expected: readonly [generation: number, epoch: number] | undefined;
  readonly recordedAt: string;
  /**
   * The decisions' JSON texts joined by newlines (the block's text): its UTF-8 length; the
   * bytes are at the start of `buffer`, which the batch was encoded into as it was decided
   * (shared memory, not copied; the sender reuses it only once the writer has replied).
   */
  readonly textLength: number;
  readonly buffer: SharedArrayBuffer;
  readonly policies: readonly string[];
  /** order_id, order_date, outcome, policy (index in `policies`), slot, order_digest (null: none). */
  readonly orders: readonly unknown[];
  /** order (index in this batch), cap, key, window, amount, limit_amount. */
  readonly charges: readonly unknown[];
}

export const ORDER_FIELDS = 6;
export const CHARGE_FIELDS = 6;

/** Take the write lock (BEGIN IMMEDIATE) and hold it until the next batch is written. */
export interface LockRequest {
  readonly type: "lock";
  readonly seq: number;
}

/** Give up a lock taken with `lock` without writing. */
export interface UnlockRequest {
  readonly type: "unlock";
  readonly seq: number;
}

/** Close the connection (the caller waits on `WriterData.closed`, no reply). */
export interface CloseRequest {
  readonly type: "close";
  readonly seq: number;
}

export type WriterRequest = BatchRequest | LockRequest | UnlockRequest | CloseRequest;

export type WriterReply =
  | {
      readonly seq: number;
      readonly kind: "done";
      /** The state after this request (the batch's commit included). */
      readonly generation: number;
      readonly epoch: number;
      /** The last decision and charge row ids now in the file. */
      readonly lastDecisionId: number;
      readonly lastChargeId: number;
    }
  | { readonly seq: number; readonly kind: "conflict" }
  | { readonly seq: number; readonly kind: "error"; readonly message: string; readonly code: string | undefined };
