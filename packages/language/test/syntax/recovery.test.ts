import { describe, expect, it } from "vitest";
import type { Declaration } from "../../src/ast.js";
import { parse } from "../../src/syntax/parse.js";
import { allRanges, rangeInside, recoveryFixtures } from "./util.js";

const kinds = (decls: readonly Declaration[]): string[] => decls.map((d) => d.kind);

describe("error recovery", () => {
  it("reports three separate syntax errors in one pass and keeps the declarations around them", () => {
    const text = [
      'policy "P" {',
      "  version 1", // error 1: a number where a quoted version belongs
      "  effective 2025-01-13",
      "}",
      "group tier1 = { US CA }",
      "cap c {",
      "  limit 5 TPP",
      "  per", // error 2: missing key
      "  window calendar year",
      "}",
      "group tier3 = { CN } + ", // error 3: missing set after +
      "exception LPP { when destination in tier1  counts toward nothing }",
    ].join("\n");
    const r = parse(text, "r");
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end)])).toEqual([
      ["DF1001", "1"],
      ["DF1001", "per"],
      ["DF1001", "+"],
    ]);
    expect(kinds(r.ast.declarations)).toEqual(["PolicyDecl", "GroupDecl", "CapDecl", "GroupDecl", "ExceptionDecl"]);
    const cap = r.ast.declarations[2];
    expect(cap).toMatchObject({
      kind: "CapDecl",
      clauses: [{ kind: "LimitClause" }, { kind: "PerClause", key: { kind: "Missing" } }, { kind: "WindowClause", window: { kind: "CalendarYearWindow" } }],
    });
  });

  it("counts distinct problems, not cascades", () => {
    const text = "group a = { US\ngroup b = all -\ncap c { limit }\ndecide d for cls { authorize }";
    const r = parse(text, "r");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1001", "DF1001", "DF1001", "DF1001"]);
    expect(kinds(r.ast.declarations)).toEqual(["GroupDecl", "GroupDecl", "CapDecl", "DecideDecl"]);
  });

  describe("half-typed files still yield full nodes", () => {
    it("`cap foo {`", () => {
      const r = parse("cap foo {", "h");
      expect(r.ast.declarations).toEqual([
        {
          kind: "CapDecl",
          name: {
            kind: "Identifier",
            name: "foo",
            range: { start: 4, end: 7 },
          },
          clauses: [],
          range: { start: 0, end: 9 },
        },
      ]);
      expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1001"]);
    });

    it("`group tier1 = { US`", () => {
      const r = parse("group tier1 = { US", "h");
      expect(r.ast.declarations[0]).toMatchObject({
        kind: "GroupDecl",
        name: { name: "tier1" },
        value: { kind: "SetLiteral", members: [{ country: { code: "US" } }] },
      });
    });

    it("`when destination in`", () => {
      const r = parse("exception e {\n  when destination in", "h");
      expect(r.ast.declarations[0]).toMatchObject({
        kind: "ExceptionDecl",
        clauses: [
          {
            kind: "WhenClause",
            condition: {
              kind: "InCondition",
              subject: "destination",
              set: { kind: "Missing", range: { start: 35, end: 35 } },
            },
          },
        ],
      });
    });

    it("a keyword alone", () => {
      for (const kw of ["policy", "policyset", "import", "group", "disjoint", "item", "model", "class", "cap", "exception", "status", "decide"]) {
        const r = parse(kw, "h");
        expect(r.ast.declarations, kw).toHaveLength(1);
        expect(r.diagnostics.length, kw).toBeGreaterThan(0);
        for (const range of allRanges(r.ast)) expect(rangeInside(range, kw.length)).toBe(true);
      }
    });

    it("every prefix of a valid file", () => {
      const text =
        'cap c "C" cite "x" { limit 7 % of capacity per consignee x destination window 2025-01-01 .. 2025-12-31 times 2 when destination in { US } + g schedule { through 2025-12-31 limit 5 x H100 } }\ndecide d for a, b { license charging c when amount >= 5 TPP { review presumption of approval when within c review case-by-case otherwise } }';
      for (let i = 0; i <= text.length; i++) {
        const prefix = text.slice(0, i);
        const r = parse(prefix, "p");
        expect(
          r.diagnostics.every((d) => d.code !== "DF1999"),
          prefix,
        ).toBe(true);
        for (const range of allRanges(r.ast)) expect(rangeInside(range, prefix.length), prefix).toBe(true);
        if (/^cap c\b/.test(prefix)) expect(r.ast.declarations[0]?.kind).toBe("CapDecl");
      }
    });
  });

  it("skips stray tokens inside a block and resumes at the next clause", () => {
    const r = parse("cap c { limit 5 TPP ) ) 17 per consignee }", "s");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1003"]);
    expect(r.ast.declarations[0]).toMatchObject({
      clauses: [{ kind: "LimitClause" }, { kind: "PerClause" }],
    });
  });

  it("skips stray tokens at the top level and resumes at the next declaration", () => {
    const r = parse('} } 12 "x" group g = all', "s");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1003"]);
    expect(kinds(r.ast.declarations)).toEqual(["GroupDecl"]);
  });

  it("ends a block whose `}` is missing at the next declaration", () => {
    const r = parse("item H100 {\n  tpp 15_832 TPP\nitem B200 { tpp 1 TPP }\nmodel m { weights open }", "s");
    expect(kinds(r.ast.declarations)).toEqual(["ItemDecl", "ItemDecl", "ModelDecl"]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1001"]);
  });

  it("ends a block whose `}` is missing at an item with a title, terminated or not", () => {
    for (const title of ['"Nvidia H100"', '"Nvidia H100']) {
      const r = parse(`cap c {\n  limit 5 TPP\nitem H100 ${title}\n  tpp 15_832 TPP\n}`, "s");
      expect(kinds(r.ast.declarations), title).toEqual(["CapDecl", "ItemDecl"]);
      expect(
        r.diagnostics.map((d) => d.code).filter((c) => c === "DF1003"),
        title,
      ).toEqual([]);
    }
  });

  it("takes a keyword used as a name as that name, before a title terminated or not", () => {
    for (const title of ['"Chip" {', '"Chip']) {
      const r = parse(`item limit ${title}\n  tpp 1 TPP\n}`, "s");
      expect(r.ast.declarations[0], title).toMatchObject({ kind: "ItemDecl", name: { kind: "Identifier", name: "limit" } });
      expect(r.diagnostics[0]?.message, title).toBe("expected an item name after `item`, found keyword `limit`");
    }
  });

  it("takes a keyword as a name only for a declaration's name on its own line, never for a reference", () => {
    // `counts toward` still being typed, above a `requires` clause: one error, and the
    // clause is kept (it is not taken as a cap named `requires` followed by a stray string).
    const half = parse('exception e {\n  counts toward\n  requires "x"\n}', "s");
    expect(half.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["DF1001 expected a cap name or `nothing` after `toward`, found keyword `requires`"]);
    expect(half.ast.declarations[0]).toMatchObject({ clauses: [{ kind: "CountsTowardClause", caps: [{ kind: "Missing" }] }, { kind: "RequiresClause" }] });
    // A status whose name (and `{`) is not typed yet, above its clauses.
    const unnamed = parse('status\n  note "a fact"\n  counts toward nothing\n}', "s");
    expect(unnamed.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["DF1001 expected a status name after `status`, found keyword `note`"]);
    expect(unnamed.ast.declarations[0]).toMatchObject({ kind: "StatusDecl", name: { kind: "Missing" } });
  });

  it("keeps nested skipped braces balanced", () => {
    const r = parse("decide d for c { bogus { review x } authorize NLR }", "s");
    expect(r.ast.declarations[0]).toMatchObject({
      rules: [{ kind: "AuthorizeRule", basis: { name: "NLR" } }],
    });
  });
});

