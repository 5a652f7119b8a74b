import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, spreadsheetSafeField, startsLikeFormula } from "../../src/format/csv.js";

/** A field read back as RFC 4180 says (one field: no unquoted separator in it). */
function unquote(field: string): string {
  return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
}

describe("CSV fields", () => {
  it("quote only what needs quotes, and read back as written", () => {
    expect(csvField(null)).toBe("");
    expect(csvField("o-1")).toBe("o-1");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=1+1")).toBe("=1+1");
    fc.assert(fc.property(fc.string({ unit: "binary" }), (v) => unquote(csvField(v)) === v));
  });

  it("spreadsheet-safe: a cell that starts like a formula gets a leading ' in quotes; any other reads back as written", () => {
    for (const v of ['=HYPERLINK("x")', "+1", "-2+3", "@SUM(1)", "\tx", "\rx"]) {
      expect(startsLikeFormula(v), v).toBe(true);
      expect(spreadsheetSafeField(v)).toBe(`"'${v.replace(/"/g, '""')}"`);
    }
    for (const v of ["o-1", " =1", "'=1", "1-2", "", "\nx"]) expect(startsLikeFormula(v), v).toBe(false);
    expect(spreadsheetSafeField(null)).toBe("");
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (v) => {
        const back = unquote(spreadsheetSafeField(v));
        return startsLikeFormula(v) ? back === `'${v}` : back === v;
      }),
    );
  });
});
