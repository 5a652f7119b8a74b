import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareOrdersByDate, compile, evaluateBook, ledgerFrom, MemoryLedger } from "../src/index.js";
import type { Decision } from "../src/index.js";
import { parseDecimal, cmp } from "../src/exact.js";
import { aiDiffusion } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

const date = fc
  .tuple(fc.integer({ min: 2025, max: 2028 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const country = fc.constantFrom("DE", "US", "MY", "IN", "AE", "SA", "BR", "CN", "MO", "KH", "SG");
const line = fc.oneof(
  fc.record({ item: fc.constantFrom("H100", "B200", "A100", "H20", "RTX"), quantity: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({
    tppPerUnit: fc.integer({ min: 1, max: 60_000_000 }),
    performanceDensity: fc.constantFrom("1", "5.92", "19.45"),
    quantity: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ modelWeights: fc.record({ trainingOps: fc.constantFrom("8e25", "1e26", "3e26"), openWeights: fc.boolean() }) }),
);
const validOrder = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4 }),
  date,
  destination: country,
  consignee: fc.record(
    {
      id: fc.constantFrom("a", "b", "c"),
      headquarters: country,
      statuses: fc.subarray(["UVEU", "NVEU"]),
      capacityTpp: fc.constantFrom("0", "1000000000", "10000000000"),
    },
    { requiredKeys: ["id"] },
  ),
  items: fc.array(line, { minLength: 1, maxLength: 3 }),
});
/** Valid orders, sometimes damaged. */
const anyOrder = fc.oneof(validOrder, fc.jsonValue(), fc.anything());
const startingLedger = fc.array(
  fc.record({
    cap: fc.constantFrom("LPP_limit", "country_allocation", "UVEU_country_share", "uveu_country_share", "nveu_installed_base"),
    key: fc.constantFrom("a", "MY", "IN", "a|IN"),
    date,
    amount: fc.constantFrom("1", "26899999", "789999999", "1500000000"),
  }),
  { maxLength: 5 },
);

describe("engine properties", () => {
  it("evaluate never throws on arbitrary input and is deterministic", () => {
    fc.assert(
      fc.property(anyOrder, startingLedger, (o, start) => {
        const a = ai.evaluate(o, ledgerFrom(start));
        const b = ai.evaluate(o, ledgerFrom(start));
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 300 },
    );
  });

  it("an authorized decision never takes a cap past its limit", () => {
    fc.assert(
      fc.property(fc.array(validOrder, { maxLength: 25 }), startingLedger, (book, start) => {
        for (const d of evaluateBook(ai, book, ledgerFrom(start))) {
          if (d.outcome !== "authorized" || d.alreadyDecided === true) continue;
          for (const c of d.charges) {
            const after = parseDecimal(c.after);
            const limit = parseDecimal(c.limit);
            expect(after !== undefined && limit !== undefined && cmp(after, limit) <= 0).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a decision names only what the evaluator lists: each part of its basis among `bases`, each reason's rule among `rules`", () => {
    const bases = new Set(ai.bases);
    const rules = new Set(ai.rules);
    fc.assert(
      fc.property(fc.array(validOrder, { maxLength: 25 }), startingLedger, (book, start) => {
        for (const d of evaluateBook(ai, book, ledgerFrom(start))) {
          for (const part of d.basis?.split(" + ") ?? []) expect(bases.has(part), part).toBe(true);
          for (const r of d.reasons) expect(rules.has(r.rule), r.rule).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a book in one run equals its two halves with the ledger carried over", () => {
    fc.assert(
      fc.property(fc.array(anyOrder, { maxLength: 20 }), fc.nat(), (book, cut) => {
        const sorted = [...book].sort(compareOrdersByDate);
        const at = sorted.length === 0 ? 0 : cut % (sorted.length + 1);
        const whole = [...evaluateBook(ai, sorted, new MemoryLedger())];
        const ledger = new MemoryLedger();
        const halves: Decision[] = [...evaluateBook(ai, sorted.slice(0, at), ledger), ...evaluateBook(ai, sorted.slice(at), ledger)];
        expect(JSON.stringify(halves)).toBe(JSON.stringify(whole));
      }),
      { numRuns: 150 },
    );
  });

  it("the in-memory ledger gives back each decision byte for byte (it keeps them in compact form)", () => {
    fc.assert(
      fc.property(fc.array(validOrder, { maxLength: 25 }), startingLedger, fc.boolean(), (book, start, hints) => {
        const ledger = ledgerFrom(start);
        const fresh = new Map<string, string>();
        for (const d of evaluateBook(ai, book, ledger, { hints }))
          if (d.outcome !== "invalid" && d.alreadyDecided !== true) fresh.set(d.order, JSON.stringify(d));
        for (const [id, json] of fresh) expect(JSON.stringify(ledger.decided(id))).toBe(json);
        expect([...ledger.recorded()].map((d) => JSON.stringify(d))).toEqual([...fresh.values()]);
      }),
      { numRuns: 200 },
    );
  });

  it("a rerun of a book, written differently, decides nothing again: every order is already decided as it was", () => {
    /** The same order as other JSON: keys reversed at every level, whole numbers as strings, statuses reversed and repeated, the headquarters spelled out, a consignee name. */
    const rewrite = (o: Record<string, unknown>): Record<string, unknown> => {
      const reversed = (x: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(x).reverse());
      const c = o["consignee"] as Record<string, unknown>;
      const statuses = c["statuses"] as string[] | undefined;
      const consignee = reversed({
        ...c,
        name: "renamed",
        headquarters: c["headquarters"] ?? o["destination"],
        ...(statuses === undefined ? {} : { statuses: [...statuses].reverse().concat(statuses) }),
      });
      const items = (o["items"] as Record<string, unknown>[]).map((l) =>
        reversed(Object.fromEntries(Object.entries(l).map(([k, v]) => [k, typeof v === "number" && Number.isInteger(v) ? String(v) : v]))),
      );
      return reversed({ ...o, consignee, items });
    };
    fc.assert(
      fc.property(fc.uniqueArray(validOrder, { maxLength: 20, selector: (o) => o.id }), startingLedger, (book, start) => {
        const ledger = ledgerFrom(start);
        const first = new Map([...evaluateBook(ai, book, ledger)].map((d) => [d.order, d]));
        for (const d of evaluateBook(ai, book.map(rewrite), ledger)) {
          const was = first.get(d.order) as Decision;
          if (was.outcome === "invalid") continue;
          expect(d).toEqual({ ...was, alreadyDecided: true });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("explain's decision always equals evaluate's", () => {
    fc.assert(
      fc.property(anyOrder, startingLedger, fc.boolean(), (o, start, chargeLicenses) => {
        const e = ai.explain(o, ledgerFrom(start), { chargeLicenses });
        const d = ai.evaluate(o, ledgerFrom(start), { chargeLicenses });
        expect(e.decision).toEqual(d);
        expect(e.trace.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("hint properties", () => {
  it("a status hint is given whenever holding the status would authorize the order", () => {
    fc.assert(
      fc.property(validOrder, startingLedger, (o, start) => {
        const d = ai.evaluate(o, ledgerFrom(start), { dryRun: true });
        if (d.outcome === "authorized" || d.outcome === "invalid") return;
        for (const s of ["UVEU", "NVEU"]) {
          if (o.consignee.statuses?.includes(s) === true) continue;
          const trial = ai.evaluate({ ...o, consignee: { ...o.consignee, statuses: [...(o.consignee.statuses ?? []), s] } }, ledgerFrom(start), {
            dryRun: true,
            hints: false,
          });
          const wins = trial.outcome === "authorized" && (trial.basis ?? "").split(" + ").includes(s);
          expect(d.hints?.includes(`authorized under ${s} if the consignee held ${s}`) ?? false).toBe(wins);
        }
      }),
      { numRuns: 300 },
    );
  });
});
