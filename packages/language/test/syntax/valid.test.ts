import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { allNodes, allRanges, outline, rangeInside, validFixtures } from "./util.js";

describe("valid fixtures (one per construct, taken from docs/language.md and beyond)", () => {
  const fixtures = validFixtures();

  it("has the fixtures", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  for (const [name, text] of fixtures) {
    describe(name, () => {
      const result = parse(text, `file:///${name}`);

      it("parses with zero diagnostics", () => {
        expect(result.diagnostics).toEqual([]);
      });

      it("has no Missing or ErrorClause nodes", () => {
        const kinds = allNodes(result.ast).map((n) => n.kind);
        expect(kinds).not.toContain("Missing");
        expect(kinds).not.toContain("ErrorClause");
      });

      it("keeps every range inside the text", () => {
        for (const r of allRanges(result.ast)) expect(rangeInside(r, text.length), JSON.stringify(r)).toBe(true);
      });

      it("produces the expected tree", () => {
        expect(outline(result.ast, text)).toMatchSnapshot();
      });
    });
  }
});

describe("docs/language.md examples", () => {
  it("every ```diffuse block parses without diagnostics", async () => {
    const { readFileSync } = await import("node:fs");
    const md = readFileSync(new URL("../../../../docs/language.md", import.meta.url), "utf8");
    const blocks = [...md.matchAll(/```diffuse\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    expect(blocks.length).toBeGreaterThan(5);
    for (const b of blocks) expect(parse(b, "file:///doc.diffuse").diagnostics).toEqual([]);
  });
});

describe("tree shape", () => {
  const get = (name: string): ReturnType<typeof parse> => {
    const text = validFixtures().find(([n]) => n === name)?.[1] ?? "";
    return parse(text, name);
  };

  it("reads the policy header clauses in order", () => {
    const decl = get("header.diffuse").ast.declarations[0];
    expect(decl?.kind).toBe("PolicyDecl");
    if (decl?.kind !== "PolicyDecl") return;
    expect(decl.title).toMatchObject({
      kind: "StringLiteral",
      value: "Framework for Artificial Intelligence Diffusion",
    });
    expect(decl.cite?.text).toMatchObject({ value: "90 FR 4544" });
    expect(decl.clauses.map((c) => c.kind)).toEqual(["VersionClause", "EffectiveClause", "ComplianceClause", "UntilClause", "SupersedesClause", "NoteClause"]);
  });

  it("builds left-associative set algebra and dated members", () => {
    const decls = get("groups.diffuse").ast.declarations;
    const tier2 = decls.find((d) => d.kind === "GroupDecl" && d.name.kind === "Identifier" && d.name.name === "tier2");
    expect(tier2).toMatchObject({
      kind: "GroupDecl",
      title: { value: "Tier 2" },
      value: {
        kind: "SetBinary",
        op: "-",
        left: {
          kind: "SetBinary",
          op: "-",
          left: { kind: "AllCountries" },
          right: { kind: "GroupRef", name: { name: "tier1" } },
        },
        right: { kind: "GroupRef", name: { name: "tier3" } },
      },
    });
    const d5 = decls.find((d) => d.kind === "GroupDecl" && d.name.kind === "Identifier" && d.name.name === "d5");
    if (d5?.kind !== "GroupDecl" || d5.value.kind !== "SetLiteral") throw new Error("d5 is not a set literal");
    const kh = d5.value.members.find((m) => m.country.code === "KH");
    expect(kh).toMatchObject({
      until: { kind: "DateLiteral", raw: "2026-02-03" },
      cite: { text: { value: "D:5 removal, Feb 2026" } },
    });
    expect(decls.at(-1)).toMatchObject({
      kind: "DisjointDecl",
      groups: [{ name: "tier1" }, { name: "tier2" }, { name: "tier3" }],
    });
  });

  it("reads quantities with their units", () => {
    const text =
      "cap c { limit 7 % of capacity  times 2 when true }\nitem i { tpp 15_832 TPP density 5.92 }\ncap d { limit 1_699 x H100 window rolling 365 days }";
    const decls = parse(text, "q").ast.declarations;
    expect(decls[0]).toMatchObject({
      clauses: [
        {
          kind: "LimitClause",
          value: {
            kind: "PercentOfCapacity",
            percent: { unit: "percent", value: { raw: "7" } },
          },
        },
        {
          kind: "TimesClause",
          factor: { kind: "Quantity", unit: "count", value: { raw: "2" } },
          condition: { kind: "FlagCondition", flag: "true" },
        },
      ],
    });
    expect(decls[1]).toMatchObject({
      clauses: [
        { kind: "TppClause", value: { unit: "TPP", value: { raw: "15_832" } } },
        {
          kind: "DensityClause",
          value: { unit: "count", value: { raw: "5.92" } },
        },
      ],
    });
    expect(decls[2]).toMatchObject({
      clauses: [
        {
          value: {
            kind: "ItemMultiple",
            count: { raw: "1_699" },
            item: { name: "H100" },
          },
        },
        {
          window: {
            kind: "RollingWindow",
            length: { unit: "days", value: { raw: "365" } },
          },
        },
      ],
    });
  });

  it("gives and/or precedence and keeps parentheses", () => {
    const text = "class c { when chip and datacenter or not open and (tpp >= 1 TPP or model) }";
    const decl = parse(text, "c").ast.declarations[0];
    expect(decl).toMatchObject({
      clauses: [
        {
          kind: "WhenClause",
          condition: {
            kind: "OrCondition",
            operands: [
              {
                kind: "AndCondition",
                operands: [{ flag: "chip" }, { flag: "datacenter" }],
              },
              {
                kind: "AndCondition",
                operands: [
                  { kind: "NotCondition", operand: { flag: "open" } },
                  { kind: "ParenCondition", inner: { kind: "OrCondition" } },
                ],
              },
            ],
          },
        },
      ],
    });
  });

  it("reads decide rules, review blocks and the trailing when of a single review", () => {
    const decl = get("decide.diffuse").ast.declarations[0];
    if (decl?.kind !== "DecideDecl") throw new Error("not a decide block");
    expect(decl.classes).toMatchObject([{ name: "advanced_ic" }]);
    expect(decl.rules.map((r) => r.kind)).toEqual([
      "LicenseRule",
      "AuthorizeRule",
      "AuthorizeRule",
      "AuthorizeRule",
      "AuthorizeRule",
      "LicenseRule",
      "LicenseRule",
    ]);
    expect(decl.rules[0]).toMatchObject({
      reviews: [{ review: { policy: "presumption-of-denial" } }],
      condition: { kind: "OrCondition" },
    });
    expect(decl.rules[5]).toMatchObject({
      charging: [{ name: "country_allocation" }],
      condition: { kind: "InCondition", subject: "destination" },
      reviews: [
        {
          review: { policy: "presumption-of-approval" },
          condition: {
            kind: "WithinCondition",
            cap: { name: "country_allocation" },
          },
        },
        { review: { policy: "presumption-of-denial" } },
      ],
    });
    expect(decl.rules[5]?.kind === "LicenseRule" && decl.rules[5].reviews[1]?.condition).toBe(undefined);
    expect(decl.rules[6]).toMatchObject({
      reviews: [{ review: { policy: "case-by-case" } }],
    });
  });

  it("keeps raw literal text and resolves string escapes", () => {
    const decl = get("everything-else.diffuse").ast.declarations.find((d) => d.kind === "PolicyDecl");
    if (decl?.kind !== "PolicyDecl") throw new Error("no policy");
    const note = decl.clauses.find((c) => c.kind === "NoteClause");
    expect(note).toMatchObject({
      text: {
        value: 'a "quoted" word and a \\ backslash',
        raw: '"a \\"quoted\\" word and a \\\\ backslash"',
      },
    });
  });

  it("returns comments beside the tree", () => {
    const result = get("everything-else.diffuse");
    expect(result.comments[0]).toMatchObject({ kind: "BlockComment" });
    expect(get("header.diffuse").comments.map((c) => c.text)).toEqual([
      "// inclusive",
      "// optional, exclusive end",
      "// optional: the version this one replaces",
      "// path relative to this file",
    ]);
  });
});
