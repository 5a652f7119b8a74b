/**
 * Order (v1) validation: `unknown` JSON in, a validated order with exact numbers out,
 * or one error per bad field. Never throws.
 */
import type { IsoDate, ItemModel, ModelWeightsModel, PolicyModel, Rational } from "@diffuse/language";
import { countryAlias, countryName } from "@diffuse/language";
import type { OrderError } from "./types.js";
import { fromNumber, isDecimalSyntax, isZero, MAX_EXPONENT, parseDecimal, ZERO } from "./exact.js";
import { isIsoDate } from "./dates.js";
import { knownCountryIndex } from "./countries.js";
import { didYouMean } from "./suggest.js";
import { fromBigInt, quantity as toQuantity, toRational, type Quantity } from "./quantity.js";
import { wellFormedOrder } from "./order-fast.js";
import { chipLine, templateLine, weightsLine } from "./order-lines.js";

/** One order line with the facts classes and rules test (the public form; see `OrderLine`). */
export interface Line {
  /** JSON path of the line, e.g. "items[0]". */
  readonly field: string;
  /** Catalog name, model name, or undefined for an uncatalogued chip. */
  readonly name: string | undefined;
  readonly chip: boolean;
  readonly model: boolean;
  readonly datacenter: boolean;
  readonly open: boolean;
  /** TPP per unit (zero for model weights). */
  readonly tpp: Rational;
  readonly density: Rational | undefined;
  readonly operations: Rational | undefined;
  /** Units (1 for model weights). */
  readonly quantity: bigint;
  /** TPP of the whole line: tpp x quantity. */
  readonly amount: Rational;
}

/** A validated order (the public form; see `OrderFacts`). */
export interface ValidOrder {
  readonly id: string;
  readonly date: IsoDate;
  readonly destination: string;
  /** countryIndex(destination) */
  readonly destinationIndex: number;
  readonly exporter: string | undefined;
  readonly consignee: string;
  readonly headquarters: string;
  readonly headquartersIndex: number;
  readonly statuses: readonly string[];
  readonly capacity: Rational | undefined;
  readonly lines: readonly Line[];
}

/**
 * A line as the evaluator works on it: units and amount as `Quantity`s (plain numbers
 * while they are safe integers, exact rationals past that), and the line's class when
 * the policy lets it be known from the catalog alone.
 */
export interface OrderLine {
  readonly field: string;
  readonly name: string | undefined;
  readonly chip: boolean;
  readonly model: boolean;
  readonly datacenter: boolean;
  readonly open: boolean;
  readonly tpp: Rational;
  readonly density: Rational | undefined;
  readonly operations: Rational | undefined;
  /** Units, a whole number (1 for model weights). */
  readonly quantity: Quantity;
  /** TPP of the whole line: tpp x quantity. */
  readonly amount: Quantity;
  /**
   * Index of the line's class in the compiled policy (-1: no class), worked out at
   * compile time for catalog lines; undefined when the line must be classified.
   */
  readonly klass: number | undefined;
  /** Whether the line names a catalog item or model (`item`), not figures of its own: its digest is its name (digest.ts). */
  readonly catalog: boolean;
}

/** A validated order as the evaluator works on it: the public form with its lines as `OrderLine`s. */
export interface OrderFacts extends Omit<ValidOrder, "lines"> {
  readonly lines: readonly OrderLine[];
}

/** What a catalog line shares with every order naming it (built once per policy). */
export interface LineTemplate {
  readonly name: string;
  readonly chip: boolean;
  readonly model: boolean;
  readonly datacenter: boolean;
  readonly open: boolean;
  readonly tpp: Rational;
  /** `tpp` as a Quantity. */
  readonly tppQ: Quantity;
  readonly density: Rational | undefined;
  readonly operations: Rational | undefined;
  readonly klass: number | undefined;
}

