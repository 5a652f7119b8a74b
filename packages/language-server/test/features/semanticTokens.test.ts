import { describe, expect, it } from "vitest";
import { classifyTokens, LEGEND, semanticTokens } from "../../src/features/semanticTokens.js";
import { ROOT, analyzeText, fixture } from "../helpers.js";

describe("semantic tokens", () => {
  it("classifies keywords, literals, country codes and names by what they resolve to", async () => {
    const text =
      'import "catalog.diffuse"\ngroup tier1 = { US }\ncap c { limit 10 x H100 per consignee window all time }\ndecide d for advanced_ic { authorize NLR when destination in tier1 }\n';
    const a = await analyzeText(text);
    const tokens = classifyTokens(a);
    const at = (word: string, nth = 0): { type: string; modifiers: readonly string[] } | undefined => {
      let from = -1;
      for (let i = 0; i <= nth; i++) from = text.indexOf(word, from + 1);
      const pos = a.document.positionAt(from);
      return tokens.find((t) => t.line === pos.line && t.character === pos.character);
    };
    expect(at("import")?.type).toBe("keyword");
    expect(at('"catalog')?.type).toBe("string");
    expect(at("tier1")).toEqual(expect.objectContaining({ type: "enum", modifiers: ["declaration"] }));
    expect(at("tier1", 1)).toEqual(expect.objectContaining({ type: "enum", modifiers: [] }));
    expect(at("US")?.type).toBe("enumMember");
    expect(at("10")?.type).toBe("number");
    expect(at("H100")?.type).toBe("struct");
    expect(at("advanced_ic")?.type).toBe("class");
    expect(at("NLR")?.modifiers).toContain("defaultLibrary");
    expect(at("{")).toBeUndefined();
  });

  it("encodes relative positions that decode back to the tokens", async () => {
    const a = await analyzeText(fixture("workspace/policy.diffuse"), `${ROOT}policy.diffuse`);
    const { data } = semanticTokens(a);
    expect(data.length % 5).toBe(0);
    const decoded: { line: number; character: number; type: string }[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      const [dl = 0, dc = 0, , type = 0] = data.slice(i, i + 5);
      line += dl;
      character = dl === 0 ? character + dc : dc;
      decoded.push({ line, character, type: LEGEND.tokenTypes[type] ?? "?" });
    }
    expect(decoded).toEqual(classifyTokens(a).map((t) => ({ line: t.line, character: t.character, type: t.type })));
  });
});
