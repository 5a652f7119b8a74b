/**
 * Property: formatting keeps what the checker makes of a file. For any file that parses
 * (its semantic errors included), the formatted file parses without errors, and checking
 * it gives the same diagnostics (code, severity, message) and the same model, positions
 * and source text aside.
 *
 * Inputs: random grammatical policies (arbitraries.ts), whose names and numbers are
 * random so they are full of semantic errors; and the repository's policies and this
 * package's formatter cases, each changed at random a few times at the level of
 * declarations and names: a declaration dropped, repeated or moved, a name or a number
 * swapped for another of the same file. Such changes keep the file parsing while they
 * break references, units and precedence; a changed file that no longer parses is
 * skipped (the formatter rightly refuses it).
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { checkFiles, parse, tokenize } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { formatDiffuse } from "../src/format.js";
import { LINE_END, policyTokens } from "./arbitraries.js";

const POLICIES = new URL("../../../policies/", import.meta.url);
const CASES = new URL("./cases/", import.meta.url);

/** Every policy file of the repository (its `lib/` included, so imports resolve), by URI. */
const library = new Map<string, string>();
for (const dir of [POLICIES, new URL("lib/", POLICIES)])
  for (const name of readdirSync(dir)) if (name.endsWith(".diffuse")) library.set(new URL(name, dir).href, readFileSync(new URL(name, dir), "utf8"));

const seeds: { uri: string; text: string }[] = [
  ...[...library].map(([uri, text]) => ({ uri, text })),
  ...readdirSync(CASES).map((c) => ({ uri: new URL(`${c}/input.diffuse`, CASES).href, text: readFileSync(new URL(`${c}/input.diffuse`, CASES), "utf8") })),
];

type Change =
  | { readonly kind: "drop" | "repeat"; readonly a: number }
  | { readonly kind: "move"; readonly a: number; readonly b: number }
  | { readonly kind: "token"; readonly of: "identifier" | "number"; readonly a: number; readonly b: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constantFrom("drop" as const, "repeat" as const), a: fc.nat() }),
  fc.record({ kind: fc.constant("move" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant("token" as const), of: fc.constantFrom("identifier" as const, "number" as const), a: fc.nat(), b: fc.nat() }),
);

/** `text` with one change applied; positions are taken modulo what there is. */
function applyChange(text: string, c: Change): string {
  if (c.kind === "token") {
    const tokens = tokenize(text).filter((t) => t.kind === c.of);
    const target = tokens[c.a % Math.max(1, tokens.length)];
    const source = tokens[c.b % Math.max(1, tokens.length)];
    if (target === undefined || source === undefined) return text;
    return text.slice(0, target.range.start) + source.text + text.slice(target.range.end);
  }
  const declarations = parse(text, "seed.diffuse").ast.declarations;
  const d = declarations[c.a % Math.max(1, declarations.length)];
  if (d === undefined) return text;
  const piece = text.slice(d.range.start, d.range.end);
  const without = text.slice(0, d.range.start) + text.slice(d.range.end);
  switch (c.kind) {
    case "drop":
      return without;
    case "repeat":
      return `${text.slice(0, d.range.end)}\n${piece}${text.slice(d.range.end)}`;
    case "move": {
      const rest = parse(without, "seed.diffuse").ast.declarations;
      const at = rest[c.b % Math.max(1, rest.length)]?.range.start ?? without.length;
      return `${without.slice(0, at)}${piece}\n${without.slice(at)}`;
    }
    default: {
      const never: never = c;
      return never;
    }
  }
}

const changedSeed = fc
  .tuple(fc.constantFrom(...seeds), fc.array(change, { minLength: 1, maxLength: 4 }))
  .map(([seed, changes]) => ({ uri: seed.uri, text: changes.reduce(applyChange, seed.text) }));

const generated = policyTokens.map((tokens) => ({ uri: "file:///generated/p.diffuse", text: tokens.map((t) => (t === LINE_END ? "\n" : t)).join(" ") }));

/** A comparable form of a model or a diagnostic: maps as entries, bigints as text, positions and source texts dropped. */
function meaning(value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, meaning(v)]);
  if (Array.isArray(value)) return value.map(meaning);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    if (k !== "range" && !k.endsWith("Range") && k !== "source" && k !== "sources" && k !== "related" && k !== "fixes") out[k] = meaning(v);
  return out;
}

function checked(uri: string, text: string): { diagnostics: unknown; model: unknown } {
  const files = new Map(library);
  files.set(uri, text);
  const result = checkFiles(files, uri);
  const diagnostics = result.diagnostics.map((d) => `${d.uri === uri ? "" : d.uri} ${d.severity} ${d.code} ${d.message}`).sort();
  return { diagnostics, model: meaning(result.model) };
}

describe("formatting keeps the checked meaning", () => {
  it("gives the same diagnostics and the same model, for files with semantic errors too", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(changedSeed, generated), async ({ uri, text }) => {
        fc.pre(!parse(text, uri).diagnostics.some((d) => d.severity === "error"));
        const output = await formatDiffuse(text, { filepath: uri });
        expect(parse(output, uri).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const before = checked(uri, text);
        const after = checked(uri, output);
        expect(after.diagnostics).toEqual(before.diagnostics);
        expect(after.model).toEqual(before.model);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
