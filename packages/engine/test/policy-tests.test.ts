import { describe, expect, it } from "vitest";
import { compile, compileSet, parsePolicyTestFile, runPolicyTests } from "../src/index.js";
import { aiDiffusion, order } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

describe("runPolicyTests: cases share one ledger", () => {
  it("a case repeating an earlier case's order is a repeat; one reusing its id for another order is invalid", () => {
    const result = runPolicyTests(
      {
        policy: "policy.diffuse",
        cases: [
          { name: "first", order: order({ quantity: 1 }), expect: { outcome: "authorized" } },
          { name: "the same order", order: order({ quantity: "1" }), expect: { outcome: "authorized" } },
          { name: "another order under its id", order: order({ quantity: 2 }), expect: { outcome: "authorized" } },
        ],
      },
      ai,
    );
    expect(result.results.map((r) => [r.name, r.passed, r.decision.alreadyDecided ?? false])).toEqual([
      ["first", true, false],
      ["the same order", true, true],
      ["another order under its id", false, false],
    ]);
    expect(result.results[2]?.failures).toEqual(["outcome: expected authorized, got invalid (id: order id `o-1` was already decided on this ledger for an order with other content (authorized under LPP))"]);
  });
});

describe("parsePolicyTestFile: options", () => {
  const file = (asOf: unknown): unknown => ({ policy: "policy.diffuse", options: { asOf }, cases: [] });

  it("takes `asOf` only as a calendar date: a version is picked by comparing dates, and other text would pick one silently", () => {
    expect(parsePolicyTestFile(file("2025-06-01")).ok).toBe(true);
    for (const asOf of ["garbage", "2025-02-30", "2025-6-1", 20250601]) {
      const parsed = parsePolicyTestFile(file(asOf));
      expect(parsed.ok, String(asOf)).toBe(false);
      if (!parsed.ok) expect(parsed.errors, String(asOf)).toEqual([{ path: "options.asOf", message: `expected a date (YYYY-MM-DD), got \`${String(asOf)}\`` }]);
    }
  });
});

describe("compareDecision: an order no version decides", () => {
  it("quotes the error without an empty field and says the decision has no version", () => {
    const set = compileSet([aiDiffusion({ version: "v1", effective: "2025-01-13" }).build()]);
    const result = runPolicyTests({ policy: "set.diffuse", options: { asOf: "2020-01-01" }, cases: [{ name: "c", order: order({}), expect: { outcome: "authorized", policyVersion: "v1" } }] }, set);
    expect(result.results[0]?.failures).toEqual(["outcome: expected authorized, got invalid (no version of the policy is in force on 2020-01-01)", "policy version: expected v1, got none"]);
  });
});
