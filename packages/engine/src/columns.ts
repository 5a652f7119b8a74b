/**
 * The in-memory ledger's compact decisions as columns (`OneChargeColumns`, `NoChargeColumns`).
 *
 * The in-memory ledger's one-charge decisions as columns: a decision with one charge,
 * its shape's reasons and no hints (most charged decisions) is a row here, and the
 * ledger's order table holds the row number instead of an object.
 *
 * Why: a ledger keeps every decision as long as it lives, and each kept object is
 * copied by the young-generation collector and later marked by the old-generation one.
 * A row is a few slots in arrays that already live in the old generation: the numbers
 * are unboxed (an array of doubles), the shape and cap are shared per policy, and the
 * key and window are strings the ledger's series keep anyway. Measured on the bench
 * mix, keeping no record object per charged order is worth more than any other change
 * to the ledger.
 *
 * Exactness: amounts and usage are safe integers while they are plain numbers (see
 * quantity.ts), which doubles hold exactly; anything else (a fraction, a sum past 2^53)
 * is kept as its Quantity in a side table, with NaN in the column.
 */
import type { Decision, Reason, SourceLocation } from "./types.js";
import type { Pending } from "./model.js";
import type { Quantity } from "./quantity.js";
import { build, NO_CHARGES, oneChargeDecision, reason, type ChargeFigures, type DecisionShape } from "./record.js";

export class OneChargeColumns {
  /**
   * Per row, four slots of `refs` (shape, cap, key, window) and three of `figures`
   * (amount, before, limit): two arrays written side by side rather than seven, so a
   * row is two short sequential writes. `figures` holds only numbers (NaN: see
   * `exact`), so it stays an array of unboxed doubles.
   */
  private refs: (DecisionShape | Pending["cap"] | string)[] = [];
  private figures: number[] = [];
  /** Values that are not plain numbers, by row: [amount, before, limit]. */
  private readonly exact = new Map<number, readonly [Quantity, Quantity, Quantity | undefined]>();

  /** Adds a row for a decision of `shape` with the one charge `c`; returns its number. */
  add(shape: DecisionShape, c: ChargeFigures): number {
    const row = this.refs.length >> 2;
    this.refs.push(shape, c.cap, c.key, c.window);
    const { amount, before, limit } = c;
    if (typeof amount === "number" && typeof before === "number" && (typeof limit === "number" || limit === undefined))
      this.figures.push(amount, before, limit ?? NaN);
    else {
      this.figures.push(NaN, NaN, NaN);
      this.exact.set(row, [amount, before, limit]);
    }
    return row;
  }

  /** The Decision of row `row` for order `id`. */
  decision(row: number, id: string): Decision {
    const exact = this.exact.get(row);
    const r = 4 * row;
    const f = 3 * row;
    const figures: ChargeFigures = {
      cap: this.refs[r + 1] as Pending["cap"],
      key: this.refs[r + 2] as string,
      window: this.refs[r + 3] as string,
      amount: exact === undefined ? (this.figures[f] as number) : exact[0],
      before: exact === undefined ? (this.figures[f + 1] as number) : exact[1],
      limit: exact === undefined ? limitOf(this.figures[f + 2] as number) : exact[2],
    };
    return oneChargeDecision(id, this.refs[r] as DecisionShape, figures);
  }

  /** A copy (for `MemoryLedger.clone`). */
  clone(): OneChargeColumns {
    const copy = new OneChargeColumns();
    copy.refs = this.refs.slice();
    copy.figures = this.figures.slice();
    for (const [row, v] of this.exact) copy.exact.set(row, v);
    return copy;
  }
}

function limitOf(x: number): Quantity | undefined {
  return Number.isNaN(x) ? undefined : x;
}

/**
 * Decisions that charge nothing but have texts of their own (a license or prohibition
 * with the reasons why an authorization's caps failed, and hints): a row holds the
 * shape and the texts; the reason objects and the arrays of the Decision are built
 * again on request. Kept per row: the message and hint strings only.
 */
export class NoChargeColumns {
  private shapes: DecisionShape[] = [];
  /** Per row, where its entries start in the entry columns, and how many are reasons and hints. */
  private starts: number[] = [];
  private reasonCounts: number[] = [];
  private hintCounts: number[] = [];
  /** Entries: a reason's rule, message, cite and source; a hint's text in `texts` alone. */
  private rules: (string | undefined)[] = [];
  private texts: string[] = [];
  private cites: (string | undefined)[] = [];
  private sources: (SourceLocation | undefined)[] = [];

  /** Adds a row: `extra` are the decision's reasons after its shape's. */
  add(shape: DecisionShape, extra: readonly Reason[], hints: readonly string[]): number {
    const row = this.shapes.length;
    this.shapes.push(shape);
    this.starts.push(this.texts.length);
    this.reasonCounts.push(extra.length);
    this.hintCounts.push(hints.length);
    for (const r of extra) {
      this.rules.push(r.rule);
      this.texts.push(r.message);
      this.cites.push(r.cite);
      this.sources.push(r.source);
    }
    for (const h of hints) {
      this.rules.push(undefined);
      this.texts.push(h);
      this.cites.push(undefined);
      this.sources.push(undefined);
    }
    return row;
  }

  decision(row: number, id: string): Decision {
    const shape = this.shapes[row] as DecisionShape;
    const start = this.starts[row] as number;
    const nReasons = this.reasonCounts[row] as number;
    const nHints = this.hintCounts[row] as number;
    const own = shape.reasons;
    const reasons = new Array<Reason>(own.length + nReasons);
    for (let i = 0; i < own.length; i++) reasons[i] = own[i] as Reason;
    for (let i = 0; i < nReasons; i++) {
      const e = start + i;
      reasons[own.length + i] = reason(this.rules[e] as string, this.texts[e] as string, this.cites[e], this.sources[e] as SourceLocation);
    }
    const hints = new Array<string>(nHints);
    for (let i = 0; i < nHints; i++) hints[i] = this.texts[start + nReasons + i] as string;
    return build(id, shape, reasons, NO_CHARGES, hints);
  }

  clone(): NoChargeColumns {
    const copy = new NoChargeColumns();
    copy.shapes = this.shapes.slice();
    copy.starts = this.starts.slice();
    copy.reasonCounts = this.reasonCounts.slice();
    copy.hintCounts = this.hintCounts.slice();
    copy.rules = this.rules.slice();
    copy.texts = this.texts.slice();
    copy.cites = this.cites.slice();
    copy.sources = this.sources.slice();
    return copy;
  }
}
