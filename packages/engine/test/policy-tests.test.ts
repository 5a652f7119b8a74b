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

describe("expected charges", () => {
  const withCharges = (charges: unknown): unknown => ({ policy: "policy.diffuse", cases: [{ order: order({ quantity: 1 }), expect: { outcome: "authorized", charges } }] });

  it("are checked like the rest of the file: a misspelt field or a value of the wrong type is an error with its path, not a case that can never pass", () => {
    const parsed = parsePolicyTestFile(withCharges([{ cpa: "LPP_limit" }, { cap: 5, amount: "a lot" }, "LPP_limit"]));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        { path: "cases[0].expect.charges[0].cpa", message: "unknown field `cpa`" },
        { path: "cases[0].expect.charges[1].cap", message: "expected `cap` as a string" },
        { path: "cases[0].expect.charges[1].amount", message: "expected a non-negative amount as a decimal string or a safe integer" },
        { path: "cases[0].expect.charges[2]", message: "expected a partial charge `{cap, key, window, amount, before, after, limit}`" },
      ]);
    }
  });

  it("match amounts by value, given as a number or a decimal string, as a starting ledger's are", () => {
    const parsed = parsePolicyTestFile(withCharges([{ cap: "LPP_limit", amount: 15832, before: "0", after: "15832.00", limit: "026900000" }]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const result = runPolicyTests(parsed.value, ai);
    expect(result.results[0]?.failures).toEqual([]);
    const wrong = parsePolicyTestFile(withCharges([{ cap: "LPP_limit", amount: 15833 }]));
    if (wrong.ok) expect(runPolicyTests(wrong.value, ai).results[0]?.passed).toBe(false);
  });
});
