/**
 * Order books: orders decided in date order (ties keep input order), each decision
 * charging its caps before the next order is decided.
 */
import type { Decision, EvaluateOptions, Evaluator, Ledger, OrderError } from "./types.js";
import { hasDateShape } from "./dates.js";

function dateKey(order: unknown): string | undefined {
  if (typeof order !== "object" || order === null) return undefined;
  const d = (order as { readonly date?: unknown }).date;
  return hasDateShape(d) ? d : undefined;
}

/**
 * Compares two orders by their `date`. Orders without a `YYYY-MM-DD` date sort after
 * all dated ones; equal keys compare 0, so a stable sort keeps input order.
 */
export function compareOrdersByDate(a: unknown, b: unknown): number {
  const x = dateKey(a);
  const y = dateKey(b);
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return x < y ? -1 : 1;
}

/**
 * Evaluates an order book: sorts it stably by date (orders whose date cannot be read go
 * last, in input order; they are reported invalid), then decides each order in turn on
 * `ledger`, so every decision sees the charges of the ones before it.
 *
 * `orderErrors` holds, by input index, errors found in an order's text before it was
 * parsed (`parseBookText`'s `repeatedKeys`: a key given twice); such an order is decided
 * `invalid` with them (see `EvaluateOptions.orderErrors`), as `diffuse eval` decides it.
 */
export function* evaluateBook(
  evaluator: Evaluator,
  orders: Iterable<unknown>,
  ledger: Ledger,
  options: EvaluateOptions = {},
  orderErrors?: ReadonlyMap<number, readonly OrderError[]>,
): Generator<Decision, void, undefined> {
  const list = Array.from(orders, (order, index) => ({ order, index }));
  // Array.prototype.sort is stable (ES2019).
  list.sort((a, b) => compareOrdersByDate(a.order, b.order));
  for (const { order, index } of list) {
    const errors = orderErrors?.get(index);
    yield evaluator.evaluate(order, ledger, errors === undefined ? options : Object.assign({}, options, { orderErrors: errors }));
  }
}
