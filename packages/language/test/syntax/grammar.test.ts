import { readFileSync } from "node:fs";
import { Lexer, serializeProduction, type ISerializedGast, type Rule, type TokenType } from "chevrotain";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DiffuseParser } from "../../src/syntax/parser.js";
import { createLexer, getParser, tokenize } from "../../src/syntax/parse.js";
import * as T from "../../src/syntax/tokens.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";

/**
 * A recorded production as EBNF: `"kw"` for a token with a literal label, `Name` for other
 * tokens, `[ ]` optional, `( )*` / `( )+` repeated, `ε` an empty alternative (where
 * recovery makes a `Missing` node).
 */
type Gast = ISerializedGast & { readonly name?: string; readonly label?: string; readonly separator?: Gast; readonly definition?: Gast[] };

function ebnf(p: Gast): string {
  const seq = (items: readonly Gast[] | undefined): string => (items ?? []).map(ebnf).join(" ");
  switch (p.type) {
    case "Rule":
    case "Alternative":
      return seq(p.definition);
    case "NonTerminal":
      return p.name ?? "?";
    case "Terminal":
      return p.label !== undefined && /^`.+`$/.test(p.label) ? `"${p.label.slice(1, -1)}"` : (p.name ?? "?");
    case "Alternation":
      return `( ${(p.definition ?? []).map((alt) => ebnf(alt) || "ε").join(" | ")} )`;
    case "Option":
      return `[ ${seq(p.definition)} ]`;
    case "Repetition":
      return `( ${seq(p.definition)} )*`;
    case "RepetitionMandatory":
      return `( ${seq(p.definition)} )+`;
    case "RepetitionWithSeparator":
    case "RepetitionMandatoryWithSeparator": {
      // MANY_SEP: none, or one and more after a separator; AT_LEAST_ONE_SEP: one, and more after a separator.
      const separator = p.separator === undefined ? "?" : ebnf(p.separator);
      const list = `${seq(p.definition)} ( ${separator} ${seq(p.definition)} )*`;
      return p.type === "RepetitionWithSeparator" ? `[ ${list} ]` : list;
    }
    default:
      throw new Error(`unknown production type ${String(p.type)}`);
  }
}

describe("grammar and lexer definitions", () => {
  it("builds the parser with no grammar definition errors (LL(1), no ambiguities, no left recursion)", () => {
    const parser = new DiffuseParser();
    expect(Reflect.get(parser, "definitionErrors")).toEqual([]);
  });

  it("records the grammar it recorded before (a change to the grammar shows up here, to be reviewed)", async () => {
    // chevrotain's recorded productions, by rule name: the rules are spread over a chain of
    // classes (syntax/parser/), and this is the whole grammar in one place. A deliberate
    // change is accepted with `pnpm test:update`.
    const productions = getParser().getGAstProductions();
    const lines = Object.keys(productions)
      .sort()
      .map((name) => `${name} ::= ${ebnf(serializeProduction(productions[name] as Rule))}`);
    await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot("__snapshots__/grammar.ebnf");
  });

  it("prints every kind of production chevrotain records", () => {
    const name: Gast = { type: "NonTerminal", name: "name" };
    const comma: Gast = { type: "Terminal", name: "Comma", label: "`,`" };
    const at = (type: string, extra: object = {}): string => ebnf({ type, definition: [name], ...extra } as Gast);
    expect(at("Option")).toBe("[ name ]");
    expect(at("Repetition")).toBe("( name )*");
    expect(at("RepetitionMandatory")).toBe("( name )+");
    // MANY_SEP matches nothing, or a list; AT_LEAST_ONE_SEP a list of one or more.
    expect(at("RepetitionWithSeparator", { separator: comma })).toBe('[ name ( "," name )* ]');
    expect(at("RepetitionMandatoryWithSeparator", { separator: comma })).toBe('name ( "," name )*');
    expect(
      ebnf({
        type: "Alternation",
        definition: [
          { type: "Alternative", definition: [name] },
          { type: "Alternative", definition: [] },
        ],
      } as Gast),
    ).toBe("( name | ε )");
    expect(ebnf({ type: "Terminal", name: "Identifier", label: "a name" } as Gast)).toBe("Identifier");
  });

  it("keeps one parser instance per process", () => {
    expect(getParser()).toBe(getParser());
  });

  it("builds the lexer with chevrotain's optimizations guaranteed (ensureOptimizations)", () => {
    const lexer = createLexer({ ensureOptimizations: true });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it("lexes every UTF-16 code unit on the optimized path (no fallback to chevrotain's slow error recovery)", () => {
    // Each code unit on its own: a character whose first-char bucket lacks the catch-all
    // token would be lexed by dropping characters one at a time (an error per character).
    const lexer = createLexer();
    const failing: number[] = [];
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (lexer.tokenize(ch + ch).errors.length > 0) failing.push(c);
    }
    expect(failing).toEqual([]);
  });

  it("re-types words into keywords exactly as keyword patterns with `longer_alt` would lex them (property)", () => {
    // The reference: chevrotain trying every keyword pattern, longest first, before `Identifier`.
    const reference = new Lexer(T.allTokens as TokenType[], { positionTracking: "onlyOffset" });
    const lexer = createLexer();
    const shape = (r: { tokens: { tokenType: TokenType; image: string; startOffset: number }[] }): string[] =>
      r.tokens.map((t) => `${t.tokenType.name}:${t.image}@${t.startOffset}`);
    const words = fc.constantFrom(
      ...KEYWORDS,
      ...KEYWORDS.map((k) => `${k}s`),
      ...KEYWORDS.map((k) => `${k}_1`),
      "x",
      "X",
      "tier1",
      "TPPs",
      "case",
      "by",
      "-",
      " ",
      "\n",
      "9",
      "{",
      "}",
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 40 }), fc.string({ maxLength: 30 }), (parts, noise) => {
        const text = parts.join(" ") + noise + parts.join("");
        expect(shape(lexer.tokenize(text))).toEqual(shape(reference.tokenize(text)));
      }),
      { numRuns: 500 },
    );
  });

  it("gives every token a human label", () => {
    for (const t of T.allTokens) {
      expect(t.LABEL, t.name).toBeTruthy();
      expect(t.LABEL).not.toBe(t.name);
    }
  });

  it("reserves every quoted lowercase word of the grammar summary as a keyword", () => {
    const md = readFileSync(new URL("../../../../docs/language.md", import.meta.url), "utf8");
    const summary = md.slice(md.indexOf("## Grammar summary"));
    const words = new Set([...summary.matchAll(/"([a-zA-Z][a-zA-Z-]*)"/g)].map((m) => m[1] ?? ""));
    for (const w of words) expect(KEYWORDS, w).toContain(w);
    expect(new Set(KEYWORDS).size).toBe(KEYWORDS.length);
  });
});