/** What validation needs to know about a policy. */
export interface Catalog {
  readonly items: ReadonlyMap<string, ItemModel>;
  readonly models: ReadonlyMap<string, ModelWeightsModel>;
  /** Declared status names. */
  readonly statuses: ReadonlySet<string>;
  /** Catalog lines by name, with their class when known at compile time (the compiled policy's catalog has them). */
  readonly templates?: ReadonlyMap<string, LineTemplate>;
}

/** The template of each catalog item and model (its facts), with `classOf` its class index when known. */
export function lineTemplates(catalog: Catalog, classOf: (t: Omit<LineTemplate, "klass">) => number | undefined): Map<string, LineTemplate> {
  const out = new Map<string, LineTemplate>();
  for (const [name, item] of catalog.items) {
    const facts = {
      name,
      chip: true,
      model: false,
      datacenter: item.dataCenter,
      open: false,
      tpp: item.tppPerUnit,
      tppQ: toQuantity(item.tppPerUnit),
      density: item.performanceDensity,
      operations: undefined,
    };
    out.set(name, { ...facts, klass: classOf(facts) });
  }
  for (const [name, w] of catalog.models) {
    if (out.has(name)) continue; // an item of the same name wins, as in validation
    const facts = { name, chip: false, model: true, datacenter: false, open: w.openWeights, tpp: ZERO, tppQ: 0, density: undefined, operations: w.trainingOps };
    out.set(name, { ...facts, klass: classOf(facts) });
  }
  return out;
}

export function catalogOf(model: PolicyModel): Catalog {
  const statuses = new Set<string>();
  for (const a of model.authorizations.values()) if (a.kind === "status") statuses.add(a.name);
  return { items: model.items, models: model.models, statuses };
}

export type Validation =
  { readonly ok: true; readonly order: ValidOrder } | { readonly ok: false; readonly id: string; readonly errors: readonly OrderError[] };

// Allowed fields as short lists: property names are internalized strings, so comparing
// each with `===` is cheaper than a Set lookup for five or six names.
const ORDER_KEYS: readonly string[] = ["id", "date", "destination", "exporter", "consignee", "items"];
const CONSIGNEE_KEYS: readonly string[] = ["id", "name", "headquarters", "statuses", "capacityTpp"];
const CATALOG_KEYS: readonly string[] = ["item", "quantity"];
const CHIP_KEYS: readonly string[] = ["tppPerUnit", "performanceDensity", "quantity", "dataCenter", "description"];
const LINE_WEIGHTS_KEYS: readonly string[] = ["modelWeights"];
const WEIGHTS_KEYS: readonly string[] = ["trainingOps", "openWeights", "name"];

function allows(allowed: readonly string[], k: string): boolean {
  for (let i = 0; i < allowed.length; i++) if (allowed[i] === k) return true;
  return false;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Short text of a JSON value for messages, quoted by the caller: `H100`, `5.5`. */
function show(x: unknown): string {
  if (typeof x === "string") return x.length > 40 ? `${x.slice(0, 37)}...` : x;
  if (typeof x === "number" || typeof x === "boolean" || x === null) return String(x);
  if (Array.isArray(x)) return "an array";
  return typeof x === "object" ? "an object" : typeof x;
}

/** What a JSON value of the wrong type is, after "got": `the string "5"`, `the number 5`, `an array`. */
function describe(x: unknown): string {
  if (typeof x === "string") return `the string ${JSON.stringify(show(x))}`;
  if (typeof x === "number") return `the number ${String(x)}`;
  if (typeof x === "boolean" || x === null) return String(x);
  return show(x);
}

class Errors {
  private items: OrderError[] | undefined;
  /** Starts a new list (the previous one, if any, belongs to its caller). */
  reset(): void {
    this.items = undefined;
  }
  get count(): number {
    return this.items === undefined ? 0 : this.items.length;
  }
  get list(): OrderError[] {
    return (this.items ??= []);
  }
  add(field: string, message: string, help?: string): void {
    this.list.push(help === undefined ? { field, message } : { field, message, help });
  }
  /** Reports keys not in `allowed`; `path` is the JSON path of `obj` ("" at the top). */
  unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const k in obj) {
      if (!allows(allowed, k))
        this.add(path === "" ? k : `${path}.${k}`, `unknown field \`${k}\``, `${didYouMean(k, allowed)}allowed fields here: ${allowed.join(", ")}`);
    }
  }
}

