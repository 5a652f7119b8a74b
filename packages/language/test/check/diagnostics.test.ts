/**
 * One fixture folder per semantic diagnostic code: `input.diffuse` (the entry), any
 * other files it imports, and `expected.json` listing every diagnostic the check must
 * report, as `{ code, severity, text, file? }` where `text` is the underlined source.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/check/load.js";
import { CODES } from "../../src/codes.js";

const root = new URL("../fixtures/diagnostics/", import.meta.url);
const folders = readdirSync(root)
  .filter((f) => /^DF[234]\d{3}$/.test(f))
  .sort();

interface Expected {
  readonly code: string;
  readonly severity: string;
  readonly text: string;
  readonly file?: string;
}

function run(folder: string) {
  const dir = new URL(`${folder}/`, root);
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".diffuse")) files.set(`file:///fixtures/${folder}/${name}`, readFileSync(new URL(name, dir), "utf8"));
  }
  const result = checkFiles(files, `file:///fixtures/${folder}/input.diffuse`);
  const expected = JSON.parse(readFileSync(new URL("expected.json", dir), "utf8")) as Expected[];
  return { files, result, expected };
}

describe("diagnostic fixtures", () => {
  it("has a fixture folder for every checker code", () => {
    const semantic = Object.keys(CODES).filter((c) => /^DF[234]/.test(c));
    expect(folders).toEqual(semantic.sort());
  });

  it.each(folders)("%s", (folder) => {
    const { files, result, expected } = run(folder);
    const actual = result.diagnostics.map((d) => {
      const name = d.uri.slice(d.uri.lastIndexOf("/") + 1);
      const text = (files.get(d.uri) ?? "").slice(d.range.start, d.range.end);
      return { code: d.code, severity: d.severity, text, ...(name !== "input.diffuse" ? { file: name } : {}) };
    });
    expect(actual).toEqual(expected);
    expect(expected.some((e) => e.code === folder)).toBe(true);
    for (const d of result.diagnostics) {
      expect(d.severity).toBe(CODES[d.code as keyof typeof CODES].severity);
      expect(d.message).toMatch(/^[^A-Z].*[^.]$/);
      expect(d.message).not.toContain("\n");
    }
  });
});
