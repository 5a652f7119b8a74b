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
  /** Tables whose row counts the migration must keep (checked before it commits): nothing recorded is lost. */
  readonly keeps?: readonly string[];
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
  {
    version: 3,
    description: "compact ledger: decisions stored in compressed blocks, one per batch; compact order and charge rows",
    // Decisions are kept whole, but as blocks: the JSON Lines of one batch's decisions,
    // compressed (`codec` 'brotli'; 'json': one decision as plain text,
    // which is how the rows of older files are carried over). An order row points at its
    // block and line (`slot`). Recording times live on the block, policy hashes in their
    // own table; a charge row points at its order row. `recorded_at` of old rows is kept.
    sql: `
      CREATE TABLE policies (
        id     INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE
      );
      CREATE TABLE blocks (
        id          INTEGER PRIMARY KEY,
        codec       TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        data        BLOB NOT NULL
      );
      CREATE TABLE orders (
        id         INTEGER PRIMARY KEY,
        order_id   TEXT NOT NULL UNIQUE,
        order_date TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        policy     INTEGER NOT NULL,
        block      INTEGER NOT NULL,
        slot       INTEGER NOT NULL
      );
      CREATE TABLE order_charges (
        id           INTEGER PRIMARY KEY,
        ord          INTEGER NOT NULL,
        cap          TEXT NOT NULL,
        key          TEXT NOT NULL,
        window       TEXT NOT NULL,
        amount       TEXT NOT NULL,
        limit_amount TEXT
      );
      INSERT INTO policies (sha256) SELECT DISTINCT policy_sha256 FROM decisions ORDER BY policy_sha256;
      INSERT INTO blocks (id, codec, recorded_at, data) SELECT id, 'json', recorded_at, decision FROM decisions ORDER BY id;
      INSERT INTO orders (id, order_id, order_date, outcome, policy, block, slot)
        SELECT d.id, d.order_id, d.order_date, d.outcome, p.id, d.id, 0
        FROM decisions d JOIN policies p ON p.sha256 = d.policy_sha256 ORDER BY d.id;
      INSERT INTO order_charges (id, ord, cap, key, window, amount, limit_amount)
        SELECT c.id, d.id, c.cap, c.key, c.window, c.amount, c.limit_amount
        FROM charges c JOIN decisions d ON d.order_id = c.order_id ORDER BY c.id;
      DROP TABLE charges;
      DROP TABLE decisions;
      ALTER TABLE orders RENAME TO decisions;
      ALTER TABLE order_charges RENAME TO charges;
    `,
    keeps: ["decisions", "charges"],
  },
  {
    version: 4,
    description: "content digest of each decided order, to tell an order id given again for other content from a repeat",
    // NULL for orders recorded before: their repeats are taken as repeats, as they were.
    sql: `
      ALTER TABLE decisions ADD COLUMN order_digest INTEGER;
    `,
    keeps: ["decisions", "charges"],
  },
];

export const LATEST_SCHEMA: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
