import type { Decision, Explanation } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { decisionsPage, escapeHtml, explanationPage, shareBasisPoints, utilisationOf, utilisationPage } from "../src/views.js";

const policy = { name: "AI Diffusion", version: "2025-01", sha256: "0".repeat(64) };
const source = { path: "p.diffuse", range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } };

function decision(order: string, charges: Decision["charges"], extra: Partial<Decision> = {}): Decision {
  return { order, outcome: "authorized", basis: "LPP", reasons: [], charges, policy, ...extra };
}

describe("decisions page", () => {
  it("has one row per decision and escapes what it shows", () => {
    const html = decisionsPage({
      policy: "p.diffuse",
      orders: "orders.json",
      message: "2 orders: 1 authorized, 1 prohibited",
      decisions: [
        { order: "o-1", outcome: "authorized", basis: "LPP" },
        { order: "<o-2>", outcome: "prohibited" },
      ],
    });
    expect(html.match(/<tr><td>/g)).toHaveLength(2);
    expect(html).toContain("&#60;o-2&#62;");
    expect(html).not.toContain("<o-2>");
    expect(html).toContain('class="outcome prohibited"');
    expect(html).not.toContain("<script");
  });

  it("shows the error instead of a table", () => {
    const html = decisionsPage({ policy: "p", orders: "o", message: "x", decisions: [], error: "the policy has errors" });
    expect(html).toContain("the policy has errors");
    expect(html).not.toContain("<table");
  });
});

describe("explanation page", () => {
  it("shows the outcome, reasons with citations, charges and the trace", () => {
    const explanation: Explanation = {
      decision: decision("o-4", [{ cap: "LPP_limit", key: "uni-my", window: "2025", amount: "15832", before: "0", after: "15832", limit: "26900000" }], {
        reasons: [{ rule: "LPP", message: "within the LPP limit", cite: "15 CFR 740.29", source }],
        obligations: ["notify BIS"],
      }),
      trace: [
        {
          rule: "chips",
          kind: "decide",
          applied: true,
          detail: "H100 is advanced_ic",
          children: [
            { rule: "AIA", kind: "authorize", applied: false, detail: "destination MY is not in tier1" },
            { rule: "LPP", kind: "authorize", applied: true, detail: "" },
          ],
        },
      ],
    };
    const html = explanationPage(explanation);
    expect(html).toContain("<code>LPP</code> (authorize)<");
    expect(html).toContain("15 CFR 740.29");
    expect(html).toContain("26,900,000");
    expect(html).toContain("destination MY is not in tier1");
    expect(html).toContain("notify BIS");
  });
});

describe("cap utilisation", () => {
  const decisions = [
    decision("o-1", [{ cap: "LPP_limit", key: "uni-my", window: "2025", amount: "10", before: "0", after: "10", limit: "40" }]),
    decision("o-2", [
      { cap: "LPP_limit", key: "uni-my", window: "2025", amount: "10", before: "10", after: "20", limit: "40" },
      { cap: "country_allocation", key: "MY", window: "2025-01-01..2027-12-31", amount: "5", before: "0", after: "5", limit: "3" },
    ]),
  ];

  it("keeps the usage after the last charge of each cap and key", () => {
    expect(utilisationOf(decisions)).toEqual([
      { cap: "LPP_limit", key: "uni-my", window: "2025", used: "20", limit: "40" },
      { cap: "country_allocation", key: "MY", window: "2025-01-01..2027-12-31", used: "5", limit: "3" },
    ]);
  });

  it("computes shares exactly, in basis points", () => {
    expect(shareBasisPoints("20", "40")).toBe(5000);
    expect(shareBasisPoints("26900000", "26900000")).toBe(10_000);
    expect(shareBasisPoints("1", "3")).toBe(3333);
    expect(shareBasisPoints("15831.2", "31662.4")).toBe(5000);
    expect(shareBasisPoints("123456789012345678901234567890", "246913578024691357802469135780")).toBe(5000);
    expect(shareBasisPoints("1", "0")).toBeUndefined();
    expect(shareBasisPoints("x", "1")).toBeUndefined();
  });

  it("draws one bar per cap and key, marking a cap over its limit", () => {
    const html = utilisationPage("orders against policy", utilisationOf(decisions));
    expect(html.match(/<g class="row"/g)).toHaveLength(2);
    expect(html).toContain("50.00 %");
    expect(html).toContain('class="bar over"');
    expect(html).toContain('width="180.0"');
  });

  it("says so when nothing was charged", () => {
    expect(utilisationPage("t", [])).toContain("No order charged any cap");
  });
});

it("escapes HTML", () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;");
});
