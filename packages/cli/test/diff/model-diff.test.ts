/**
 * One folder per case in test/fixtures/diff: old.diffuse, new.diffuse and expected.txt
 * (the changes, one line each, as `diffuse diff` prints them).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, loadSync, type PolicyModel } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { changeLine, diffModels } from "../../src/diff/model-diff.js";

const root = fileURLToPath(new URL("../fixtures/diff", import.meta.url));

function model(path: string): PolicyModel {
  const result = check(loadSync(path, (uri) => readFileSync(uri, "utf8")));
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.message)).toEqual([]);
  return result.model;
}

describe("diffModels", () => {
  for (const name of readdirSync(root).sort()) {
    it(name, () => {
      const before = model(join(root, name, "old.diffuse"));
      const after = model(join(root, name, "new.diffuse"));
      const lines = diffModels(before, after).map(changeLine);
      const expected = readFileSync(join(root, name, "expected.txt"), "utf8")
        .trimEnd()
        .split("\n");
      expect(lines.length === 0 ? ["no semantic differences"] : lines).toEqual(expected);
    });
  }

  it("gives `before`/`after` as values: null where a side has none, never the text output's placeholders", () => {
    const fields = (name: string) =>
      diffModels(model(join(root, name, "old.diffuse")), model(join(root, name, "new.diffuse"))).map((c) => [c.field, c.before, c.after]);
    expect(fields("header")).toEqual(
      expect.arrayContaining([
        ["until", null, "2026-01-01"],
        ["compliance", "2025-05-15", null],
      ]),
    );
    const all = readdirSync(root).flatMap((name) => diffModels(model(join(root, name, "old.diffuse")), model(join(root, name, "new.diffuse"))));
    for (const c of all) for (const v of [c.before, c.after]) expect(v ?? "").not.toMatch(/^\(.*\)$/);
    expect(all.some((c) => c.before === null || c.after === null)).toBe(true);
  });

  it("is empty between a model and itself, and symmetric in what it counts", () => {
    const a = model(join(root, "caps", "old.diffuse"));
    const b = model(join(root, "caps", "new.diffuse"));
    expect(diffModels(a, a)).toEqual([]);
    const forward = diffModels(a, b);
    const backward = diffModels(b, a);
    expect(backward.filter((c) => c.kind === "added").length).toBe(forward.filter((c) => c.kind === "removed").length);
    expect(backward.filter((c) => c.kind === "changed").length).toBe(forward.filter((c) => c.kind === "changed").length);
  });

  it("gives structured fields for a moved country", () => {
    const changes = diffModels(model(join(root, "tiers", "old.diffuse")), model(join(root, "tiers", "new.diffuse")));
    expect(changes).toContainEqual({
      kind: "moved",
      entity: "country",
      name: "MY",
      before: "tier2",
      after: "tier1",
      message: "country MY moved from tier2 to tier1",
    });
  });
});
