import { describe, expect, it } from "vitest";
import { CODES } from "../../src/codes.js";
import { parse } from "../../src/syntax/parse.js";
import { errorFixtures } from "./util.js";

const fixtures = errorFixtures();

describe("syntax diagnostic fixtures (one folder per code)", () => {
  it("covers every lexical and syntax code except the internal-error one", () => {
    const syntaxCodes = Object.keys(CODES).filter((c) => /^DF[01]/.test(c) && c !== "DF1999");
    expect(fixtures.map((f) => f.code).sort()).toEqual(syntaxCodes.sort());
  });

  for (const f of fixtures) {
    it(`${f.code}: reports exactly that code, underlining ${JSON.stringify(f.expected.underlined)}`, () => {
      expect(f.expected.code).toBe(f.code);
      const { diagnostics } = parse(f.input, `file:///${f.code}/input.diffuse`);
      const got = diagnostics.map((d) => ({
        code: d.code,
        underlined: f.input.slice(d.range.start, d.range.end),
      }));
      expect(got).toEqual([f.expected]);
    });

    it(`${f.code}: follows the message style`, () => {
      for (const d of parse(f.input, "x").diagnostics) {
        expect(d.message).toMatch(/^[a-z`]/);
        expect(d.message).not.toMatch(/\.$/);
        expect(d.message).not.toContain("\n");
        expect(d.severity).toBe(CODES[d.code as keyof typeof CODES].severity);
        expect(d.uri).toBe("x");
      }
    });
  }
});

describe("messages", () => {
  const messages = (text: string): string[] =>
    parse(text, "m").diagnostics.map((d) => `${d.code} ${JSON.stringify(text.slice(d.range.start, d.range.end))} ${d.message}`);

  it("says what was expected after what, and what was found", () => {
    expect(messages('policy "p" { effective }')).toEqual(['DF1001 "}" expected a date after `effective`, found `}`']);
    expect(messages("group = { US }")).toEqual(['DF1001 "=" expected a group name after `group`, found `=`']);
    expect(messages("class c { when tpp 5 TPP }")).toEqual(['DF1001 "5" expected a comparison (`>=`, `>`, `<=`, `<`, `=` or `!=`) after `tpp`, found `5`']);
    // The token before is named once: not "a date after `from` after `from`".
    expect(messages("group g = { US from }")).toEqual(['DF1001 "}" expected a date after `from`, found `}`']);
    expect(messages("group g = { US until 2025 }")).toEqual(['DF1001 "2025" expected a date after `until`, found `2025`']);
  });

  it("points at the token before a gap that ends a line, and at end of file", () => {
    expect(messages("group tier1 =\n\ngroup tier2 = all")).toEqual([
      'DF1001 "=" expected a set of countries (`{ US CA }`, a group name or `all`) after `=`, found keyword `group`',
    ]);
    expect(messages("import")).toEqual(['DF1001 "import" expected a file path in quotes after `import`, found end of file']);
  });

  it("reports an unclosed block at its opening brace", () => {
    expect(messages("cap c {\n  limit 5 TPP\n\ngroup g = all")).toEqual(['DF1001 "{" expected `}` to close the cap, found keyword `group`']);
  });

  it("explains keywords used as names and recovers with the keyword as the name", () => {
    const r = parse("cap calendar { limit 5 TPP }", "k");
    expect(r.diagnostics.map((d) => [d.code, d.help])).toEqual([
      ["DF1001", "`calendar` is a reserved keyword and cannot be used as a name; choose another name"],
    ]);
    expect(r.ast.declarations[0]).toMatchObject({
      kind: "CapDecl",
      name: { name: "calendar" },
      clauses: [{ kind: "LimitClause" }],
    });
  });

  it("names a keyword as a keyword wherever it is found, and says it is reserved where a name was expected", () => {
    const found = (text: string): [string, string | undefined][] => parse(text, "k").diagnostics.map((d) => [`${d.code} ${d.message}`, d.help]);
    const reserved = "`weights` is a reserved keyword and cannot be used as a name; choose another name";
    // A declaration's name, recovered as that name.
    expect(found("model weights { operations 1e26 ops }")).toEqual([["DF1001 expected a model name after `model`, found keyword `weights`", reserved]]);
    // A reference, where the keyword is not taken as the name.
    expect(found("exception e { within weights }")).toEqual([["DF1001 expected a cap name after `within`, found keyword `weights`", reserved]]);
    expect(found("item weights")).toEqual([["DF1001 expected an item name after `item`, found keyword `weights`", reserved]]);
    // Where no name was expected, no advice about names.
    expect(found("cap c { limit 5 TPP per weights }")).toEqual([
      ["DF1001 expected a key (`destination`, `headquarters`, `consignee`, `exporter` or `global`) after `per`, found keyword `weights`", undefined],
    ]);
    // `case-by-case` is reserved too, though it is not a word.
    expect(found("decide d for k { authorize case-by-case }")[0]).toEqual([
      "DF1001 expected an exception or status name (or `NLR`) after `authorize`, found keyword `case-by-case`",
      "`case-by-case` is a reserved keyword and cannot be used as a name; choose another name",
    ]);
    // Skipped tokens, and the token found instead of a block's `}`.
    expect(found("cap c { limit 5 TPP weights }")[0]?.[0]).toBe("DF1003 unexpected keyword `weights` in a cap block");
    expect(found("group g = { US")[0]?.[0]).toBe("DF1001 expected `}` to close the set, found end of file");
  });

  it("does not report the token a DF1001 already named a second time when it is skipped", () => {
    expect(messages("cap c { limit 5 TPP per consigne }")).toEqual([
      'DF1001 "consigne" expected a key (`destination`, `headquarters`, `consignee`, `exporter` or `global`) after `per`, found `consigne`',
    ]);
    expect(messages("model m { weights maybe }")).toEqual(['DF1001 "maybe" expected `open` or `closed` after `weights`, found `maybe`']);
  });

  it("suggests the clause or declaration keyword a misspelt word is close to", () => {
    const helps = parse("groop g = all\ncap c { limt 5 TPP }\nexception e { withn c }", "s").diagnostics.map((d) => [d.code, d.help]);
    expect(helps).toEqual([
      ["DF1003", "did you mean `group`?"],
      ["DF1003", "did you mean `limit`?"],
      ["DF1003", "did you mean `within`?"],
    ]);
  });

  it("suggests the keyword a misspelt word in the middle of a clause is close to", () => {
    const found = (text: string): [string, string | undefined][] =>
      parse(text, "s").diagnostics.map((d) => [`${d.code} ${JSON.stringify(text.slice(d.range.start, d.range.end))}`, d.help]);
    expect(found("cap c { limit 5 TPP  per consignees  window calender year }")).toEqual([
      ['DF1001 "consignees"', "did you mean `consignee`?"],
      ['DF1001 "calender"', "did you mean `calendar`?"],
    ]);
    expect(found("exception e { when destinaton in t  counts toward nothing }")).toEqual([['DF1001 "destinaton"', "did you mean `destination`?"]]);
    expect(found("decide d for k { license review presumtion of approval }")).toEqual([['DF1001 "presumtion"', "did you mean `presumption`?"]]);
    // A word that is no keyword's near miss: what a condition looks like.
    expect(found("exception e { when partners  counts toward nothing }")).toEqual([
      [
        'DF1001 "partners"',
        "a condition is a test such as `destination in tier2`, `consignee has NVEU`, `amount >= 1_000 TPP` or, in a class, `tpp >= 4_800 TPP`",
      ],
    ]);
  });

  it("takes a misspelt word where one keyword is required as that keyword: one error, and the clause parses", () => {
    const r = parse("exception e { counts towards nothing }", "t");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
      ["DF1001", "expected `toward` after `counts`, found `towards`", "did you mean `toward`?"],
    ]);
    expect(r.ast.declarations[0]).toMatchObject({ kind: "ExceptionDecl", clauses: [{ kind: "CountsTowardClause", nothing: true, caps: [] }] });
    const year = parse("cap c { limit 5 TPP  per consignee  window calendar yeer }", "t");
    expect(year.diagnostics.map((d) => d.help)).toEqual(["did you mean `year`?"]);
    expect(year.ast.declarations[0]).toMatchObject({
      clauses: [{ kind: "LimitClause" }, { kind: "PerClause" }, { kind: "WindowClause", window: { kind: "CalendarYearWindow" } }],
    });
  });

  it("suggests the country code a lowercase one spells, and the group otherwise", () => {
    const help = (text: string): (string | undefined)[] => parse(text, "c").diagnostics.map((d) => d.help);
    expect(help("group g = { us }")).toEqual(["did you mean `US` (United States)? country codes are uppercase"]);
    expect(help("group g = { tier1 }")).toEqual([
      "a set literal lists two-letter country codes; to use the group `tier1`, write it outside the braces: `tier1 + { ... }`",
    ]);
  });

  it("reads digits grouped with commas, or a second decimal point, as one malformed number", () => {
    const found = (text: string): string[] =>
      parse(text, "n").diagnostics.map((d) => `${d.code} ${JSON.stringify(text.slice(d.range.start, d.range.end))} ${d.message} | ${d.help ?? ""}`);
    expect(found("item H100 { tpp 15,832 TPP }")).toEqual(['DF0005 "15,832" malformed number `15,832` | group digits with `_`, not `,`: `15_832`']);
    expect(found("cap c { limit 1,234,567.5 TPP }")).toEqual([
      'DF0005 "1,234,567.5" malformed number `1,234,567.5` | group digits with `_`, not `,`: `1_234_567.5`',
    ]);
    expect(found("item H100 { density 1.2.3 }")).toEqual(['DF0005 "1.2.3" malformed number `1.2.3` | a number has at most one decimal point']);
    // Where a string belongs, the number is the botched value: one DF1001.
    expect(found('policy "p" { version 1.2.3 effective 2025-01-01 }')).toEqual([
      'DF1001 "1.2.3" expected a version in quotes after `version`, found `1.2.3` | write it in double quotes: `"1.2.3"`',
    ]);
    // A comma after a number, then a space, is still a comma.
    expect(found("item H100 { tpp 15, 832 TPP }").map((d) => d.split(" | ")[0])).toEqual(['DF1003 ", 832 TPP" unexpected `,` in an item block']);
  });

  it("advises on commas between countries", () => {
    const d = parse("group g = { US, CA }", "c").diagnostics;
    expect(d).toMatchObject([
      {
        code: "DF1003",
        message: "unexpected `,` in a set of countries",
        help: "countries in a set are separated by spaces, not commas: `{ US CA }`",
      },
    ]);
  });

  it("truncates long tokens and escapes control characters", () => {
    expect(messages(`group g = "${"x".repeat(40)}"`)[0]).toContain('found `"xxxxxxxxxxxxxxxxxxxx...`');
    expect(messages("group g = all \u0001")).toEqual(['DF0001 "\\u0001" unexpected character `\\u{1}`']);
  });
});