describe("a header's parts out of place", () => {
  it("keeps a title written after `cite` as the title, when the declaration has none", () => {
    const text = [
      'cap c cite "15 CFR 740.27" "Country allocation" {',
      "  limit 5 TPP",
      "}",
      'group g cite "x" "Tier 1" = { US }',
      'decide d for a cite "x" "Rules" {',
      "  prohibit",
      "}",
    ].join("\n");
    const r = parse(text, "t");
    expect(r.diagnostics.map((d) => [d.code, text.slice(d.range.start, d.range.end), d.message, d.help])).toEqual([
      ["DF1001", '"Country allocation"', 'the title `"Country allocation"` comes after `cite`', 'a title goes right after the name: `c "Country allocation"`'],
      ["DF1001", '"Tier 1"', 'the title `"Tier 1"` comes after `cite`', 'a title goes right after the name: `g "Tier 1"`'],
      ["DF1001", '"Rules"', 'the title `"Rules"` comes after `cite`', 'a title goes right after the name: `d "Rules"`'],
    ]);
    expect(r.ast.declarations).toMatchObject([
      { kind: "CapDecl", title: { value: "Country allocation" }, cite: { text: { value: "15 CFR 740.27" } }, clauses: [{ kind: "LimitClause" }] },
      { kind: "GroupDecl", title: { value: "Tier 1" }, value: { kind: "SetLiteral" } },
      { kind: "DecideDecl", title: { value: "Rules" }, rules: [{ kind: "ProhibitRule" }] },
    ]);
  });

  it("reads a name after a missing comma in a list as the list's next name", () => {
    const r = parse("decide chips for big_ic w2 c3 {\n  prohibit\n}\nexception e {\n  within a b\n}", "t");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
      ["DF1001", "expected `,` after `big_ic`, found `w2`", "separate the names after `for` with commas: `big_ic, w2`"],
      ["DF1001", "expected `,` after `w2`, found `c3`", "separate the names after `for` with commas: `w2, c3`"],
      ["DF1001", "expected `,` after `a`, found `b`", "separate the names after `within` with commas: `a, b`"],
    ]);
    expect(r.ast.declarations).toMatchObject([
      { kind: "DecideDecl", classes: [{ name: "big_ic" }, { name: "w2" }, { name: "c3" }], rules: [{ kind: "ProhibitRule" }] },
      { kind: "ExceptionDecl", clauses: [{ kind: "WithinClause", caps: [{ name: "a" }, { name: "b" }] }] },
    ]);
  });
});

