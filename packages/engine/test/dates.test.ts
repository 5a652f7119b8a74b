import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, addMonths, dayNumber, fromDayNumber, isIsoDate } from "../src/dates.js";

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
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        expect(dayNumber(fromDayNumber(n))).toBe(n);
      }),
    );
  });
});
