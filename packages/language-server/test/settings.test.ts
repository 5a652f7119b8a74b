import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, parseSettings } from "../src/settings.js";
import { markers } from "./helpers.js";

describe("settings", () => {
  it("reads what the client sends and keeps defaults for the rest", () => {
    expect(parseSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(parseSettings({ format: { printWidth: 120 }, trace: { server: "verbose" }, diagnostics: { debounceMs: 0 } })).toEqual({
      ...DEFAULT_SETTINGS,
      format: { printWidth: 120 },
      trace: { server: "verbose" },
      diagnostics: { ...DEFAULT_SETTINGS.diagnostics, debounceMs: 0 },
    });
  });

  it("ignores malformed values", () => {
    expect(parseSettings({ format: { printWidth: "wide" }, trace: { server: "loud" }, diagnostics: { debounceMs: -5 }, examples: 3 })).toEqual(DEFAULT_SETTINGS);
  });
});

describe("cursor markers", () => {
  it("strips cursors and ranges and reports their offsets", () => {
    expect(markers("ab|c [[de|f]] g")).toEqual({ text: "abc def g", cursors: [2, 6], ranges: [{ start: 4, end: 7 }] });
  });

  it("rejects unbalanced ranges", () => {
    expect(() => markers("[[a")).toThrow();
    expect(() => markers("a]]")).toThrow();
  });
});
