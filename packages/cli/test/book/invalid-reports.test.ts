import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Decision } from "@diffuse/engine";
import { InvalidReports, invalidReport } from "../../src/book/invalid-reports.js";

const line = (p: number): string => `invalid order ${p + 1}\n`;

describe("InvalidReports", () => {
  it("is empty when no order was invalid", () => {
    expect(new InvalidReports(50, false).rest()).toBe("");
  });

  it("lists reports in book order, whatever order they were added in", () => {
    const r = new InvalidReports(50, false);
    for (const p of [289, 329, 259, 293, 179]) r.add(p, line(p));
    expect(r.rest()).toBe([179, 259, 289, 293, 329].map(line).join(""));
  });

  it("keeps the earliest positions in the book and counts the rest", () => {
    const r = new InvalidReports(2, false);
    for (const p of [7, 3, 9, 1, 5]) r.add(p, line(p));
    expect(r.rest()).toBe(
      `${line(1)}${line(3)}... and 3 more invalid orders (the first 2 in the book are listed)\n` +
        'help: every invalid decision, with its errors, is in the output: `--format jsonl` and the lines with "outcome":"invalid"\n',
    );
  });

  it("says `order` for one more", () => {
    const r = new InvalidReports(1, false);
    r.add(4, line(4));
    r.add(2, line(2));
    expect(r.rest()).toContain(`${line(2)}... and 1 more invalid order (the first 1 in the book are listed)\n`);
  });

  it("lists reports added in book order as they come, and only the rest at the end", () => {
    const r = new InvalidReports(3, true);
    r.add(2, line(2));
    expect(r.ready()).toBe(line(2));
    expect(r.ready()).toBe("");
    r.add(5, line(5));
    r.add(7, line(7));
    r.add(9, line(9));
    expect(r.ready()).toBe(`${line(5)}${line(7)}`);
    expect(r.rest()).toBe(
      '... and 1 more invalid order (the first 3 in the book are listed)\nhelp: every invalid decision, with its errors, is in the output: `--format jsonl` and the lines with "outcome":"invalid"\n',
    );
  });

  it("lists nothing before the end when the reports may come out of book order", () => {
    const r = new InvalidReports(3, false);
    r.add(5, line(5));
    r.add(2, line(2));
    expect(r.ready()).toBe("");
    expect(r.rest()).toBe(`${line(2)}${line(5)}`);
  });

  it("lists what sorting every position and taking the first `limit` would, as it comes or at the end (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(10_000), { maxLength: 200 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (positions, limit, inBookOrder) => {
        const added = inBookOrder ? [...positions].sort((a, b) => a - b) : positions;
        const r = new InvalidReports(limit, inBookOrder);
        let out = "";
        for (const p of added) {
          r.add(p, line(p));
          out += r.ready();
        }
        out += r.rest();
        const expected = [...positions]
          .sort((a, b) => a - b)
          .slice(0, limit)
          .map(line)
          .join("");
        const more = positions.length - Math.min(limit, positions.length);
        if (more === 0) expect(out).toBe(expected);
        else
          expect(out).toBe(
            `${expected}... and ${more} more invalid ${more === 1 ? "order" : "orders"} (the first ${limit} in the book are listed)\nhelp: every invalid decision, with its errors, is in the output: \`--format jsonl\` and the lines with "outcome":"invalid"\n`,
          );
      }),
    );
  });
});

describe("invalidReport", () => {
  it("is one line however many control characters the order's id and values hold", () => {
    const d: Decision = {
      order: "o\n1\r",
      outcome: "invalid",
      reasons: [],
      charges: [],
      errors: [{ field: "destination", message: "unknown country code `X\u0007\nY`", help: "a two-letter code\nsuch as `MY`" }],
      policy: { name: "p", version: "1", sha256: "" },
    };
    expect(invalidReport(d, 0, 3)).toBe(
      "invalid order 1 (`o\\n1\\r`) at line 3: `destination`: unknown country code `X\\u0007\\nY`\n  help: a two-letter code\\nsuch as `MY`\n",
    );
  });
});
