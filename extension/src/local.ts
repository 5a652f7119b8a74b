/**
 * What the client asks of the libraries directly, for the commands the server has no
 * handler for (explain one order, cap utilisation over a book): load and check a policy
 * with @diffuse/language, compile and evaluate it with @diffuse/engine. No Diffuse logic
 * of its own: only file reading and the order file's JSON/JSONL framing.
 */
import { check, load } from "@diffuse/language";
import { compile, compileSet, evaluateBook, MemoryLedger, parseBookText } from "@diffuse/engine";
import type { Decision, Evaluator, Explanation, ParsedBook } from "@diffuse/engine";

export type ReadFile = (uri: string) => Promise<string | undefined>;

export type Loaded = { readonly evaluator: Evaluator; readonly errors?: undefined } | { readonly evaluator?: undefined; readonly errors: readonly string[] };

/** Loads the policy (or policy set) at `uri` with its imports; the evaluator only when it checks without errors. */
export async function loadPolicy(uri: string, read: ReadFile): Promise<Loaded> {
  const program = await load(uri, read);
  const result = check(program);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
  if (errors.length > 0) return { errors };
  const evaluator = result.policySet !== undefined ? compileSet(result.policySet.versions) : compile(result.model);
  return { evaluator };
}

/**
 * An order book: a JSON array of orders, or one JSON order per line (JSONL). A book in
 * which an order gives a key twice is refused, naming the first such order and field:
 * `JSON.parse` would keep only the last value (`diffuse eval` decides such an order
 * invalid; these commands explore a book, so they ask for it to be fixed).
 */
export function parseOrders(text: string): { readonly orders: readonly unknown[] } | { readonly error: string } {
  let book: ParsedBook;
  try {
    book = parseBookText(text);
  } catch (e) {
    return { error: `the order file is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  for (const [index, errors] of book.repeatedKeys) {
    const first = errors[0];
    if (first !== undefined) return { error: `order ${index + 1} of the order file gives \`${first.field}\` more than once (JSON keeps only the last value): ${first.help ?? "give it once"}` };
  }
  return { orders: book.orders };
}

/** A short label for an order in a picker. */
export function orderLabel(order: unknown, index: number): { readonly label: string; readonly description: string } {
  const o = typeof order === "object" && order !== null ? (order as Record<string, unknown>) : {};
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  const id = text(o["id"]);
  return { label: id !== "" ? id : `order ${index + 1}`, description: [text(o["date"]), text(o["destination"])].filter((s) => s !== "").join(" · ") };
}

/** Every decision of the book, in date order, on a fresh in-memory ledger. */
export function evaluateAll(evaluator: Evaluator, orders: readonly unknown[]): Decision[] {
  return [...evaluateBook(evaluator, orders, new MemoryLedger())];
}

/**
 * Explains `orders[index]` as it would be decided after every order dated before it
 * (and listed before it on the same date) has charged the caps.
 */
export function explainInBook(evaluator: Evaluator, orders: readonly unknown[], index: number): Explanation {
  const target = orders[index];
  const ledger = new MemoryLedger();
  const before = orders.filter((_, i) => i !== index);
  const date = (o: unknown): string => {
    const d = typeof o === "object" && o !== null ? (o as { date?: unknown }).date : undefined;
    return typeof d === "string" ? d : "";
  };
  const cut = date(target);
  const earlier = before.filter((o, i) => {
    const d = date(o);
    const originalIndex = i < index ? i : i + 1;
    return d < cut || (d === cut && originalIndex < index);
  });
  for (const _ of evaluateBook(evaluator, earlier, ledger)) {
    // Charges are recorded on the ledger as each order is decided.
  }
  return evaluator.explain(target, ledger, { dryRun: true });
}
