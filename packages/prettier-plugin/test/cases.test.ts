import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FormatOptions } from "../src/format.js";
import { formatChecked } from "./helpers.js";

const casesDir = join(import.meta.dirname, "cases");
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe("golden cases (input -> output, idempotent, sound)", () => {
  it("has the cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
  for (const name of cases) {
    it(name, async () => {
      const dir = join(casesDir, name);
      const input = readFileSync(join(dir, "input.diffuse"), "utf8");
      const optionsFile = join(dir, "options.json");
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, "utf8")) as FormatOptions) : {};
      const output = await formatChecked(input, options);
      await expect(output).toMatchFileSnapshot(join(dir, "output.diffuse"));
    });
  }
});
