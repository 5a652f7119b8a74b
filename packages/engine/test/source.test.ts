import { describe, expect, it } from "vitest";
import { checkText } from "@diffuse/language";
import { SourceMap } from "../src/source.js";

const URI = "file:///quote.diffuse";

/** A SourceMap over `text` and the quote of the text between the markers `«` and `»` (removed). */
function quoteOf(marked: string, casesAt?: string): string {
  const start = marked.indexOf("«");
  const end = marked.indexOf("»") - 1;
  const text = marked.replace("«", "").replace("»", "");
  const map = new SourceMap(checkText(text, URI).model);
  const cases = casesAt === undefined ? undefined : text.indexOf(casesAt);
  return map.quote({ uri: URI, range: { start, end } }, cases);
}

describe("SourceMap.quote", () => {
  it("quotes a rule over several lines whole, whitespace collapsed and its citation left out", () => {
    expect(quoteOf('«license review presumption of denial when destination in tier3\n    or headquarters in tier3 cite "x"»\n')).toBe(
      "license review presumption of denial when destination in tier3 or headquarters in tier3",
    );
  });

  it("drops line and block comments, but not comment marks inside strings", () => {
    expect(quoteOf("«prohibit // the first reason\n  when destination in /* the */ tier3»")).toBe("prohibit when destination in tier3");
    expect(quoteOf('«authorize LPP when consignee is "a//b" or consignee is "c/*d"»')).toBe('authorize LPP when consignee is "a//b" or consignee is "c/*d"');
  });

  it("stops a license rule at the block of its review cases", () => {
    const rule = "«license charging c when destination in { MY SG } {\n  review presumption of approval when within c\n}»";
    expect(quoteOf(rule, "review")).toBe("license charging c when destination in { MY SG }");
  });

  it("shortens a long rule to 100 characters", () => {
    const q = quoteOf(`«prohibit when ${Array.from({ length: 30 }, (_, i) => `destination in g${i}`).join(" or ")}»`);
    expect(q).toHaveLength(100);
    expect(q.endsWith("...")).toBe(true);
  });
});
