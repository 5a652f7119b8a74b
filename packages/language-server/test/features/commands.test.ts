import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { evaluateExamples, runTests, testsReferencing, type CommandEnv } from "../../src/features/commands.js";
import { policyCodeLenses, testFileCodeLenses } from "../../src/features/codeLens.js";
import { analyze } from "../../src/language.js";
import { FIXTURES, ROOT, analyzeText, workspaceFiles } from "../helpers.js";

function files(): Map<string, string> {
  const map = workspaceFiles();
  for (const name of ["orders.json", "policy.test.json", "whatif.test.json"]) {
    map.set(`${ROOT}${name}`, readFileSync(join(FIXTURES, "commands", name), "utf8"));
  }
  return map;
}

function env(map = files()): CommandEnv & { checked: string[] } {
  const checked: string[] = [];
  return {
    checked,
    readFile: async (uri) => map.get(uri),
    check: async (uri, overrides = new Map()) => {
      checked.push(uri);
      const read = async (u: string): Promise<string | undefined> => overrides.get(u) ?? map.get(u);
      const text = await read(uri);
      if (text === undefined) return { model: undefined, policySet: undefined, errors: ["missing"] };
      const a = await analyze(TextDocument.create(uri, "diffuse", 0, text), read);
      return { model: a.model, policySet: a.policySet, errors: a.allDiagnostics.filter((d) => d.severity === "error").map((d) => d.message) };
    },
  };
}

describe("run tests command", () => {
  it("runs a test file with the engine's runner and sums the results", async () => {
    const summary = await runTests(env(), [`${ROOT}policy.test.json`]);
    expect(summary.message).toBe("2 passed, 0 failed");
    expect(summary.files[0]?.cases.map((c) => c.name)).toEqual(["Tier 1 needs no license", "Tier 3 is prohibited"]);
  });

  it("applies the test file's what-if file overrides", async () => {
    const e = env();
    const summary = await runTests(e, [`${ROOT}whatif.test.json`]);
    expect(summary.message).toBe("1 passed, 0 failed");
  });

  it("reports unreadable, malformed and invalid test files as failures, not exceptions", async () => {
    const map = files();
    map.set(`${ROOT}bad.test.json`, "{ not json");
    map.set(`${ROOT}invalid.test.json`, JSON.stringify({ policy: "policy.diffuse", cases: [], extra: 1 }));
    map.set(`${ROOT}broken-policy.test.json`, JSON.stringify({ policy: "broken.diffuse", cases: [] }));
    map.set(`${ROOT}broken.diffuse`, "group = {");
    const summary = await runTests(env(map), [
      `${ROOT}missing%20%231.test.json`,
      `${ROOT}bad.test.json`,
      `${ROOT}invalid.test.json`,
      `${ROOT}broken-policy.test.json`,
    ]);
    expect(summary.failed).toBe(4);
    expect(summary.files.map((f) => f.error)).toEqual([
      "cannot read `/ws/missing #1.test.json`",
      expect.stringMatching(/^not valid JSON/),
      expect.stringMatching(/extra/),
      expect.stringMatching(/has errors/),
    ]);
  });

  it("reports a test file that gives a JSON key twice as invalid, as `diffuse test` does", async () => {
    const map = files();
    const text = map.get(`${ROOT}policy.test.json`) ?? "";
    const twice = text.replace('"policy":', '"policy": "other.diffuse", "policy":');
    expect(twice).not.toBe(text);
    map.set(`${ROOT}twice.test.json`, twice);
    const summary = await runTests(env(map), [`${ROOT}twice.test.json`]);
    expect(summary.files[0]?.error).toBe("policy: given more than once; give it once");
  });

  it("reports a starting charge to a cap the policy does not have and a misspelt outcome as an invalid test file, with the advice, as `diffuse test` does", async () => {
    const map = files();
    const base = JSON.parse(map.get(`${ROOT}policy.test.json`) ?? "{}") as { cases: { expect: Record<string, unknown> }[] };
    map.set(`${ROOT}cap.test.json`, JSON.stringify({ ...base, ledger: [{ cap: "LPP_limt", key: "uk-lab", date: "2025-01-01", amount: 1 }] }));
    const outcome = structuredClone(base);
    if (outcome.cases[1]) outcome.cases[1].expect = { outcome: "prohibitted" };
    map.set(`${ROOT}outcome.test.json`, JSON.stringify(outcome));
    const summary = await runTests(env(map), [`${ROOT}cap.test.json`, `${ROOT}outcome.test.json`]);
    expect(summary.files.map((f) => f.error)).toEqual([
      "ledger[0].cap: the policy has no cap `LPP_limt` (did you mean `LPP_limit`? caps of the policy: LPP_limit, country_allocation)",
      "cases[1].expect.outcome: unknown outcome `prohibitted` (did you mean `prohibited`? an outcome is one of authorized, license-required, prohibited, invalid)",
    ]);
  });

  it("finds the test files that reference a policy", () => {
    const candidates = [...files()].filter(([uri]) => uri.endsWith(".test.json")).map(([uri, text]) => ({ uri, text }));
    candidates.push({ uri: `${ROOT}sub/other.test.json`, text: JSON.stringify({ policy: "../policy.diffuse" }) });
    candidates.push({ uri: `${ROOT}elsewhere.test.json`, text: JSON.stringify({ policy: "other.diffuse" }) });
    candidates.push({ uri: `${ROOT}garbage.test.json`, text: "][" });
    expect(testsReferencing(`${ROOT}policy.diffuse`, candidates)).toEqual([`${ROOT}policy.test.json`, `${ROOT}sub/other.test.json`, `${ROOT}whatif.test.json`]);
  });
});

