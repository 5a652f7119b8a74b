/**
 * Ranges keep their offsets as unboxed small integers (see src/syntax/range.ts): once any
 * `{start, end}` object in the process holds a NaN, V8 boxes the fields of every such
 * object, which doubles the objects of a syntax tree the garbage collector copies.
 * Building the parser (chevrotain records the grammar by running the actions on tokens
 * whose offsets are NaN) and recovering from errors must not do that.
 *
 * Only V8 itself can say how a field is stored: a child process with
 * --allow-natives-syntax prints a fresh `{start, end}` with `%DebugPrint`.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeRange } from "../../src/syntax/range.js";

const parseModule = fileURLToPath(new URL("../../src/syntax/parse.ts", import.meta.url));

/** The `#start:` line of `%DebugPrint({ start: 1, end: 2 })` after running `body` in a fresh process. */
function startFieldAfter(body: string): string {
  const script = `
    const { parse } = await import(${JSON.stringify(parseModule)});
    ${body}
    new Function("o", "%DebugPrint(o)")({ start: 1, end: 2 });
  `;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const line = r.stdout.split("\n").find((l) => l.includes("#start:"));
  if (line === undefined) throw new Error(`no \`#start:\` line in V8's %DebugPrint output:\n${r.stdout}`);
  return line;
}

describe("range fields", () => {
  it("makeRange turns NaN (a placeholder token's offset) into 0 and keeps real offsets", () => {
    expect(makeRange(Number.NaN, Number.NaN)).toEqual({ start: 0, end: 0 });
    expect(makeRange(3, 536_870_888)).toEqual({ start: 3, end: 536_870_888 });
  });

  it("a plain object stays unboxed when nothing has touched its map (the probe works)", () => {
    expect(startFieldAfter("")).not.toContain("HeapNumber");
    expect(startFieldAfter("const boxed = { start: Number.NaN, end: 0 };")).toContain("HeapNumber");
  });

  it("stay unboxed after the parser is built and has parsed valid and broken text", () => {
    const line = startFieldAfter(`
      parse('group tier1 "Tier 1" = { US CA }\\ncap c { limit 5 TPP per destination window calendar year }\\n', "file:///a.diffuse");
      parse('group = { US ZZ } + \\ncap c { limit 5 TPP per }\\ndecide d for { authorize ( ', "file:///b.diffuse");
      parse('cap "unterminated\\n /* open', "file:///c.diffuse");
    `);
    expect(line).not.toContain("HeapNumber");
  });
});
