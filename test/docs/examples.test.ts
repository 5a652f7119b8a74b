/**
 * The Diffuse examples in the reference docs parse cleanly and are already in the
 * canonical format (docs/diagnostics.md is left out: its examples show errors). The
 * language reference's declaration examples, taken together, also check cleanly, and its
 * list of reserved words is the lexer's. The engine reference's example orders are valid
 * against the order schema and decided, none invalid, by the example policy beside them.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { MemoryLedger, compile } from "@diffuse/engine";
import { KEYWORDS, checkText, parse } from "@diffuse/language";
import { checkFormatted } from "prettier-plugin-diffuse";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const docs = ["docs/language.md", "docs/formatting.md"];

/** The fenced blocks of one language in a document, or in one of its sections (from a heading to the next of its level). */
function examples(path: string, language = "diffuse", section?: string): { line: number; text: string }[] {
  let text = readFileSync(join(root, path), "utf8");
  let offset = 0;
  if (section !== undefined) {
    const start = text.indexOf(`\n${section}\n`);
    expect(start, `${path} has a section ${section}`).toBeGreaterThan(0);
    const level = /^#+ /.exec(section)?.[0] ?? "## ";
    const end = text.indexOf(`\n${level}`, start + section.length + 2);
    offset = text.slice(0, start).split("\n").length - 1;
    text = text.slice(start, end < 0 ? undefined : end);
  }
  const out: { line: number; text: string }[] = [];
  const fence = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, "g");
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    out.push({ line: offset + text.slice(0, m.index).split("\n").length + 1, text: m[1] ?? "" });
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

describe("docs/engine.md, Orders (v1)", () => {
  const section = "## Orders (v1)";
  const [policy, ...others] = examples("docs/engine.md", "diffuse", section);
  const orders = examples("docs/engine.md", "json", section).map((b) => ({ line: b.line, order: JSON.parse(b.text) as Record<string, unknown> }));
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats.default(ajv);
  const schema = JSON.parse(readFileSync(join(root, "schemas/order.schema.json"), "utf8")) as Record<string, unknown>;
  const valid = ajv.compile(schema);

  it("has one example policy, which checks without a diagnostic and is formatted", async () => {
    expect(others).toEqual([]);
    expect(checkText(policy?.text ?? "", "file:///order-examples.diffuse").diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(await checkFormatted(policy?.text ?? "")).toBe(true);
  });

  it.each(orders.map((o) => [o.line, o.order] as const))("example order at line %i is valid against the schema and decided without errors", (_line, order) => {
    expect(valid(order), JSON.stringify(valid.errors)).toBe(true);
    const evaluator = compile(checkText(policy?.text ?? "", "file:///order-examples.diffuse").model);
    const decision = evaluator.evaluate(order, new MemoryLedger());
    expect(decision.errors).toBeUndefined();
    // The outcomes the text next to each example states.
    const stated: Record<string, string> = { "o-1": "license-required", "o-2": "authorized NLR", "o-3": "authorized NLR", "o-4": "authorized UVEU" };
    const id = String(order["id"]);
    if (id in stated) expect([decision.outcome, decision.basis].filter(Boolean).join(" ")).toBe(stated[id]);
  });

  it("uses every field the schema defines, on some example", () => {
    type Node = { properties?: Record<string, Node>; items?: Node; oneOf?: Node[]; $ref?: string };
    const defs = (schema["$defs"] ?? {}) as Record<string, Node>;
    const resolveRef = (n: Node): Node => (n.$ref?.startsWith("#/$defs/") ? (defs[n.$ref.slice(8)] ?? n) : n);
    const fields = (n: Node, path: string, out: Set<string>): Set<string> => {
      const node = resolveRef(n);
      for (const [k, v] of Object.entries(node.properties ?? {})) {
        out.add(`${path}${k}`);
        fields(v, `${path}${k}.`, out);
      }
      if (node.items) fields(node.items, `${path}[].`, out);
      for (const alt of node.oneOf ?? []) fields(alt, path, out);
      return out;
    };
    const used = (v: unknown, path: string, out: Set<string>): Set<string> => {
      if (Array.isArray(v)) for (const x of v) used(x, `${path}[].`, out);
      else if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
          out.add(`${path}${k}`);
          used(x, `${path}${k}.`, out);
        }
      }
      return out;
    };
    const inExamples = new Set<string>();
    for (const o of orders) used(o.order, "", inExamples);
    expect([...fields(schema as Node, "", new Set())].filter((f) => !inExamples.has(f))).toEqual([]);
  });
});