const ERRORS = new Errors();

const FIELDS: string[] = Array.from({ length: 64 }, (_, i) => `items[${i}]`);
function lineField(i: number): string {
  return FIELDS[i] ?? `items[${i}]`;
}

const NUMBER_HELP = 'give large or fractional numbers as decimal strings, e.g. "12000000000" or "15831.2"';

/** An exact non-negative number from a JSON number or decimal string. */
function exactNumber(x: unknown, field: string, what: string, errs: Errors): Rational | undefined {
  if (typeof x === "number") {
    const r = fromNumber(x);
    if (r === undefined) {
      errs.add(field, `${what} \`${show(x)}\` cannot be represented exactly as a JSON number`, NUMBER_HELP);
      return undefined;
    }
    if (r.num < 0n) {
      errs.add(field, `${what} must not be negative, got \`${show(x)}\``);
      return undefined;
    }
    return r;
  }
  if (typeof x === "string") {
    const r = parseDecimal(x);
    if (r === undefined) {
      if (isDecimalSyntax(x))
        errs.add(
          field,
          `${what} \`${show(x)}\` is out of range: its exponent is beyond ${MAX_EXPONENT} or -${MAX_EXPONENT}`,
          'give the figure in its plain size, e.g. "3e26"',
        );
      else errs.add(field, `${what} \`${show(x)}\` is not a decimal number`, 'write digits with an optional fraction and exponent, e.g. "3e26"');
      return undefined;
    }
    return r;
  }
  errs.add(field, `${what} must be a number or a decimal string, got ${describe(x)}`);
  return undefined;
}

