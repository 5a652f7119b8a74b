/**
 * One cause, one error: where the parser has already reported a problem, the checker adds
 * no diagnostic that only follows from it (the language server checks on every keystroke,
 * so a half-typed clause must give one clear error, not a cascade).
 */
import { describe, expect, it } from "vitest";
import { checkText } from "../../src/check/load.js";

function codes(text: string): string[] {
  return checkText(text, "file:///p/main.diffuse").diagnostics.map((d) => `${d.code} ${text.slice(d.range.start, d.range.end)}`);
}

describe("follow-on errors", () => {
  it("reports a keyword used as a name once, however often it is declared", () => {
    expect(codes("cap weights { limit 5 TPP per global window all time }\ncap weights { limit 6 TPP per global window all time }")).toEqual([
      "DF1001 weights",
      "DF1001 weights",
    ]);
    // A real duplicate is still one.
    expect(codes("group g = all\ngroup g = all")).toEqual(["DF2003 g"]);
  });
});
