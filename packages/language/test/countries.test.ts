import { describe, expect, it } from "vitest";
import { COUNTRY_CODES, ISO_COUNTRY_CODES, countryName, describeCountry, isCountryCode } from "../src/countries.js";

describe("countries", () => {
  it("has the 249 ISO 3166-1 alpha-2 codes plus XK", () => {
    expect(ISO_COUNTRY_CODES).toHaveLength(249);
    expect(COUNTRY_CODES).toHaveLength(250);
    expect(new Set(COUNTRY_CODES).size).toBe(250);
    expect(ISO_COUNTRY_CODES.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect([...ISO_COUNTRY_CODES].sort()).toEqual(ISO_COUNTRY_CODES);
  });

  it("looks codes up", () => {
    expect(countryName("MY")).toBe("Malaysia");
    expect(countryName("XK")).toBe("Kosovo");
    expect(countryName("UK")).toBeUndefined();
    expect(isCountryCode("GB")).toBe(true);
    expect(isCountryCode("EU")).toBe(false);
    expect(describeCountry("MO")).toBe("Macao (MO)");
    expect(describeCountry("ZZ")).toBe("ZZ");
  });

  it("covers every country named in the rule's tier lists", () => {
    for (const c of "AU BE CA DE DK ES FI FR GB IE IT JP KR NL NO NZ SE TW US AF BY CD CF CN CU ER HK HT IQ IR KP LB LY MM NI RU SD SO SS SY VE ZW KH CY MO".split(
      " ",
    )) {
      expect(isCountryCode(c), c).toBe(true);
    }
  });
});
