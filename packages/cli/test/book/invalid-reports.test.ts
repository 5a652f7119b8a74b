import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidReports } from "../../src/book/invalid-reports.js";

const line = (p: number): string => `invalid order ${p + 1}\n`;

describe("InvalidReports", () => {
  it("is empty when no order was invalid", () => {
    expect(new InvalidReports(50).text()).toBe("");
  });

  it("lists reports in book order, whatever order they were added in", () => {
    const r = new InvalidReports(50);
    for (const p of [289, 329, 259, 293, 179]) r.add(p, line(p));
    expect(r.text()).toBe([179, 259, 289, 293, 329].map(line).join(""));
  });

  it("keeps the earliest positions in the book and counts the rest", () => {
    const r = new InvalidReports(2);
    for (const p of [7, 3, 9, 1, 5]) r.add(p, line(p));
    expect(r.text()).toBe(
      `${line(1)}${line(3)}... and 3 more invalid orders (the first 2 in the book are listed)\n` +
        'help: every invalid decision, with its errors, is in the output: `--format jsonl` and the lines with "outcome":"invalid"\n',
    );
  });

  it("says `order` for one more", () => {
    const r = new InvalidReports(1);
    r.add(4, line(4));
    r.add(2, line(2));
    expect(r.text()).toContain(`${line(2)}... and 1 more invalid order (the first 1 in the book are listed)\n`);
  });

  it("lists what sorting every position and taking the first `limit` would (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(10_000), { maxLength: 200 }), fc.integer({ min: 0, max: 60 }), (positions, limit) => {
        const r = new InvalidReports(limit);
        for (const p of positions) r.add(p, line(p));
        const expected = [...positions].sort((a, b) => a - b).slice(0, limit).map(line).join("");
        expect(r.text().startsWith(expected)).toBe(true);
        const more = positions.length - Math.min(limit, positions.length);
        if (more === 0) expect(r.text()).toBe(expected);
        else expect(r.text()).toContain(`... and ${more} more invalid`);
      }),
    );
  });
});
