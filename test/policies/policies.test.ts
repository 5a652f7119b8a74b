/**
 * The policy files in policies/ are checked clean and decide every case of every
 * policies/tests/*.test.json as the tests say (format: docs/testing.md), and so does the
 * example test file of docs/testing.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COUNTRY_CODES, check, load, type CheckResult } from "@diffuse/language";
import { MemoryLedger, checkPolicyTestFile, compile, compileSet, parsePolicyTestFile, runPolicyTests, type Evaluator } from "@diffuse/engine";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const policies = join(root, "policies");

async function checkPolicy(path: string, overrides: ReadonlyMap<string, string> = new Map()): Promise<CheckResult> {
  const read = async (uri: string): Promise<string | undefined> => {
    try {
      return overrides.get(uri) ?? readFileSync(uri, "utf8");
    } catch {
      return undefined;
    }
  };
  return check(await load(path, read));
}

function evaluatorOf(result: CheckResult): Evaluator {
  if (result.policySet) return compileSet(result.policySet.versions, { name: result.policySet.title });
  return compile(result.model);
}

function diffuseFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? diffuseFiles(join(dir, e.name)) : e.name.endsWith(".diffuse") ? [join(dir, e.name)] : [],
  );
}

describe("policies/*.diffuse", () => {
  for (const file of diffuseFiles(policies)) {
    it(`${relative(root, file)} checks without errors or warnings`, async () => {
      const result = await checkPolicy(file);
      expect(result.diagnostics.map((d) => `${relative(root, d.uri)}:${d.range.start}: ${d.code} ${d.message}`)).toEqual([]);
    });
  }

  it("the 2025 rule names its authorizations by the regulation's abbreviations", async () => {
    const { model } = await checkPolicy(join(policies, "ai-diffusion-2025.diffuse"));
    expect([...model.authorizations.keys()].filter((n) => /^[A-Z]+$/.test(n)).sort()).toEqual(["AIA", "ACA", "ACM", "LPP", "NAC", "NVEU", "UVEU"].sort());
    expect(model.header?.effective).toBe("2025-01-13");
    expect(model.header?.compliance).toBe("2025-05-15");
  });

  it("tier sizes on 2025-01-13: 19 in Tier 1; Tier 3 = 23 D:5 names (China with Hong Kong: 24 codes) + Macau", async () => {
    const { model } = await checkPolicy(join(policies, "ai-diffusion-2025.diffuse"));
    const on = (group: string, date: string): string[] =>
      (model.groups.get(group)?.members ?? []).filter((m) => (m.from ?? "") <= date && (m.until === undefined || date < m.until)).map((m) => m.country);
    expect(on("tier1", "2025-01-13")).toHaveLength(19);
    expect(on("tier3", "2025-01-13")).toHaveLength(25);
    expect(on("tier2", "2025-01-13").length + 19 + 25).toBe(COUNTRY_CODES.length);
    expect(on("tier3", "2026-02-03")).not.toContain("KH");
    expect(on("tier2", "2026-02-03")).toContain("KH");
    expect(on("tier2", "2025-01-13")).toContain("CY");
  });

  it("every assumption the brief marks UNCONFIRMED is flagged where it is used", () => {
    const text = readFileSync(join(policies, "ai-diffusion-2025.diffuse"), "utf8");
    // One flag per open point of brief section 11 that the rule depends on.
    for (const topic of [
      "LPP may be used in Tier 1",
      "D:5/Macau destinations and headquarters",
      "x2 is UNCONFIRMED",
      "denial vs case-by-case",
      "quarterly steps",
      "para 6",
      "approval or at shipment",
      "no allocation after 2027",
    ]) {
      expect(text, topic).toContain(topic);
    }
  });
});

describe("policies/us-advanced-computing.diffuse cites why each version lets 4E091 weights through", () => {
  // A policy test can check a reason's rule, not its citation: these are checked here.
  // Each version has its own reason (brief 6 and 7): before the IFR there was no 4E091;
  // from 2025-01-13 there was, but compliance was not due until 2025-05-15; from
  // 2025-05-13 BIS did not enforce it.
  it.each([
    ["2024-06-01", "2023-10", /did not exist before the IFR/],
    ["2025-03-01", "2025-01-pre-compliance", /compliance was not required before 2025-05-15/],
    ["2025-06-01", "2025-05", /effectively removed/],
  ])("on %s (version %s)", async (date, version, cite) => {
    const evaluator = evaluatorOf(await checkPolicy(join(policies, "us-advanced-computing.diffuse")));
    const order = { id: "w", date, destination: "IN", consignee: { id: "in-lab" }, items: [{ modelWeights: { trainingOps: "3e26", openWeights: false } }] };
    const decision = evaluator.evaluate(order, new MemoryLedger());
    expect([decision.outcome, decision.basis, decision.policy.version]).toEqual(["authorized", "NLR", version]);
    expect(decision.reasons.map((r) => r.cite ?? "")).toEqual([expect.stringMatching(cite)]);
  });
});

describe("policies/ai-diffusion-2025.diffuse: AIA's obligations say what each is for", () => {
  // AIA authorizes chips and, under 740.27(a)(3), 4E091 weights "subject to additional
  // conditions" (brief 3.1, 6); a policy test cannot check obligations.
  it("a weights order under AIA carries the (a)(3) conditions, and each chip condition names the chips it is for", async () => {
    const evaluator = evaluatorOf(await checkPolicy(join(policies, "ai-diffusion-2025.diffuse")));
    const order = {
      id: "w",
      date: "2025-06-01",
      destination: "GB",
      consignee: { id: "uk-sub", headquarters: "US" },
      items: [{ modelWeights: { trainingOps: "3e26", openWeights: false } }],
    };
    const decision = evaluator.evaluate(order, new MemoryLedger());
    expect(decision.basis).toBe("AIA");
    expect(decision.obligations).toContainEqual(expect.stringMatching(/^4E091 model weights: .*740\.27\(a\)\(3\)/));
    for (const ob of decision.obligations ?? []) expect(ob).toMatch(/^(4E091 model weights|3A090\.a ICs|obtain)/);
  });
});

const testFiles = readdirSync(join(policies, "tests"))
  .filter((f) => f.endsWith(".test.json"))
  .sort();

/** Runs a test file's JSON as if it were the file at `path`, and expects every case to pass. */
async function expectPasses(json: unknown, path: string): Promise<void> {
  const parsed = parsePolicyTestFile(json);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  const file = parsed.value;
  const policyPath = resolve(dirname(path), file.policy);
  const overrides = new Map(Object.entries(file.files ?? {}).map(([p, text]) => [resolve(dirname(policyPath), p), text]));
  const result = await checkPolicy(policyPath, overrides);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const evaluator = evaluatorOf(result);
  expect(checkPolicyTestFile(file, evaluator)).toEqual([]);
  const outcome = runPolicyTests(file, evaluator);
  const failures = outcome.results.filter((r) => !r.passed).map((r) => `${r.name}\n  ${r.failures.join("\n  ")}`);
  expect(failures).toEqual([]);
  expect(outcome.results.length).toBeGreaterThan(0);
}

describe.each(testFiles)("policies/tests/%s", (name) => {
  it("every case decides as expected", async () => {
    const path = join(policies, "tests", name);
    await expectPasses(JSON.parse(readFileSync(path, "utf8")), path);
  });
});

describe("docs/testing.md", () => {
  it("its example test file passes against the shipped policy, from policies/tests/ where it says test files live", async () => {
    const doc = readFileSync(join(root, "docs", "testing.md"), "utf8");
    const example = /## Format\n[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    await expectPasses(JSON.parse(example ?? ""), join(policies, "tests", "example.test.json"));
  });
});
