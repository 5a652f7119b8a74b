import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { KEYWORDS, tokenize as lexerTokens } from "@diffuse/language";
import type { TokenKind } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { grammarPath, hasScope, tokenize } from "./tokenize.js";

interface RawRule {
  readonly name?: string;
  readonly match?: string;
}

const raw = JSON.parse(readFileSync(grammarPath, "utf8")) as { repository: Record<string, { patterns?: RawRule[] }> };

/** Keywords the grammar scopes somewhere other than its `keywords` lists, on purpose. None today. */
const SCOPED_ELSEWHERE: readonly string[] = [];

/** The words of each `(?:a|b|c)` list in the grammar's `keywords` repository entry, by scope name. */
function grammarKeywordLists(): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const rule of raw.repository["keywords"]?.patterns ?? []) {
    const m = /\(\?:([A-Za-z|-]+)\)/.exec(rule.match ?? "");
    if (m?.[1] === undefined || rule.name === undefined) throw new Error(`unexpected keyword rule ${JSON.stringify(rule)}`);
    lists.set(rule.name, m[1].split("|"));
  }
  return lists;
}

describe("keywords", () => {
  const lists = grammarKeywordLists();
  const all = [...lists.values()].flat();

  it("lists each keyword once", () => {
    const seen = new Set<string>();
    const twice = all.filter((w) => (seen.has(w) ? true : (seen.add(w), false)));
    expect(twice).toEqual([]);
  });

  it("has exactly the lexer's keywords", () => {
    const expected = KEYWORDS.filter((k) => !SCOPED_ELSEWHERE.includes(k));
    expect([...all].sort()).toEqual([...expected].sort());
  });

  it("scopes every keyword, alone on a line, with the scope of its list", async () => {
    const wrong: string[] = [];
    for (const [scope, words] of lists) {
      for (const word of words) {
        const [line] = await tokenize(`  ${word}`);
        const token = line?.find((t) => t.text === word);
        if (token === undefined || !token.scopes.includes(scope)) {
          wrong.push(`${word}: ${token === undefined ? "no token" : token.scopes.join(", ")}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it("does not take a keyword prefix of a name for the keyword", async () => {
    for (const name of ["capacity_x", "notes", "tier1", "dates", "all_time", "x1", "in_force", "yes_no"]) {
      const [line] = await tokenize(`  ${name}`);
      expect(line?.find((t) => t.text.trim() !== "")?.text).toBe(name);
    }
  });
});

describe("agreement with the lexer on real policies", () => {
  const policies = fileURLToPath(new URL("../../policies/", import.meta.url));
  const files = readdirSync(policies, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".diffuse"));

  /** Scope families a lexer token kind may be shown with. */
  const families: Record<TokenKind, readonly string[]> = {
    keyword: ["keyword", "storage.type", "constant.language", "variable.language"],
    unit: ["keyword.other.unit"],
    identifier: ["variable.other", "entity.name", "constant.language.country"],
    string: ["string"],
    number: ["constant.numeric.decimal"],
    date: ["constant.numeric.date"],
    operator: ["keyword.operator", "keyword.other.unit.percent"],
    punctuation: ["punctuation", "keyword.operator"],
    comment: ["comment"],
  };

  for (const file of files) {
    it(`colors every token of policies/${file} as the lexer reads it`, async () => {
      const text = readFileSync(`${policies}${file}`, "utf8");
      const lines = await tokenize(text);
      const lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
      const at = (offset: number): readonly string[] => {
        let line = lineStarts.length - 1;
        while ((lineStarts[line] ?? 0) > offset) line--;
        const column = offset - (lineStarts[line] ?? 0);
        return lines[line]?.find((t) => t.start <= column && column < t.end)?.scopes ?? [];
      };
      const wrong: string[] = [];
      for (const token of lexerTokens(text)) {
        const scopes = at(token.range.start);
        if (!families[token.kind].some((f) => hasScope(scopes, f))) {
          wrong.push(`\`${token.text}\` (${token.kind}) at ${token.range.start}: ${scopes.join(", ")}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
