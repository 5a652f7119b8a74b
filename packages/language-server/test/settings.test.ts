import { readFileSync } from "node:fs";
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

  it("takes a print width in the range the extension's setting allows (20-400)", () => {
    const extension = JSON.parse(readFileSync(new URL("../../../extension/package.json", import.meta.url), "utf8")) as {
      contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number }> } };
    };
    const schema = extension.contributes.configuration.properties["diffuse.format.printWidth"];
    expect([schema?.minimum, schema?.maximum]).toEqual([20, 400]);
    for (const [width, read] of [
      [19, 80],
      [20, 20],
      [400, 400],
      [401, 80],
    ] as const) {
      expect(parseSettings({ format: { printWidth: width } }).format.printWidth).toBe(read);
    }
  });

  it("ignores malformed values", () => {
    expect(parseSettings({ format: { printWidth: "wide" }, trace: { server: "loud" }, diagnostics: { debounceMs: -5 }, examples: 3 })).toEqual(
      DEFAULT_SETTINGS,
    );
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
