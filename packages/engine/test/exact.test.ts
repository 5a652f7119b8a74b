import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, cmp, floor, formatGrouped, fromNumber, parseDecimal, rat, toDecimal } from "../src/exact.js";

describe("exact arithmetic", () => {
  it("parses decimals exactly", () => {
    expect(parseDecimal("3e26")).toEqual({ num: 3n * 10n ** 26n, den: 1n });
    expect(parseDecimal("15831.2")).toEqual({ num: 79156n, den: 5n });
    expect(parseDecimal("2.5e-3")).toEqual({ num: 1n, den: 400n });
    expect(parseDecimal("1e99999")).toBeUndefined();
    expect(parseDecimal("-1")).toBeUndefined();
    expect(parseDecimal("1,000")).toBeUndefined();
  });
  it("accepts JSON numbers only when they are what was written", () => {
    expect(fromNumber(5.92)).toEqual({ num: 148n, den: 25n });
    expect(fromNumber(0.1 + 0.2)).toBeUndefined();
    expect(fromNumber(2 ** 53)).toBeUndefined();
    expect(fromNumber(2 ** 53 - 1)).toEqual({ num: 2n ** 53n - 1n, den: 1n });
    expect(fromNumber(1.5e-7)).toEqual({ num: 3n, den: 20_000_000n });
  });
  it("formats exactly, with and without grouping", () => {
    expect(toDecimal(rat(79156n, 5n))).toBe("15831.2");
    expect(toDecimal(rat(-1n, 4n))).toBe("-0.25");
    expect(toDecimal(rat(1n, 3n))).toBe("1/3");
    expect(formatGrouped(rat(26_914_400n))).toBe("26,914,400");
    expect(formatGrouped(rat(7_915_612n, 5n))).toBe("1,583,122.4");
  });
  it("floor", () => {
    expect(floor(rat(7n, 2n))).toBe(3n);
    expect(floor(rat(-7n, 2n))).toBe(-4n);
  });
  it("round-trips decimal text (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), (n, places) => {
        const r = rat(n, 10n ** BigInt(places));
        expect(parseDecimal(toDecimal(r))).toEqual(r);
      }),
    );
  });
  it("plain digit strings parse exactly on both sides of the 15-digit fast path (property)", () => {
    expect(parseDecimal("999999999999999")).toEqual({ num: 999_999_999_999_999n, den: 1n });
    expect(parseDecimal("9007199254740993")).toEqual({ num: 9_007_199_254_740_993n, den: 1n });
    expect(parseDecimal("000000000000007")).toEqual({ num: 7n, den: 1n });
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,20}$/), (s) => {
        expect(parseDecimal(s)).toEqual({ num: BigInt(s), den: 1n });
      }),
      { numRuns: 1000 },
    );
  });
  it("addition is exact past 2^53 (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 2n ** 80n }), (a, b) => {
        expect(add(rat(a), rat(b))).toEqual(rat(a + b));
        expect(cmp(rat(a), rat(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
