import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookSyntaxError, readOrders, scanBook } from "../../src/book/scan.js";

function file(text: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), "diffuse-scan-")), "book");
  writeFileSync(path, text);
  return path;
}

function read(path: string): { position: number; line: number; value: unknown }[] {
  const index = scanBook(path);
  return [...readOrders(path, index)].map((r) => ({ position: r.position, line: r.line, value: JSON.parse(r.text) as unknown }));
}

function syntaxError(path: string): BookSyntaxError {
  try {
    scanBook(path);
  } catch (e) {
    if (e instanceof BookSyntaxError) return e;
    throw e;
  }
  throw new Error("expected a BookSyntaxError");
}

const order = (id: string, date: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id, date, ...extra });

describe("scanBook and readOrders", () => {
  it("reads JSONL, skipping blank lines, CRLF and a BOM", () => {
    const path = file(`\uFEFF${JSON.stringify(order("a", "2025-01-01"))}\r\n\r\n  ${JSON.stringify(order("b", "2025-01-02"))}\n`);
    const index = scanBook(path);
    expect(index.format).toBe("jsonl");
    expect(index.sorted).toBe(true);
    expect(read(path)).toEqual([
      { position: 0, line: 1, value: order("a", "2025-01-01") },
      { position: 1, line: 3, value: order("b", "2025-01-02") },
    ]);
  });

  it("reads a pretty-printed JSON array with strings holding brackets, commas and escapes", () => {
    const tricky = order("x", "2025-02-01", { note: 'a "quoted" ] , } { [ \\ \u00e9' });
    const path = file(JSON.stringify([order("a", "2025-01-01"), tricky, [1, 2], 5], null, 2));
    expect(scanBook(path).format).toBe("json-array");
    const values = read(path).map((r) => r.value);
    // Non-object elements keep their place (the engine reports them invalid); undated go last.
    expect(values).toEqual([order("a", "2025-01-01"), tricky, [1, 2], 5]);
    expect(read(path).map((r) => r.line)).toEqual([2, 6, 11, 15]);
  });

  it("yields orders in date order, ties in input order, undated last", () => {
    const path = file(
      [order("c", "2025-03-01"), order("a1", "2025-01-01"), { id: "u" }, order("b", "2025-02-01"), order("a2", "2025-01-01")]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    const index = scanBook(path);
    expect(index.sorted).toBe(false);
    expect(read(path).map((r) => (r.value as { id: string }).id)).toEqual(["a1", "a2", "b", "c", "u"]);
    expect(read(path).map((r) => r.position)).toEqual([1, 4, 3, 0, 2]);
  });

  it("finds the order ids a book repeats", () => {
    const path = file(
      [order("a", "2025-01-01"), order("b", "2025-01-01"), order("a", "2025-01-02"), { id: 5 }, order("c", "2025-01-03"), order("b", "2025-01-04")]
        .map((o) => JSON.stringify(o))
        .join("\n"),
    );
    expect([...scanBook(path).repeatedIds].sort()).toEqual(["a", "b"]);
  });

  it("falls back to JSON.parse for a record the byte scanner cannot take (nesting deeper than its stack)", () => {
    const deep = `{"id":"deep","date":"2025-01-02","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const path = file(`${JSON.stringify(order("a", "2025-01-01"))}\n${deep}\n`);
    const index = scanBook(path);
    expect(index.count).toBe(2);
    expect(index.sorted).toBe(true);
    expect([...index.dates.subarray(0, 2)]).toEqual([20250101, 20250102]);
  });

  it("handles an empty file, an empty array and whitespace", () => {
    expect(scanBook(file("")).count).toBe(0);
    expect(scanBook(file(" [ ] \n")).count).toBe(0);
    expect(scanBook(file("\n\n")).count).toBe(0);
  });

  it("reports invalid JSON with its line", () => {
    expect(syntaxError(file('{"id":"a","date":"2025-01-01"}\n{"id":"b",\n{"id":"c"}\n')).line).toBe(2);
    expect(syntaxError(file('[\n  {"id":"a"},\n  {"id": b}\n]')).line).toBe(3);
    expect(syntaxError(file('[\n  {"id":"a"},\n')).message).toMatch(/not closed with `\]`/);
    expect(syntaxError(file('[{"id":"a"},]')).message).toBe("invalid JSON at line 1, column 13: expected an order after `,`");
    expect(syntaxError(file('[{"id":"a"}] x')).message).toBe("invalid JSON at line 1, column 14: unexpected text after the closing `]`");
    expect(syntaxError(file("[,]")).message).toBe("invalid JSON at line 1, column 2: unexpected `,`");
  });

  it("gives the column, and in an array the order's number, so an error on a long line can be found", () => {
    // A minified array: every order on line 1; the third is missing a `:`.
    const minified = `[${JSON.stringify(order("a", "2025-01-01"))},${JSON.stringify(order("é", "2025-01-02"))},{"id" "c"}]`;
    const e = syntaxError(file(minified));
    const column = minified.indexOf('"c"') + 1;
    expect(e.message).toMatch(new RegExp(`^invalid JSON at line 1, column ${column} \\(order 3 of the array\\): `));
    expect(minified.slice(column - 1, column + 2)).toBe('"c"');
    // An element over several lines: the line and column are the problem's own.
    expect(syntaxError(file('[\n  {"id":"a"},\n  {\n    "id": b\n  }\n]')).message).toMatch(/^invalid JSON at line 4, column 11 \(order 2 of the array\): /);
    // JSON Lines: columns count from the start of the line, indentation included.
    expect(syntaxError(file('{"id":"a","date":"2025-01-01"}\n   {"id":"b" "date":"2025-01-01"}\n')).message).toMatch(/^invalid JSON at line 2, column 14: /);
  });

  it("finds every element of arrays and lines of JSONL across chunk boundaries (property)", () => {
    const json = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));
    const orderArb = fc.record({ id: fc.string(), date: fc.constantFrom("2025-01-01", "2025-06-30", "2024-12-31", "bad"), note: json });
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 30 }), fc.boolean(), fc.nat({ max: 3 }), (orders, asArray, indent) => {
        const text = asArray ? JSON.stringify(orders, null, indent) : orders.map((o) => JSON.stringify(o)).join("\n");
        const path = file(text);
        const got = read(path).map((r) => r.value);
        const key = (o: { date: string }): string => (/^\d{4}-\d\d-\d\d$/.test(o.date) ? o.date : "9999");
        const expected = orders
          .map((o, i) => ({ o, i }))
          .sort((a, b) => (key(a.o) < key(b.o) ? -1 : key(a.o) > key(b.o) ? 1 : a.i - b.i))
          .map((x) => x.o);
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("reads JSONL lines longer than the read buffer, and a last line without a newline", () => {
    const long = order("long", "2025-01-02", { pad: "x".repeat(3_000_000) });
    const path = file([order("a", "2025-01-01"), long, order("b", "2025-01-03")].map((o) => JSON.stringify(o)).join("\n"));
    const index = scanBook(path);
    expect(index.count).toBe(3);
    expect([...index.lines.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect(read(path).map((r) => (r.value as { id: string }).id)).toEqual(["a", "long", "b"]);
  });

  it("reads a book larger than the read chunk", () => {
    const big = Array.from({ length: 6000 }, (_, i) => order(`o-${i}`, `2025-01-${String(1 + (i % 28)).padStart(2, "0")}`, { pad: "p".repeat(300) }));
    for (const text of [JSON.stringify(big), big.map((o) => JSON.stringify(o)).join("\n")]) {
      const path = file(text);
      const index = scanBook(path);
      expect(index.count).toBe(6000);
      const ids = [...readOrders(path, index)].map((r) => (JSON.parse(r.text) as { id: string }).id);
      expect(new Set(ids).size).toBe(6000);
    }
  });
});