describe("lexing", () => {
  const types = (text: string): string[] => tokenize(text).map((t) => t.type);

  it("does not let a keyword shadow a longer keyword or a name", () => {
    expect(types("no not note nothing cap capacity year years time times policy policyset")).toEqual([
      "Kw_no",
      "Kw_not",
      "Kw_note",
      "Kw_nothing",
      "Kw_cap",
      "Kw_capacity",
      "Kw_year",
      "Kw_years",
      "Kw_time",
      "Kw_times",
      "Kw_policy",
      "Kw_policyset",
    ]);
    expect(types("dates tier1 capital x1 xx TPPs _x")).toEqual(Array(7).fill("Identifier"));
  });

  it("lexes dates before numbers and every number form", () => {
    expect(types("2025-01-13 26_900_000 5.92 1e26 2.5e25 1E+3")).toEqual(["DateLiteral", ...Array(5).fill("NumberLiteral")]);
    expect(tokenize("2025-01-01 .. 2027-12-31").map((t) => t.text)).toEqual(["2025-01-01", "..", "2027-12-31"]);
  });

  it("lexes case-by-case as one token and comparison operators longest first", () => {
    expect(types("case-by-case <= >= != < > = % & + -")).toEqual([
      "CaseByCase",
      "LessEqual",
      "GreaterEqual",
      "NotEqual",
      "Less",
      "Greater",
      "Equals",
      "Percent",
      "Ampersand",
      "Plus",
      "Minus",
    ]);
  });

  it("lexes strings with escapes and keeps comments as tokens for the formatter", () => {
    expect(tokenize('"a \\" b \\\\" // c\n/* d\n e */').map((t) => [t.kind, t.text])).toEqual([
      ["string", '"a \\" b \\\\"'],
      ["comment", "// c"],
      ["comment", "/* d\n e */"],
    ]);
  });

  it("classifies tokens for semantic highlighting", () => {
    expect(tokenize('cap c { limit 5 TPP when date >= 2025-01-01 } "s" ,').map((t) => t.kind)).toEqual([
      "keyword",
      "identifier",
      "punctuation",
      "keyword",
      "number",
      "unit",
      "keyword",
      "keyword",
      "operator",
      "date",
      "punctuation",
      "string",
      "punctuation",
    ]);
  });
});

describe("keyword lookup", () => {
  it("finds every keyword by its text and nothing else", () => {
    for (const [text, type] of T.KEYWORD_BY_TEXT) expect(T.keywordOf(text)).toBe(type);
    for (const word of ["tier1", "Group", "groups", "grou", "y", "capital", "tpps", "case-by-case", "_"]) expect(T.keywordOf(word)).toBeUndefined();
  });
});
