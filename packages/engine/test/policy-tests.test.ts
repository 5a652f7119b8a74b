import { describe, expect, it } from "vitest";
import { compile, runPolicyTests } from "../src/index.js";
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
