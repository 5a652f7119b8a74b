import { describe, expect, it } from "vitest";
import { checkPolicyTestFile, compile, compileSet, parsePolicyTestFile, runPolicyTests } from "../src/index.js";
import { aiDiffusion, authorize, order } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

describe("runPolicyTests: cases share one ledger", () => {
  it("a case repeating an earlier case's order is a repeat; one reusing its id for another order is invalid", () => {
    const result = runPolicyTests(
      {
        policy: "policy.diffuse",
        cases: [
          { name: "first", order: order({ quantity: 1 }), expect: { outcome: "authorized" } },
          { name: "the same order", order: order({ quantity: "1" }), expect: { outcome: "authorized" } },
          { name: "another order under its id", order: order({ quantity: 2 }), expect: { outcome: "authorized" } },
        ],
      },
      ai,
    );
    expect(result.results.map((r) => [r.name, r.passed, r.decision.alreadyDecided ?? false])).toEqual([
      ["first", true, false],
      ["the same order", true, true],
      ["another order under its id", false, false],
    ]);
    expect(result.results[2]?.failures).toEqual([
      "outcome: expected authorized, got invalid (id: order id `o-1` was already decided on this ledger for an order with other content (authorized under LPP))",
    ]);
  });
});

describe("parsePolicyTestFile: options", () => {
  const file = (asOf: unknown): unknown => ({ policy: "policy.diffuse", options: { asOf }, cases: [] });

  it("takes `asOf` only as a calendar date: a version is picked by comparing dates, and other text would pick one silently", () => {
    expect(parsePolicyTestFile(file("2025-06-01")).ok).toBe(true);
    for (const asOf of ["garbage", "2025-02-30", "2025-6-1", 20250601]) {
      const parsed = parsePolicyTestFile(file(asOf));
      expect(parsed.ok, String(asOf)).toBe(false);
      if (!parsed.ok) expect(parsed.errors, String(asOf)).toEqual([{ path: "options.asOf", message: `expected a date (YYYY-MM-DD), got \`${String(asOf)}\`` }]);
    }
  });
});

describe("compareDecision: an order no version decides", () => {
  it("quotes the error without an empty field and says the decision has no version", () => {
    const set = compileSet([aiDiffusion({ version: "v1", effective: "2025-01-13" }).build()]);
    const result = runPolicyTests(
      {
        policy: "set.diffuse",
        options: { asOf: "2020-01-01" },
        cases: [{ name: "c", order: order({}), expect: { outcome: "authorized", policyVersion: "v1" } }],
      },
      set,
    );
    expect(result.results[0]?.failures).toEqual([
      "outcome: expected authorized, got invalid (no version of the policy is in force on 2020-01-01)",
      "policy version: expected v1, got none",
    ]);
  });
});

