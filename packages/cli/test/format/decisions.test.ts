import type { Decision } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { decisionLine, overLimit, printable, Summary, SummaryDelta } from "../../src/format/decisions.js";

const policy = { name: "p", version: "1", sha256: "0".repeat(64) };

function charged(id: string, after: string, limit: string): Decision {
  return {
    order: id,
    outcome: "authorized",
    basis: "E",
    reasons: [],
    charges: [{ cap: "c", key: "k", window: "all time", amount: after, before: "0", after, limit }],
    policy,
  };
}

function summaryOf(...decisions: Decision[]): string {
  const delta = new SummaryDelta(new Set([policy.sha256]));
  for (const d of decisions) delta.add(d);
  const s = new Summary();
  s.merge(delta);
  return s.toText();
}

describe("overLimit", () => {
  it("is exact: any amount past the limit, however small, and nothing at it", () => {
    expect(overLimit("100", "100")).toBe(false);
    expect(overLimit("99.99", "100")).toBe(false);
    expect(overLimit("100.01", "100")).toBe(true);
    // 100.04 %: shown as 100.0 % (rounded down), but past the limit.
    expect(overLimit("31664000", "31650000")).toBe(true);
    expect(overLimit("1001", "1000")).toBe(true);
  });

  it("takes anything charged to a zero limit as past it", () => {
    expect(overLimit("1", "0")).toBe(true);
    expect(overLimit("0", "0")).toBe(false);
  });
});

describe("Summary.toText", () => {
  it("notes a cap past its limit even when its percentage rounds down to 100.0%", () => {
    const text = summaryOf(charged("a", "31664000", "31650000"));
    expect(text).toContain("100.0%");
    expect(text).toContain("note: a cap over 100%");
  });

  it("shows no percentage for a zero limit, and notes what was charged to it", () => {
    const text = summaryOf(charged("a", "5", "0"));
    expect(text).toMatch(/c {2}k {2}all time {2}5 {2}0 {2}-\n/);
    expect(text).not.toContain("-%");
    expect(text).toContain("note: a cap over 100%");
  });

  it("gives no note for a cap exactly at its limit", () => {
    expect(summaryOf(charged("a", "100", "100"))).not.toContain("note:");
  });
});

describe("text with control characters from orders", () => {
  // An order's ids are any JSON string: a newline in one must not start a row of its own
  // (a consignee id could otherwise print a forged utilisation row or decision line).
  const forged = "k\n  c  MY  all time  1  1,000,000  0.0%\r\t\u0007";
  const d: Decision = {
    ...charged("o\n1", "5", "1000"),
    charges: [{ cap: "c", key: forged, window: "all time", amount: "5", before: "0", after: "5", limit: "1000" }],
  };
  const escaped = "k\\n  c  MY  all time  1  1,000,000  0.0%\\r\\t\\u0007";

  it("is escaped in the summary's tables, one row per cap key", () => {
    const rows = summaryOf(d)
      .split("\n")
      .filter((l) => l.includes("all time"));
    expect(rows).toHaveLength(2); // cap utilisation and closest to exhaustion
    for (const row of rows) expect(row).toContain(escaped);
  });

  it("is escaped in a decision line", () => {
    expect(decisionLine(d)).toBe(`o\\n1  authorized (E)  c[${escaped} all time] +5 = 5 of 1,000`);
  });

  it("is escaped in an invalid decision's line, errors included", () => {
    const bad: Decision = {
      order: "o\n2",
      outcome: "invalid",
      reasons: [],
      charges: [],
      errors: [{ field: "destination", message: "unknown country code `X\nY`" }],
      policy: { name: "p", version: "1", sha256: "" },
    };
    expect(decisionLine(bad)).toBe("o\\n2  invalid  destination: unknown country code `X\\nY`");
  });

  it("leaves other text as it is", () => {
    expect(printable("lab-ae-9|AE ünïcødé 日本")).toBe("lab-ae-9|AE ünïcødé 日本");
  });
});
