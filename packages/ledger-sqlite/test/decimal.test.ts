import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, format, normalize, parse, sub } from "../src/decimal.js";

describe("exact amounts as text", () => {
  it("formats integers, decimals and fractions", () => {
    expect(format({ num: 26898568n, den: 1n })).toBe("26898568");
    expect(format(normalize(158312n, 10n))).toBe("15831.2");
    expect(format(normalize(-1n, 8n))).toBe("-0.125");
    expect(format(normalize(1n, 3n))).toBe("1/3");
    expect(format({ num: 0n, den: 1n })).toBe("0");
  });

  it("parses what it formats", () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 12n }), (num, den) => {
        const r = normalize(num, den);
        expect(parse(format(r))).toEqual(r);
      }),
    );
  });

  it("sums exactly beyond 2^53", () => {
    const big = parse("9007199254740993");
    expect(format(add(big, parse("0.1")))).toBe("9007199254740993.1");
    expect(format(sub(add(big, big), big))).toBe("9007199254740993");
  });

  it("rejects text that is not an amount", () => {
    expect(() => parse("1e5")).toThrow(/not an exact amount/);
  });
});
