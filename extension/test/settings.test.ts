/**
 * The settings the extension contributes are the server's: the same names and defaults
 * as DEFAULT_SETTINGS and the table in docs/editors.md. (package.test.ts checks the built
 * .vsix; this reads the manifest from source, so it runs without packaging.)
 */
import { readFileSync } from "node:fs";
import { DEFAULT_SETTINGS } from "@diffuse/language-server";
import { describe, expect, it } from "vitest";

interface Property {
  readonly default: unknown;
}

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const docs = readFileSync(new URL("../../docs/editors.md", import.meta.url), "utf8");

describe("contributed settings", () => {
  it("contribute every setting docs/editors.md documents", () => {
    const documented = [...docs.matchAll(/^\| `(diffuse\.[\w.]+)` \|/gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(0);
    expect(Object.keys(properties).sort()).toEqual([...documented].sort());
  });

  it("default to what the server does without them", () => {
    expect(properties["diffuse.format.printWidth"]?.default).toBe(DEFAULT_SETTINGS.format.printWidth);
    expect(properties["diffuse.diagnostics.debounceMs"]?.default).toBe(DEFAULT_SETTINGS.diagnostics.debounceMs);
    expect(properties["diffuse.diagnostics.docsUrl"]?.default).toBe(DEFAULT_SETTINGS.diagnostics.docsUrl);
    expect(properties["diffuse.examples.orders"]?.default).toBe(DEFAULT_SETTINGS.examples.orders);
    expect(properties["diffuse.trace.server"]?.default).toBe(DEFAULT_SETTINGS.trace.server);
  });
});
