import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, tempDir } from "./helpers.js";

const POLICY = fixture("mini.diffuse");
const ORDER = fixture("order-my.json");

interface Step {
  readonly rule: string;
  readonly kind: string;
  readonly cite?: string;
  readonly children?: readonly Step[];
}
const allSteps = (steps: readonly Step[]): Step[] => steps.flatMap((s) => [s, ...allSteps(s.children ?? [])]);

describe("diffuse explain", () => {
  it("prints what docs/cli.md shows for the example order, but for the lines it leaves out (`...`)", async () => {
    const doc = readFileSync(join(ROOT, "docs", "cli.md"), "utf8");
    const shown = /## explain\n[\s\S]*?```\n[\s\S]*?```\n\n[\s\S]*?```\n(order o-9[\s\S]*?)```/.exec(doc)?.[1];
    expect(shown).toBeDefined();
    const r = await diffuse(["explain", "--policy", POLICY, "--order", ORDER]);
    expect(r.code).toBe(0);
    // Each run of lines between two `...` is in the output as written, in order.
    let from = 0;
    for (const part of (shown ?? "").split(/^ *\.\.\.\n/m)) {
      const at = r.stdout.indexOf(part, from);
      expect(at, part).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
  });

  it("cites an `authorize` rule by its exception's or status's own citation, as its reason does", async () => {
    const order = JSON.stringify({ id: "x", date: "2025-03-01", destination: "MY", consignee: { id: "c" }, items: [{ item: "H100", quantity: 1 }] });
    const r = await diffuse(["explain", "-p", "policies/ai-diffusion-2025.diffuse", "--order", "-", "--format", "json"], { stdin: order });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { decision: { reasons: { rule: string; cite?: string }[] }; trace: Step[] };
    const cites = Object.fromEntries(
      allSteps(out.trace)
        .filter((s) => s.kind === "authorize")
        .map((s) => [s.rule, s.cite]),
    );
    expect(cites).toMatchObject({ AIA: "15 CFR 740.27 (S4)", LPP: "15 CFR 740.29 (S5)" });
    expect(out.decision.reasons.find((x) => x.rule === "LPP")?.cite).toBe(cites["LPP"]);
  });

  it("reads an order file saved with a UTF-8 BOM, as eval reads a book", async () => {
    const withBom = join(tempDir(), "order.json");
    writeFileSync(withBom, `\uFEFF${readFileSync(ORDER, "utf8")}`);
    const r = await diffuse(["explain", "--policy", POLICY, "--order", withBom]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("order o-9 (2025-06-10, to MY, consignee uni-my)");
  });

  it("explains an order that gives a key twice as invalid, naming the field (exit 1)", async () => {
    const twice = join(tempDir(), "order.json");
    writeFileSync(twice, readFileSync(ORDER, "utf8").replace('"destination": "MY",', '"destination": "MY", "destination": "CN",'));
    const r = await diffuse(["explain", "--policy", POLICY, "--order", twice]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("decision: invalid");
    expect(r.stdout).toContain("destination: given more than once (a JSON reader keeps only one of the values)");
  });

  it("an order no version of a set decides names no version it was not decided by (no empty version and hash)", async () => {
    const order = JSON.stringify({ id: "early", date: "2023-11-16", destination: "CN", consignee: { id: "x" }, items: [{ item: "H100", quantity: 1 }] });
    const r = await diffuse(["explain", "-p", "policies/us-advanced-computing.diffuse", "--order", "-"], { stdin: order });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "order early (2023-11-16, to CN, consignee x)",
      "policy: no version is in force on this order's date",
      "decision: invalid",
    ]);
    expect(r.stdout).toContain("date: no version of the policy is in force on 2023-11-16");
    // The JSON decision names the set, not one of its versions.
    const json = await diffuse(["explain", "-p", "policies/us-advanced-computing.diffuse", "--order", "-", "--format", "json"], { stdin: order });
    expect((JSON.parse(json.stdout) as { decision: { policy: unknown } }).decision.policy).toEqual({
      name: "US advanced-computing controls",
      version: "",
      sha256: "",
    });
  });

  it("prints the trace with citations, sources and the counterfactual hints", async () => {
    const r = await diffuse(["explain", "--policy", POLICY, "--order", ORDER]);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out.split("\n")[0]).toBe("order o-9 (2025-06-10, to MY, consignee uni-my)");
    expect(out).toContain("decision: license-required (presumption-of-approval)");
    expect(out).toContain("trace:");
    expect(out).toMatch(/- cap small_limit: 110,824 TPP > 100,000 TPP/);
    expect(out).toMatch(/cite: TEST 3\s+test\/fixtures\/cli\/mini\.diffuse:\d+:\d+/);
    expect(out).toContain("what would change the decision:");
    expect(out).toMatch(/authorized under SMALL if items\[0\]\.quantity <= 6/);
    expect(out).toContain("charges (if granted):");
    expect(out).toContain("\n  + outcome: license required, review presumption of approval\n");
    expect(out).not.toContain("outcome outcome");
    // Each step names its kind and rule once.
    expect(out).toContain("\n  + line items[0]: 7 x H100 = 110,824 TPP, class chips\n");
    expect(out).toContain("\n  + decide chip_rules: items[0] (110,824 TPP)\n");
    expect(out).toContain("\n    - authorize SMALL\n");
    expect(out).toContain("\n    - authorize NLR: when destination in tier1\n");
    expect(out).toContain("\n    - license chip_rules: review presumption of denial when destination in tier3\n");
    expect(out).toMatch(
      /\n {6}\+ review chip_rules: presumption of approval when within country_cap: 110,824 TPP <= 1,000,000 TPP .*\n {10}cite: TEST 6 {2}test\/fixtures\/cli\/mini\.diffuse:44:5\n/,
    );
  });

  it("points a status check at the status's declaration", async () => {
    const order = JSON.stringify({
      id: "x",
      date: "2025-03-01",
      destination: "MY",
      consignee: { id: "c", statuses: ["NVEU"] },
      items: [{ item: "H100", quantity: 1 }],
    });
    const r = await diffuse(["explain", "-p", "policies/ai-diffusion-2025.diffuse", "--order", "-"], { stdin: order });
    expect(r.stdout).toMatch(/\n {6}- status UVEU: consignee does not hold UVEU\n {10}cite: .*policies\/ai-diffusion-2025\.diffuse:\d+:1\n/);
    expect(r.stdout).toMatch(/\n {6}\+ status NVEU: consignee holds NVEU\n {10}cite: .*policies\/ai-diffusion-2025\.diffuse:\d+:1\n/);
  });

  it("reads the order from stdin and writes JSON ({decision, trace})", async () => {
    const r = await diffuse(["explain", "-p", POLICY, "--order", "-", "--format", "json"], { stdin: readFileSync(ORDER, "utf8") });
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as {
      decision: { order: string; outcome: string; hints?: string[] };
      trace: { rule: string; kind: string; applied: boolean; detail: string }[];
    };
    expect(e.decision).toMatchObject({ order: "o-9", outcome: "license-required" });
    expect(e.trace.length).toBeGreaterThan(0);
    expect(e.trace.every((s) => typeof s.detail === "string" && typeof s.applied === "boolean")).toBe(true);
  });

  it("explains against a ledger's usage without charging it", async () => {
    const { tempDir } = await import("./helpers.js");
    const db = `${tempDir()}/ledger.db`;
    const setup = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/orders.jsonl"), "--ledger", db, "-q"]);
    expect(setup.code).toBe(0);
    const order = JSON.stringify({ id: "x-1", date: "2025-09-01", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 1 }] });
    const r = await diffuse(["explain", "-p", POLICY, "--order", "-", "--ledger", db], { stdin: order });
    expect(r.code).toBe(0);
    // c-my already used 94,992 of the small limit: one more H100 does not fit.
    expect(r.stdout).toMatch(/- cap small_limit: 110,824 TPP > 100,000 TPP/);
    const show = await diffuse(["ledger", "show", "--ledger", db, "--format", "json"]);
    expect((JSON.parse(show.stdout) as { decisions: number }).decisions).toBe(8);
  });

  it("refuses an empty --ledger file (exit 2) without writing a ledger into it", async () => {
    const db = join(tempDir(), "empty.db");
    writeFileSync(db, "");
    const r = await diffuse(["explain", "-p", POLICY, "--order", ORDER, "--ledger", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: ledger `.*empty\.db` is empty: it holds no Diffuse ledger\n/);
    expect(statSync(db).size).toBe(0);
  });

  it("says what to do with a JSON Lines book given as the order: one of its lines, or eval", async () => {
    const r = await diffuse(["explain", "-p", POLICY, "--order", fixture("books/orders.jsonl")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        "error: order `test/fixtures/cli/books/orders.jsonl`: invalid JSON at line 2, column 1: expected the end of the text, found `{`",
        "help: explain takes one order, and this is a book of them, one a line: give one line (`head -n 1 test/fixtures/cli/books/orders.jsonl | diffuse explain ... --order -`), or use `diffuse eval` for the book",
        "",
      ].join("\n"),
    );
    const book = readFileSync(fixture("books/orders.jsonl"), "utf8");
    const piped = await diffuse(["explain", "-p", POLICY, "--order", "-"], { stdin: book });
    expect(piped.stderr).toMatch(
      /\nhelp: explain takes one order, and this is a book of them, one a line: give one line of it, or use `diffuse eval` for the book\n$/,
    );
  });

  it("exits 1 for an invalid order, 2 for invalid JSON or a missing file", async () => {
    const bad = await diffuse(["explain", "-p", POLICY, "--order", "-"], { stdin: '{"id":"b","date":"2025-01-01","destination":"MY","items":[]}' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("decision: invalid");
    expect(bad.stdout).toMatch(/errors:\n\s+consignee: missing `consignee`\n\s+help: give at least/);
    const json = await diffuse(["explain", "-p", POLICY, "--order", "-"], { stdin: "{nope" });
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^error: order `<stdin>`: invalid JSON at line 1, column 2: /);
    const noLedger = await diffuse(["explain", "-p", POLICY, "--order", ORDER, "--ledger", "nope.db"]);
    expect(noLedger.code).toBe(2);
    expect(noLedger.stderr).toBe("error: ledger `nope.db` does not exist\n");
    const missing = await diffuse(["explain", "-p", POLICY, "--order", "nope.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: order `nope.json` does not exist\n");
    const badDate = await diffuse(["explain", "-p", POLICY, "--order", ORDER, "--as-of", "2025-04-31"]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/^error: `--as-of` must be a calendar date `YYYY-MM-DD`, not `2025-04-31`\n/);
    const single = await diffuse(["explain", "-p", POLICY, "--order", ORDER, "--as-of", "2020-01-01"]);
    expect(single.code).toBe(2);
    expect(single.stdout).toBe("");
    expect(single.stderr).toMatch(/^error: `--as-of` picks a version of a policy set, and `test\/fixtures\/cli\/mini\.diffuse` is a single policy\n/);
    const uncovered = await diffuse(["explain", "-p", "policies/us-advanced-computing.diffuse", "--order", ORDER, "--as-of", "2020-01-01"]);
    expect(uncovered.code).toBe(2);
    expect(uncovered.stdout).toBe("");
    expect(uncovered.stderr).toMatch(
      /^error: `--as-of 2020-01-01`: no version of `policies\/us-advanced-computing\.diffuse` is in force on that date\nhelp: versions cover /,
    );
  });
});
