import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { COUNTRY_CODES } from "@diffuse/language";
import { compile, MemoryLedger } from "../src/index.js";
import { aiDiffusion, order } from "./helpers/model.js";

const root = join(import.meta.dirname, "../../..");
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, "schemas", name), "utf8")) as Record<string, unknown>;
const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
addFormats.default(ajv);
const orderSchema = load("order.schema.json");
const validOrder = ajv.compile(orderSchema);
const validDecision = ajv.compile(load("decision.schema.json"));
const ai = compile(aiDiffusion().build());

describe("schemas/order.schema.json", () => {
  it("lists exactly the country codes the engine accepts", () => {
    const defs = orderSchema["$defs"] as { country: { enum: string[] } };
    expect(defs.country.enum).toEqual([...COUNTRY_CODES].sort());
  });
  it("accepts the orders the engine accepts", () => {
    const samples = [
      order({ quantity: 1_699 }),
      order({ headquarters: "US", statuses: ["UVEU"], capacityTpp: "12000000000" }),
      {
        ...order({}),
        exporter: "acme-us",
        items: [{ tppPerUnit: 10000, performanceDensity: 6.1, quantity: 5, dataCenter: false }, { modelWeights: { trainingOps: "3e26", openWeights: false } }],
      },
      order({ items: [{ item: "H100", quantity: "12000000000" }] }),
    ];
    for (const s of samples) {
      expect(validOrder(s), JSON.stringify(validOrder.errors)).toBe(true);
      expect(ai.evaluate(s, new MemoryLedger()).outcome).not.toBe("invalid");
    }
  });
  it("rejects what the engine rejects, field by field", () => {
    const bad = [
      { ...order({}), extra: 1 },
      { ...order({}), date: "2025-6-1" },
      order({ destination: "ZZ" }),
      order({ quantity: 0 }),
      order({ quantity: 1.5 }),
      order({ quantity: "1e3" }),
      { ...order({}), consignee: { name: "x" } },
      { ...order({}), items: [] },
      { ...order({}), items: [{ item: "H100", quantity: 1, tppPerUnit: 5 }] },
      { ...order({}), items: [{ modelWeights: { trainingOps: "3e26" } }] },
    ];
    for (const b of bad) {
      expect(validOrder(b)).toBe(false);
      expect(ai.evaluate(b, new MemoryLedger()).outcome).toBe("invalid");
    }
  });
});

describe("schemas/decision.schema.json", () => {
  it("accepts every decision of the conformance corpus", () => {
    const dir = join(root, "test/conformance");
    let n = 0;
    for (const c of readdirSync(dir)) {
      let decisions: unknown[];
      try {
        decisions = JSON.parse(readFileSync(join(dir, c, "expected.json"), "utf8")) as unknown[];
      } catch {
        continue;
      }
      for (const d of decisions) {
        expect(validDecision(d), `${c}: ${JSON.stringify(validDecision.errors)}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });
  it("accepts every decision the engine makes (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ destination: fc.constantFrom("DE", "MY", "CN"), quantity: fc.integer({ min: 1, max: 5000 }) }).map((r) => order(r)),
        ),
        (o) => {
          const d = ai.evaluate(o, new MemoryLedger());
          expect(validDecision(d), JSON.stringify(validDecision.errors)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
