import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import type { Decision, LedgerEntry } from "@diffuse/engine";
import { format, normalize } from "../src/decimal.js";
import { afterEach } from "vitest";
import { LedgerError, SqliteLedger, type SqliteLedgerOptions } from "../src/index.js";

export function tempDb(name = "ledger.db"): string {
  return join(mkdtempSync(join(tmpdir(), "diffuse-ledger-")), name);
}

export const policy = { name: "test", version: "1", sha256: "cd".repeat(32) };

/** An authorized order charging `amount` (decimal text) to each of `caps` as (cap, key). */
export function entry(orderId: string, date: string, amount: string, caps: readonly (readonly [string, string])[] = [["lpp", "uni-my"]]): LedgerEntry {
  const [whole, frac = ""] = amount.split(".");
  const value = normalize(BigInt(`${whole}${frac}`), 10n ** BigInt(frac.length));
  const decision: Decision = {
    order: orderId,
    outcome: "authorized",
    basis: "LPP",
    reasons: [],
    charges: caps.map(([cap, key]) => ({ cap, key, window: "2025", amount, before: "0", after: amount, limit: "1000" })),
    policy,
  };
  return {
    orderId,
    date,
    decision,
    policySha256: policy.sha256,
    charges: caps.map(([cap, key]) => ({ cap, key, window: "2025", date, amount: value })),
  };
}

/** The LedgerError `fn` throws (any other outcome fails the test). */
export function errorOf(fn: () => unknown): LedgerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LedgerError) return e;
    throw e;
  }
  throw new Error("expected a LedgerError");
}

/**
 * Writes `entries` into `db`, a database migrated to schema 3, as Diffuse wrote them
 * before order digests: one block (codec `json`) and one decision row per entry, its
 * charges, all under policy row 1.
 */
export function recordAsSchema3(db: Database, entries: readonly LedgerEntry[]): void {
  const first = entries[0];
  if (first === undefined) return;
  db.prepare("INSERT INTO policies (id, sha256) VALUES (1, ?)").run(first.policySha256);
  entries.forEach((e, i) => {
    const row = i + 1;
    db.prepare("INSERT INTO blocks (id, codec, recorded_at, data) VALUES (?, 'json', ?, ?)").run(
      row,
      `2025-06-0${1 + (i % 9)}T00:00:00.000Z`,
      JSON.stringify(e.decision),
    );
    db.prepare("INSERT INTO decisions (id, order_id, order_date, outcome, policy, block, slot) VALUES (?, ?, ?, ?, 1, ?, 0)").run(
      row,
      e.orderId,
      e.date,
      e.decision.outcome,
      row,
    );
    for (const c of e.charges) {
      const limit = e.decision.charges.find((d) => d.cap === c.cap && d.key === c.key)?.limit ?? null;
      db.prepare("INSERT INTO charges (ord, cap, key, window, amount, limit_amount) VALUES (?, ?, ?, ?, ?, ?)").run(
        row,
        c.cap,
        c.key,
        c.window,
        format(c.amount),
        limit,
      );
    }
  });
}

export interface LedgerOpener {
  /** `SqliteLedger.open` with the opener's defaults under `options`. */
  (path: string, options?: SqliteLedgerOptions): SqliteLedger;
  /** Closes a ledger opened another way (`openReadOnly`) after the test too. */
  closeLater<L extends SqliteLedger>(ledger: L): L;
}

/**
 * Opens ledgers for the tests of one file: every ledger it opened is closed after each
 * test (one a test closed itself is skipped). Call it at the top level of the test file.
 */
export function ledgerOpener(defaults: SqliteLedgerOptions): LedgerOpener {
  const open: SqliteLedger[] = [];
  afterEach(() => {
    for (const l of open.splice(0)) {
      try {
        l.close();
      } catch {
        /* already closed */
      }
    }
  });
  const closeLater = <L extends SqliteLedger>(ledger: L): L => {
    open.push(ledger);
    return ledger;
  };
  return Object.assign((path: string, options: SqliteLedgerOptions = {}) => closeLater(SqliteLedger.open(path, { ...defaults, ...options })), { closeLater });
}
