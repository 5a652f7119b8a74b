/**
 * One shape per node kind: every node of a kind has the same fields in the same order,
 * with an absent optional part present as `undefined` (see "One shape per node kind" in
 * docs/architecture.md). A node copied with a spread, or given a field after it was built,
 * gets a hidden class V8 makes anew for every parse (or, for a spread, for every node) and
 * drops at the next full garbage collection, taking with it the optimised code of every
 * function that read such nodes.
 *
 * The first check compares field lists, for a readable failure; the second asks V8 itself,
 * in a child process with --allow-natives-syntax, whether the nodes share one hidden class.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { allNodes, errorFixtures, policyTexts, validFixtures } from "./util.js";

/** Valid fixtures, the repository's policies, and broken inputs (recovery builds nodes too). */
function texts(): [string, string][] {
  return [
    ...validFixtures(),
    ...policyTexts().map((t, i): [string, string] => [`policy${i}.diffuse`, t]),
    ...errorFixtures().map((f): [string, string] => [`${f.code}.diffuse`, f.input]),
  ];
}

describe("node shapes", () => {
  it("every node of one kind has the same fields in the same order", () => {
    const shapes = new Map<string, Map<string, string>>();
    for (const [name, text] of texts()) {
      for (const node of allNodes(parse(text, `file:///${name}`).ast)) {
        const fields = Object.keys(node).join(",");
        let seen = shapes.get(node.kind);
        if (!seen) shapes.set(node.kind, (seen = new Map()));
        if (!seen.has(fields)) seen.set(fields, name);
      }
    }
    const mixed = [...shapes].filter(([, seen]) => seen.size > 1).map(([kind, seen]) => `${kind}: ${[...seen].map(([f, n]) => `{${f}} (${n})`).join(" vs ")}`);
    expect(mixed).toEqual([]);
    expect(shapes.size).toBeGreaterThan(60);
  });

  it("V8 gives every node of one kind one hidden class", () => {
    const parseModule = fileURLToPath(new URL("../../src/syntax/parse.ts", import.meta.url));
    const utilModule = fileURLToPath(new URL("./util.ts", import.meta.url));
    const script = `
      const { parse } = await import(${JSON.stringify(parseModule)});
      const { allNodes } = await import(${JSON.stringify(utilModule)});
      const texts = JSON.parse(process.env.DIFFUSE_TEXTS);
      const sameMap = new Function("a", "b", "return %HaveSameMap(a, b)");
      const first = new Map();
      const mixed = new Set();
      for (const [name, text] of texts)
        for (const node of allNodes(parse(text, "file:///" + name).ast)) {
          const f = first.get(node.kind);
          if (f === undefined) first.set(node.kind, node);
          else if (!sameMap(f, node)) mixed.add(node.kind);
        }
      console.log(JSON.stringify({ kinds: first.size, mixed: [...mixed].sort() }));
    `;
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { ...process.env, DIFFUSE_TEXTS: JSON.stringify(texts()) },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { kinds: number; mixed: string[] };
    expect(out.kinds).toBeGreaterThan(60);
    expect(out.mixed).toEqual([]);
  });
});