describe("a separator written for another", () => {
  it("reports a mistake right after it on its own, with its own help", () => {
    const r = parse("exception e { when destination in t1, destinaton in t2 }\ncap c { limit 5 TPP  per destination, consigne }", "s");
    expect(r.diagnostics.map((d) => [d.code, d.help])).toEqual([
      ["DF1003", "join conditions with `and` (both must hold) or `or`, not `,`"],
      ["DF1001", "did you mean `destination`?"],
      ["DF1003", "join the parts of a key with `x`: `destination x consigne`"],
      ["DF1001", "did you mean `consignee`?"],
    ]);
  });

  it("reads a cap's key parts and date range as meant", () => {
    const r = parse("cap c {\n  per destination and consignee\n  window 2025-01-01 to 2025-12-31\n}\ncap d { per consignee per calendar year }", "s");
    expect(r.ast.declarations).toMatchObject([
      {
        clauses: [
          { kind: "PerClause", key: { parts: [{ part: "destination" }, { part: "consignee" }] } },
          { kind: "WindowClause", window: { kind: "FixedWindow", to: { raw: "2025-12-31" } } },
        ],
      },
      { clauses: [{ kind: "PerClause" }, { kind: "WindowClause", window: { kind: "CalendarYearWindow" } }] },
    ]);
  });
});

