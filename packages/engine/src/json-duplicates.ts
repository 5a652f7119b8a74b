/**
 * Keys given more than once in one JSON object.
 *
 * `JSON.parse` keeps the last value of a repeated key without a word, so an order
 * `{"destination": "MY", ..., "destination": "CN"}` would be decided for CN whatever its
 * writer meant. An unknown field is an error because a typo must not silently change a
 * decision (DESIGN.md); a field given twice is the same risk. Whoever parses an order's
 * text (the CLI, the language server) reports it as an error of that field
 * (`EvaluateOptions.orderErrors`); a policy test file with a repeated key is invalid.
 */
import type { OrderError } from "./types.js";

export interface DuplicateKey {
  /** JSON path of the repeated key, written as the engine writes fields: `destination`, `consignee.id`, `items[1].quantity`. */
  readonly path: string;
  /** Offset in the text (UTF-16 code units) of the key's later appearance. */
  readonly offset: number;
}

interface ObjectFrame {
  readonly kind: "object";
  readonly path: string;
  readonly keys: Set<string>;
  key: string;
  expectKey: boolean;
}
interface ArrayFrame {
  readonly kind: "array";
  readonly path: string;
  index: number;
}

/**
 * Every key that repeats an earlier key of the same object, in text order, for a text
 * `JSON.parse` accepts. Iterative (any nesting depth); on text that is not JSON it stops
 * early or finds nothing, and never throws.
 */
export function duplicateKeys(text: string): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const stack: (ObjectFrame | ArrayFrame)[] = [];
  /** Path of the value that starts next. */
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return "";
    if (top.kind === "array") return `${top.path}[${top.index}]`;
    return top.path === "" ? top.key : `${top.path}.${top.key}`;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b /* { */) {
      stack.push({ kind: "object", path: valuePath(), keys: new Set(), key: "", expectKey: true });
      i++;
    } else if (c === 0x5b /* [ */) {
      stack.push({ kind: "array", path: valuePath(), index: 0 });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.kind === "array") top.index++;
      else if (top?.kind === "object") top.expectKey = true;
      i++;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (top?.kind === "object" && top.expectKey) {
        const key = keyText(text, i, end);
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) out.push({ path: valuePath(), offset: i });
        else top.keys.add(key);
      }
      i = end + 1;
    } else i++; // whitespace, `:`, numbers, literals
  }
  return out;
}

/** Offset of the quote closing the string that opens at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i;
    else i++;
  }
  return text.length;
}

/** The key a string literal stands for (`"d\u0061te"` is `date`). */
function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end);
  if (!raw.includes("\\")) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return raw;
  }
}

/** The order error of a key given twice, at `path` in the order. */
export function duplicateKeyError(path: string): OrderError {
  return {
    field: path,
    message: "given more than once (a JSON reader keeps only one of the values)",
    help: `give \`${path}\` once, with the value meant`,
  };
}

/** The order errors of a text's repeated keys (the text of one order): one per key, with what to do. */
export function duplicateKeyErrors(text: string): OrderError[] {
  return duplicateKeys(text).map((d) => duplicateKeyError(d.path));
}

/**
 * The errors of the repeated keys of each order of a JSON array of orders, by the
 * order's index (orders without any are absent).
 */
export function duplicateKeyErrorsByOrder(arrayText: string): Map<number, OrderError[]> {
  const out = new Map<number, OrderError[]>();
  for (const d of duplicateKeys(arrayText)) {
    const m = /^\[(\d+)\]\.?/.exec(d.path);
    if (m === null) continue; // not inside an element of a top-level array
    const index = Number(m[1]);
    const errors = out.get(index) ?? [];
    errors.push(duplicateKeyError(d.path.slice(m[0].length)));
    out.set(index, errors);
  }
  return out;
}

/** An order book's text, parsed: the orders, and the errors of the keys each one gives twice (by index). */
export interface ParsedBook {
  readonly orders: unknown[];
  readonly repeatedKeys: ReadonlyMap<number, readonly OrderError[]>;
}

/**
 * Parses an order book held in memory: a JSON array of orders, or JSON Lines (one order
 * per line, blank lines skipped). Throws `JSON.parse`'s SyntaxError on invalid JSON.
 * Small books only (the editor's commands); the CLI streams books from disk (its
 * book/scan.ts).
 */
export function parseBookText(text: string): ParsedBook {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    // A text that starts with `[` and parses is an array.
    return { orders: JSON.parse(trimmed) as unknown[], repeatedKeys: duplicateKeyErrorsByOrder(trimmed) };
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== "");
  const repeatedKeys = new Map<number, OrderError[]>();
  const orders = lines.map((l, i) => {
    const order = JSON.parse(l) as unknown;
    const errors = duplicateKeyErrors(l);
    if (errors.length > 0) repeatedKeys.set(i, errors);
    return order;
  });
  return { orders, repeatedKeys };
}
