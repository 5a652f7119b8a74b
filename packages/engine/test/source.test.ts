import { describe, expect, it } from "vitest";
import { check, checkText, loadSync } from "@diffuse/language";
import { compile, MemoryLedger } from "../src/index.js";
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

describe("a reason's source.path", () => {
  const files: Record<string, string> = {
    "p.diffuse": `policy "P" { version "1" effective 2025-01-01 }
import "lib/caps.diffuse"
item H100 { tpp 15_832 TPP density 19.45 }
class chips { when chip }
exception SMALL { within small counts toward nothing }
decide chip_rules for chips {
  authorize SMALL
  license review case-by-case
}
`,
    "lib/caps.diffuse": "cap small { limit 1 TPP per consignee window calendar year }\n",
  };
  /** The paths of the reasons for an order past `small`, the policy loaded with its entry at `entry`, its files read from `dir`. */
  const paths = (entry: string, dir: string): string[] => {
    const program = loadSync(entry, (uri) => files[uri.slice(dir.length)]);
    const { model, diagnostics } = check(program);
    expect(diagnostics).toEqual([]);
    const order = { id: "o-1", date: "2025-06-10", destination: "MY", consignee: { id: "c" }, items: [{ item: "H100", quantity: 1 }] };
    return compile(model)
      .evaluate(order, new MemoryLedger())
      .reasons.map((r) => `${r.rule} ${r.source.path}`);
  };

  it("is the URI (or plain path) each file was loaded under: the entry as given, normalised, and an import resolved against it", () => {
    expect(paths("file:///ws/rules/p.diffuse", "file:///ws/rules/")).toEqual([
      "chip_rules file:///ws/rules/p.diffuse",
      "small file:///ws/rules/lib/caps.diffuse",
    ]);
    expect(paths("policies/./p.diffuse", "policies/")).toEqual(["chip_rules policies/p.diffuse", "small policies/lib/caps.diffuse"]);
  });
});
