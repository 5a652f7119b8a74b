/** Valid examples for every construct (from docs/language.md): no diagnostics, and the lowered model is right. */
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/check/load.js";
import { referencesTo, symbolAt } from "../../src/check/symbols.js";
import type { CapModel, Cond, PolicyModel } from "../../src/model.js";
import { rational } from "../../src/rational.js";
import { fixtureFolders, membersOn, readFixture } from "./fixtures-util.js";

function checkFolder(folder: string) {
  return checkFiles(readFixture("valid", folder), `file:///${folder}/input.diffuse`);
}

function model(folder: string): PolicyModel {
  const result = checkFolder(folder);
  expect(result.diagnostics).toEqual([]);
  return result.model;
}

function cap(m: PolicyModel, name: string): CapModel {
  const c = m.caps.get(name);
  if (!c) throw new Error(`no cap ${name}`);
  return c;
}

describe("valid fixtures", () => {
  it.each(fixtureFolders("valid"))("%s checks without diagnostics", (folder) => {
    expect(checkFolder(folder).diagnostics).toEqual([]);
  });
});

describe("lowering", () => {
  it("lowers the header", () => {
    const m = model("header");
    expect(m.header).toMatchObject({
      title: "Framework for Artificial Intelligence Diffusion",
      version: "2025-01",
      effective: "2025-01-13",
      until: "2025-05-13",
      compliance: "2025-05-15",
      supersedes: "2023-10",
      cite: "90 FR 4544",
    });
    expect(m.sources).toHaveLength(1);
  });

  it("evaluates set algebra over dated memberships", () => {
    const m = model("groups");
    const g = (name: string) => m.groups.get(name)?.members ?? [];
    expect(membersOn(g("tier1"), "2025-01-13")).toHaveLength(19);
    // 23 undated D:5 members, Cambodia until 2026-02-03, plus Macau.
    expect(membersOn(g("tier3"), "2025-01-13")).toHaveLength(25);
    expect(membersOn(g("tier2"), "2025-01-13")).toHaveLength(250 - 19 - 25);
    expect(membersOn(g("tier2"), "2026-03-01")).toHaveLength(250 - 19 - 24);
    expect(membersOn(g("tier2"), "2024-01-01")).toHaveLength(250 - 19 - 26);
    expect(g("d5")).toContainEqual({ country: "KH", until: "2026-02-03" });
    expect(membersOn(g("d5"), "2026-02-02")).toContain("KH");
    expect(membersOn(g("d5"), "2026-02-03")).not.toContain("KH");
    expect(g("tier2")).toContainEqual({ country: "KH", from: "2026-02-03" });
    expect(g("tier2")).toContainEqual({ country: "CY", from: "2024-05-10" });
    expect(g("tier2")).toContainEqual({ country: "XK" });
    expect(g("g2g")).toEqual([{ country: "AE" }, { country: "SA", from: "2025-03-01" }]);
    expect(membersOn(g("mixed"), "2025-01-13")).toHaveLength(19);
    expect(membersOn(g("mixed"), "2025-01-13")).toContain("XK");
    expect(m.groups.get("tier1")).toMatchObject({ title: "Tier 1", cite: "15 CFR 740 Supp. 5(a)" });
    expect(m.disjoint).toEqual([{ groups: ["tier1", "tier2", "tier3"], source: expect.anything() }]);
    const sorted = g("tier2").map((x) => x.country);
    expect([...sorted].sort()).toEqual(sorted);
  });

  it("lowers items, models and classes exactly", () => {
    const m = model("items-classes");
    expect(m.items.get("H100")).toMatchObject({
      tppPerUnit: rational(15_832n),
      performanceDensity: rational(1945n, 100n),
      eccn: "3A090.a",
      dataCenter: true,
      cite: "S15 chipData.js",
    });
    expect(m.items.get("RTX4090")?.dataCenter).toBe(false);
    expect(m.models.get("frontier_llm")).toMatchObject({ trainingOps: rational(3n * 10n ** 26n), openWeights: false });
    expect(m.models.get("open_llm")?.openWeights).toBe(true);
    expect(m.classes.map((c) => c.name)).toEqual(["advanced_ic", "closed_weights"]);
    const adv = m.classes[0];
    expect(adv?.when).toHaveLength(2);
    const second = adv?.when[1]?.cond as Extract<Cond, { kind: "or" }>;
    expect(second.kind).toBe("or");
    expect(second.operands[0]).toMatchObject({ kind: "compare", measure: "tpp", op: ">=", value: { unit: "TPP", value: rational(4800n) } });
    expect(second.operands[1]).toMatchObject({
      kind: "and",
      operands: [{ kind: "compare" }, { kind: "compare", measure: "density", value: { unit: "count", value: rational(592n, 100n) } }],
    });
    expect(m.classes[1]?.when[0]?.cond).toMatchObject({
      kind: "and",
      operands: [
        { kind: "flag", flag: "model" },
        { kind: "not", operand: { kind: "flag", flag: "open" } },
        { kind: "compare", measure: "operations" },
      ],
    });
  });

  it("lowers caps: limits, keys, windows, schedules, modifiers, percent", () => {
    const m = model("caps");
    expect(cap(m, "LPP_limit")).toMatchObject({
      measure: "TPP",
      limit: { kind: "absolute", value: { unit: "TPP", value: rational(26_900_000n) } },
      key: ["consignee"],
      window: { kind: "calendar-year" },
      cite: "15 CFR 740.29(a)",
    });
    const ca = cap(m, "country_allocation");
    expect(ca.window).toEqual({ kind: "fixed", from: "2025-01-01", to: "2027-12-31" });
    expect(ca.modifiers).toHaveLength(1);
    expect(ca.modifiers[0]?.factor).toEqual(rational(2n));
    expect(ca.modifiers[0]?.when).toMatchObject({ kind: "in", subject: "destination", set: { group: "g2g", display: "g2g", members: [{ country: "AE" }] } });
    expect(ca.when[0]?.cond).toMatchObject({ kind: "in", set: { group: "tier2" } });
    const nveu = cap(m, "nveu_installed_base");
    expect(nveu.key).toEqual(["consignee", "destination"]);
    expect(nveu.limit).toEqual({ kind: "schedule" });
    expect(nveu.window.kind).toBe("schedule");
    if (nveu.window.kind === "schedule") {
      expect(nveu.window.steps.map((s) => [s.through, s.limit.value.num])).toEqual([
        ["2025-12-31", 100_000n * 15_832n],
        ["2026-12-31", 270_000n * 15_832n],
        ["2027-12-31", 320_000n * 15_832n],
      ]);
    }
    expect(cap(m, "uveu_country_share").limit).toEqual({ kind: "percent-of-capacity", percent: rational(7n, 100n) });
    expect(cap(m, "uveu_country_share").window).toEqual({ kind: "all-time" });
    expect(cap(m, "rolling_units")).toMatchObject({ measure: "units", key: ["exporter"], window: { kind: "rolling", length: 365, unit: "days" } });
    // 1_699 x H100 = 1699 * 15832 TPP, exactly.
    expect(cap(m, "hq_cap").limit).toEqual({ kind: "absolute", value: { unit: "TPP", value: rational(26_898_568n) } });
    expect(cap(m, "hq_cap").window).toEqual({ kind: "rolling", length: 6, unit: "months" });
    expect(cap(m, "global_cap").limit).toEqual({ kind: "absolute", value: { unit: "TPP", value: rational(2_500_000_000n) } });
  });

  it("lowers exceptions and statuses", () => {
    const m = model("authorizations");
    expect(m.authorizations.get("LPP")).toMatchObject({
      kind: "exception",
      within: ["LPP_limit"],
      countsToward: [],
      countsTowardNothing: true,
      requires: [{ text: "notify BIS (AES code C75)", cite: "UNCONFIRMED: S38" }],
      cite: "15 CFR 740.29",
    });
    expect(m.authorizations.get("LPP")?.when[1]).toMatchObject({
      cite: "UNCONFIRMED: D:5/Macau HQ exclusion",
      cond: { kind: "not", operand: { kind: "in", subject: "headquarters" } },
    });
    expect(m.authorizations.get("NVEU")).toMatchObject({
      kind: "status",
      within: ["nveu_installed_base"],
      countsToward: ["country_allocation"],
      countsTowardNothing: false,
    });
  });

  it("lowers decide blocks in order with reviews", () => {
    const m = model("decide");
    expect(m.decisions.map((d) => d.name)).toEqual(["chips", "other"]);
    const chips = m.decisions[0];
    expect(chips?.classes).toEqual(["advanced_ic"]);
    expect(chips?.rules.map((r) => (r.kind === "authorize" ? `authorize ${r.basis}` : r.kind))).toEqual([
      "license",
      "authorize AIA",
      "authorize UVEU",
      "authorize NVEU",
      "authorize LPP",
      "license",
      "license",
    ]);
    expect(chips?.notes).toEqual(["first matching rule decides"]);
    expect(chips?.cite).toBe("15 CFR 742.6(a)(6)(iii)(A)");
    const charged = chips?.rules[5];
    expect(charged).toMatchObject({
      kind: "license",
      charging: ["country_allocation"],
      reviews: [{ review: "presumption-of-approval", when: { kind: "within", cap: "country_allocation" } }, { review: "presumption-of-denial" }],
    });
    if (charged?.kind === "license") expect(charged.reviews[1]?.when).toBeUndefined();
    expect(chips?.rules[0]).toMatchObject({ kind: "license", reviews: [{ review: "presumption-of-denial" }], when: { kind: "or" } });
    expect(m.decisions[1]?.rules).toMatchObject([
      { kind: "prohibit" },
      { kind: "authorize", basis: "NLR", when: { kind: "date", op: "<", value: "2025-05-15" } },
    ]);
  });

  it("lowers every condition form", () => {
    const m = model("conditions");
    const e = m.authorizations.get("E");
    const conds = e?.when.map((w) => w.cond) ?? [];
    expect(conds[0]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "in", set: { display: "tier1 + { MY }", members: [{ country: "GB" }, { country: "MY" }, { country: "US" }] } },
        { kind: "not", operand: { kind: "in", subject: "headquarters", set: { members: [{ country: "CN" }] } } },
      ],
    });
    expect(conds[1]).toMatchObject({
      kind: "or",
      operands: [
        { kind: "has", status: "NVEU" },
        { kind: "not", operand: { kind: "has" } },
      ],
    });
    expect(conds[2]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "is", itemClass: "advanced_ic" },
        { kind: "not", operand: { kind: "is", itemClass: "ai_weights" } },
      ],
    });
    expect(conds[3]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "compare", measure: "amount", op: ">=", value: { unit: "TPP", value: rational(1700n * 15832n) } },
        { kind: "compare", op: "<" },
      ],
    });
    expect(conds[4]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "compare", measure: "quantity", value: { unit: "units", value: rational(6n) } },
        { kind: "compare", op: "!=" },
      ],
    });
    expect(conds[5]).toMatchObject({ kind: "compare", measure: "capacity", op: "<=", value: { unit: "TPP", value: rational(10n ** 12n) } });
    expect(conds[6]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "date", op: ">=", value: "2025-05-15" },
        { kind: "date", op: "=" },
      ],
    });
    expect(conds[7]).toMatchObject({
      kind: "and",
      operands: [
        { kind: "const", value: true },
        { kind: "not", operand: { kind: "const", value: false } },
      ],
    });
    expect(e?.countsToward).toEqual(["c"]);
    expect(m.decisions[0]?.classes).toEqual(["advanced_ic", "ai_weights"]);
  });

  it("shows an inline set as written, on one line, without its comments", () => {
    const text =
      "cap k {\n  limit 10 units per destination window calendar year\n  times 2 when destination in { CN // China\n    HK /* Hong Kong */ MO }\n}\n";
    const result = checkFiles(new Map([["file:///sets.diffuse", text]]), "file:///sets.diffuse");
    expect(result.diagnostics).toEqual([]);
    expect(cap(result.model, "k").modifiers[0]?.when).toMatchObject({ kind: "in", set: { display: "{ CN HK MO }" } });
  });

  it("shares one namespace across imports and lists sources in load order", () => {
    const m = model("imports");
    expect(m.sources.map((s) => s.uri)).toEqual(["file:///imports/input.diffuse", "file:///imports/countries.diffuse", "file:///imports/lib/catalog.diffuse"]);
    expect(membersOn(m.groups.get("not_tier3")?.members ?? [], "2025-01-01")).toHaveLength(248);
    expect(m.classes[0]?.when[0]?.cond).toMatchObject({ kind: "and", operands: [{ kind: "flag" }, { kind: "compare", value: { value: rational(15832n) } }] });
  });

  it("checks each version of a policy set in its own namespace", () => {
    const result = checkFolder("policyset");
    expect(result.diagnostics).toEqual([]);
    expect(result.policySet?.title).toBe("US advanced-computing controls");
    expect(result.policySet?.versions.map((v) => [v.header?.version, v.header?.effective, v.header?.until])).toEqual([
      ["2023-10", "2023-11-17", "2025-01-13"],
      ["2025-01", "2025-01-13", "2025-05-13"],
      ["2025-05", "2025-05-13", undefined],
    ]);
    for (const v of result.policySet?.versions ?? []) expect([...v.groups.keys()]).toEqual(["tier1"]);
  });
});