describe("parsePolicyTestFile: unknown fields", () => {
  it("names the field meant and the fields allowed there, at every level", () => {
    const parsed = parsePolicyTestFile({
      policy: "policy.diffuse",
      option: {},
      ledger: [{ cap: "LPP_limit", key: "k", date: "2025-01-05", amont: "1" }],
      cases: [
        { order: order({}), expect: { outcome: "authorized", hint: ["quantity"] } },
        { order: order({}), row: [] },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      {
        path: "option",
        message: "unknown field `option`",
        help: "did you mean `options`? allowed fields here: $schema, description, policy, files, ledger, options, cases",
      },
      { path: "ledger[0].amont", message: "unknown field `amont`", help: "did you mean `amount`? allowed fields here: cap, key, date, amount, window" },
      {
        path: "ledger[0].amount",
        message: "expected a non-negative amount as a decimal string or a safe integer, got nothing",
        help: 'write the amount in digits, without separators or a unit, as the decisions do: e.g. "26898568" or "15831.2"',
      },
      {
        path: "cases[0].expect.hint",
        message: "unknown field `hint`",
        help: "did you mean `hints`? allowed fields here: outcome, basis, review, reasons, charges, noCharges, hints, errors, policyVersion",
      },
      { path: "cases[1].row", message: "unknown field `row`", help: "did you mean `rows`? allowed fields here: name, order, ledger, expect, rows" },
      { path: "cases[1].expect", message: "a case needs `expect` (or a table of `rows`)" },
    ]);
  });
});

describe("expected charges", () => {
  const withCharges = (charges: unknown): unknown => ({
    policy: "policy.diffuse",
    cases: [{ order: order({ quantity: 1 }), expect: { outcome: "authorized", charges } }],
  });

  it("are checked like the rest of the file: a misspelt field or a value of the wrong type is an error with its path, not a case that can never pass", () => {
    const parsed = parsePolicyTestFile(withCharges([{ cpa: "LPP_limit" }, { cap: 5, amount: "a lot" }, "LPP_limit"]));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        {
          path: "cases[0].expect.charges[0].cpa",
          message: "unknown field `cpa`",
          help: "did you mean `cap`? allowed fields here: cap, key, window, amount, before, after, limit",
        },
        { path: "cases[0].expect.charges[1].cap", message: "expected `cap` as a string" },
        {
          path: "cases[0].expect.charges[1].amount",
          message: 'expected a non-negative amount as a decimal string or a safe integer, got `"a lot"`',
          help: 'write the amount in digits, without separators or a unit, as the decisions do: e.g. "26898568" or "15831.2"',
        },
        { path: "cases[0].expect.charges[2]", message: "expected a partial charge `{cap, key, window, amount, before, after, limit}`" },
      ]);
    }
  });

  it("say what was given and how to write it: an amount as explain prints it, a number past 2^53 or a fraction as a JSON number", () => {
    const parsed = parsePolicyTestFile(withCharges([{ amount: "158,320" }, { amount: "15,832 TPP" }, { amount: 2 ** 60 }, { amount: 0.5 }, { amount: -1 }]));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const digits = 'write the amount in digits, without separators or a unit, as the decisions do: e.g. "26898568" or "15831.2"';
    const string = "a JSON number is exact only as a whole number up to 2^53 - 1: give the amount as a decimal string";
    expect(parsed.errors.map((e) => [e.message.slice(e.message.indexOf("got ")), e.help])).toEqual([
      ['got `"158,320"`', digits],
      ['got `"15,832 TPP"`', digits],
      ["got `1152921504606847000`", string],
      ["got `0.5`", string],
      ["got `-1`", digits],
    ]);
  });

  it("match amounts by value, given as a number or a decimal string, as a starting ledger's are", () => {
    const parsed = parsePolicyTestFile(withCharges([{ cap: "LPP_limit", amount: 15832, before: "0", after: "15832.00", limit: "026900000" }]));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const result = runPolicyTests(parsed.value, ai);
    expect(result.results[0]?.failures).toEqual([]);
    const wrong = parsePolicyTestFile(withCharges([{ cap: "LPP_limit", amount: 15833 }]));
    if (wrong.ok) expect(runPolicyTests(wrong.value, ai).results[0]?.passed).toBe(false);
  });
});

