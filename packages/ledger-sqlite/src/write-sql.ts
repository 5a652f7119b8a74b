/**
 * The SQL the two writers of a ledger file share: the inline writer of SqliteLedger
 * (ledger.ts) and its writer thread (writer.ts). Order and charge rows go in with
 * multi-row INSERTs, fewer statement runs per batch.
 */
import type { Database, Statement } from "better-sqlite3";

/** Rows written with one multi-row INSERT. */
export const ROWS_PER_INSERT = 64;
export const ORDER_COLUMNS = ["id", "order_id", "order_date", "outcome", "policy", "block", "slot", "order_digest"] as const;
export const CHARGE_COLUMNS = ["ord", "cap", "key", "window", "amount", "limit_amount"] as const;

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const row = `(${columns.map(() => "?").join(", ")})`;
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`;
}

/** The statements that write a batch. */
export interface WriteStatements {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  readonly bump: Statement;
  readonly maxBlock: Statement;
  readonly policyId: Statement;
  readonly insertPolicy: Statement;
  readonly insertBlock: Statement;
  readonly insertOrder: Statement;
  readonly insertOrders: Statement;
  readonly insertCharge: Statement;
  readonly insertCharges: Statement;
}

export function prepareWrites(db: Database): WriteStatements {
  return {
    begin: db.prepare("BEGIN IMMEDIATE"),
    commit: db.prepare("COMMIT"),
    rollback: db.prepare("ROLLBACK"),
    bump: db.prepare("UPDATE ledger_state SET generation = generation + 1 WHERE id = 1"),
    maxBlock: db.prepare("SELECT COALESCE(MAX(id), 0) FROM blocks").pluck(true),
    policyId: db.prepare("SELECT id FROM policies WHERE sha256 = ?").pluck(true),
    insertPolicy: db.prepare("INSERT INTO policies (sha256) VALUES (?)"),
    insertBlock: db.prepare("INSERT INTO blocks (id, codec, recorded_at, data) VALUES (?, ?, ?, ?)"),
    insertOrder: db.prepare(insertSql("decisions", ORDER_COLUMNS, 1)),
    insertOrders: db.prepare(insertSql("decisions", ORDER_COLUMNS, ROWS_PER_INSERT)),
    insertCharge: db.prepare(insertSql("charges", CHARGE_COLUMNS, 1)),
    insertCharges: db.prepare(insertSql("charges", CHARGE_COLUMNS, ROWS_PER_INSERT)),
  };
}

/**
 * Inserts flat rows of `width` values, `ROWS_PER_INSERT` to a statement where it can;
 * returns the last inserted row id (undefined when there were no rows).
 */
export function insertRows(rows: readonly unknown[], width: number, many: Statement, one: Statement): number | undefined {
  let last: number | undefined;
  const chunk = ROWS_PER_INSERT * width;
  let i = 0;
  for (; i + chunk <= rows.length; i += chunk) last = Number(many.run(rows.length === chunk ? rows : rows.slice(i, i + chunk)).lastInsertRowid);
  for (; i < rows.length; i += width) last = Number(one.run(rows.slice(i, i + width)).lastInsertRowid);
  return last;
}
