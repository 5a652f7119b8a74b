import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, compare, div, equals, floor, formatRational, mul, parseRational, rational, sub, toRational } from "../src/rational.js";

describe("parseRational", () => {
  it.each([
    ["0", 0n, 1n],
    ["26_900_000", 26_900_000n, 1n],
    ["5.92", 148n, 25n],
    ["1e26", 10n ** 26n, 1n],
    ["2.5e25", 25n * 10n ** 24n, 1n],
    ["1.5e-3", 3n, 2000n],
    ["-7", -7n, 1n],
    [".5", 1n, 2n],
    ["3.", 3n, 1n],
    ["0.1", 1n, 10n],
    ["1_699.000", 1699n, 1n],
  ])("%s", (text, num, den) => {
    expect(parseRational(text)).toEqual({ num, den });
  });

  it.each(["", ".", "e5", "1e", "abc", "NaN", "Infinity", "1..2", "1e99999", "--1"])("rejects %j", (text) => {
    expect(parseRational(text)).toBeUndefined();
  });

  it("converts numbers through their shortest decimal form", () => {
    expect(toRational(0.1)).toEqual({ num: 1n, den: 10n });
    expect(toRational(6.1)).toEqual({ num: 61n, den: 10n });
    expect(toRational(Number.NaN)).toBeUndefined();
    expect(toRational(12n)).toEqual({ num: 12n, den: 1n });
  });
});

describe("arithmetic", () => {
  it("is exact where floating point is not", () => {
    const tenth = rational(1n, 10n);
    expect(add(tenth, rational(2n, 10n))).toEqual(rational(3n, 10n));
    expect(mul(rational(1699n), rational(15832n))).toEqual(rational(26_898_568n));
    expect(sub(rational(1n), rational(1n, 3n))).toEqual(rational(2n, 3n));
    expect(div(rational(7n), rational(100n))).toEqual({ num: 7n, den: 100n });
    expect(compare(rational(1n, 3n), rational(333n, 1000n))).toBe(1);
    expect(equals(rational(2n, 4n), rational(1n, 2n))).toBe(true);
    expect(floor(rational(-7n, 2n))).toBe(-4n);
    expect(floor(rational(7n, 2n))).toBe(3n);
  });

  it("normalizes signs and common factors", () => {
    expect(rational(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(() => rational(1n, 0n)).toThrow();
  });

  const arb = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 12n })).map(([n, d]) => rational(n, d));

  it("addition commutes and subtraction undoes it", () => {
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        expect(add(a, b)).toEqual(add(b, a));
        expect(sub(add(a, b), b)).toEqual(a);
      }),
    );
  });

  it("formatting a terminating value and parsing it back is the identity", () => {
    const terminating = fc
      .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat(12), fc.nat(12))
      .map(([n, i, j]) => rational(n, 2n ** BigInt(i) * 5n ** BigInt(j)));
    fc.assert(
      fc.property(terminating, (a) => {
        expect(parseRational(formatRational(a))).toEqual(a);
      }),
    );
  });
});

describe("formatRational", () => {
  it.each([
    [rational(26_898_568n), "26898568"],
    [rational(158312n, 10n), "15831.2"],
    [rational(-7n, 100n), "-0.07"],
    [rational(1n, 3n), "1/3"],
    [rational(0n), "0"],
  ])("%o -> %s", (value, text) => {
    expect(formatRational(value)).toBe(text);
  });

  it("groups thousands on request", () => {
    expect(formatRational(rational(26_898_568n), { group: true })).toBe("26,898,568");
    expect(formatRational(rational(-1234567891n, 10n), { group: true })).toBe("-123,456,789.1");
  });
});
