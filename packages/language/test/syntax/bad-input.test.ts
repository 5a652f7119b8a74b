import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { allRanges, rangeInside, validFixtures } from "./util.js";

const codes = (text: string): string[] => parse(text, "b").diagnostics.map((d) => d.code);
const shape = (text: string): string[] => parse(text, "b").ast.declarations.map((d) => d.kind);
const all = validFixtures()
  .map(([, t]) => t)
  .join("\n");

describe("bad input never crashes", () => {
  it("empty and blank files", () => {
    for (const text of ["", " ", "\n\n", "\t", "\r\n", "// only a comment", "/* */"]) {
      const r = parse(text, "e");
      expect(r.diagnostics).toEqual([]);
      expect(r.ast.declarations).toEqual([]);
    }
  });

  it("a leading BOM is ignored and offsets stay those of the text", () => {
    const r = parse("\uFEFFgroup g = all", "bom");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.declarations[0]?.range).toEqual({ start: 1, end: 14 });
    expect(codes("group g = all \uFEFF")).toEqual(["DF0001"]);
  });

  it("CRLF line endings and tabs parse like LF and spaces", () => {
    const crlf = all.replace(/\n/g, "\r\n");
    const tabs = all.replace(/ {2}/g, "\t");
    expect(codes(crlf)).toEqual([]);
    expect(codes(tabs)).toEqual([]);
    expect(shape(crlf)).toEqual(shape(all));
    expect(shape(tabs)).toEqual(shape(all));
  });

  it("10,000-deep parentheses in a set expression: one diagnostic, no stack overflow", () => {
    const text = `group g = ${"(".repeat(10_000)}all${")".repeat(10_000)}\ngroup h = all`;
    const r = parse(text, "deep");
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([["DF1002", "("]]);
    expect(r.diagnostics[0]?.range.start).toBe(10 + 100);
    expect(shape(text)).toEqual(["GroupDecl", "GroupDecl"]);
  });

  it("10,000-deep parentheses and `not`s in conditions", () => {
    const text = `class c { when ${"(".repeat(10_000)}chip${")".repeat(10_000)} }\nclass d { when ${"not ".repeat(10_000)}chip }\nclass e { when ${"(not ".repeat(10_000)}chip${")".repeat(10_000)} }`;
    const r = parse(text, "deep");
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(["DF1002"]));
    expect(shape(text)).toEqual(["ClassDecl", "ClassDecl", "ClassDecl"]);
  });

  it("10,000 unclosed parentheses", () => {
    const text = `group g = ${"(".repeat(10_000)}all\ngroup h = ${")".repeat(10_000)}`;
    const r = parse(text, "deep");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics.length).toBeLessThan(10);
    expect(shape(text)).toEqual(["GroupDecl", "GroupDecl"]);
  });

  it("a long chain of set operators", () => {
    const text = `group g = ${Array.from({ length: 20_000 }, (_, i) => `g${i}`).join(" + ")}`;
    expect(codes(text)).toEqual([]);
  });

  it("a 10 MB generated policy completes", () => {
    const copies: string[] = [];
    let size = 0;
    for (let i = 0; size < 10_000_000; i++) {
      const copy = all.replace(/\b(tier[123]|H100|LPP|NVEU|chips|c)\b/g, `$1_${i}`);
      copies.push(copy);
      size += copy.length + 1;
    }
    const text = copies.join("\n");
    const r = parse(text, "big");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.declarations.length).toBeGreaterThan(10_000);
  }, 120_000);

  it("10 MB inside one unterminated string or comment", () => {
    const big = "x".repeat(10_000_000);
    expect(codes(`group g = "${big}`)).toContain("DF0002");
    expect(codes(`/* ${big}`)).toEqual(["DF0003"]);
  }, 60_000);

  it("a 2 MB policy with a block comment left open near the top", () => {
    // Long texts are parsed in pieces: an open comment at a cut must not make every
    // later piece lex the text from the comment again.
    const body = Array.from({ length: 120_000 }, (_, i) => `group g${i} = { US }`).join("\n");
    const text = `/* never closed\n${body}`;
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(codes(text)).toEqual(["DF0003"]);
    const closed = `/* closed after many lines\n${body.slice(0, 100_000)}\n*/\n${body}`;
    const r = parse(closed, "c");
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.declarations).toHaveLength(120_000);
    expect(r.comments).toHaveLength(1);
  }, 60_000);

  it("a megabyte of garbage characters", () => {
    const text = "#$;@!?".repeat(200_000);
    const r = parse(text, "g");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF0001"]);
  }, 60_000);

  it("arbitrary bytes decoded as UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
        const r = parse(text, "bytes");
        for (const d of r.diagnostics) {
          expect(rangeInside(d.range, text.length)).toBe(true);
          expect(d.code).not.toBe("DF1999");
        }
        for (const range of allRanges(r.ast)) expect(rangeInside(range, text.length)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("NUL and other control characters", () => {
    expect(codes("group g = all\u0000\u0007")).toEqual(["DF0001"]);
  });
});
