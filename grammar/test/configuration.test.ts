import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Configuration {
  comments: { lineComment: string; blockComment: [string, string] };
  brackets: [string, string][];
  autoClosingPairs: { open: string; close: string; notIn?: string[] }[];
  surroundingPairs: [string, string][];
  wordPattern: string;
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
}

const config = JSON.parse(readFileSync(new URL("../language-configuration.json", import.meta.url), "utf8")) as Configuration;

/** The words VS Code would find in a line (double-click, word-based suggestions, Ctrl+D). */
function words(line: string): string[] {
  return [...line.matchAll(new RegExp(config.wordPattern, "g"))].map((m) => m[0]);
}

describe("language configuration", () => {
  it("knows both comment styles", () => {
    expect(config.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
  });

  it("pairs braces, parentheses and quotes, but not quotes inside strings", () => {
    expect(config.brackets).toEqual([
      ["{", "}"],
      ["(", ")"],
    ]);
    expect(config.autoClosingPairs.find((p) => p.open === '"')?.notIn).toEqual(["string", "comment"]);
    expect(config.surroundingPairs).toContainEqual(['"', '"']);
  });

  it("takes names with underscores and digits, dates, numbers and case-by-case as whole words", () => {
    expect(words("cap country_allocation per consignee x destination")).toEqual(["cap", "country_allocation", "per", "consignee", "x", "destination"]);
    expect(words("window 2025-01-01 .. 2027-12-31")).toEqual(["window", "2025-01-01", "2027-12-31"]);
    expect(words("limit 26_900_000 TPP")).toEqual(["limit", "26_900_000", "TPP"]);
    expect(words("operations 2.5e25 ops")).toEqual(["operations", "2.5e25", "ops"]);
    expect(words("license review case-by-case")).toEqual(["license", "review", "case-by-case"]);
    expect(words("tier1 - tier3")).toEqual(["tier1", "tier3"]);
  });

  it("indents after an open brace and outdents at a closing one", () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
    expect(increase.test('cap LPP_limit "LPP" {')).toBe(true);
    expect(increase.test("  schedule {")).toBe(true);
    expect(increase.test("group g = { US }")).toBe(false);
    expect(increase.test("// a comment {")).toBe(false);
    expect(decrease.test("  }")).toBe(true);
    expect(decrease.test("  limit 1 TPP")).toBe(false);
  });
});
