import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CODES } from "../../src/codes.js";

const doc = readFileSync(new URL("../../../../docs/diagnostics.md", import.meta.url), "utf8");
const documented = new Map([...doc.matchAll(/^### (DF\d{4}) ([a-z0-9-]+)\s*$/gm)].map((m) => [m[1] as string, m[2] as string]));
const entries = Object.entries(CODES) as [string, { severity: string; name: string; summary: string }][];

describe("diagnostic code registry", () => {
  it("documents every registered code under its name", () => {
    for (const [code, info] of entries) {
      expect(documented.get(code), `${code} is missing from docs/diagnostics.md`).toBe(info.name);
    }
  });

  it("registers every documented code", () => {
    for (const code of documented.keys()) expect(Object.hasOwn(CODES, code), `${code} is documented but not in codes.ts`).toBe(true);
  });

  it("documents each code once", () => {
    const headings = [...doc.matchAll(/^### (DF\d{4})/gm)].map((m) => m[1]);
    expect(new Set(headings).size).toBe(headings.length);
  });

  it("uses well-formed, banded, unique codes and names", () => {
    const names = new Set<string>();
    for (const [code, info] of entries) {
      expect(code).toMatch(/^DF[01234]\d{3}$|^DF9\d{3}$/);
      expect(info.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(names.has(info.name), `name ${info.name} used twice`).toBe(false);
      names.add(info.name);
      expect(["error", "warning", "info"]).toContain(info.severity);
      expect(info.summary.length).toBeGreaterThan(0);
    }
  });

  it("keeps checker codes in the semantic bands", () => {
    const semantic = entries.filter(([code]) => /^DF[234]/.test(code));
    expect(semantic.length).toBeGreaterThan(20);
  });
});