/** `line` is the JSON path of the order line; errors go to `line.quantity`. */
function quantityOf(x: unknown, line: string, errs: Errors): Quantity | undefined {
  if (typeof x === "number" && Number.isSafeInteger(x) && x > 0) return x;
  const field = `${line}.quantity`;
  if (typeof x === "number" && Number.isInteger(x) && x > 0) {
    errs.add(field, `quantity \`${show(x)}\` cannot be represented exactly as a JSON number`, NUMBER_HELP);
    return undefined;
  }
  if (typeof x === "string" && /^[0-9]{1,30}$/.test(x)) {
    const n = BigInt(x);
    if (n > 0n) return fromBigInt(n);
  }
  errs.add(field, x === undefined ? "missing `quantity`" : `quantity must be a positive whole number, got \`${show(x)}\``);
  return undefined;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** The country number of a valid code (see countryIndex), or undefined after reporting why it is not one. */
function country(x: unknown, field: string, what: string, errs: Errors): number | undefined {
  if (typeof x === "string") {
    const k = knownCountryIndex(x);
    if (k !== undefined) return k;
  }
  if (typeof x !== "string") {
    errs.add(field, `${what} must be a country code string, got ${describe(x)}`);
    return undefined;
  }
  if (x.length !== 2 || !isUpper(x.charCodeAt(0)) || !isUpper(x.charCodeAt(1))) {
    const upper = x.toUpperCase();
    if (x.length === 2 && knownCountryIndex(upper) !== undefined)
      errs.add(field, `${what} \`${x}\` is not in capitals`, `did you mean \`${upper}\` (${countryName(upper) ?? upper})?`);
    else errs.add(field, `${what} \`${show(x)}\` is not a two-letter country code`, 'use an ISO 3166-1 alpha-2 code in capitals, e.g. "MY"');
    return undefined;
  }
  const alias = countryAlias(x);
  errs.add(
    field,
    `unknown country code \`${x}\``,
    alias === undefined ? 'use an ISO 3166-1 alpha-2 code, e.g. "MY"' : `did you mean \`${alias}\` (${countryName(alias) ?? alias})? ISO 3166-1 spells it so`,
  );
  return undefined;
}

function nonEmptyString(x: unknown, field: string, what: string, errs: Errors): string | undefined {
  if (typeof x === "string" && x.length > 0) return x;
  errs.add(field, `${what} must be a non-empty string, got ${x === undefined ? "nothing" : describe(x)}`);
  return undefined;
}

function line(x: unknown, i: number, catalog: Catalog, errs: Errors): OrderLine | undefined {
  const field = lineField(i);
  if (!isRecord(x)) {
    errs.add(field, `an order line must be an object, got ${describe(x)}`);
    return undefined;
  }
  const before = errs.count;
  if ("item" in x) {
    errs.unknownKeys(x, CATALOG_KEYS, field);
    const quantity = quantityOf(x["quantity"], field, errs);
    const name = x["item"];
    if (typeof name !== "string") {
      errs.add(`${field}.item`, `item must be a catalog name, got ${describe(name)}`);
      return undefined;
    }
    const template = catalog.templates?.get(name);
    if (template !== undefined) {
      if (quantity === undefined || errs.count > before) return undefined;
      return templateLine(field, template, quantity);
    }
    const item = catalog.items.get(name);
    const weights = item === undefined ? catalog.models.get(name) : undefined;
    if (item === undefined && weights === undefined) {
      const hint = didYouMean(name, [...catalog.items.keys(), ...catalog.models.keys()]);
      errs.add(
        `${field}.item`,
        `unknown item \`${show(name)}\``,
        `${hint}name an item of the policy's catalog, or give \`tppPerUnit\` and \`performanceDensity\` for an uncatalogued chip`,
      );
      return undefined;
    }
    if (quantity === undefined || errs.count > before) return undefined;
    if (item !== undefined) {
      return chipLine(field, name, item.dataCenter, item.tppPerUnit, item.performanceDensity, quantity, true);
    }
    if (weights === undefined) return undefined;
    return weightsLine(field, name, weights.openWeights, weights.trainingOps, quantity, true);
  }
  if ("modelWeights" in x) {
    errs.unknownKeys(x, LINE_WEIGHTS_KEYS, field);
    const w = x["modelWeights"];
    const wf = `${field}.modelWeights`;
    if (!isRecord(w)) {
      errs.add(wf, `modelWeights must be an object, got ${describe(w)}`);
      return undefined;
    }
    errs.unknownKeys(w, WEIGHTS_KEYS, wf);
    const ops =
      w["trainingOps"] === undefined
        ? (errs.add(`${wf}.trainingOps`, "missing `trainingOps`"), undefined)
        : exactNumber(w["trainingOps"], `${wf}.trainingOps`, "trainingOps", errs);
    const open = w["openWeights"];
    if (typeof open !== "boolean") errs.add(`${wf}.openWeights`, `openWeights must be true or false, got ${open === undefined ? "nothing" : describe(open)}`);
    const name = w["name"];
    if (name !== undefined && typeof name !== "string") errs.add(`${wf}.name`, `name must be a string, got ${describe(name)}`);
    if (ops === undefined || errs.count > before) return undefined;
    return weightsLine(field, typeof name === "string" ? name : undefined, open === true, ops, 1, false);
  }
  errs.unknownKeys(x, CHIP_KEYS, field);
  const tppRaw = x["tppPerUnit"];
  let tpp: Rational | undefined;
  if (tppRaw === undefined)
    errs.add(
      `${field}.tppPerUnit`,
      "missing `tppPerUnit` (or `item` for a catalog item)",
      "a line is a catalog item {item, quantity}, an uncatalogued chip {tppPerUnit, quantity} or {modelWeights}",
    );
  else {
    tpp = exactNumber(tppRaw, `${field}.tppPerUnit`, "tppPerUnit", errs);
    if (tpp !== undefined && isZero(tpp)) {
      errs.add(`${field}.tppPerUnit`, "tppPerUnit must be positive, got `0`");
      tpp = undefined;
    }
  }
  const densityRaw = x["performanceDensity"];
  const density = densityRaw === undefined ? undefined : exactNumber(densityRaw, `${field}.performanceDensity`, "performanceDensity", errs);
  const quantity = quantityOf(x["quantity"], field, errs);
  const dc = x["dataCenter"];
  if (dc !== undefined && typeof dc !== "boolean") errs.add(`${field}.dataCenter`, `dataCenter must be true or false, got ${describe(dc)}`);
  const desc = x["description"];
  if (desc !== undefined && typeof desc !== "string") errs.add(`${field}.description`, `description must be a string, got ${describe(desc)}`);
  if (tpp === undefined || quantity === undefined || errs.count > before) return undefined;
  return chipLine(field, undefined, dc !== false, tpp, density, quantity, false);
}

/** The order's id if it has a usable one (also for invalid orders), else "". */
export function orderIdOf(input: unknown): string {
  return isRecord(input) && typeof input["id"] === "string" ? input["id"] : "";
}

/** The order's date if it is a real date, else undefined (used to pick a policy version). */
export function orderDateOf(input: unknown): IsoDate | undefined {
  if (!isRecord(input)) return undefined;
  const d = input["date"];
  return typeof d === "string" && isIsoDate(d) ? d : undefined;
}

/** Validates an order against a policy's catalog and statuses; collects one error per bad field. */
export function validateOrder(input: unknown, catalog: Catalog): Validation {
  const r = validate(input, catalog);
  return Array.isArray(r) ? { ok: false, id: orderIdOf(input), errors: r } : { ok: true, order: { ...r, lines: r.lines.map(publicLine) } };
}

function publicLine(l: OrderLine): Line {
  const quantity = toRational(l.quantity).num;
  return {
    field: l.field,
    name: l.name,
    chip: l.chip,
    model: l.model,
    datacenter: l.datacenter,
    open: l.open,
    tpp: l.tpp,
    density: l.density,
    operations: l.operations,
    quantity,
    amount: toRational(l.amount),
  };
}

const NO_STATUSES: readonly string[] = [];

/** The validated order, or its errors (the allocation-light form `evaluate` uses). */
export function validate(input: unknown, catalog: Catalog): OrderFacts | OrderError[] {
  // Most orders are well formed: one pass without error bookkeeping (order-fast.ts); the
  // rest, and every order with an error, go through every check.
  return wellFormedOrder(input, catalog) ?? validateFully(input, catalog);
}

/** `validate` without the fast path: every field checked, one error per bad field. */
export function validateFully(input: unknown, catalog: Catalog): OrderFacts | OrderError[] {
  // One collector for every validation (validation does not nest): a new list only when an order has errors.
  const errs = ERRORS;
  errs.reset();
  if (!isRecord(input)) {
    errs.add("", `an order must be a JSON object, got ${describe(input)}`);
    return errs.list;
  }
  errs.unknownKeys(input, ORDER_KEYS, "");
  const id = nonEmptyString(input["id"], "id", "id", errs);
  const dateRaw = input["date"];
  let date: string | undefined;
  if (typeof dateRaw === "string" && isIsoDate(dateRaw)) date = dateRaw;
  else errs.add("date", dateRaw === undefined ? "missing `date`" : `date \`${show(dateRaw)}\` is not a real date written YYYY-MM-DD`, 'e.g. "2025-06-10"');
  const destinationRaw = input["destination"];
  const destinationIndex =
    destinationRaw === undefined ? (errs.add("destination", "missing `destination`"), undefined) : country(destinationRaw, "destination", "destination", errs);
  const exporterRaw = input["exporter"];
  let exporter: string | undefined;
  if (exporterRaw !== undefined) exporter = nonEmptyString(exporterRaw, "exporter", "exporter", errs);

  const c = input["consignee"];
  let consignee: string | undefined;
  let headquarters: string | undefined;
  let headquartersIndex: number | undefined;
  let statuses: readonly string[] = NO_STATUSES;
  let capacity: Rational | undefined;
  if (c === undefined) errs.add("consignee", "missing `consignee`", 'give at least {"id": "..."}');
  else if (!isRecord(c)) errs.add("consignee", `consignee must be an object, got ${describe(c)}`);
  else {
    errs.unknownKeys(c, CONSIGNEE_KEYS, "consignee");
    consignee = nonEmptyString(c["id"], "consignee.id", "consignee id", errs);
    const name = c["name"];
    if (name !== undefined && typeof name !== "string") errs.add("consignee.name", `consignee name must be a string, got ${describe(name)}`);
    const hq = c["headquarters"];
    if (hq !== undefined) {
      headquartersIndex = country(hq, "consignee.headquarters", "headquarters", errs);
      if (headquartersIndex !== undefined) headquarters = hq as string;
    }
    const st = c["statuses"];
    if (st !== undefined) statuses = statusesOf(st, catalog, errs);
    if (c["capacityTpp"] !== undefined) capacity = exactNumber(c["capacityTpp"], "consignee.capacityTpp", "capacityTpp", errs);
  }

  const itemsRaw = input["items"];
  let lines: OrderLine[] = NO_LINES;
  if (itemsRaw === undefined) errs.add("items", "missing `items`");
  else if (!Array.isArray(itemsRaw)) errs.add("items", `items must be an array, got ${describe(itemsRaw)}`);
  else if (itemsRaw.length === 0) errs.add("items", "an order needs at least one item");
  else if (itemsRaw.length === 1) {
    // One line is the common case: an exact-size array.
    const l = line(itemsRaw[0], 0, catalog, errs);
    if (l !== undefined) lines = [l];
  } else {
    lines = [];
    for (let i = 0; i < itemsRaw.length; i++) {
      const l = line(itemsRaw[i], i, catalog, errs);
      if (l !== undefined) lines.push(l);
    }
  }

  if (errs.count > 0 || id === undefined || date === undefined || destinationIndex === undefined || consignee === undefined) return errs.list;
  const destination = destinationRaw as string;
  return {
    id,
    date,
    destination,
    destinationIndex,
    exporter,
    consignee,
    headquarters: headquarters ?? destination,
    headquartersIndex: headquartersIndex ?? destinationIndex,
    statuses,
    capacity,
    lines,
  };
}

const NO_LINES: OrderLine[] = [];

/** The declared statuses listed (duplicates dropped), reporting bad entries. */
function statusesOf(st: unknown, catalog: Catalog, errs: Errors): readonly string[] {
  if (!Array.isArray(st)) {
    errs.add("consignee.statuses", `statuses must be an array of status names, got ${describe(st)}`);
    return NO_STATUSES;
  }
  const list: string[] = [];
  for (let j = 0; j < st.length; j++) {
    if (!(j in st)) continue; // a hole in a sparse array is no entry (as forEach sees it)
    const s: unknown = st[j];
    if (typeof s !== "string") errs.add(`consignee.statuses[${j}]`, `a status must be a string, got ${describe(s)}`);
    else if (!catalog.statuses.has(s)) {
      const known = [...catalog.statuses];
      errs.add(
        `consignee.statuses[${j}]`,
        `unknown status \`${show(s)}\``,
        known.length > 0 ? `${didYouMean(s, known)}statuses declared by the policy: ${known.join(", ")}` : "the policy declares no statuses",
      );
    } else if (!list.includes(s)) list.push(s);
  }
  return list;
}
