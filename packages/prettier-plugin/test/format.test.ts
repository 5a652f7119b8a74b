import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { astEqualIgnoringRanges, firstAstDifference } from "../src/equal.js";
import { checkFormatted, formatDiffuse, formatDiffuseRange } from "../src/format.js";
import type { DiffuseSyntaxError } from "../src/plugin.js";

const errorsDir = join(import.meta.dirname, "errors");

describe("syntax errors", () => {
  for (const file of readdirSync(errorsDir).sort()) {
    it(`rejects ${file} with a located error and prints nothing`, async () => {
      const text = readFileSync(join(errorsDir, file), "utf8");
      const firstError = parse(text, file).diagnostics.find((d) => d.severity === "error");
      expect(firstError).toBeDefined();
      const error: unknown = await formatDiffuse(text).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SyntaxError);
      const { loc, code } = error as DiffuseSyntaxError;
      const before = text.slice(0, firstError?.range.start);
      expect(loc.start).toEqual({ line: before.split("\n").length, column: before.length - before.lastIndexOf("\n") });
      expect(code).toBe(firstError?.code);
      expect((error as Error).message).toContain(firstError?.message);
      expect((error as Error).message).toContain(`(${loc.start.line}:${loc.start.column})`);
    });
  }
});

describe("formatDiffuse options", () => {
  const text = 'group tier1 "Tier 1" = { AU BE CA DE DK ES FI FR GB IE IT JP KR NL NO NZ SE TW US }\ncap c { limit 5 TPP }\n';

  it("defaults: width 80, two spaces", async () => {
    expect(await formatDiffuse(text)).toBe(
      'group tier1 "Tier 1" = {\n  AU BE CA DE DK ES FI FR GB IE IT JP KR NL NO NZ SE TW US\n}\n\ncap c {\n  limit 5 TPP\n}\n',
    );
  });

  it("printWidth, tabWidth and useTabs", async () => {
    expect(await formatDiffuse(text, { printWidth: 120, tabWidth: 4 })).toBe(
      'group tier1 "Tier 1" = { AU BE CA DE DK ES FI FR GB IE IT JP KR NL NO NZ SE TW US }\n\ncap c {\n    limit 5 TPP\n}\n',
    );
    expect(await formatDiffuse("cap c { limit 5 TPP }", { useTabs: true })).toBe("cap c {\n\tlimit 5 TPP\n}\n");
  });

  it("endOfLine crlf and auto", async () => {
    expect(await formatDiffuse("cap c { limit 5 TPP }", { endOfLine: "crlf" })).toBe("cap c {\r\n  limit 5 TPP\r\n}\r\n");
    expect(await formatDiffuse("cap c {\r\n limit 5 TPP }\r\n", { endOfLine: "auto" })).toBe("cap c {\r\n  limit 5 TPP\r\n}\r\n");
  });

  it("checkFormatted", async () => {
    expect(await checkFormatted(text)).toBe(false);
    expect(await checkFormatted(await formatDiffuse(text))).toBe(true);
  });

  it("verify mode and DIFFUSE_DEBUG both run the soundness check", async () => {
    const previous = process.env["DIFFUSE_DEBUG"];
    process.env["DIFFUSE_DEBUG"] = "1";
    try {
      expect(await formatDiffuse(text)).toBe(await formatDiffuse(text, { verify: true }));
    } finally {
      if (previous === undefined) delete process.env["DIFFUSE_DEBUG"];
      else process.env["DIFFUSE_DEBUG"] = previous;
    }
  });
});

describe("formatDiffuseRange", () => {
  const text = "group a = {US}\n\ncap   c {limit 5 TPP\n per consignee}\n// between\ngroup b={CA}\n";

  it("formats the declarations the range touches, nothing else", async () => {
    const start = text.indexOf("limit");
    const edit = await formatDiffuseRange(text, { start, end: start + 5 });
    expect(edit).toEqual({ start: text.indexOf("cap"), end: text.indexOf("}\n//") + 1, newText: "cap c {\n  limit 5 TPP\n  per consignee\n}" });
    if (!edit) return;
    const applied = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    expect(applied).toBe("group a = {US}\n\ncap c {\n  limit 5 TPP\n  per consignee\n}\n// between\ngroup b={CA}\n");
  });

  it("an empty range (a cursor) formats the declaration around it", async () => {
    const at = text.indexOf("CA");
    expect(await formatDiffuseRange(text, { start: at, end: at })).toEqual({
      start: text.indexOf("group b"),
      end: text.length - 1,
      newText: "group b = { CA }",
    });
  });

  it("a range over several declarations formats them together, with the comments between", async () => {
    const edit = await formatDiffuseRange(text, { start: 0, end: text.length });
    expect(edit?.newText).toBe("group a = { US }\n\ncap c {\n  limit 5 TPP\n  per consignee\n}\n\n// between\ngroup b = { CA }");
  });

  it("keeps a declaration under `// prettier-ignore` as written, as formatting the file does", async () => {
    for (const ignored of [
      "group a = {US}\n// prettier-ignore\ngroup   b = {  CA  }\n",
      "group a = {US}\n\n/* prettier-ignore */\n// why: aligned by hand\ngroup   b = {  CA  }\n",
    ]) {
      expect(await formatDiffuse(ignored)).toContain("group   b = {  CA  }");
      const at = ignored.indexOf("CA");
      const edit = await formatDiffuseRange(ignored, { start: at, end: at });
      const applied = edit === undefined ? ignored : ignored.slice(0, edit.start) + edit.newText + ignored.slice(edit.end);
      expect(applied).toBe(ignored);
    }
    // At the end of the line before, the comment trails the declaration there: the next one is formatted.
    const trailing = "group a = { US } // prettier-ignore\ngroup   b = {  CA  }\n";
    expect(await formatDiffuse(trailing)).toContain("\ngroup b = { CA }\n");
    const at = trailing.indexOf("CA");
    expect(await formatDiffuseRange(trailing, { start: at, end: at })).toEqual({
      start: trailing.indexOf("group   b"),
      end: trailing.length - 1,
      newText: "group b = { CA }",
    });
  });

  it("a range in no declaration gives no edit; a syntax error is refused", async () => {
    expect(await formatDiffuseRange("// only a comment\n", { start: 0, end: 5 })).toBeUndefined();
    await expect(formatDiffuseRange("cap c {", { start: 0, end: 1 })).rejects.toBeInstanceOf(SyntaxError);
  });
});

describe("astEqualIgnoringRanges", () => {
  it("ignores ranges, the uri and comments, and nothing else", () => {
    const a = parse("group g = { US } // one", "a.diffuse").ast;
    const b = parse("group   g =\n{US}", "b.diffuse").ast;
    expect(astEqualIgnoringRanges(a, b)).toBe(true);
    const c = parse("group g = { CA }", "a.diffuse").ast;
    expect(firstAstDifference(a, c)).toBe("$.declarations[0].value.members[0].country.code");
    const d = parse("cap c { limit 5_000 TPP }", "x").ast;
    const e = parse("cap c { limit 5000 TPP }", "x").ast;
    expect(firstAstDifference(d, e)).toBe("$.declarations[0].clauses[0].value.value.raw");
  });
});
