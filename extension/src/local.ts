/**
 * What the client asks of the libraries directly, for the commands the server has no
 * handler for (explain one order, cap utilisation over a book): load and check a policy
 * with @diffuse/language, compile and evaluate it with @diffuse/engine. No Diffuse logic
 * of its own: only file reading and the order file's JSON/JSONL framing.
 */
import { check, load } from "@diffuse/language";
import { compile, compileSet, evaluateBook, MemoryLedger, parseBookText } from "@diffuse/engine";
import type { Decision, Evaluator, Explanation, OrderError } from "@diffuse/engine";

export type ReadFile = (uri: string) => Promise<string | undefined>;

export type Loaded = { readonly evaluator: Evaluator; readonly errors?: undefined } | { readonly evaluator?: undefined; readonly errors: readonly string[] };

/** Loads the policy (or policy set) at `uri` with its imports; the evaluator only when it checks without errors. */
export async function loadPolicy(uri: string, read: ReadFile): Promise<Loaded> {
  const program = await load(uri, read);
  const result = check(program);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  if (errors.length > 0) return { errors };
  const evaluator = result.policySet !== undefined ? compileSet(result.policySet.versions, { name: result.policySet.title }) : compile(result.model);
  return { evaluator };
}

/** An order file's orders, and the errors of those that give a key twice, by index. */
export interface OrderFile {
  readonly orders: readonly unknown[];
  readonly repeatedKeys: ReadonlyMap<number, readonly OrderError[]>;
}

/**
 * An order book: a JSON array of orders, or one JSON order per line (JSONL). An order
 * that gives a key twice (`JSON.parse` would keep only the last value) is kept with its
 * errors, and decided `invalid` with them, as `diffuse eval` decides it.
 */
export function parseOrders(text: string): OrderFile | { readonly error: string } {
  try {
    return parseBookText(text);
  } catch (e) {
    return { error: `the order file is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** A short label for an order in a picker. */
export function orderLabel(order: unknown, index: number): { readonly label: string; readonly description: string } {
  const o = typeof order === "object" && order !== null ? (order as Record<string, unknown>) : {};
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  const id = text(o["id"]);
  return { label: id !== "" ? id : `order ${index + 1}`, description: [text(o["date"]), text(o["destination"])].filter((s) => s !== "").join(" · ") };
}

/** Every decision of the book, in date order, on a fresh in-memory ledger. */
export function evaluateAll(evaluator: Evaluator, book: OrderFile): Decision[] {
  return [...evaluateBook(evaluator, book.orders, new MemoryLedger(), {}, book.repeatedKeys)];
}

/**
 * Explains `orders[index]` as it would be decided after every order dated before it
 * (and listed before it on the same date) has charged the caps.
 */
export function explainInBook(evaluator: Evaluator, book: OrderFile, index: number): Explanation {
  const { orders, repeatedKeys } = book;
  const target = orders[index];
  const ledger = new MemoryLedger();
  const date = (o: unknown): string => {
    const d = typeof o === "object" && o !== null ? (o as { date?: unknown }).date : undefined;
    return typeof d === "string" ? d : "";
  };
  const cut = date(target);
  const earlier: unknown[] = [];
  const earlierErrors = new Map<number, readonly OrderError[]>();
  orders.forEach((o, i) => {
    const d = date(o);
    if (i === index || !(d < cut || (d === cut && i < index))) return;
    const errors = repeatedKeys.get(i);
    if (errors !== undefined) earlierErrors.set(earlier.length, errors);
    earlier.push(o);
  });
  for (const _ of evaluateBook(evaluator, earlier, ledger, {}, earlierErrors)) {
    // Charges are recorded on the ledger as each order is decided.
  }
  const errors = repeatedKeys.get(index);
  return evaluator.explain(target, ledger, errors === undefined ? { dryRun: true } : { dryRun: true, orderErrors: errors });
}
