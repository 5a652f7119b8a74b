/**
 * The SQL a SqliteLedger reads its file with (write-sql.ts has the writes): the rows
 * other processes committed since the index was last brought up to date, and where a
 * recorded order's decision is (read ahead in runs of rows on a rerun).
 */
import type { Database, Statement } from "better-sqlite3";

/** Order rows read ahead once `decided` is asked for orders in recording order (a rerun). */
export const LOOKAHEAD = 1024;

/** The statements that read the file (raw: rows as arrays, but `state`). */
export interface ReadStatements {
  readonly state: Statement;
  readonly chargesSince: Statement;
  readonly decisionsSince: Statement;
  readonly decisionById: Statement;
  readonly decisionsFrom: Statement;
  readonly blockById: Statement;
}

/**
 * `orderDigests`: whether the file has `decisions.order_digest` (schema 4); a file of
 * schema 3, read in place, has none, and every order reads as recorded without one.
 */
export function prepareReads(db: Database, orderDigests = true): ReadStatements {
  const digest = orderDigests ? "order_digest" : "NULL AS order_digest";
  return {
    state: db.prepare("SELECT generation, epoch FROM ledger_state WHERE id = 1"),
    chargesSince: db
      .prepare("SELECT c.id, c.cap, c.key, d.order_date, c.amount FROM charges c JOIN decisions d ON d.id = c.ord WHERE c.id > ? ORDER BY c.id")
      .raw(true),
    decisionsSince: db.prepare("SELECT id, order_id FROM decisions WHERE id > ? ORDER BY id").raw(true),
    decisionById: db.prepare(`SELECT id, block, slot, ${digest} FROM decisions WHERE order_id = ?`).raw(true),
    decisionsFrom: db.prepare(`SELECT order_id, id, block, slot, ${digest} FROM decisions WHERE id >= ? ORDER BY id LIMIT ${LOOKAHEAD}`).raw(true),
    blockById: db.prepare("SELECT codec, data FROM blocks WHERE id = ?").raw(true),
  };
}
