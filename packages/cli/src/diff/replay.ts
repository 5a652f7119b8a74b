/**
 * `diffuse diff --orders`: a book decided under two policies, each on a ledger of its own
 * (an order's charges under one version are not the other's), keeping only the orders
 * whose verdict differs. Orders are read one at a time in date order, as `eval` reads them.
 */
import type { Decision, Evaluator } from "@diffuse/engine";
import { BookLedger } from "../book/ledger.js";
import { readOrders, type BookIndex } from "../book/scan.js";

/** What a replay compares of a decision; an invalid one keeps its errors, to say why. */
export type Verdict = Pick<Decision, "outcome" | "basis" | "review" | "errors">;

export interface ChangedOrder {
  readonly order: string;
  readonly before: Verdict;
  readonly after: Verdict;
}

export interface Replay {
  readonly evaluated: number;
  /** Orders invalid under both versions: a problem of the book, not a change. */
  readonly invalid: number;
  readonly changed: readonly ChangedOrder[];
}

function verdictOf(d: Decision): Verdict {
  return {
    outcome: d.outcome,
    ...(d.basis !== undefined ? { basis: d.basis } : {}),
    ...(d.review !== undefined ? { review: d.review } : {}),
    ...(d.outcome === "invalid" && d.errors !== undefined ? { errors: d.errors } : {}),
  };
}

/**
 * Replays the book at `path`; `invalid` hears of each order invalid under both versions
 * (with the new version's decision, its 0-based position in the book and its line).
 */
export function replayBook(
  path: string,
  index: BookIndex,
  before: Evaluator,
  after: Evaluator,
  invalid: (d: Decision, position: number, line: number) => void,
): Replay {
  const ledgerBefore = new BookLedger(index.repeatedIds);
  const ledgerAfter = new BookLedger(index.repeatedIds);
  const changed: ChangedOrder[] = [];
  let evaluated = 0;
  let invalidBoth = 0;
  for (const { position, line, text } of readOrders(path, index)) {
    const order = JSON.parse(text) as unknown;
    const options = index.optionsFor(position, text, {});
    const x = before.evaluate(order, ledgerBefore, options);
    const y = after.evaluate(order, ledgerAfter, options);
    evaluated++;
    if (x.outcome === "invalid" && y.outcome === "invalid") {
      invalidBoth++;
      invalid(y, position, line);
    } else if (x.outcome !== y.outcome || x.basis !== y.basis || x.review !== y.review) {
      changed.push({ order: y.order || x.order, before: verdictOf(x), after: verdictOf(y) });
    }
  }
  return { evaluated, invalid: invalidBoth, changed };
}
