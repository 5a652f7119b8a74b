/**
 * The Diffuse examples in the reference docs parse cleanly and are already in the
 * canonical format (docs/diagnostics.md is left out: its examples show errors).
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "@diffuse/language";
import { checkFormatted } from "prettier-plugin-diffuse";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const docs = ["docs/language.md", "docs/formatting.md"];

function examples(path: string): { line: number; text: string }[] {
  const text = readFileSync(join(root, path), "utf8");
  const out: { line: number; text: string }[] = [];
  const fence = /```diffuse\n([\s\S]*?)```/g;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    out.push({ line: text.slice(0, m.index).split("\n").length + 1, text: m[1] ?? "" });
  }
  return out;
}

describe.each(docs)("%s", (path) => {
  const blocks = examples(path);
  it("has Diffuse examples", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  it.each(blocks.map((b) => [b.line, b.text] as const))("example at line %i parses and is formatted", async (_line, text) => {
    expect(parse(text, "file:///example.diffuse").diagnostics).toEqual([]);
    expect(await checkFormatted(text)).toBe(true);
  });
});
