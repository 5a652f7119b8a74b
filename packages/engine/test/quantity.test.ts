import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Rational } from "@diffuse/language";
import { add, cmp, formatGrouped, mul, rat, sub, toDecimal } from "../src/exact.js";
import { addQ, cmpQ, decimalQ, fromBigInt, groupedQ, mulQ, quantity, subQ, toRational, type Quantity } from "../src/quantity.js";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers clustered around the safe-integer boundary (both signs), plus small and huge ones. */
const int = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: MAX - 1000n, max: MAX + 1000n }),
  fc.bigInt({ min: -MAX - 1000n, max: -MAX + 1000n }),
  fc.bigInt({ min: (MAX + 1n) / 2n - 1000n, max: (MAX + 1n) / 2n + 1000n }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
);
const value: fc.Arbitrary<Rational> = fc.oneof(
  int.map((n) => rat(n)),
  fc.tuple(int, fc.bigInt({ min: 1n, max: 10n ** 6n })).map(([n, d]) => rat(n, d)),
);

/** The canonical form: a number exactly when the value is a safe integer. */
function isCanonical(q: Quantity): boolean {
  if (typeof q === "number") return Number.isSafeInteger(q) && !Object.is(q, -0);
  return !(q.den === 1n && q.num <= MAX && q.num >= -MAX);
}

describe("quantities (safe-integer fast path over exact rationals)", () => {
  it("takes the number form exactly for safe integers", () => {
    expect(quantity(rat(MAX))).toBe(Number.MAX_SAFE_INTEGER);
    expect(quantity(rat(-MAX))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(quantity(rat(MAX + 1n))).toEqual({ num: MAX + 1n, den: 1n });
    expect(quantity(rat(1n, 2n))).toEqual({ num: 1n, den: 2n });
    expect(fromBigInt(MAX + 1n)).toEqual({ num: MAX + 1n, den: 1n });
    expect(fromBigInt(7n)).toBe(7);
  });

  it("crosses 2^53 exactly: one past the largest safe integer is a bigint, not a rounded float", () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(addQ(top, 0)).toBe(top);
    expect(addQ(top, 1)).toEqual({ num: MAX + 1n, den: 1n });
    expect(addQ(top, 2)).toEqual({ num: MAX + 2n, den: 1n }); // 2^53 + 1: not representable as a double
    expect(subQ(-top, 2)).toEqual({ num: -MAX - 2n, den: 1n });
    expect(subQ(addQ(top, 2), 2)).toBe(top); // back under the boundary: the number form again
    expect(mulQ(2 ** 26, 2 ** 27)).toEqual({ num: 2n ** 53n, den: 1n });
    // floor(sqrt(2^53)) = 94,906,265: its square is safe, the next one's is not.
    expect(mulQ(94_906_265, 94_906_265)).toBe(94_906_265 * 94_906_265);
    expect(mulQ(94_906_266, 94_906_266)).toEqual({ num: 94_906_266n * 94_906_266n, den: 1n });
    expect(decimalQ(addQ(top, 2))).toBe("9007199254740993");
    expect(cmpQ(addQ(top, 2), addQ(top, 1))).toBe(1);
  });

  it("add, sub, mul and compare equal the exact rational operations (property)", () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const qa = quantity(a);
        const qb = quantity(b);
        for (const [got, want] of [
          [addQ(qa, qb), add(a, b)],
          [subQ(qa, qb), sub(a, b)],
          [mulQ(qa, qb), mul(a, b)],
        ] as const) {
          expect(isCanonical(got)).toBe(true);
          expect(toRational(got)).toEqual(want);
        }
        expect(cmpQ(qa, qb)).toBe(cmp(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it("formats as the exact formatting does (property)", () => {
    fc.assert(
      fc.property(value, (a) => {
        const q = quantity(a);
        expect(decimalQ(q)).toBe(toDecimal(a));
        expect(groupedQ(q)).toBe(formatGrouped(a));
      }),
      { numRuns: 2000 },
    );
  });
});
