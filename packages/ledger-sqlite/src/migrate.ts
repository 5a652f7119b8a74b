/**
 * The schema version of a ledger file: reading it, refusing a file written by a newer
 * Diffuse, and migrating an open database up to a version (schema.ts holds the
 * migrations).
 */
import type { Database as Db } from "better-sqlite3";
import { LedgerError } from "./errors.js";
import { LATEST_SCHEMA, MIGRATIONS } from "./schema.js";

/** The schema version `db` is at (0: an empty database); `name`: the file as messages call it. */
export function readSchemaVersion(db: Db, name: string): number {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return 0;
  if (!tables.includes("schema_version")) {
    throw new LedgerError(
      "not-a-ledger",
      `ledger \`${name}\` is an SQLite database but not a Diffuse ledger`,
      "give a new file name to start a ledger, or the path of an existing Diffuse ledger",
    );
  }
  const v = db.prepare("SELECT MAX(version) FROM schema_version").pluck().get();
  return typeof v === "number" ? v : 0;
}

/** The error for a file written by a newer Diffuse, at `schema`. */
export function newerSchema(name: string, schema: number): LedgerError {
  return new LedgerError(
    "newer-schema",
    `ledger \`${name}\` was written by a newer Diffuse (schema ${schema}; this version reads up to ${LATEST_SCHEMA})`,
    "upgrade Diffuse to read this ledger, or give another --ledger file",
  );
}

/** Migrates an open database to `target` (tests use a lower target to build old files); `name`: the file as messages call it. */
export function migrate(db: Db, name: string, target: number): void {
  db.prepare("BEGIN IMMEDIATE").run();
  try {
    const current = readSchemaVersion(db, name);
    if (current > LATEST_SCHEMA) throw newerSchema(name, current);
    if (current === 0) db.exec("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)");
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      const before = (m.keeps ?? []).map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get());
      db.exec(m.sql);
      (m.keeps ?? []).forEach((t, i) => {
        const after = db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get();
        if (after !== before[i]) {
          throw new LedgerError(
            "not-a-ledger",
            `ledger \`${name}\` cannot be migrated to schema ${m.version}: table \`${t}\` would go from ${String(before[i])} to ${String(after)} rows`,
            "the file is inconsistent; restore it from a backup (it was left unchanged)",
          );
        }
      });
      db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)").run(m.version, new Date().toISOString());
    }
    db.prepare("COMMIT").run();
  } catch (e) {
    if (db.inTransaction) db.prepare("ROLLBACK").run();
    throw e;
  }
}