describe("a name left out before a keyword that may follow it", () => {
  it("is not told that the keyword is reserved", () => {
    const r = parse('decide d for a {\n  authorize when destination in t1\n}\ncap c cite "x" { }', "k");
    expect(r.diagnostics.map((d) => [d.message, d.help])).toEqual([
      [
        "expected an exception or status name (or `NLR`) after `authorize`, found keyword `when`",
        "write what authorizes the order before `when`, e.g. `authorize NLR when ...`",
      ],
    ]);
  });
});

describe("a unit spelt otherwise", () => {
  it("is read as the unit it spells", () => {
    const r = parse("cap c { window rolling 12 month }\nmodel m { operations 1e26 op }", "u");
    expect(r.ast.declarations).toMatchObject([
      { clauses: [{ kind: "WindowClause", window: { kind: "RollingWindow", length: { unit: "months" } } }] },
      { clauses: [{ kind: "OperationsClause", value: { unit: "ops" } }] },
    ]);
  });
});

describe("text in quotes where a name or country code belongs", () => {
  it("reads the countries of a quoted set member, each at its place in the quotes", () => {
    const text = "group g = { 'US' CA \"GB FR\" }";
    const r = parse(text, "q");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF0001", "DF1003"]);
    const members = r.ast.declarations[0]?.kind === "GroupDecl" && r.ast.declarations[0].value.kind === "SetLiteral" ? r.ast.declarations[0].value.members : [];
    expect(members.map((m) => [m.country.code, text.slice(m.range.start, m.range.end), text.slice(m.country.range.start, m.country.range.end)])).toEqual([
      ["US", "US", "US"],
      ["CA", "CA", "CA"],
      ["GB", "GB", "GB"],
      ["FR", "FR", "FR"],
    ]);
  });

  it("reads a name in single quotes as the name", () => {
    const r = parse("decide d for 'chips', big {\n  prohibit\n}\nitem 'H100' { tpp 1 TPP }", "q");
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "DF0001 unexpected single quotes around `chips`",
      "DF0001 unexpected single quotes around `H100`",
    ]);
    expect(r.ast.declarations).toMatchObject([
      { kind: "DecideDecl", classes: [{ kind: "Identifier", name: "chips" }, { name: "big" }], rules: [{ kind: "ProhibitRule" }] },
      { kind: "ItemDecl", name: { kind: "Identifier", name: "H100" }, clauses: [{ kind: "TppClause" }] },
    ]);
  });
});

describe("a block whose `{` is missing", () => {
  it("is parsed as if the brace were there, when it follows stray tokens on the header's line", () => {
    const r = parse("decide d for a 5 {\n  prohibit\n  authorize NLR\n}\ncap c = { limit 5 TPP }", "b");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["DF1001", "DF1001"]);
    expect(r.ast.declarations).toMatchObject([
      { kind: "DecideDecl", classes: [{ name: "a" }], rules: [{ kind: "ProhibitRule" }, { kind: "AuthorizeRule" }] },
      { kind: "CapDecl", clauses: [{ kind: "LimitClause" }] },
    ]);
  });

  it("keeps the entries that follow it, and does not also ask for a `}`", () => {
    const r = parse('class c\n  eccn "4A090"\ngroup g = all', "b");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["expected `{` after `c`, found keyword `eccn`"]);
    expect(r.ast.declarations).toMatchObject([{ kind: "ClassDecl", clauses: [{ kind: "EccnClause" }] }, { kind: "GroupDecl" }]);
  });
});

describe("recovery fixtures (one folder per broken input: every diagnostic, its underlined text and help)", () => {
  for (const f of recoveryFixtures()) {
    it(f.name, () => {
      const got = parse(f.input, "f").diagnostics.map((d) => {
        const underlined = f.input.slice(d.range.start, d.range.end);
        return d.help === undefined ? { code: d.code, underlined } : { code: d.code, underlined, help: d.help };
      });
      expect(got).toEqual(f.expected);
    });
  }
});