describe("evaluate example orders command", () => {
  it("evaluates the book in date order on a fresh ledger", async () => {
    const summary = await evaluateExamples(env(), `${ROOT}policy.diffuse`, `${ROOT}orders.json`);
    expect(summary.outcomes).toEqual({ authorized: 2, "license-required": 0, prohibited: 1, invalid: 0 });
    expect(summary.message).toBe("3 orders: 2 authorized, 1 prohibited");
  });

  it("accepts JSONL and says what is wrong with a bad book or policy", async () => {
    const map = files();
    const orders = JSON.parse(map.get(`${ROOT}orders.json`) ?? "[]") as unknown[];
    map.set(`${ROOT}orders.jsonl`, orders.map((o) => JSON.stringify(o)).join("\n"));
    map.set(`${ROOT}bad.json`, "[{");
    expect((await evaluateExamples(env(map), `${ROOT}policy.diffuse`, `${ROOT}orders.jsonl`)).total).toBe(3);
    expect((await evaluateExamples(env(map), `${ROOT}policy.diffuse`, `${ROOT}bad.json`)).error).toMatch(/not valid JSON/);
    expect((await evaluateExamples(env(map), `${ROOT}policy.diffuse`, `${ROOT}none%20%281%29.json`)).error).toBe(
      "cannot read the example orders `/ws/none (1).json`",
    );
    expect((await evaluateExamples(env(map), `${ROOT}nope.diffuse`, `${ROOT}orders.json`)).error).toMatch(/has errors/);
  });
});

describe("evaluate example orders: keys given twice", () => {
  it("decides an order that gives a key twice invalid, naming the field, in an array and in JSONL (as `diffuse eval` does)", async () => {
    const map = files();
    const array = (map.get(`${ROOT}orders.json`) ?? "").replace('"destination": "CN",', '"destination": "GB", "destination": "CN",');
    map.set(`${ROOT}twice.json`, array);
    const orders = JSON.parse(array) as unknown[];
    const lines = orders.map((o) => JSON.stringify(o));
    lines[2] = (lines[2] ?? "").replace('"destination":"CN"', '"destination":"GB","destination":"CN"');
    map.set(`${ROOT}twice.jsonl`, lines.join("\n"));
    for (const book of ["twice.json", "twice.jsonl"]) {
      const summary = await evaluateExamples(env(map), `${ROOT}policy.diffuse`, `${ROOT}${book}`);
      expect(summary.outcomes).toEqual({ authorized: 2, "license-required": 0, prohibited: 0, invalid: 1 });
      expect(summary.decisions.find((d) => d.order === "o-3")?.outcome).toBe("invalid");
    }
  });
});

describe("code lenses", () => {
  it("puts run-tests and evaluate lenses on the policy header", async () => {
    const a = await analyzeText(files().get(`${ROOT}policy.diffuse`) ?? "", `${ROOT}policy.diffuse`);
    const lenses = policyCodeLenses(a, [`${ROOT}policy.test.json`]);
    expect(lenses.map((l) => l.command?.title)).toEqual(["run 1 test file", "evaluate example orders"]);
    expect(lenses.every((l) => l.range.start.line === 0)).toBe(true);
    expect(policyCodeLenses(a, []).map((l) => l.command?.title)).toEqual(["evaluate example orders"]);
  });

  it("puts no lens on a library file, and a run lens on a test file", async () => {
    const a = await analyzeText(files().get(`${ROOT}catalog.diffuse`) ?? "", `${ROOT}catalog.diffuse`);
    expect(policyCodeLenses(a, [])).toEqual([]);
    expect(testFileCodeLenses(`${ROOT}x.test.json`)[0]?.command?.command).toBe("diffuse.runTests");
  });
});
