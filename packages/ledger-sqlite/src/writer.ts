/**
 * The writer thread of a SqliteLedger in `writer: "thread"` mode: its own connection to
 * the file, which takes the write lock, checks that the file is still in the state a
 * batch was decided against, compresses the batch's decisions into a block, inserts
 * the rows and commits (synchronous = FULL: a reply "done" means committed and on disk).
 * The protocol and why it keeps concurrent processes safe are described in writer-client.ts.
 */
import { closeSync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { encodeBlockBytes } from "./blocks.js";
import { CHARGE_COLUMNS, insertRows, ORDER_COLUMNS, prepareWrites } from "./write-sql.js";
import { CHARGE_FIELDS, ORDER_FIELDS, type BatchRequest, type WriterData, type WriterReply, type WriterRequest } from "./writer-protocol.js";

const port = parentPort;
if (port === null) throw new Error("writer.js runs as a worker thread");
const { path, busyTimeoutMs, closed } = workerData as WriterData;
const db = new Database(path, { timeout: busyTimeoutMs });
db.pragma("synchronous = FULL");
db.pragma("wal_autocheckpoint = 16384");

const stmts = {
  ...prepareWrites(db),
  state: db.prepare("SELECT generation, epoch FROM ledger_state WHERE id = 1").raw(true),
  maxDecision: db.prepare("SELECT COALESCE(MAX(id), 0) FROM decisions").pluck(true),
  maxCharge: db.prepare("SELECT COALESCE(MAX(id), 0) FROM charges").pluck(true),
};

/** Whether this thread holds the write lock, taken by a `lock` request. */
let locked = false;
let folderSynced = false;

function state(): [number, number] {
  const row = stmts.state.get() as [number, number] | undefined;
  if (row === undefined) throw new Error("the ledger has no state row");
  return row;
}

function write(req: BatchRequest): WriterReply {
  if (!locked) stmts.begin.run();
  locked = false;
  try {
    const [generation, epoch] = state();
    if (req.expected !== undefined && (req.expected[0] !== generation || req.expected[1] !== epoch)) {
      stmts.rollback.run();
      return { seq: req.seq, kind: "conflict" };
    }
    let after = generation;
    if (req.orders.length > 0) {
      const policyIds = req.policies.map((sha) => (stmts.policyId.get(sha) as number | undefined) ?? Number(stmts.insertPolicy.run(sha).lastInsertRowid));
      const block = (stmts.maxBlock.get() as number) + 1;
      const base = (stmts.maxDecision.get() as number) + 1;
      const orders: unknown[] = new Array<unknown>((req.orders.length / ORDER_FIELDS) * ORDER_COLUMNS.length);
      for (let i = 0, o = 0, n = 0; i < req.orders.length; i += ORDER_FIELDS, n++) {
        orders[o++] = base + n;
        orders[o++] = req.orders[i];
        orders[o++] = req.orders[i + 1];
        orders[o++] = req.orders[i + 2];
        orders[o++] = policyIds[req.orders[i + 3] as number];
        orders[o++] = block;
        orders[o++] = req.orders[i + 4];
        orders[o++] = req.orders[i + 5];
      }
      insertRows(orders, ORDER_COLUMNS.length, stmts.insertOrders, stmts.insertOrder);
      const charges = req.charges.slice();
      for (let i = 0; i < charges.length; i += CHARGE_FIELDS) charges[i] = base + (charges[i] as number);
      insertRows(charges, CHARGE_COLUMNS.length, stmts.insertCharges, stmts.insertCharge);
      const encoded = encodeBlockBytes(new Uint8Array(req.buffer, 0, req.textLength));
      stmts.insertBlock.run(block, encoded.codec, req.recordedAt, encoded.data);
      stmts.bump.run();
      after += 1;
    }
    const lastDecisionId = stmts.maxDecision.get() as number;
    const lastChargeId = stmts.maxCharge.get() as number;
    stmts.commit.run();
    if (!folderSynced) {
      // A new WAL file's folder entry must survive a power loss too (SQLite does not sync it).
      folderSynced = true;
      syncFolder(dirname(path));
    }
    return { seq: req.seq, kind: "done", generation: after, epoch, lastDecisionId, lastChargeId };
  } catch (e) {
    if (db.inTransaction) stmts.rollback.run();
    throw e;
  }
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort, as SQLite's own: some platforms cannot open or sync a folder.
  }
}

function handle(req: WriterRequest): WriterReply {
  switch (req.type) {
    case "batch":
      return write(req);
    case "lock": {
      if (!locked) stmts.begin.run();
      locked = true;
      const [generation, epoch] = state();
      return {
        seq: req.seq,
        kind: "done",
        generation,
        epoch,
        lastDecisionId: stmts.maxDecision.get() as number,
        lastChargeId: stmts.maxCharge.get() as number,
      };
    }
    case "unlock": {
      if (db.inTransaction) stmts.rollback.run();
      locked = false;
      const [generation, epoch] = state();
      return { seq: req.seq, kind: "done", generation, epoch, lastDecisionId: 0, lastChargeId: 0 };
    }
    case "close":
      throw new Error("close is handled before any other request");
    default: {
      const never: never = req;
      throw new Error(`unknown writer request ${String(never)}`);
    }
  }
}

port.on("message", (req: WriterRequest) => {
  if (req.type === "close") {
    // Rolls back a lock still held; the last connection to close removes the WAL file.
    try {
      db.close();
    } finally {
      const flag = new Int32Array(closed);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      port.close();
    }
    return;
  }
  let reply: WriterReply;
  try {
    reply = handle(req);
  } catch (e) {
    locked = false;
    const code = (e as { code?: unknown } | null)?.code;
    reply = { seq: req.seq, kind: "error", message: e instanceof Error ? e.message : String(e), code: typeof code === "string" ? code : undefined };
  }
  port.postMessage(reply);
});
