/**
 * The reports `ledger show` and `ledger export` read from a ledger file: the summary
 * (decisions by outcome, charges), the utilisation of each cap, key and window (a
 * schedule's steps counted cumulatively, as the cap counts them), and every charge row.
 * Functions over an open connection: SqliteLedger's `summary`, `utilisation` and
 * `charges` are these.
 */
import type { Database as Db, Statement } from "better-sqlite3";
import type { Rational } from "@diffuse/language";
import { ZERO, add, format, parseStored } from "./decimal.js";
import { readSchemaVersion } from "./migrate.js";
import { SeriesIndex } from "./series.js";

/** One charge row, as `ledger export` writes it. */
export interface ChargeRow {
  readonly orderId: string;
  readonly outcome: string;
  readonly policySha256: string;
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly amount: string;
  readonly limit: string | null;
  readonly orderDate: string;
  readonly recordedAt: string;
}

/** Total charged to one cap, key and window (`ledger show`). */
export interface UtilisationRow {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly used: string;
  /** The limit recorded with the latest charge, when known. */
  readonly limit: string | null;
  readonly charges: number;
}

/** What a ledger file holds, counted (`ledger show`). */
export interface LedgerSummary {
  readonly schemaVersion: number;
  readonly decisions: number;
  readonly charges: number;
  readonly outcomes: Readonly<Record<string, number>>;
}

/** `SqliteLedger.summary`; `fileSchema`: the file's own schema when it is opened to be read (it may be older) (`name`: the file as messages call it). */
export function summaryOf(db: Db, name: string, fileSchema: number | undefined): LedgerSummary {
  const outcomes: Record<string, number> = {};
  let decisions = 0;
  for (const row of db.prepare("SELECT outcome, COUNT(*) AS n FROM decisions GROUP BY outcome ORDER BY outcome").all() as {
    outcome: string;
    n: number;
  }[]) {
    outcomes[row.outcome] = row.n;
    decisions += row.n;
  }
  const charges = (db.prepare("SELECT COUNT(*) FROM charges").pluck().get() as number) ?? 0;
  return { schemaVersion: fileSchema ?? readSchemaVersion(db, name), decisions, charges, outcomes };
}

/**
 * `SqliteLedger.utilisation`: totals by cap, key and window in one pass over the charges;
 * then a date range window's total taken over every charge of its cap and key dated in it,
 * and a schedule's steps made cumulative (with their numbers of charges); the rows sorted.
 */
export function utilisationOf(db: Db): UtilisationRow[] {
  const rows = new Map<string, UtilisationTotal>();
  /** The charges of date range windows by cap, key and date: their amounts, and how many. */
  const amounts = new SeriesIndex();
  const counts = new SeriesIndex();
  const stmt = db
    .prepare("SELECT c.id, c.cap, c.key, c.window, c.amount, c.limit_amount, d.order_date FROM charges c JOIN decisions d ON d.id = c.ord ORDER BY c.id")
    .raw(true);
  for (const raw of stmt.iterate()) {
    const [chargeId, cap, key, window, amountText, limit, date] = raw as [number, string, string, string, string, string | null, string];
    const amount = parseStored(amountText, chargeId);
    const id = `${cap}\u0000${key}\u0000${window}`;
    const row = rows.get(id);
    if (row) {
      row.used = add(row.used, amount);
      row.charges += 1;
      if (limit !== null) row.limit = limit;
    } else rows.set(id, { cap, key, window, used: amount, limit, charges: 1 });
    if (RANGE_WINDOW.test(window)) {
      amounts.add(cap, key, date, amount);
      counts.add(cap, key, date, ONE);
    }
  }
  // A rolling window's label names the window that ended on one order's date, so the
  // charges labelled with it are that date's alone: its usage, as the cap counts it, is
  // every charge of the cap and key dated in the range (the ledger's own usage index), and
  // so is its count. For a fixed range the two are the same.
  for (const row of rows.values()) {
    const m = RANGE_WINDOW.exec(row.window);
    if (!m) continue;
    const [, from = "", to = ""] = m;
    row.used = amounts.usage(row.cap, row.key, from, to);
    row.charges = counts.usageInteger(row.cap, row.key, from, to) ?? 0;
  }
  accumulateScheduleSteps([...rows.values()]);
  const windowOrder = (w: string): string => scheduleStep(w) ?? w;
  return [...rows.values()]
    .sort((a, b) => cmp(a.cap, b.cap) || cmp(a.key, b.key) || cmp(windowOrder(a.window), windowOrder(b.window)))
    .map((r) => ({ cap: r.cap, key: r.key, window: r.window, used: format(r.used), limit: r.limit, charges: r.charges }));
}

interface UtilisationTotal {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  used: Rational;
  limit: string | null;
  charges: number;
}

const ONE: Rational = { num: 1n, den: 1n };

/** A window given as a date range, both ends inclusive (a fixed `A .. B` or a rolling window's): `2025-05-12..2025-06-10`. */
const RANGE_WINDOW = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** `SqliteLedger.charges`: the statement is prepared at once (a damaged file fails here, before any row), the rows streamed. */
export function chargesOf(db: Db): IterableIterator<ChargeRow> {
  const stmt = db
    .prepare(
      `SELECT d.order_id, d.outcome, p.sha256, c.cap, c.key, c.window, c.amount, c.limit_amount, d.order_date, b.recorded_at
       FROM charges c JOIN decisions d ON d.id = c.ord JOIN policies p ON p.id = d.policy JOIN blocks b ON b.id = d.block
       ORDER BY c.id`,
    )
    .raw(true);
  return chargeRows(stmt);
}

function* chargeRows(stmt: Statement): IterableIterator<ChargeRow> {
  for (const r of stmt.iterate() as IterableIterator<(string | null)[]>) {
    const [orderId, outcome, policySha256, cap, key, window, amount, limit, orderDate, recordedAt] = r as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string | null,
      string,
      string,
    ];
    yield { orderId, outcome, policySha256, cap, key, window, amount, limit, orderDate, recordedAt };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A schedule step's window (`through 2026-12-31`, `after 2027-12-31`) as a key that sorts in step order; undefined for any other window. */
function scheduleStep(window: string): string | undefined {
  const m = /^(through|after) (\d{4}-\d{2}-\d{2})$/.exec(window);
  return m ? `${m[2] ?? ""} ${m[1] === "through" ? 0 : 1}` : undefined;
}

/**
 * Turns the totals of a schedule's steps into running totals per cap and key: a schedule
 * limits the cumulative amount (the engine checks every charge of the cap and key against
 * the step in force), so each step's total must include the steps before it, and its
 * number of charges the charges that total counts.
 */
function accumulateScheduleSteps(rows: { cap: string; key: string; window: string; used: Rational; charges: number }[]): void {
  const byCapKey = new Map<string, { step: string; row: (typeof rows)[number] }[]>();
  for (const row of rows) {
    const step = scheduleStep(row.window);
    if (step === undefined) continue;
    const id = `${row.cap}\u0000${row.key}`;
    const list = byCapKey.get(id) ?? [];
    list.push({ step, row });
    byCapKey.set(id, list);
  }
  for (const list of byCapKey.values()) {
    list.sort((a, b) => cmp(a.step, b.step));
    let total = ZERO;
    let charges = 0;
    for (const { row } of list) {
      total = add(total, row.used);
      charges += row.charges;
      row.used = total;
      row.charges = charges;
    }
  }
}
