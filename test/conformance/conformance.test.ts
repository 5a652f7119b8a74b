/**
 * The engine's conformance corpus: one folder per case with
 *   policy.diffuse   the entry file (a policy, or a policyset using files beside it)
 *   orders.json      an order book (array), evaluated in date order on one ledger
 *   ledger.json      optional starting usage: [{cap, key, date, amount}]
 *   options.json     optional EvaluateOptions
 *   expected.json    the expected decisions, in evaluation order
 *   skip.md          optional: the written reason the case is skipped
 * Folders starting with `_` hold shared files. To rewrite expected.json on purpose:
 *   DIFFUSE_UPDATE_CONFORMANCE=1 pnpm vitest run test/conformance
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { check, loadSync } from "@diffuse/language";
import { compile, compileSet, evaluateBook, ledgerFrom } from "@diffuse/engine";
import type { Decision, EvaluateOptions, StartingCharge } from "@diffuse/engine";

const here = dirname(fileURLToPath(import.meta.url));
const update = process.env["DIFFUSE_UPDATE_CONFORMANCE"] === "1";
const cases = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
  .map((d) => d.name)
  .sort();

function readJson<T>(path: string, fallback: T): T {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : fallback;
}

function run(dir: string): Decision[] {
  const entry = pathToFileURL(join(dir, "policy.diffuse")).href;
  const result = check(
    loadSync(entry, (uri) => {
      try {
        return readFileSync(new URL(uri), "utf8");
      } catch {
        return undefined;
      }
    }),
  );
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const evaluator = result.policySet !== undefined ? compileSet(result.policySet.versions, { name: result.policySet.title }) : compile(result.model);
  const ledger = ledgerFrom(readJson<StartingCharge[]>(join(dir, "ledger.json"), []));
  const options = readJson<EvaluateOptions>(join(dir, "options.json"), {});
  const orders = readJson<unknown[]>(join(dir, "orders.json"), []);
  // Source paths are file URIs of this checkout: make them relative to the corpus.
  const base = pathToFileURL(here).href + "/";
  return JSON.parse(
    JSON.stringify([...evaluateBook(evaluator, orders, ledger, options)])
      .split(base)
      .join(""),
  ) as Decision[];
}

describe("engine conformance corpus", () => {
  expect(cases.length).toBeGreaterThanOrEqual(10);
  for (const name of cases) {
    const dir = join(here, name);
    const skip = join(dir, "skip.md");
    if (existsSync(skip)) {
      it.skip(`${name} (skipped: ${readFileSync(skip, "utf8").trim().split("\n")[0] ?? ""})`, () => {});
      continue;
    }
    it(name, () => {
      const got = run(dir);
      const expectedPath = join(dir, "expected.json");
      if (update) writeFileSync(expectedPath, JSON.stringify(got, null, 2) + "\n");
      expect(got).toEqual(readJson<Decision[]>(expectedPath, []));
    });
  }
});
