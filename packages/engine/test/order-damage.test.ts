/**
 * Property: an order with some fields damaged (removed, given a value of the wrong type or
 * out of range, or an unknown field added beside them) is `invalid`, with exactly one
 * error per damaged field, at that field's JSON path, and nothing else; evaluation never
 * throws.
 *
 * The generator starts from a valid order (one to three lines of each kind), lists every
 * place it can be damaged together with the error path a damage there must give, picks a
 * random subset of those places and a damage for each. Damaging a whole object (the
 * consignee, `items`, a line, `modelWeights`) drops the damages chosen inside it, which
 * could not be reported. The damaged order goes through JSON text, as a book would.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, MemoryLedger } from "../src/index.js";
import { aiDiffusion } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

type Json = Record<string, unknown>;

const REMOVE = Symbol("remove");
/** What is done to a field: removed, or set to `value`; `at` extends the error path (an entry of a list). */
interface Damage {
  readonly value: unknown;
  readonly at?: string;
}

/** A field that can be damaged: where it is, the path of its error, and the damages that make it bad. */
interface Site {
  /** Keys from the order down to the field's object. */
  readonly object: readonly (string | number)[];
  readonly key: string;
  /** The JSON path of the error, as validation writes it. */
  readonly field: string;
  readonly damages: readonly Damage[];
}

/** Unknown field names: typos, names of other levels' fields, and names an object inherits. */
const EXTRA_KEYS = ["extra", "Id", "qty", "items ", "tpp", "__proto__", "constructor", "toString", "hasOwnProperty", "é"];

const remove: Damage = { value: REMOVE };
const values = (...vs: unknown[]): Damage[] => vs.map((value) => ({ value }));
const NOT_A_STRING = values(5, true, null, [], {});
const NOT_A_COUNTRY = values("ZZ", "my", "MYS", "UK", "", 3, null);
const NOT_A_DECIMAL = values("x", "", "1e999", "-1", -1, "1_000", true, null, []);
const NOT_A_QUANTITY = values(0, -1, 1.5, "x", "", "0", "1.0", " 1", null, 2 ** 53 + 2, []);
const NOT_A_BOOLEAN = values("no", "true", 1, 0, null);

