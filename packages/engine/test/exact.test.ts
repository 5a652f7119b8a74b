import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { add, cmp, floor, formatGrouped, fromNumber, parseDecimal, rat, toDecimal } from "../src/exact.js";
import { sha256Hex } from "../src/sha256.js";
import { addDays, addMonths, dayNumber, fromDayNumber, isIsoDate } from "../src/dates.js";

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
  it("addition is exact past 2^53 (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 2n ** 80n }), (a, b) => {
        expect(add(rat(a), rat(b))).toEqual(rat(a + b));
        expect(cmp(rat(a), rat(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});

describe("sha256", () => {
  it("matches the FIPS 180-4 test vectors", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    expect(sha256Hex("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("hashes UTF-8 like Node's crypto (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
      }),
    );
  });
});

describe("dates", () => {
  it("validates real dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2100-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2025-04-31")).toBe(false);
    expect(isIsoDate("2025-1-01")).toBe(false);
  });
  it("day arithmetic", () => {
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addMonths("2025-03-31", -1)).toBe("2025-02-28");
    expect(addMonths("2025-01-15", -12)).toBe("2024-01-15");
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        expect(dayNumber(fromDayNumber(n))).toBe(n);
      }),
    );
  });
});
