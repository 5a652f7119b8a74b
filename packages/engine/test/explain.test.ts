import { describe, expect, it } from "vitest";
import { compile, ledgerFrom, MemoryLedger } from "../src/index.js";
import type { TraceStep } from "../src/index.js";
import { aiDiffusion, order } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

function flatten(steps: readonly TraceStep[]): TraceStep[] {
  return steps.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

describe("explain", () => {
  it("traces every class tested and every rule consulted, with the deciding values", () => {
    const ledger = ledgerFrom([{ cap: "LPP_limit", key: "uni-my", date: "2025-06-10", amount: "26898568" }]);
    const { decision, trace } = ai.explain(order({ date: "2025-11-03" }), ledger, { dryRun: true });
    expect(decision).toMatchObject({ outcome: "license-required", review: "presumption-of-approval" });
    const steps = flatten(trace);
    expect(steps.filter((s) => s.kind === "class").map((s) => [s.rule, s.applied])).toEqual([["advanced_ic", true]]);
    const lpp = steps.find((s) => s.kind === "cap" && s.rule === "LPP_limit");
    expect(lpp).toMatchObject({ applied: false, detail: "26,914,400 TPP > 26,900,000 TPP LPP_limit limit for consignee uni-my in 2025" });
    const rules = steps.filter((s) => ["authorize", "license", "prohibit"].includes(s.kind)).map((s) => [s.kind, s.rule, s.applied]);
    expect(rules).toEqual([
      ["license", "chips", false],
      ["authorize", "AIA", false],
      ["authorize", "UVEU", false],
      ["authorize", "NVEU", false],
      ["authorize", "LPP", false],
      ["license", "chips", true],
    ]);
    expect(steps.some((s) => s.detail === "destination MY not in tier1")).toBe(true);
    expect(
      steps.some(
        (s) =>
          s.kind === "charging" && s.detail.startsWith("15,832 TPP <= 790,000,000 TPP country_allocation limit for destination MY in 2025-01-01..2027-12-31"),
      ),
    ).toBe(true);
    expect(trace.at(-1)).toMatchObject({ kind: "outcome", detail: "license required, review presumption of approval" });
  });
  it("says a step's kind and name once: its detail does not start with them", () => {
    const ledger = ledgerFrom([{ cap: "LPP_limit", key: "uni-my", date: "2025-06-10", amount: "26898568" }]);
    const orders = [
      order({ date: "2025-11-03" }),
      order({ statuses: ["NVEU"], items: [{ item: "H100", quantity: 2 }, { modelWeights: { trainingOps: "3e26", openWeights: false } }] }),
      order({ destination: "CN" }),
    ];
    for (const o of orders) {
      for (const s of flatten(ai.explain(o, ledger, { dryRun: true }).trace)) {
        const words = s.detail.split(/[\s:]+/);
        expect(words[0] === s.kind || words[0] === s.rule, `${s.kind} ${s.rule}: ${s.detail}`).toBe(false);
      }
    }
    const steps = flatten(ai.explain(orders[0], ledger, { dryRun: true }).trace);
    expect(steps.find((s) => s.kind === "line")?.detail).toBe("1 x H100 = 15,832 TPP, class advanced_ic");
    expect(steps.find((s) => s.kind === "decide")?.detail).toBe("items[0] (15,832 TPP)");
  });

  it("gives status and review steps their place in the policy", () => {
    const steps = flatten(ai.explain(order({ statuses: ["NVEU"] }), new MemoryLedger(), { dryRun: true }).trace);
    const located = steps.filter((s) => s.kind === "status" || s.kind === "review");
    expect(located.length).toBeGreaterThan(1);
    for (const s of located) expect(s.source, `${s.kind} ${s.rule}`).toBeDefined();
  });

  it("shows the class tests that failed, with values", () => {
    const { trace } = ai.explain(order({ items: [{ tppPerUnit: 4_799, performanceDensity: "5.91", quantity: 1 }] }), new MemoryLedger(), { dryRun: true });
    const details = flatten(trace).map((s) => s.detail);
    expect(details).toContain("(tpp 4,799 TPP < 4,800 TPP and (tpp 4,799 TPP >= 1,600 TPP and density 5.91 < 5.92))");
    expect(details.some((d) => d.includes("no class: outside this policy's controls"))).toBe(true);
  });
  it("states why an `or` failed (every operand false: joined with `and`) and what made one hold", () => {
    const failed = flatten(ai.explain(order({}), new MemoryLedger(), { dryRun: true }).trace).map((s) => s.detail);
    expect(failed).toContain("(destination MY not in tier3 and headquarters MY not in tier3)");
    const held = flatten(ai.explain(order({ headquarters: "CN" }), new MemoryLedger(), { dryRun: true }).trace).map((s) => s.detail);
    expect(held).toContain("(destination MY not in tier3 or headquarters CN in tier3)");
  });
  it("its decision equals evaluate's, and it records like evaluate unless dryRun", () => {
    const l1 = new MemoryLedger();
    const l2 = new MemoryLedger();
    const o = order({ quantity: 1_700 });
    expect(ai.explain(o, l1).decision).toEqual(ai.evaluate(o, l2));
    expect(l1.decided("o-1")).toBeDefined();
    expect(ai.explain(o, l1).trace[0]).toMatchObject({ kind: "ledger" });
  });
  it("explains invalid orders", () => {
    const { decision, trace } = ai.explain({ id: 1 }, new MemoryLedger());
    expect(decision.outcome).toBe("invalid");
    expect(trace[0]?.kind).toBe("order");
  });
  it("reasons point at the policy source (0-based line and character)", () => {
    const b = aiDiffusion();
    b.text = "line one\n  authorize LPP\n";
    const m = b.build();
    const decisions = m.decisions.map((d) => ({
      ...d,
      rules: d.rules.map((r) => (r.kind === "authorize" && r.basis === "LPP" ? { ...r, source: { uri: m.uri, range: { start: 11, end: 24 } } } : r)),
    }));
    const ev = compile({ ...m, decisions });
    const d = ev.evaluate(order({ quantity: 10 }), new MemoryLedger());
    expect(d.reasons[0]?.source).toEqual({ path: "test.diffuse", range: { start: { line: 1, character: 2 }, end: { line: 1, character: 15 } } });
  });
});
