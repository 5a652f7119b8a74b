import { parse } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { identityOf, statusText } from "../src/identity.js";
import { caseNames, isTestSummary } from "../src/testFiles.js";
import { orderLabel, parseOrders } from "../src/local.js";

describe("status bar identity", () => {
  it("reads the policy's name and version", () => {
    const ast = parse('policy "AI Diffusion" cite "90 FR 4544" {\n  version "2025-01"\n  effective 2025-01-13\n}\n', "file:///p.diffuse").ast;
    const id = identityOf(ast);
    expect(id).toEqual({ kind: "policy", name: "AI Diffusion", version: "2025-01" });
    expect(statusText(id)).toBe("$(law) AI Diffusion · 2025-01");
  });

  it("counts the versions of a policy set", () => {
    const ast = parse('policyset "US controls" {\n  use "a.diffuse"\n  use "b.diffuse"\n}\n', "file:///s.diffuse").ast;
    expect(statusText(identityOf(ast))).toBe("$(versions) US controls · 2 versions");
  });

  it("calls a file without a header a library", () => {
    const ast = parse("group g = { US }\n", "file:///l.diffuse").ast;
    expect(statusText(identityOf(ast))).toBe("$(library) Diffuse library");
  });
});

describe("order files", () => {
  it("reads a JSON array and JSONL", () => {
    expect(parseOrders('[{"id":"a"},{"id":"b"}]')).toEqual({ orders: [{ id: "a" }, { id: "b" }], repeatedKeys: new Map() });
    expect(parseOrders('{"id":"a"}\n\n{"id":"b"}\n')).toEqual({ orders: [{ id: "a" }, { id: "b" }], repeatedKeys: new Map() });
  });

  it("reports bad JSON instead of throwing", () => {
    const result = parseOrders("[{");
    expect("error" in result && result.error).toMatch(/^the order file is not valid JSON/);
    expect(parseOrders('{"id": 1}')).toEqual({ orders: [{ id: 1 }], repeatedKeys: new Map() });
  });

  it("labels orders for the picker", () => {
    expect(orderLabel({ id: "o-1", date: "2025-06-10", destination: "MY" }, 0)).toEqual({ label: "o-1", description: "2025-06-10 · MY" });
    expect(orderLabel(42, 3)).toEqual({ label: "order 4", description: "" });
  });
});

describe("policy test files", () => {
  it("names cases as the runner does", () => {
    expect(caseNames('{"cases":[{"name":"first"},{"order":{"id":"o-2"}},{}]}')).toEqual(["first", "o-2", "case 3"]);
    expect(caseNames("not json")).toEqual([]);
  });

  it("recognises the server's test summary", () => {
    expect(isTestSummary({ passed: 1, failed: 0, files: [], message: "1 passed, 0 failed" })).toBe(true);
    expect(isTestSummary(null)).toBe(false);
  });
});
