import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonSyntaxProblem, lineColumn } from "../src/json-error.js";
import { parseJsonText } from "../src/io.js";
import { CliError } from "../src/errors.js";

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("jsonSyntaxProblem", () => {
  it("accepts every text JSON.stringify writes", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        expect(jsonSyntaxProblem(JSON.stringify(value, null, pretty ? 2 : undefined))).toBeUndefined();
      }),
    );
  });

  it("agrees with JSON.parse on arbitrary and mutated texts, and never throws", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom("", ",", "]", "}", '"', ":", "\\", "-", ".", "e", "\n", "tru", "\u0001"))
      .map(([text, at, cut, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(Math.min(text.length, i + cut));
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), (text) => {
        expect(jsonSyntaxProblem(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("points at the first character that cannot continue the text", () => {
    expect(jsonSyntaxProblem('{"a": 1,}')).toEqual({ offset: 8, message: "expected a property name in double quotes, found `}`" });
    expect(jsonSyntaxProblem("[1 2]")).toEqual({ offset: 3, message: "expected `,` or `]`, found `2`" });
    expect(jsonSyntaxProblem('{"a" 1}')).toEqual({ offset: 5, message: "expected `:`, found `1`" });
    expect(jsonSyntaxProblem("[01]")).toEqual({ offset: 2, message: "expected `,` or `]`, found `1`" });
    expect(jsonSyntaxProblem('"abc')).toEqual({ offset: 4, message: "a string is not closed" });
    expect(jsonSyntaxProblem('"\\x"')).toEqual({ offset: 1, message: "invalid escape `\\x`" });
    expect(jsonSyntaxProblem("1.")).toEqual({ offset: 2, message: "expected a digit after the decimal point, found the end of the text" });
    expect(jsonSyntaxProblem("{} x")).toEqual({ offset: 3, message: "expected the end of the text, found `x`" });
    expect(jsonSyntaxProblem("")).toEqual({ offset: 0, message: "expected a value, found the end of the text" });
  });

  it("scans deep nesting without recursion", () => {
    const depth = 200_000;
    expect(jsonSyntaxProblem("[".repeat(depth) + "]".repeat(depth))).toBeUndefined();
    expect(jsonSyntaxProblem("[".repeat(depth) + "]".repeat(depth - 1) + "}")?.offset).toBe(2 * depth - 1);
  });
});

describe("lineColumn and parseJsonText", () => {
  it("counts lines and columns from 1", () => {
    expect(lineColumn("ab\ncd", 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn("ab\ncd", 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn("ab\ncd", 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn("ab\ncd", 5)).toEqual({ line: 2, column: 3 });
  });

  it("names the file, line and column of the first error", () => {
    expect(parseJsonText('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(() => parseJsonText('{\n  "a": [1,\n  2,]\n}', "order `x.json`")).toThrow(
      new CliError("order `x.json`: invalid JSON at line 3, column 5: expected a value, found `]`"),
    );
  });
});
