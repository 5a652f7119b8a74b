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
  it("checks what follows a `,` written for `and` between conditions, or an `and` written for `,` between names", () => {
    const text = [
      "group tier1 = { US }",
      "status VEU { counts toward nothing }",
      "cap a { limit 5 TPP  per consignee  window calendar year }",
      "exception e {",
      "  when destination in tier1, consignee has VUE",
      "  within a and bb",
      "  counts toward nothing",
      "}",
    ].join("\n");
    expect(codes(text)).toEqual(["DF1003 ,", "DF2001 VUE", "DF1003 and", "DF2001 bb"]);
  });

  it("reports a keyword used as a name once, however often it is declared", () => {
    expect(codes("cap weights { limit 5 TPP per global window all time }\ncap weights { limit 6 TPP per global window all time }")).toEqual([
      "DF1001 weights",
      "DF1001 weights",
    ]);
    // A real duplicate is still one.
    expect(codes("group g = all\ngroup g = all")).toEqual(["DF2003 g"]);
  });

  it("leaves a declaration's missing clauses unreported while it has a syntax error", () => {
    // Being typed: the parser's error is the one to fix first.
    expect(codes("cap")).toEqual(["DF1001 cap"]);
    expect(codes("cap c {")).toEqual(["DF1001 {"]);
    expect(codes("cap c { limit }")).toEqual(["DF1001 }"]);
    expect(codes("cap c { limit 5 TPP per }")).toEqual(["DF1001 }"]);
    expect(codes("cap c { schedule { through } per global }")).toEqual(["DF1001 }"]);
    expect(codes('policy "p"')).toEqual(['DF1001 "p"']);
    expect(codes('policy "p" { version }')).toEqual(["DF1001 }"]);
    expect(codes("exception e { when }")).toEqual(["DF1001 }"]);
    expect(codes("item H100 { density }")).toEqual(["DF1001 }"]);
    expect(codes("model m { weights }")).toEqual(["DF1001 }"]);
    // Once it parses, what it lacks is reported.
    expect(codes("cap c { limit 5 TPP }")).toEqual(["DF4004 c", "DF4005 c"]);
    expect(codes("model m { weights open }")).toEqual(["DF4013 m"]);
    // A syntax error elsewhere changes nothing.
    expect(codes("cap c { limit 5 TPP }\ngroup g =")).toEqual(["DF4004 c", "DF4005 c", "DF1001 ="]);
  });

  it("takes a misspelt required keyword as the keyword, so the word is not also an unknown name", () => {
    expect(codes("exception e { counts towards nothing }")).toEqual(["DF1001 towards"]);
  });

  it("does not take a missing key for one without `consignee`", () => {
    expect(codes("cap c { limit 7 % of capacity per\n  window calendar year }")).toEqual(["DF1001 per"]);
    expect(codes("cap c { limit 7 % of capacity per destination window calendar year }")).toEqual(["DF4011 per destination"]);
  });

  it("finds no unreachable rule in a decide block that has a syntax error", () => {
    const context = "class k { when chip }\nexception E { counts toward nothing }\n";
    // `license` still being typed, above rules it would otherwise shadow.
    expect(codes(`${context}decide d for k {\n  license\n  authorize E\n}`)).toEqual(["DF1001 license"]);
    expect(codes(`${context}decide d for k {\n  license review\n  authorize E\n}`)).toEqual(["DF1001 review"]);
    expect(codes(`${context}decide d for k {\n  license { review case-by-case otherwise review }\n}`)).toEqual(["DF1001 }"]);
    // Complete, the same block is reported.
    expect(codes(`${context}decide d for k {\n  license review case-by-case\n  authorize E\n}`)).toEqual(["DF4008 authorize E"]);
  });

  it("finds no overlap with a group whose value has a syntax error", () => {
    const groups = "group tier1 = { US GB }\ngroup tier3 = { CN }\n";
    // `all - tier1 - ` still being typed: the value read so far is not the group's.
    expect(codes(`${groups}group tier2 = all - tier1 -\ndisjoint tier1, tier2, tier3`)).toEqual(["DF1001 -"]);
    expect(codes(`${groups}group tier2 = all - tier1 - tier3\ndisjoint tier1, tier2, tier3`)).toEqual([]);
    expect(codes(`${groups}group tier2 = all - tier1\ndisjoint tier1, tier2, tier3`)).toEqual(["DF4003 tier3"]);
  });

  it("reports no unknown name while an import of the policy is missing or unreadable", () => {
    // The names may be the missing file's: its DF2005 (or the DF1001 of a path not typed yet) is the cause.
    expect(codes('import "nothere.diffuse"\ngroup g = tier1 + { US }')).toEqual(['DF2005 "nothere.diffuse"']);
    expect(codes("import\ngroup g = tier1 + { US }")).toEqual(["DF1001 import"]);
    // A name of the wrong kind is still wrong, and without a broken import unknown names are reported.
    expect(codes('import "nothere.diffuse"\ngroup a = all\ncap c { limit 1 x a  per global  window all time }')).toEqual([
      'DF2005 "nothere.diffuse"',
      "DF2004 a",
    ]);
    expect(codes("group g = tier1 + { US }")).toEqual(["DF2001 tier1"]);
  });

  it("values no malformed number a second time", () => {
    expect(codes("item H100 { tpp 15,832 TPP }")).toEqual(["DF0005 15,832"]);
    expect(codes("item H100 { tpp 15_832 TPP  density 1.2.3 }")).toEqual(["DF0005 1.2.3"]);
  });
});
