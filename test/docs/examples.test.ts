/**
 * The Diffuse examples in the reference docs parse cleanly and are already in the
 * canonical format (docs/diagnostics.md is left out: its examples show errors). The
 * language reference's declaration examples, taken together, also check cleanly, and its
 * list of reserved words is the lexer's.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KEYWORDS, checkText, parse } from "@diffuse/language";
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

describe("docs/language.md", () => {
  it("its declaration examples together form one policy file that checks without a diagnostic", () => {
    // The header and the policy set name files of their own (imports, versions): parsed above only.
    const declarations = examples("docs/language.md").filter((b) => !/^(policy|policyset|import)\b/m.test(b.text));
    expect(declarations.length).toBeGreaterThan(3);
    const text = declarations.map((b) => b.text).join("\n");
    const found = checkText(text, "file:///language-examples.diffuse").diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(found).toEqual([]);
  });

  it("lists exactly the reserved words", () => {
    const text = readFileSync(join(root, "docs/language.md"), "utf8");
    const bullet = /^- Keywords are reserved[\s\S]*?(?=\n- |\n\n)/m.exec(text)?.[0] ?? "";
    const listed = [...bullet.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "");
    // The bullet's own examples (`x`, `no`, ...) are keywords too, so a set comparison is exact.
    expect([...new Set(listed)].sort()).toEqual([...KEYWORDS].sort());
  });
});
