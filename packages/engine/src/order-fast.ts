/**
 * The validation fast path: a well-formed order in the usual shape, validated in one
 * pass with no error bookkeeping. It returns `undefined` as soon as anything is unusual
 * (a bad or missing field, an unknown key, a field present with the value `undefined`,
 * a sparse statuses array, ...), and the caller then runs the full validator
 * (order.ts), which finds every error with its message. When it returns an order, it
 * is the one the full validator builds for the same input, field for field.
 *
 * Unknown keys are found by counting: an object has no unknown key when the number of
 * keys `for...in` enumerates (as the full validator does) equals the number of allowed
 * keys that hold a value. No key lists, no per-key comparisons.
 */
import type { Rational } from "@diffuse/language";
import { fromNumber, isZero, parseDecimal } from "./exact.js";
import { isIsoDate } from "./dates.js";
import { knownCountryIndex } from "./countries.js";
import { fromBigInt, type Quantity } from "./quantity.js";
import type { Catalog, OrderFacts, OrderLine } from "./order.js";
import { chipLine, templateLine, weightsLine } from "./order-lines.js";

const NO_STATUSES: readonly string[] = [];
const FIELDS: string[] = Array.from({ length: 16 }, (_, i) => `items[${i}]`);
const DIGITS = /^[0-9]{1,30}$/;

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function nonEmpty(x: unknown): x is string {
  return typeof x === "string" && x.length > 0;
}

/** As the full validator's `exactNumber`, without errors. */
function exact(x: unknown): Rational | undefined {
  if (typeof x === "number") {
    const r = fromNumber(x);
    return r === undefined || r.num < 0n ? undefined : r;
  }
  return typeof x === "string" ? parseDecimal(x) : undefined;
}

/** As the full validator's `quantityOf`, without errors. */
function quantityOf(x: unknown): Quantity | undefined {
  if (typeof x === "number") return Number.isSafeInteger(x) && x > 0 ? x : undefined;
  if (typeof x === "string" && DIGITS.test(x)) {
    const n = BigInt(x);
    if (n > 0n) return fromBigInt(n);
  }
  return undefined;
}

function lineOf(x: unknown, field: string, catalog: Catalog): OrderLine | undefined {
  if (!isRecord(x)) return undefined;
  const keys = keyCount(x);
  const name = x["item"];
  if (name !== undefined) {
    const t = typeof name === "string" ? catalog.templates?.get(name) : undefined;
    const quantity = quantityOf(x["quantity"]);
    if (t === undefined || quantity === undefined || keys !== 2) return undefined;
    return templateLine(field, t, quantity);
  }
  const w = x["modelWeights"];
  if (w !== undefined) {
    if (keys !== 1 || !isRecord(w)) return undefined;
    const ops = exact(w["trainingOps"]);
    const open = w["openWeights"];
    const wname = w["name"];
    if (ops === undefined || typeof open !== "boolean" || (wname !== undefined && typeof wname !== "string") || keyCount(w) !== (wname === undefined ? 2 : 3))
      return undefined;
    return weightsLine(field, typeof wname === "string" ? wname : undefined, open, ops, 1, false);
  }
  const tpp = exact(x["tppPerUnit"]);
  const densityRaw = x["performanceDensity"];
  const density = densityRaw === undefined ? undefined : exact(densityRaw);
  const quantity = quantityOf(x["quantity"]);
  const dc = x["dataCenter"];
  const desc = x["description"];
  if (tpp === undefined || isZero(tpp) || (densityRaw !== undefined && density === undefined) || quantity === undefined) return undefined;
  if ((dc !== undefined && typeof dc !== "boolean") || (desc !== undefined && typeof desc !== "string")) return undefined;
  if (keys !== 2 + (densityRaw === undefined ? 0 : 1) + (dc === undefined ? 0 : 1) + (desc === undefined ? 0 : 1)) return undefined;
  return chipLine(field, undefined, dc !== false, tpp, density, quantity, false);
}

/** The declared statuses listed, duplicates dropped; undefined for anything else. */
function statusesOf(st: unknown, catalog: Catalog): readonly string[] | undefined {
  if (!Array.isArray(st)) return undefined;
  const list: string[] = [];
  for (let j = 0; j < st.length; j++) {
    const s: unknown = st[j];
    if (typeof s !== "string" || !catalog.statuses.has(s)) return undefined;
    if (!list.includes(s)) list.push(s);
  }
  return list;
}

/** The validated order when `input` is a well-formed order, else undefined (see above). */
export function wellFormedOrder(input: unknown, catalog: Catalog): OrderFacts | undefined {
  if (!isRecord(input)) return undefined;
  const id = input["id"];
  const date = input["date"];
  const destination = input["destination"];
  const exporter = input["exporter"];
  const c = input["consignee"];
  const items = input["items"];
  if (!nonEmpty(id) || typeof date !== "string" || !isIsoDate(date) || typeof destination !== "string" || (exporter !== undefined && !nonEmpty(exporter)))
    return undefined;
  const destinationIndex = knownCountryIndex(destination);
  if (destinationIndex === undefined || !isRecord(c) || !Array.isArray(items) || items.length === 0) return undefined;
  if (keyCount(input) !== (exporter === undefined ? 5 : 6)) return undefined;

  const consignee = c["id"];
  const name = c["name"];
  const hq = c["headquarters"];
  const st = c["statuses"];
  const capacityRaw = c["capacityTpp"];
  if (!nonEmpty(consignee) || (name !== undefined && typeof name !== "string")) return undefined;
  let headquarters = destination;
  let headquartersIndex = destinationIndex;
  if (hq !== undefined) {
    const k = typeof hq === "string" ? knownCountryIndex(hq) : undefined;
    if (k === undefined) return undefined;
    headquarters = hq as string;
    headquartersIndex = k;
  }
  const statuses = st === undefined ? NO_STATUSES : statusesOf(st, catalog);
  const capacity = capacityRaw === undefined ? undefined : exact(capacityRaw);
  if (statuses === undefined || (capacityRaw !== undefined && capacity === undefined)) return undefined;
  const present = 1 + (name === undefined ? 0 : 1) + (hq === undefined ? 0 : 1) + (st === undefined ? 0 : 1) + (capacityRaw === undefined ? 0 : 1);
  if (keyCount(c) !== present) return undefined;

  let lines: OrderLine[];
  if (items.length === 1) {
    const l = lineOf(items[0], "items[0]", catalog);
    if (l === undefined) return undefined;
    lines = [l];
  } else {
    if (items.length > FIELDS.length) return undefined;
    lines = [];
    for (let i = 0; i < items.length; i++) {
      const l = lineOf(items[i], FIELDS[i] as string, catalog);
      if (l === undefined) return undefined;
      lines.push(l);
    }
  }
  return { id, date, destination, destinationIndex, exporter, consignee, headquarters, headquartersIndex, statuses, capacity, lines };
}
