/**
 * The digest of an order's content: what a ledger keeps beside a decision so that an
 * order id given again with different content is caught instead of being answered with
 * the decision of another order (see `evaluate` in evaluate.ts, docs/engine.md).
 *
 * It is a 52-bit number (a safe integer, stored as a SQLite INTEGER), computed from the
 * validated order without building any string: two 32-bit multiplicative lanes (FNV-1a
 * style and murmur style, different primes, each folding its high bits down after every
 * multiply) over the fields in a fixed order, two UTF-16
 * code units a step, each field ended by its length so that `"ab","c"` and `"a","bc"`
 * differ. It is not a
 * cryptographic hash: it tells a repeated order from a different one, it does not guard
 * against someone crafting a collision (they would only fool their own ledger).
 *
 * What counts as the same order is what the order says, not what the policy makes of it:
 * - equal values written differently are equal: `"quantity": 10` and `"10"`, a
 *   headquarters omitted or given as the destination, statuses in any order or repeated,
 *   JSON keys in any order, `dataCenter: true` or omitted, a consignee's `name` and a
 *   chip's `description` (which no rule reads);
 * - a catalog line (`{"item": ...}`, an item or a model) is its name and quantity, not the
 *   catalog's figures for it, so a later policy version that corrects an item's TPP or a
 *   model's training operations does not make its old orders "different".
 * An uncatalogued chip is its figures; model weights given in the order are their training
 * operations and openness (their `name`, a label, does not count).
 *
 * Ledgers keep these digests (SQLite schema 4: `decisions.order_digest`): the function is
 * part of the ledger format. Changing what it computes needs a ledger migration that
 * recomputes the recorded digests or sets them to NULL ("unknown": repeats are taken as
 * repeats); otherwise every rerun on an existing ledger becomes a conflict. The pinned
 * values in test/order-digest.test.ts guard it.
 */
import type { Rational } from "@diffuse/language";
import type { OrderFacts, OrderLine } from "./order.js";
import type { Quantity } from "./quantity.js";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIX_SEED = 0x2545f491;
const MIX_PRIME = 0x5bd1e995;
/** Ends a field (no field text contains it: the code unit is a C1 control). */
const END = 0x9f;
const ABSENT = 0x9e;

let a = FNV_OFFSET;
let b = MIX_SEED;

/**
 * One step of both lanes. A product only carries a bit upward, so each lane folds its
 * high bits down after the multiply: without that, the high half of a step (the second
 * code unit of two) could never reach the low half of the lane, and a one-character
 * change would touch only 36 of the 52 bits.
 */
function unit(c: number): void {
  a = Math.imul(a ^ c, FNV_PRIME);
  a ^= a >>> 13;
  b = Math.imul(b ^ c, MIX_PRIME);
  b ^= b >>> 15;
}

/** Two UTF-16 code units to a step (the field's length ends it, so "a" and "a\0" differ). */
function text(s: string): void {
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) unit(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) unit(s.charCodeAt(i));
  unit(END | (n << 8));
}

function optionalText(s: string | undefined): void {
  if (s === undefined) unit(ABSENT);
  else text(s);
}

/** A safe integer, as two 26-bit halves (sign folded in); larger values come as rationals. */
function integer(n: number): void {
  const neg = n < 0 ? 1 : 0;
  const m = Math.abs(n);
  unit(neg);
  unit(m % 0x4000000);
  unit(Math.floor(m / 0x4000000));
  unit(END);
}

function rational(r: Rational): void {
  text(r.num.toString());
  text(r.den.toString());
}

function quantity(q: Quantity): void {
  if (typeof q === "number") integer(q);
  else rational(q);
}

function optionalRational(r: Rational | undefined): void {
  if (r === undefined) unit(ABSENT);
  else rational(r);
}

function line(l: OrderLine): void {
  if (l.catalog) {
    // A catalog item or model: its name, not the catalog's figures for it.
    unit(1);
    text(l.name ?? "");
  } else if (l.chip) {
    unit(2);
    rational(l.tpp);
    optionalRational(l.density);
    unit(l.datacenter ? 1 : 0);
  } else {
    // Inline model weights: their figures. Their `name` is a label no rule reads, like a
    // consignee's name or a chip's description (the slot it once had stays, so digests keep their values).
    unit(3);
    unit(ABSENT);
    optionalRational(l.operations);
    unit(l.open ? 1 : 0);
  }
  quantity(l.quantity);
}

/** The statuses as a set: a sum of each one's own lane values, so order and repeats do not matter. */
function statuses(list: readonly string[]): void {
  let sumA = 0;
  let sumB = 0;
  let seen = 0;
  for (let i = 0; i < list.length; i++) {
    const s = list[i] as string;
    if (list.indexOf(s) !== i) continue;
    const outerA = a;
    const outerB = b;
    a = FNV_OFFSET;
    b = MIX_SEED;
    text(s);
    sumA = (sumA + a) | 0;
    sumB = (sumB + b) | 0;
    seen++;
    a = outerA;
    b = outerB;
  }
  unit(seen);
  unit(sumA);
  unit(sumB);
  unit(END);
}

/** The digest of a validated order (0 <= digest < 2^52). */
export function orderDigest(order: OrderFacts): number {
  a = FNV_OFFSET;
  b = MIX_SEED;
  text(order.id);
  text(order.date);
  text(order.destination);
  optionalText(order.exporter);
  text(order.consignee);
  text(order.headquarters);
  statuses(order.statuses);
  optionalRational(order.capacity);
  const lines = order.lines;
  unit(lines.length);
  for (let i = 0; i < lines.length; i++) line(lines[i] as OrderLine);
  return (a >>> 0) * 0x100000 + (b >>> 12);
}
