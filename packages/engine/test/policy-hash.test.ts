import { describe, expect, it } from "vitest";
import { check, loadSync } from "@diffuse/language";
import { compile, sha256Hex } from "../src/index.js";

const ENTRY = "file:///policies/p.diffuse";
const LIB = "file:///policies/lib/g2g.diffuse";
const HEADER = 'policy "P" {\n  version "1"\n  effective 2025-01-13\n}\n';

/** The `policy.sha256` the engine gives a policy made of `files` (the entry first). */
function hashOf(files: Record<string, string>): string {
  const checked = check(loadSync(ENTRY, (uri) => files[uri]));
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return compile(checked.model).policies[0]?.sha256 ?? "";
}

describe("policy.sha256", () => {
  it("is the sha256 of the text of a policy that is one file", () => {
    const text = `${HEADER}group g = { AE }\n`;
    expect(hashOf({ [ENTRY]: text })).toBe(sha256Hex(text));
  });

  it("covers every imported file: the sha256 of a line per file with that file's sha256, entry first", () => {
    const entry = `${HEADER}import "lib/g2g.diffuse"\n`;
    const lib = "group g2g = { AE }\n";
    const hash = hashOf({ [ENTRY]: entry, [LIB]: lib });
    expect(hash).toBe(sha256Hex(`${sha256Hex(entry)}\n${sha256Hex(lib)}\n`));
    // Filling in an imported list changes what is decided, so it changes the hash.
    expect(hashOf({ [ENTRY]: entry, [LIB]: "group g2g = { AE SA }\n" })).not.toBe(hash);
  });
});