describe("parsePolicyTestFile: expected outcome and review", () => {
  const file = (expectation: unknown): unknown => ({
    policy: "policy.diffuse",
    cases: [
      { order: order({}), expect: expectation },
      { order: order({}), rows: [{ with: {}, expect: expectation }] },
    ],
  });

  it("take only the values a decision can have: a misspelt one is an error with its path and the value meant, not a case that can never pass", () => {
    const parsed = parsePolicyTestFile(file({ outcome: "authorised", review: "case-by-cse" }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const outcome = {
      message: "unknown outcome `authorised`",
      help: "did you mean `authorized`? an outcome is one of authorized, license-required, prohibited, invalid",
    };
    const review = {
      message: "unknown review `case-by-cse`",
      help: "did you mean `case-by-case`? a review is one of presumption-of-approval, case-by-case, presumption-of-denial (or null: none)",
    };
    expect(parsed.errors).toEqual([
      { path: "cases[0].expect.outcome", ...outcome },
      { path: "cases[0].expect.review", ...review },
      { path: "cases[1].rows[0].expect.outcome", ...outcome },
      { path: "cases[1].rows[0].expect.review", ...review },
    ]);
    const far = parsePolicyTestFile(file({ outcome: "ok" }));
    if (!far.ok)
      expect(far.errors[0]).toEqual({
        path: "cases[0].expect.outcome",
        message: "unknown outcome `ok`",
        help: "an outcome is one of authorized, license-required, prohibited, invalid",
      });
    for (const good of [
      { outcome: "license-required", review: "presumption-of-denial" },
      { outcome: "authorized", review: null },
      { outcome: "invalid" },
      { review: "case-by-case" },
    ]) {
      expect(parsePolicyTestFile(file(good)).ok, JSON.stringify(good)).toBe(true);
    }
  });
});

describe("checkPolicyTestFile: the caps a file names", () => {
  it("reports a starting-ledger charge or an expected charge naming a cap the policy does not have, with its path and the caps it has", () => {
    const charge = (cap: string): unknown => ({ cap, key: "uni-my", date: "2025-01-05", amount: "100" });
    const parsed = parsePolicyTestFile({
      policy: "policy.diffuse",
      ledger: [charge("LPP_limit"), charge("LPP_limt")],
      cases: [
        { order: order({}), ledger: [charge("allocation")], expect: { outcome: "authorized", charges: [{ cap: "LPP_limit" }, { cap: "country_alocation" }] } },
        { order: order({}), rows: [{ with: {}, expect: { charges: [{ cap: "uveu_share" }] } }] },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const caps = "caps of the policy: LPP_limit, country_allocation, nveu_installed_base, uveu_country_share";
    expect(checkPolicyTestFile(parsed.value, ai)).toEqual([
      { path: "ledger[1].cap", message: "the policy has no cap `LPP_limt`", help: `did you mean \`LPP_limit\`? ${caps}` },
      { path: "cases[0].ledger[0].cap", message: "the policy has no cap `allocation`", help: caps },
      { path: "cases[0].expect.charges[1].cap", message: "the policy has no cap `country_alocation`", help: `did you mean \`country_allocation\`? ${caps}` },
      { path: "cases[1].rows[0].expect.charges[0].cap", message: "the policy has no cap `uveu_share`", help: caps },
    ]);
  });

  it("takes the caps of every version of a policy set", () => {
    const set = compileSet([aiDiffusion({ version: "v1", effective: "2025-01-13" }).build()]);
    const parsed = parsePolicyTestFile({ policy: "set.diffuse", ledger: [{ cap: "LPP_limit", key: "k", date: "2025-02-01", amount: 1 }], cases: [] });
    if (parsed.ok) expect(checkPolicyTestFile(parsed.value, set)).toEqual([]);
    expect(set.caps).toEqual(["LPP_limit", "country_allocation", "nveu_installed_base", "uveu_country_share"]);
  });
});

describe("checkPolicyTestFile: the bases, rules and versions a file expects", () => {
  const withExpect = (expect: Record<string, unknown>): unknown => ({
    policy: "policy.diffuse",
    cases: [
      { order: order({}), expect },
      { order: order({}), rows: [{ with: {}, expect }] },
    ],
  });
  const checked = (json: unknown, evaluator = ai): unknown => {
    const parsed = parsePolicyTestFile(json);
    expect(parsed.ok).toBe(true);
    return parsed.ok ? checkPolicyTestFile(parsed.value, evaluator) : undefined;
  };
  const bases = "bases of the policy: ACA, AIA, LPP, NLR, NVEU, UVEU";
  const rules =
    "rules a reason may name (decide blocks, authorizations, caps, NLR): ACA, AIA, LPP, LPP_limit, NLR, NVEU, UVEU, chips, consumer, country_allocation, nveu_installed_base, uveu_country_share, weights";

  it("lists what a decision of the policy may name: the bases of its `authorize` rules and NLR; those, its decide blocks and its caps as reasons' rules", () => {
    expect(ai.bases).toEqual(["ACA", "AIA", "LPP", "NLR", "NVEU", "UVEU"]);
    expect(ai.rules).toEqual(rules.slice(rules.indexOf(": ") + 2).split(", "));
  });

  it("reports a basis no decision can have (each part of a joined basis), with its path and the bases there are", () => {
    expect(checked(withExpect({ basis: "LLP" }))).toEqual([
      { path: "cases[0].expect.basis", message: "the policy has no basis `LLP`", help: `did you mean \`LPP\`? ${bases}` },
      { path: "cases[1].rows[0].expect.basis", message: "the policy has no basis `LLP`", help: `did you mean \`LPP\`? ${bases}` },
    ]);
    expect(checked(withExpect({ basis: "AIA + LLP" }))).toHaveLength(2);
    for (const good of ["LPP", "NLR", "AIA + LPP", null]) expect(checked(withExpect({ basis: good })), String(good)).toEqual([]);
  });

  it("reports a reason's rule the policy does not have, with its path and the names there are", () => {
    expect(checked(withExpect({ reasons: ["chips", "LPP_limt"] }))).toEqual([
      { path: "cases[0].expect.reasons[1]", message: "the policy has no rule `LPP_limt`", help: `did you mean \`LPP_limit\`? ${rules}` },
      { path: "cases[1].rows[0].expect.reasons[1]", message: "the policy has no rule `LPP_limt`", help: `did you mean \`LPP_limit\`? ${rules}` },
    ]);
    expect(checked(withExpect({ reasons: ["chips", "LPP", "LPP_limit", "NLR", "weights"] }))).toEqual([]);
  });

  it("reports a policy version the policy does not have", () => {
    expect(checked(withExpect({ policyVersion: "2025-1" }))).toEqual([
      { path: "cases[0].expect.policyVersion", message: "the policy has no version `2025-1`", help: "did you mean `2025-01`? versions of the policy: 2025-01" },
      {
        path: "cases[1].rows[0].expect.policyVersion",
        message: "the policy has no version `2025-1`",
        help: "did you mean `2025-01`? versions of the policy: 2025-01",
      },
    ]);
  });

  it("takes the names of every version of a policy set", () => {
    const v2 = aiDiffusion({ version: "v2", effective: "2026-01-01" });
    v2.auth("exception", "RESEARCH", {}).decide("research", ["closed_weights"], [authorize("RESEARCH")]);
    const set = compileSet([aiDiffusion({ version: "v1", effective: "2025-01-13", until: "2026-01-01" }).build(), v2.build()]);
    expect(set.bases).toContain("RESEARCH");
    expect(set.rules).toEqual(expect.arrayContaining(["RESEARCH", "research", "chips"]));
    expect(checked(withExpect({ basis: "RESEARCH", reasons: ["research", "chips"], policyVersion: "v1" }), set)).toEqual([]);
  });
});

describe("parsePolicyTestFile: starting ledger", () => {
  it("takes a charge's date only as a calendar date: one that does not exist would count toward no window, silently", () => {
    const file = (date: string): unknown => ({ policy: "policy.diffuse", ledger: [{ cap: "LPP_limit", key: "k", date, amount: "1" }], cases: [] });
    expect(parsePolicyTestFile(file("2024-02-29")).ok).toBe(true);
    for (const date of ["2025-13-01", "2025-02-30", "2025-00-10", "2025-1-01"]) {
      const parsed = parsePolicyTestFile(file(date));
      expect(parsed.ok, date).toBe(false);
      if (!parsed.ok) expect(parsed.errors, date).toEqual([{ path: "ledger[0].date", message: `\`${date}\` is not a date (YYYY-MM-DD)` }]);
    }
  });
});
