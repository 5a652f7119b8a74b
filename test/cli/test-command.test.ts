import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, tempDir } from "./helpers.js";

describe("diffuse test", () => {
  it("runs a passing test file: a line per case and `N passed, N failed`, exit 0", async () => {
    const r = await diffuse(["test", fixture("tests/mini.test.json")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  PASS six H100 fit the small limit\n");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("4 passed, 0 failed");
  });

  it("searches a folder, reports failures with what differed, exits 1 and writes JUnit XML", async () => {
    const junit = join(tempDir(), "reports", "junit.xml");
    const r = await diffuse(["test", fixture("tests"), "--junit", junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("  FAIL wrongly expects tier 3 to be authorized\n");
    expect(r.stdout).toContain("outcome: expected authorized, got license-required");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("5 passed, 1 failed");
    expect(existsSync(junit)).toBe(true);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="diffuse" tests="6" failures="1" errors="0">/);
    expect(xml).toContain('<testcase name="tier 1 passes"');
    expect(xml).toMatch(/<failure message="outcome: expected authorized, got license-required">/);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(6);
  });

  it("--quiet prints only failures and the closing line", async () => {
    const r = await diffuse(["test", fixture("tests"), "--quiet"]);
    expect(r.stdout).not.toContain("PASS");
    expect(r.stdout).toContain("FAIL");
  });

  it("reports a broken test file as an error (exit 1) and a missing path with exit 2", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "broken.test.json"), '{"policy": 5, "cases": []}');
    const junit = join(tempDir(), "junit.xml");
    const r = await diffuse(["test", dir, "--junit", junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR .*broken\.test\.json: invalid test file/);
    expect(r.stdout).toMatch(/0 passed, 0 failed, 1 test file with errors/);
    // In the JUnit report: a testcase in error, with the reasons the terminal showed.
    expect(readFileSync(junit, "utf8")).toMatch(
      /<testsuite name="[^"]*broken\.test\.json" [^>]*tests="1" failures="0" errors="1">\n {4}<testcase [^>]*>\n {6}<error message="invalid test file"> {2}policy: expected the policy file&apos;s path/,
    );
    writeFileSync(join(dir, "broken.test.json"), '{\n  "policy": "x.diffuse",\n  "cases": [,]\n}');
    const json = await diffuse(["test", dir]);
    expect(json.code).toBe(1);
    expect(json.stdout).toMatch(/ERROR .*broken\.test\.json: invalid JSON at line 3, column 13: /);
    // A key given twice: JSON keeps the last, so the file would not test what it says.
    const mini = readFileSync(fixture("tests/mini.test.json"), "utf8").replace('"../mini.diffuse"', JSON.stringify(fixture("mini.diffuse")));
    writeFileSync(join(dir, "broken.test.json"), mini.replace('"quantity": 6 }', '"quantity": 6, "quantity": 7 }'));
    const twice = await diffuse(["test", dir]);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toMatch(
      /ERROR .*broken\.test\.json: invalid test file\n {2}cases\[1\]\.order\.items\[0\]\.quantity \(line 12\): given more than once; give it once\n/,
    );
    writeFileSync(join(dir, "broken.test.json"), '{"policy": "nope.diffuse", "cases": []}');
    const noPolicy = await diffuse(["test", "broken.test.json"], { cwd: dir });
    expect(noPolicy.code).toBe(1);
    expect(noPolicy.stdout).toContain("ERROR broken.test.json: policy `nope.diffuse` does not exist\n");
    const junitDir = await diffuse(["test", fixture("tests/mini.test.json"), "--junit", dir]);
    expect(junitDir.code).toBe(2);
    expect(junitDir.stderr).toBe(
      `error: JUnit report \`${dir}\` is a directory\nhelp: give \`--junit\` the path of a file, e.g. \`reports/policy-tests.xml\`\n`,
    );
    const missing = await diffuse(["test", "nowhere"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: `nowhere` does not exist\n");
  });

  it("reports an `options.asOf` that picks no version as an invalid test file: a single policy, or a date no version of the set covers", async () => {
    const dir = tempDir();
    const order = { id: "a-1", date: "2025-06-10", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 1 }] };
    const write = (policy: string, asOf: string): void =>
      writeFileSync(join(dir, "asof.test.json"), JSON.stringify({ policy, options: { asOf }, cases: [{ order, expect: { outcome: "authorized" } }] }));
    write(join(ROOT, fixture("mini.diffuse")), "2025-01-01");
    const single = await diffuse(["test", "asof.test.json"], { cwd: dir });
    expect(single.code).toBe(1);
    expect(single.stdout).toContain(
      `ERROR asof.test.json: invalid test file\n  options.asOf: \`options.asOf\` picks a version of a policy set, and \`${join(ROOT, fixture("mini.diffuse"))}\` is a single policy\n  help: drop \`options.asOf\` (a policy file decides every order under its own rules), or give a policy set (\`policyset\`)\n`,
    );
    write(join(ROOT, "policies/us-advanced-computing.diffuse"), "2000-01-01");
    const none = await diffuse(["test", "asof.test.json"], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(
      /ERROR asof\.test\.json: invalid test file\n {2}options\.asOf: `"asOf": "2000-01-01"`: no version of `[^`]*us-advanced-computing\.diffuse` is in force on that date\n {2}help: versions cover 2023-10 from 2023-11-17/,
    );
    expect(none.stdout.trimEnd().split("\n").at(-1)).toBe("0 passed, 0 failed, 1 test file with errors");
  });

  it("reports a starting charge to a cap the policy does not have, and a misspelt outcome or review, as an invalid test file with the path and what was meant", async () => {
    const dir = tempDir();
    const order = { id: "u-1", date: "2025-02-01", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 6 }] };
    const write = (file: Record<string, unknown>): void =>
      writeFileSync(join(dir, "typo.test.json"), JSON.stringify({ policy: join(ROOT, fixture("mini.diffuse")), ...file }, null, 2));
    // Without its starting usage the order would fit the small limit, and the case "pass" for the wrong reason.
    write({ ledger: [{ cap: "smal_limit", key: "c-my", date: "2025-01-05", amount: "99000" }], cases: [{ order, expect: { outcome: "license-required" } }] });
    const cap = await diffuse(["test", "typo.test.json"], { cwd: dir });
    expect(cap.code).toBe(1);
    expect(cap.stdout).toBe(
      "ERROR typo.test.json: invalid test file\n  ledger[0].cap: the policy has no cap `smal_limit`\n  help: did you mean `small_limit`? caps of the policy: country_cap, small_limit\n0 passed, 0 failed, 1 test file with errors\n",
    );
    write({ cases: [{ order, expect: { outcome: "authorised", review: "case-by-cse" } }] });
    const values = await diffuse(["test", "typo.test.json"], { cwd: dir });
    expect(values.code).toBe(1);
    expect(values.stdout).toBe(
      [
        "ERROR typo.test.json: invalid test file",
        "  cases[0].expect.outcome: unknown outcome `authorised`",
        "  help: did you mean `authorized`? an outcome is one of authorized, license-required, prohibited, invalid",
        "  cases[0].expect.review: unknown review `case-by-cse`",
        "  help: did you mean `case-by-case`? a review is one of presumption-of-approval, case-by-case, presumption-of-denial (or null: none)",
        "0 passed, 0 failed, 1 test file with errors",
        "",
      ].join("\n"),
    );
  });

  it("says that `policy` is relative to the test file when the policy is not there, and names the path meant when it is one from the working directory", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "policies", "tests"), { recursive: true });
    copyFileSync(join(ROOT, fixture("mini.diffuse")), join(dir, "policies", "mini.diffuse"));
    mkdirSync(join(dir, "policies", "lib"));
    copyFileSync(join(ROOT, fixture("lib", "catalog.diffuse")), join(dir, "policies", "lib", "catalog.diffuse"));
    writeFileSync(join(dir, "policies", "tests", "a.test.json"), JSON.stringify({ policy: "policies/mini.diffuse", cases: [] }));
    const meant = await diffuse(["test", "policies/tests"], { cwd: dir });
    expect(meant.code).toBe(1);
    expect(meant.stdout).toBe(
      [
        "ERROR policies/tests/a.test.json: policy `policies/tests/policies/mini.diffuse` does not exist",
        "  help: `policy` is a path relative to the test file's folder, `policies/tests`: did you mean `../mini.diffuse`?",
        "0 passed, 0 failed, 1 test file with errors",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "policies", "tests", "a.test.json"), JSON.stringify({ policy: "mini.diffuse", cases: [] }));
    const nowhere = await diffuse(["test", "policies/tests"], { cwd: dir });
    expect(nowhere.stdout).toContain("  help: `policy` is a path relative to the test file's folder, `policies/tests`\n");
  });

  it("reports a `files` replacement for a file the policy does not read: the what-if would silently not happen", async () => {
    const dir = tempDir();
    const order = { id: "f-1", date: "2025-02-01", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 1 }] };
    const write = (files: Record<string, string>): void =>
      writeFileSync(
        join(dir, "files.test.json"),
        JSON.stringify({ policy: join(ROOT, fixture("mini.diffuse")), files, cases: [{ order, expect: { outcome: "authorized", basis: "SMALL" } }] }),
      );
    write({ "lib/catalg.diffuse": "item H100 { tpp 1 TPP }\n" });
    const r = await diffuse(["test", "files.test.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "ERROR files.test.json: invalid test file",
        '  files["lib/catalg.diffuse"]: the policy reads no file `lib/catalg.diffuse`, so replacing it changes nothing',
        "  help: did you mean `lib/catalog.diffuse`? the files the policy reads, relative to its folder: mini.diffuse, lib/catalog.diffuse",
        "0 passed, 0 failed, 1 test file with errors",
        "",
      ].join("\n"),
    );
    // Spelt another way, the same file is read: `./` and `..` are folded.
    write({ "./lib/../lib/catalog.diffuse": "item H100 { tpp 15_832 TPP density 19.45 }\n" });
    expect((await diffuse(["test", "files.test.json"], { cwd: dir })).stdout).toBe("files.test.json\n  PASS f-1\n1 passed, 0 failed\n");
  });

  it("reports a misspelt basis or reason rule as an invalid test file with the path and what was meant, not as a failed case", async () => {
    const dir = tempDir();
    const order = { id: "b-1", date: "2025-02-01", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 6 }] };
    const file = { policy: join(ROOT, fixture("mini.diffuse")), cases: [{ order, expect: { outcome: "authorized", basis: "SMAL", reasons: ["chip_rule"] } }] };
    writeFileSync(join(dir, "names.test.json"), JSON.stringify(file, null, 2));
    const r = await diffuse(["test", "names.test.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        "ERROR names.test.json: invalid test file",
        "  cases[0].expect.basis: the policy has no basis `SMAL`",
        "  help: did you mean `SMALL`? bases of the policy: NLR, SMALL",
        "  cases[0].expect.reasons[0]: the policy has no rule `chip_rule`",
        "  help: did you mean `chip_rules`? rules a reason may name (decide blocks, authorizations, caps, NLR): NLR, SMALL, chip_rules, country_cap, small_limit",
        "0 passed, 0 failed, 1 test file with errors",
        "",
      ].join("\n"),
    );
  });

  it("gives the advice of a policy that cannot be run, as eval does: a library without a `policy` header", async () => {
    const dir = tempDir();
    const order = { id: "h-1", date: "2025-06-10", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 1 }] };
    writeFileSync(
      join(dir, "lib.test.json"),
      JSON.stringify({ policy: join(ROOT, fixture("lib/catalog.diffuse")), cases: [{ order, expect: { outcome: "authorized" } }] }),
    );
    const r = await diffuse(["test", "lib.test.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("has no `policy` header\n  help: evaluate a policy file or a policy set, not a library it imports\n");
  });
});
