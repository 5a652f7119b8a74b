import { readdirSync, readFileSync } from "node:fs";
import type { Range } from "../../src/ast.js";

export const FIXTURES = new URL("../fixtures/syntax/", import.meta.url);

/** The `.diffuse` files of fixtures/syntax/valid, by file name. */
export function validFixtures(): [string, string][] {
  const dir = new URL("valid/", FIXTURES);
  return readdirSync(dir)
    .filter((n) => n.endsWith(".diffuse"))
    .sort()
    .map((n) => [n, readFileSync(new URL(n, dir), "utf8")]);
}

/** The texts of the repository's policies: policies/*.diffuse, then policies/lib/*. */
export function policyTexts(): string[] {
  const dir = new URL("../../../../policies/", import.meta.url);
  const lib = new URL("lib/", dir);
  return [
    ...readdirSync(dir)
      .filter((n) => n.endsWith(".diffuse"))
      .map((n) => readFileSync(new URL(n, dir), "utf8")),
    ...readdirSync(lib).map((n) => readFileSync(new URL(n, lib), "utf8")),
  ];
}

/** Folders of fixtures/syntax/errors (one per diagnostic code). */
export function errorFixtures(): {
  code: string;
  input: string;
  expected: { code: string; underlined: string };
}[] {
  const dir = new URL("errors/", FIXTURES);
  return readdirSync(dir)
    .sort()
    .map((code) => ({
      code,
      input: readFileSync(new URL(`${code}/input.diffuse`, dir), "utf8"),
      expected: JSON.parse(readFileSync(new URL(`${code}/expected.json`, dir), "utf8")) as { code: string; underlined: string },
    }));
}

/** One diagnostic a recovery fixture expects: its code, the text it underlines, and its help. */
export interface ExpectedDiagnostic {
  readonly code: string;
  readonly underlined: string;
  readonly help?: string;
}

/**
 * Folders of fixtures/syntax/recovery: a broken input (`input.diffuse`) and every
 * diagnostic its parse reports, in order (`expected.json`).
 */
export function recoveryFixtures(): { name: string; input: string; expected: ExpectedDiagnostic[] }[] {
  const dir = new URL("recovery/", FIXTURES);
  return readdirSync(dir)
    .sort()
    .map((name) => ({
      name,
      input: readFileSync(new URL(`${name}/input.diffuse`, dir), "utf8"),
      expected: JSON.parse(readFileSync(new URL(`${name}/expected.json`, dir), "utf8")) as ExpectedDiagnostic[],
    }));
}

interface Node {
  readonly kind: string;
  readonly range: Range;
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && typeof (v as { kind?: unknown }).kind === "string" && typeof (v as { range?: unknown }).range === "object";
}

/** Every object with a `range` in the tree (nodes and range-only records), iteratively. */
export function allRanges(root: unknown): Range[] {
  const out: Range[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if ((k === "range" || k.endsWith("Range")) && typeof x === "object" && x !== null) out.push(x as Range);
        else stack.push(x);
      }
    }
  }
  return out;
}

/** All AST nodes (objects with `kind` and `range`), iteratively. */
export function allNodes(root: unknown): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (typeof v === "object" && v !== null) {
      if (isNode(v)) out.push(v);
      for (const x of Object.values(v)) if (typeof x === "object") stack.push(x);
    }
  }
  return out;
}

export function rangeInside(r: Range, length: number): boolean {
  return Number.isInteger(r.start) && Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= length;
}

/**
 * A readable outline of a tree for snapshots: one line per node with its kind, its
 * scalar fields and the source text it covers.
 */
export function outline(root: unknown, text: string): string {
  const lines: string[] = [];
  const visit = (v: unknown, depth: number, label: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, depth, `${label}[${i}]`));
      return;
    }
    if (typeof v !== "object" || v === null) return;
    const obj = v as Record<string, unknown>;
    const range = obj["range"] as Range | undefined;
    const scalars = Object.entries(obj)
      .filter(([k, x]) => k !== "kind" && k !== "uri" && (typeof x === "string" || typeof x === "boolean" || typeof x === "number"))
      .map(([k, x]) => `${k}=${JSON.stringify(x)}`);
    const head = typeof obj["kind"] === "string" ? String(obj["kind"]) : "";
    const src = range ? JSON.stringify(text.slice(range.start, range.end).replace(/\s+/g, " ").slice(0, 60)) : "";
    if (head || scalars.length > 0)
      lines.push(`${"  ".repeat(depth)}${label}: ${head}${scalars.length ? ` ${scalars.join(" ")}` : ""}${src && head !== "SourceFile" ? ` ${src}` : ""}`);
    for (const [k, x] of Object.entries(obj)) {
      if (k === "range" || k.endsWith("Range") || typeof x !== "object" || x === null) continue;
      visit(x, depth + 1, k);
    }
  };
  visit(root, 0, "file");
  return lines.join("\n");
}
