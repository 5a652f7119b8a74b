/**
 * The ledger's schema, as an ordered list of migrations. `schema_version` holds the
 * version a file is at; a file at a newer version than `LATEST_SCHEMA` was written by a
 * newer Diffuse and is refused (never downgraded or guessed at).
 *
 * Never edit a released migration: append a new one.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "decisions and charges",
    sql: `
      CREATE TABLE decisions (
        id            INTEGER PRIMARY KEY,
        order_id      TEXT NOT NULL UNIQUE,
        order_date    TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        decision      TEXT NOT NULL,
        recorded_at   TEXT NOT NULL
      );
      CREATE TABLE charges (
        id            INTEGER PRIMARY KEY,
        order_id      TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        policy_sha256 TEXT NOT NULL,
        cap           TEXT NOT NULL,
        key           TEXT NOT NULL,
        window        TEXT NOT NULL,
        amount        TEXT NOT NULL,
        order_date    TEXT NOT NULL,
        recorded_at   TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: "change counter for cross-process cache validation; cap limit on each charge",
    sql: `
      CREATE TABLE ledger_state (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        generation INTEGER NOT NULL,
        epoch      INTEGER NOT NULL
      );
      INSERT INTO ledger_state (id, generation, epoch) VALUES (1, 0, 0);
      ALTER TABLE charges ADD COLUMN limit_amount TEXT;
    `,
  },
];

export const LATEST_SCHEMA: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