/** The path of a field in `object` (the error paths' own syntax: `items[0].quantity`). */
function pathOf(object: readonly (string | number)[], key: string): string {
  const parts = [...object, key].map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`));
  return parts.join("");
}

function site(object: readonly (string | number)[], key: string, damages: readonly Damage[]): Site {
  return { object, key, field: pathOf(object, key), damages };
}

/** An unknown field added to the object at `object`. */
function extra(object: readonly (string | number)[]): Site[] {
  return EXTRA_KEYS.map((key) => site(object, key, values(1, "x")));
}

function lineSites(line: Json, i: number): Site[] {
  const at = ["items", i];
  const whole = { object: ["items"], key: String(i), field: `items[${i}]`, damages: values(5, "H100", null, []) };
  if ("item" in line)
    return [whole, site(at, "item", values(5, null, [], "H900", "h100")), site(at, "quantity", [remove, ...NOT_A_QUANTITY]), ...extra(at).slice(0, 3)];
  if ("modelWeights" in line) {
    const w = [...at, "modelWeights"];
    return [
      whole,
      site(at, "modelWeights", values(3, null, "x", [])),
      site(w, "trainingOps", [remove, ...NOT_A_DECIMAL]),
      site(w, "openWeights", [remove, ...NOT_A_BOOLEAN]),
      site(w, "name", NOT_A_STRING),
      ...extra(w).slice(3, 6),
      ...extra(at).slice(6),
    ];
  }
  return [
    whole,
    site(at, "tppPerUnit", [remove, ...NOT_A_DECIMAL, ...values(0, "0", "0.0")]),
    site(at, "performanceDensity", NOT_A_DECIMAL),
    site(at, "quantity", [remove, ...NOT_A_QUANTITY]),
    site(at, "dataCenter", NOT_A_BOOLEAN),
    site(at, "description", NOT_A_STRING),
    ...extra(at).slice(4, 8),
  ];
}

function sitesOf(order: Json): Site[] {
  const items = order["items"] as Json[];
  return [
    site([], "id", [remove, ...NOT_A_STRING, ...values("")]),
    site([], "date", [remove, ...values("2025-02-30", "2025-6-10", "2025-06-10T00:00:00Z", "", 20250610, null)]),
    site([], "destination", [remove, ...NOT_A_COUNTRY]),
    site([], "exporter", [...NOT_A_STRING, ...values("")]),
    site([], "consignee", [remove, ...values("uni-my", 1, null, [])]),
    site([], "items", [remove, ...values("H100", {}, [], null)]),
    ...extra([]),
    site(["consignee"], "id", [remove, ...NOT_A_STRING, ...values("")]),
    site(["consignee"], "name", NOT_A_STRING),
    site(["consignee"], "headquarters", NOT_A_COUNTRY),
    site(["consignee"], "statuses", [...values("UVEU", 1, null, {}), { value: ["UVEU", "XVEU"], at: "[1]" }, { value: [7], at: "[0]" }]),
    site(["consignee"], "capacityTpp", NOT_A_DECIMAL),
    ...extra(["consignee"]),
    ...items.flatMap(lineSites),
  ];
}

/** Whether `field` lies inside the object at `outer` (so a damage to `outer` hides it). */
const inside = (field: string, outer: string): boolean => field.startsWith(`${outer}.`) || field.startsWith(`${outer}[`);

function apply(order: Json, s: Site, d: Damage): void {
  let target: unknown = order;
  for (const k of s.object) target = (target as Record<string | number, unknown>)[k];
  const obj = target as Json;
  if (d.value === REMOVE) delete obj[s.key];
  // defineProperty: `obj.__proto__ = v` would set the prototype, not add a field
  else Object.defineProperty(obj, s.key, { value: d.value, enumerable: true, writable: true, configurable: true });
}

const line = fc.oneof(
  fc.record({ item: fc.constantFrom("H100", "B200", "A100", "RTX"), quantity: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record(
    {
      tppPerUnit: fc.integer({ min: 1, max: 60_000_000 }),
      performanceDensity: fc.constantFrom("1", "5.92", 19.45),
      quantity: fc.integer({ min: 1, max: 50 }),
      dataCenter: fc.boolean(),
      description: fc.constant("d"),
    },
    { requiredKeys: ["tppPerUnit", "quantity"] },
  ),
  fc.record({
    modelWeights: fc.record(
      { trainingOps: fc.constantFrom("1e26", "3e26", 1e15), openWeights: fc.boolean(), name: fc.constant("m") },
      { requiredKeys: ["trainingOps", "openWeights"] },
    ),
  }),
);

const validOrder: fc.Arbitrary<Json> = fc.record(
  {
    id: fc.constantFrom("o-1", "x"),
    date: fc.constantFrom("2025-06-10", "2024-02-29"),
    destination: fc.constantFrom("MY", "DE", "CN"),
    exporter: fc.constant("acme"),
    consignee: fc.record(
      {
        id: fc.constant("c"),
        name: fc.constant("C"),
        headquarters: fc.constantFrom("US", "MY"),
        statuses: fc.subarray(["UVEU", "NVEU"]),
        capacityTpp: fc.constantFrom("0", 10_000),
      },
      { requiredKeys: ["id"] },
    ),
    items: fc.array(line, { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ["id", "date", "destination", "consignee", "items"] },
);

/** A valid order, its damaged copy (through JSON text), and the error paths the damage must give. */
const damaged = validOrder.chain((order) =>
  fc
    .subarray(sitesOf(order), { minLength: 1 })
    .chain((sites) => fc.tuple(...sites.map((s) => fc.constantFrom(...s.damages).map((d) => [s, d] as const))))
    .map((chosen) => {
      const wholes = chosen.map(([s]) => s.field);
      const kept = chosen.filter(([s]) => !wholes.some((w) => inside(s.field, w)));
      const copy = structuredClone(order);
      for (const [s, d] of kept) apply(copy, s, d);
      const expected = kept.map(([s, d]) => s.field + (d.at ?? ""));
      return { order: JSON.parse(JSON.stringify(copy)) as unknown, expected };
    }),
);

describe("orders with damaged fields", () => {
  it("are invalid with exactly one error per damaged field, at its path", () => {
    fc.assert(
      fc.property(damaged, ({ order, expected }) => {
        const d = ai.evaluate(order, new MemoryLedger());
        expect(d.outcome).toBe("invalid");
        expect((d.errors ?? []).map((e) => e.field).sort()).toEqual([...expected].sort());
        expect(d.charges).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("a valid order before damage is decided (the generator's starting point is sound)", () => {
    fc.assert(
      fc.property(validOrder, (order) => {
        expect(ai.evaluate(order, new MemoryLedger()).outcome).not.toBe("invalid");
      }),
      { numRuns: 100 },
    );
  });
});