describe("symbol index", () => {
  it("resolves declarations and references for navigation", () => {
    const files = readFixture("valid", "decide");
    const uri = "file:///decide/input.diffuse";
    const text = files.get(uri) ?? "";
    const result = checkFiles(files, uri);
    const lpp = result.index.declarations.find((d) => d.name === "LPP_limit");
    expect(lpp).toMatchObject({ kind: "cap", uri });
    const refs = referencesTo(result.index, lpp!);
    expect(refs.map((r) => text.slice(r.range.start, r.range.end))).toEqual(["LPP_limit", "LPP_limit"]);
    const within = text.indexOf("within LPP_limit") + "within ".length + 2;
    expect(symbolAt(result.index, uri, within)?.declaration).toBe(lpp);
    const aia = result.index.declarations.find((d) => d.name === "AIA");
    expect(aia).toMatchObject({ kind: "exception" });
    expect(referencesTo(result.index, aia!, false)).toHaveLength(1);
    const ids = [...result.index.resolved.entries()].filter(([, d]) => d === lpp).map(([id]) => text.slice(id.range.start, id.range.end));
    expect(ids).toEqual(["LPP_limit", "LPP_limit"]);
    expect(result.index.countries.map((c) => c.code)).toEqual(["US", "GB", "CN"]);
    expect(result.index.countries[0]?.name).toBe("United States");
  });

  it("records imports as links and quantities with exact values", () => {
    const files = readFixture("valid", "imports");
    const result = checkFiles(files, "file:///imports/input.diffuse");
    expect(result.index.imports.map((l) => [l.target, l.found])).toEqual([
      ["file:///imports/countries.diffuse", true],
      ["file:///imports/lib/catalog.diffuse", true],
      ["file:///imports/countries.diffuse", true],
    ]);
    const h100 = result.index.declarations.find((d) => d.name === "H100");
    expect(h100?.uri).toBe("file:///imports/lib/catalog.diffuse");
    const values = [...result.index.quantities.values()].map((q) => q.value);
    expect(values).toContainEqual({ unit: "TPP", value: rational(15832n) });
  });
});
