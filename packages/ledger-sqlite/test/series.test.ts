import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, normalize } from "../src/decimal.js";
import { Series } from "../src/series.js";

const dates = ["2024-12-31", "2025-01-01", "2025-01-02", "2025-06-30", "2025-12-31", "2026-01-01"];

describe("Series", () => {
  it("answers inclusive windows, in and out of date order", () => {
    const s = new Series();
    s.add("2025-06-30", { num: 5n, den: 1n });
    s.add("2025-01-01", { num: 2n, den: 1n });
    s.add("2025-06-30", { num: 1n, den: 1n });
    expect(format(s.usage("2025-01-01", "2025-12-31"))).toBe("8");
    expect(format(s.usage("2025-01-02", "2025-06-30"))).toBe("6");
    expect(format(s.usage(undefined, "2025-06-29"))).toBe("2");
    expect(format(s.usage("2025-07-01", "2025-12-31"))).toBe("0");
  });

  it("answers usageInteger while every sum is a safe integer, and usage the same", () => {
    const s = new Series();
    s.add("2025-01-02", { num: BigInt(Number.MAX_SAFE_INTEGER) - 10n, den: 1n });
    s.add("2025-01-01", { num: 10n, den: 1n });
    expect(s.usageInteger(undefined, "2025-12-31")).toBe(Number.MAX_SAFE_INTEGER);
    expect(s.usageInteger("2025-01-02", "2025-12-31")).toBe(Number.MAX_SAFE_INTEGER - 10);
    expect(s.usageInteger(undefined, "2024-12-31")).toBe(0);
    // One more unit would leave the safe range: rationals from then on, still exact.
    s.add("2025-01-03", { num: 1n, den: 1n });
    expect(s.usageInteger(undefined, "2025-12-31")).toBeUndefined();
    expect(s.usage(undefined, "2025-12-31")).toEqual({ num: BigInt(Number.MAX_SAFE_INTEGER) + 1n, den: 1n });
    expect(s.usage("2025-01-02", "2025-01-02")).toEqual({ num: BigInt(Number.MAX_SAFE_INTEGER) - 10n, den: 1n });
  });

  it("stays exact with negative charges (a batch taken back out)", () => {
    const s = new Series();
    s.add("2025-01-01", { num: 7n, den: 1n });
    s.add("2025-01-01", { num: -7n, den: 1n });
    s.add("2025-02-01", { num: 3n, den: 1n });
    expect(s.usageInteger(undefined, "2025-12-31")).toBe(3);
    expect(s.usageInteger("2025-01-01", "2025-01-31")).toBe(0);
  });

  it("switches to rationals for fractions and for sums past 64 bits", () => {
    const s = new Series();
    s.add("2025-01-01", { num: (1n << 62n) + 1n, den: 1n });
    s.add("2025-01-02", { num: 1n << 62n, den: 1n });
    expect(s.usage(undefined, "2025-12-31")).toEqual({ num: (1n << 63n) + 1n, den: 1n });
    const f = new Series();
    f.add("2025-01-01", { num: 1n, den: 1n });
    f.add("2025-01-01", normalize(1n, 2n));
    expect(format(f.usage(undefined, "2025-01-01"))).toBe("1.5");
  });

  it("agrees with summing the charges (property)", () => {
    const charge = fc.record({
      date: fc.constantFrom(...dates),
      num: fc.oneof(fc.bigInt({ min: -1000n, max: 1n << 62n }), fc.bigInt({ min: -1000n, max: 1000n })),
      den: fc.constantFrom(1n, 1n, 1n, 4n),
    });
    fc.assert(
      fc.property(fc.array(charge, { maxLength: 40 }), fc.constantFrom(undefined, ...dates), fc.constantFrom(...dates), (charges, from, to) => {
        const s = new Series();
        for (const c of charges) s.add(c.date, normalize(c.num, c.den));
        let num = 0n;
        let den = 1n;
        for (const c of charges) {
          if ((from === undefined || c.date >= from) && c.date <= to) {
            num = num * c.den + c.num * den;
            den *= c.den;
          }
        }
        expect(s.usage(from, to)).toEqual(normalize(num, den));
        const whole = s.usageInteger(from, to);
        if (whole !== undefined) expect(normalize(BigInt(whole), 1n)).toEqual(normalize(num, den));
      }),
      { numRuns: 300 },
    );
  });
});
