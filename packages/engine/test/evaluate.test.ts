import { describe, expect, it } from "vitest";
import { compile, compileSet, ledgerFrom, MemoryLedger } from "../src/index.js";
import type { Decision, Ledger } from "../src/index.js";
import { aiDiffusion, authorize, Builder, cmpq, date, flag, has, license, order, prohibit, qty, review, within } from "./helpers/model.js";

const ai = compile(aiDiffusion().build());

function run(o: Record<string, unknown>, ledger: Ledger = new MemoryLedger(), options = {}): Decision {
  return ai.evaluate(o, ledger, options);
}

describe("classification thresholds (3A090.a, inclusive)", () => {
  const chip = (tpp: number | string, density: string, datacenter = true): Decision =>
    run(order({ destination: "DE", headquarters: "DE", items: [{ tppPerUnit: tpp, performanceDensity: density, quantity: 1, dataCenter: datacenter }] }));
  it("tpp 4,799 / 4,800 / 4,801 with low density", () => {
    expect(chip(4_799, "4.0").reasons[0]?.rule).toBe("NLR");
    expect(chip(4_800, "4.0").basis).toBe("AIA");
    expect(chip(4_801, "4.0").basis).toBe("AIA");
  });
  it("density 5.91 / 5.92 / 5.93 with tpp 4,000", () => {
    expect(chip(4_000, "5.91").reasons[0]?.message).toMatch(/no line of the order is controlled/);
    expect(chip(4_000, "5.92").basis).toBe("AIA");
    expect(chip(4_000, "5.93").basis).toBe("AIA");
  });
  it("tpp 1,599 with high density is not controlled; H20 is outside", () => {
    expect(chip(1_599, "9.0").reasons[0]?.rule).toBe("NLR");
    expect(run(order({ destination: "CN", headquarters: "CN", item: "H20" })).outcome).toBe("authorized");
  });
  it("a non-data-center chip goes to its own class", () => {
    const d = run(order({ destination: "BR", item: "RTX", quantity: 2_000 }));
    expect(d).toMatchObject({ outcome: "authorized", basis: "ACA" });
  });
});

describe("LPP: per consignee per calendar year", () => {
  it("1,699 H100 = 26,898,568 TPP fits; 1,700 does not", () => {
    const ok = run(order({ quantity: 1_699 }));
    expect(ok).toMatchObject({ outcome: "authorized", basis: "LPP", obligations: ["notify BIS (AES code C75)"] });
    expect(ok.charges).toEqual([{ cap: "LPP_limit", key: "uni-my", window: "2025", amount: "26898568", before: "0", after: "26898568", limit: "26900000" }]);
    const no = run(order({ quantity: 1_700 }));
    expect(no).toMatchObject({ outcome: "license-required", review: "presumption-of-approval" });
    expect(no.reasons.map((r) => r.message)).toContain("LPP not available: 26,914,400 TPP > 26,900,000 TPP LPP_limit limit for consignee uni-my in 2025");
    expect(no.hints).toContain("authorized under LPP if items[0].quantity <= 1,699");
  });
  it("exactly 26,900,000 fits; one more TPP does not", () => {
    const chip = (tpp: number): Decision => run(order({ items: [{ tppPerUnit: tpp, performanceDensity: "6", quantity: 1 }] }));
    expect(chip(26_900_000).basis).toBe("LPP");
    expect(chip(26_900_001).outcome).toBe("license-required");
    expect(chip(26_899_999).basis).toBe("LPP");
  });
  it("example 4: one more H100 after 26,898,568 needs a license and charges the allocation", () => {
    const ledger = new MemoryLedger();
    expect(run(order({ id: "a", quantity: 1_699 }), ledger).basis).toBe("LPP");
    const d = run(order({ id: "b", date: "2025-11-03" }), ledger);
    expect(d).toMatchObject({ outcome: "license-required", review: "presumption-of-approval" });
    expect(d.reasons.some((r) => r.message.includes("26,914,400 TPP > 26,900,000 TPP LPP_limit limit for consignee uni-my in 2025"))).toBe(true);
    expect(d.charges).toEqual([
      { cap: "country_allocation", key: "MY", window: "2025-01-01..2027-12-31", amount: "15832", before: "0", after: "15832", limit: "790000000" },
    ]);
  });
  it("calendar-year reset: 2025-12-31 counts in 2025, 2026-01-01 starts fresh", () => {
    const ledger = new MemoryLedger();
    run(order({ id: "a", date: "2025-12-30", quantity: 1_000 }), ledger);
    expect(run(order({ id: "b", date: "2025-12-31", quantity: 1_000 }), ledger).outcome).toBe("license-required");
    expect(run(order({ id: "c", date: "2026-01-01", quantity: 1_000 }), ledger).basis).toBe("LPP");
    expect(run(order({ id: "d", date: "2026-01-02", quantity: 699 }), ledger).basis).toBe("LPP");
  });
  it("LPP counts toward no country allocation", () => {
    const ledger = new MemoryLedger();
    run(order({ id: "a", quantity: 1_000 }), ledger);
    expect(ledger.usage("country_allocation", "MY", undefined, "9999-12-31")).toEqual({ num: 0n, den: 1n });
  });
  it("a Tier-3-headquartered consignee cannot use LPP", () => {
    expect(run(order({ destination: "SG", headquarters: "CN", quantity: 100 }))).toMatchObject({
      outcome: "license-required",
      review: "presumption-of-denial",
    });
  });
});

describe("country allocation: fixed window, review depends on the remaining allocation", () => {
  // The consignee has used its LPP allowance in every year, so only the license rule is left.
  const lppUsed = ["2025", "2026", "2027", "2028"].map((y) => ({ cap: "LPP_limit", key: "dc-in", date: `${y}-01-01`, amount: "26900000" }));
  const start = (amount: string, on = "2026-01-10", key = "IN"): Ledger => ledgerFrom([...lppUsed, { cap: "country_allocation", key, date: on, amount }]);
  const big = (tpp: number | string, o: Partial<Parameters<typeof order>[0]> = {}): Record<string, unknown> =>
    order({ destination: "IN", consignee: "dc-in", date: "2026-03-01", items: [{ tppPerUnit: tpp, performanceDensity: "20", quantity: 1 }], ...o });
  it("example 7: a total of exactly 790,000,000 is within", () => {
    const d = run(big(10_000_000), start("780000000"));
    expect(d).toMatchObject({ outcome: "license-required", review: "presumption-of-approval" });
    expect(d.charges[0]).toMatchObject({ before: "780000000", after: "790000000", limit: "790000000" });
  });
  it("one TPP more is beyond: presumption of denial, nothing charged", () => {
    const d = run(big(10_000_001), start("780000000"));
    expect(d).toMatchObject({ outcome: "license-required", review: "presumption-of-denial", charges: [] });
  });
  it("example 8: allocation exhausted", () => {
    expect(run(big(15_832), start("790000000")).review).toBe("presumption-of-denial");
  });
  it("a presumption of denial says why the more favourable review was not available", () => {
    const d = run(big(10_000_001), start("780000000"));
    expect(d.reasons.map((r) => r.message)).toContain(
      "review presumption of approval not available: 790,000,001 TPP > 790,000,000 TPP country_allocation limit for destination IN in 2025-01-01..2027-12-31",
    );
    // Within the allocation: no such reason.
    expect(
      run(big(10_000_000), start("780000000"))
        .reasons.map((r) => r.message)
        .filter((m) => m.startsWith("review ")),
    ).toEqual([]);
  });
  it("window start and end: usage before 2025-01-01 or after 2027-12-31 is outside", () => {
    const ledger = ledgerFrom([
      ...lppUsed,
      { cap: "country_allocation", key: "IN", date: "2024-12-31", amount: "790000000" },
      { cap: "country_allocation", key: "IN", date: "2025-01-01", amount: "780000000" },
    ]);
    expect(run(big(10_000_000, { date: "2025-01-01" }), ledger, { dryRun: true }).review).toBe("presumption-of-approval");
    expect(run(big(10_000_001, { date: "2027-12-31" }), ledger, { dryRun: true }).review).toBe("presumption-of-denial");
    // After the window the cap does not apply: `within` holds vacuously and nothing is charged.
    const after = run(big(10_000_001, { date: "2028-01-01" }), ledger, { dryRun: true });
    expect(after).toMatchObject({ review: "presumption-of-approval", charges: [] });
  });
  it("example 9: doubled for a G2G partner (1.5B <= 1.58B)", () => {
    const d = run(big(500_000_000, { destination: "AE" }), start("1000000000", "2026-01-10", "AE"));
    expect(d).toMatchObject({ review: "presumption-of-approval" });
    expect(d.charges[0]?.limit).toBe("1580000000");
    expect(run(big(580_000_001, { destination: "AE" }), start("1000000000", "2026-01-10", "AE")).review).toBe("presumption-of-denial");
    expect(run(big(500_000_000), start("1000000000")).review).toBe("presumption-of-denial");
  });
  it("chargeLicenses false records no charge", () => {
    const ledger = ledgerFrom(lppUsed);
    const d = run(big(10_000_000), ledger, { chargeLicenses: false });
    expect(d).toMatchObject({ review: "presumption-of-approval", charges: [] });
    expect(ledger.usage("country_allocation", "IN", undefined, "9999-12-31").num).toBe(0n);
  });
});

describe("VEU statuses", () => {
  it("example 10: UVEU 7 % of capacity in one Tier 2 country", () => {
    const ledger = (): Ledger => ledgerFrom([{ cap: "uveu_country_share", key: "hyper|BR", date: "2025-08-01", amount: "650000000" }]);
    const o = (tpp: string): Record<string, unknown> =>
      order({
        destination: "BR",
        consignee: "hyper",
        headquarters: "US",
        statuses: ["UVEU"],
        capacityTpp: "10000000000",
        date: "2025-09-01",
        items: [{ tppPerUnit: tpp, performanceDensity: "20", quantity: 1 }],
      });
    const no = run(o("100000000"), ledger());
    expect(no.outcome).toBe("license-required");
    expect(no.reasons.some((r) => r.message.includes("750,000,000 TPP > 707,000,000 TPP uveu_country_share"))).toBe(true);
    expect(run(o("53763440"), ledger())).toMatchObject({ outcome: "authorized", basis: "UVEU" });
    expect(run(o("53763441"), ledger()).outcome).toBe("license-required");
  });
  it("charges stay exact past 2^53: usage, this order and the percent limit", () => {
    // Usage one below the largest safe integer; the order's TPP takes the sum past 2^53.
    const start = BigInt(Number.MAX_SAFE_INTEGER) - 1n;
    const ledger = ledgerFrom([{ cap: "uveu_country_share", key: "hyper|BR", date: "2025-08-01", amount: start.toString() }]);
    const d = run(
      order({
        destination: "BR",
        consignee: "hyper",
        headquarters: "US",
        statuses: ["UVEU"],
        capacityTpp: "1000000000000000000",
        date: "2025-09-01",
        items: [{ tppPerUnit: 15_833, performanceDensity: "20", quantity: 3 }],
      }),
      ledger,
    );
    expect(d).toMatchObject({ outcome: "authorized", basis: "UVEU" });
    expect(d.charges[0]).toMatchObject({
      amount: "47499",
      before: start.toString(),
      after: (start + 47_499n).toString(),
      limit: ((7n * (10n ** 18n + 47_499n)) / 100n).toString() + ".93",
    });
    // The next order sees the exact sum, not a rounded double.
    expect(ledger.usage("uveu_country_share", "hyper|BR", undefined, "2025-12-31")).toEqual({ num: start + 47_499n, den: 1n });
  });
  it("percent cap without capacity cannot be satisfied", () => {
    const d = run(order({ destination: "BR", consignee: "hyper", headquarters: "US", statuses: ["UVEU"], quantity: 2_000 }));
    expect(d.reasons.some((r) => r.message.includes("capacity not given"))).toBe(true);
  });
  it("NVEU schedule steps: through 2025-12-31, then 2026", () => {
    const cap = 100_000n * 15_832n;
    const o = (d: string, tpp: bigint): Record<string, unknown> =>
      order({
        id: d,
        destination: "SA",
        consignee: "sa-dc",
        statuses: ["NVEU"],
        date: d,
        items: [{ tppPerUnit: tpp.toString(), performanceDensity: "20", quantity: 1 }],
      });
    const l = ledgerFrom([{ cap: "nveu_installed_base", key: "sa-dc|SA", date: "2025-03-01", amount: "1500000000" }]);
    expect(run(o("2025-12-31", cap - 1_500_000_000n), l, { dryRun: true })).toMatchObject({ basis: "NVEU" });
    expect(run(o("2025-12-31", cap - 1_500_000_000n + 1n), l, { dryRun: true }).basis).not.toBe("NVEU");
    const d = run(o("2026-01-01", 200_000_000n), l, { dryRun: true });
    expect(d).toMatchObject({ basis: "NVEU" });
    expect(d.charges[0]).toMatchObject({ window: "through 2026-12-31", before: "1500000000", after: "1700000000", limit: String(270_000n * 15_832n) });
    expect(run(o("2028-06-01", 320_000n * 15_832n - 1_500_000_000n), l, { dryRun: true }).charges[0]?.window).toBe("after 2027-12-31");
  });
  it("a schedule is cumulative through each step's date: a back-dated order counts charges up to its step's date, and every later step's total", () => {
    const H = 15_832n;
    const o = (d: string, units: bigint): Record<string, unknown> =>
      order({
        id: d,
        destination: "SA",
        consignee: "sa-dc",
        statuses: ["NVEU"],
        date: d,
        items: [{ tppPerUnit: (units * H).toString(), performanceDensity: "20", quantity: 1 }],
      });
    // 150,000 H100 already recorded for 2026: an order dated 2025 has its 2025 step's room (100,000 through 2025)
    // and fits 2026's 270,000 with them (the whole ledger against the 2025 limit, as before, refused it).
    const recorded = (units: bigint) => ledgerFrom([{ cap: "nveu_installed_base", key: "sa-dc|SA", date: "2026-06-01", amount: (units * H).toString() }]);
    const ok = run(o("2025-06-01", 99_000n), recorded(150_000n), { dryRun: true });
    expect(ok).toMatchObject({ basis: "NVEU" });
    expect(ok.charges[0]).toMatchObject({ window: "through 2025-12-31", before: "0", after: (99_000n * H).toString() });
    // With 200,000 recorded for 2026, the same order would take 2026's total to 299,000 > 270,000.
    const over = run(o("2025-06-01", 99_000n), recorded(200_000n), { dryRun: true });
    expect(over.basis).not.toBe("NVEU");
    expect(over.reasons.map((r) => r.message)).toContain(
      `NVEU not available: ${(299_000n * H).toLocaleString("en-US")} TPP > ${(270_000n * H).toLocaleString("en-US")} TPP nveu_installed_base limit for consignee sa-dc and destination SA through 2026-12-31`,
    );
  });
  it("a status-gated hint: the order would be authorized if the consignee held NVEU", () => {
    const ledger = ledgerFrom([{ cap: "country_allocation", key: "SA", date: "2025-02-01", amount: "790000000" }]);
    const d = run(order({ destination: "SA", consignee: "sa-dc", quantity: 5_000 }), ledger);
    expect(d.hints).toContain("authorized under NVEU if the consignee held NVEU");
  });
});

describe("tiers, headquarters and precedence", () => {
  it("example 1: Tier 1 location and HQ -> AIA, no cap", () => {
    expect(run(order({ destination: "DE", headquarters: "DE", quantity: 10_000 }))).toMatchObject({ outcome: "authorized", basis: "AIA", charges: [] });
  });
  it("example 2: Tier-1 location, Tier-2 parent -> no AIA", () => {
    const d = run(order({ destination: "DE", headquarters: "IN", quantity: 500 }));
    expect(d.basis).not.toBe("AIA");
    expect(d).toMatchObject({ outcome: "license-required", review: "case-by-case" });
  });
  it("example 13: Tier 3 destination -> presumption of denial before any exception", () => {
    expect(run(order({ destination: "CN", headquarters: "CN", quantity: 10 }))).toMatchObject({ outcome: "license-required", review: "presumption-of-denial" });
  });
  it("dated membership: Cambodia is Tier 3 until 2026-02-03, Tier 2 from then", () => {
    expect(run(order({ destination: "KH", date: "2026-02-02" })).review).toBe("presumption-of-denial");
    expect(run(order({ destination: "KH", date: "2026-02-03" })).basis).toBe("LPP");
  });
  it("precedence is the order written: prohibit before authorize", () => {
    const b = new Builder().group("all", ["MY"]).item("X", 5_000).cls("c", flag("chip"));
    b.decide("d1", ["c"], [prohibit(b.destIn("all")), authorize("NLR")]);
    expect(compile(b.build()).evaluate(order({ item: "X" }), new MemoryLedger()).outcome).toBe("prohibited");
    const b2 = new Builder().group("all", ["MY"]).item("X", 5_000).cls("c", flag("chip"));
    b2.decide("d1", ["c"], [authorize("NLR"), prohibit(b2.destIn("all"))]);
    expect(compile(b2.build()).evaluate(order({ item: "X" }), new MemoryLedger())).toMatchObject({ outcome: "authorized", basis: "NLR" });
  });
  it("no rule applies -> NLR", () => {
    const b = new Builder().item("X", 5_000).cls("c", flag("chip"));
    b.decide("d1", ["c"], [prohibit(date(">=", "2030-01-01"))]);
    const d = compile(b.build()).evaluate(order({ item: "X" }), new MemoryLedger());
    expect(d).toMatchObject({ outcome: "authorized", basis: "NLR", reasons: [{ rule: "d1" }] });
  });
  it("multi-class orders take the most restrictive outcome and charge nothing when not authorized", () => {
    const ledger = new MemoryLedger();
    const d = run(order({ destination: "IN", items: [{ item: "H100", quantity: 10 }, { modelWeights: { trainingOps: "3e26", openWeights: false } }] }), ledger);
    expect(d).toMatchObject({ outcome: "license-required", review: "presumption-of-denial", charges: [] });
    expect(ledger.usage("LPP_limit", "uni-my", undefined, "9999-12-31").num).toBe(0n);
    // Open weights are not 4E091: only the chips decide.
    expect(run(order({ destination: "IN", items: [{ item: "H100", quantity: 10 }, { modelWeights: { trainingOps: "5e26", openWeights: true } }] })).basis).toBe(
      "LPP",
    );
  });
  it("model weights: exactly 1e26 ops is controlled; 8e25 is not", () => {
    const w = (ops: string, dest: string): Decision =>
      run(order({ destination: dest, headquarters: dest, items: [{ modelWeights: { trainingOps: ops, openWeights: false } }] }));
    expect(w("1e26", "IN")).toMatchObject({ outcome: "license-required", review: "presumption-of-denial" });
    expect(w("8e25", "IN").basis).toBe("NLR");
    expect(w("3e26", "GB").basis).toBe("AIA");
  });
  it("license review cases: `within` a cap decides approval", () => {
    const b = new Builder().item("X", 10).cls("c", flag("chip"));
    b.cap("small", { limit: qty(100), per: ["global"] });
    b.decide("d", ["c"], [license([review("presumption-of-approval", within("small")), review("presumption-of-denial")], { charging: ["small"] })]);
    const ev = compile(b.build());
    const ledger = new MemoryLedger();
    expect(ev.evaluate(order({ id: "1", item: "X", quantity: 10 }), ledger)).toMatchObject({
      review: "presumption-of-approval",
      charges: [{ key: "*", after: "100" }],
    });
    expect(ev.evaluate(order({ id: "2", item: "X", quantity: 1 }), ledger).review).toBe("presumption-of-denial");
  });
  it("status required: `consignee has` and quantities in units", () => {
    const b = new Builder().item("X", 10).cls("c", flag("chip"));
    b.decide("d", ["c"], [authorize("NLR", cmpq("quantity", "<=", qty(6, "units"))), prohibit(has("S"))]);
    b.auth("status", "S", {});
    const ev = compile(b.build());
    expect(ev.evaluate(order({ item: "X", quantity: 6 }), new MemoryLedger()).basis).toBe("NLR");
    expect(ev.evaluate(order({ item: "X", quantity: 7 }), new MemoryLedger()).basis).toBe("NLR");
    expect(ev.evaluate(order({ item: "X", quantity: 7, statuses: ["S"] }), new MemoryLedger()).outcome).toBe("prohibited");
  });
});

describe("windows and modifiers", () => {
  const capPolicy = (window: Parameters<Builder["cap"]>[1]["window"]): ReturnType<typeof compile> => {
    const b = new Builder().item("X", 1).cls("c", flag("chip"));
    b.cap("k", { limit: qty(10), per: ["consignee"], ...(window === undefined ? {} : { window }) });
    b.auth("exception", "E", { within: ["k"] });
    b.decide("d", ["c"], [authorize("E"), prohibit()]);
    return compile(b.build());
  };
  it("rolling 30 days: a charge 30 days back is out, 29 days back is in", () => {
    const ev = capPolicy({ kind: "rolling", length: 30, unit: "days" });
    const l = ledgerFrom([{ cap: "k", key: "uni-my", date: "2025-05-11", amount: "10" }]);
    expect(ev.evaluate(order({ item: "X", date: "2025-06-10" }), l, { dryRun: true }).basis).toBe("E");
    expect(ev.evaluate(order({ item: "X", date: "2025-06-09" }), l, { dryRun: true }).outcome).toBe("prohibited");
  });
  it("rolling 1 year ends on the order date", () => {
    const ev = capPolicy({ kind: "rolling", length: 1, unit: "years" });
    const l = ledgerFrom([{ cap: "k", key: "uni-my", date: "2024-06-10", amount: "10" }]);
    expect(ev.evaluate(order({ item: "X", date: "2025-06-10" }), l, { dryRun: true }).basis).toBe("E");
    expect(ev.evaluate(order({ item: "X", date: "2025-06-09" }), l, { dryRun: true }).outcome).toBe("prohibited");
  });
  it("all time keeps everything", () => {
    const ev = capPolicy({ kind: "all-time" });
    const l = ledgerFrom([{ cap: "k", key: "uni-my", date: "1999-01-01", amount: "10" }]);
    expect(ev.evaluate(order({ item: "X" }), l, { dryRun: true }).outcome).toBe("prohibited");
  });
  it("a doubled modifier applies only when its condition holds", () => {
    const b = new Builder().group("g", ["AE"]).item("X", 1).cls("c", flag("chip"));
    b.cap("k", { limit: qty(10), per: ["destination"], window: { kind: "all-time" }, times: [[2, b.destIn("g")]] });
    b.auth("exception", "E", { within: ["k"] });
    b.decide("d", ["c"], [authorize("E"), prohibit()]);
    const ev = compile(b.build());
    expect(ev.evaluate(order({ item: "X", destination: "AE", quantity: 20 }), new MemoryLedger()).basis).toBe("E");
    expect(ev.evaluate(order({ item: "X", destination: "AE", quantity: 21 }), new MemoryLedger()).outcome).toBe("prohibited");
    expect(ev.evaluate(order({ item: "X", destination: "MY", quantity: 11 }), new MemoryLedger()).outcome).toBe("prohibited");
  });
  it("an aggregate over a group: per consignee, only Tier 2 destinations count", () => {
    const b = new Builder().group("t2", ["MY", "IN"]).item("X", 1).cls("c", flag("chip"));
    b.cap("agg", { limit: qty(10), per: ["consignee"], window: { kind: "all-time" }, when: [b.destIn("t2")] });
    b.auth("exception", "E", { within: ["agg"] });
    b.decide("d", ["c"], [authorize("E"), prohibit()]);
    const ev = compile(b.build());
    const l = new MemoryLedger();
    expect(ev.evaluate(order({ id: "1", item: "X", destination: "MY", quantity: 6 }), l).basis).toBe("E");
    expect(ev.evaluate(order({ id: "2", item: "X", destination: "DE", quantity: 100 }), l)).toMatchObject({ basis: "E", charges: [] });
    expect(ev.evaluate(order({ id: "3", item: "X", destination: "IN", quantity: 5 }), l).outcome).toBe("prohibited");
    expect(ev.evaluate(order({ id: "4", item: "X", destination: "IN", quantity: 4 }), l).basis).toBe("E");
  });
  it("counts toward: charged without a check", () => {
    const b = new Builder().item("X", 1).cls("c", flag("chip"));
    b.cap("tally", { limit: qty(1), per: ["global"], window: { kind: "all-time" } });
    b.auth("exception", "E", { countsToward: ["tally"] });
    b.decide("d", ["c"], [authorize("E")]);
    const d = compile(b.build()).evaluate(order({ item: "X", quantity: 5 }), new MemoryLedger());
    expect(d).toMatchObject({ basis: "E", charges: [{ cap: "tally", key: "*", after: "5", limit: "1" }] });
  });
});

describe("exactness, idempotency, determinism", () => {
  it("sums past 2^53 stay exact", () => {
    const b = new Builder().item("X", 1).cls("c", flag("chip"));
    b.cap("k", { limit: qty("18014398509481984"), per: ["global"], window: { kind: "all-time" } });
    b.auth("exception", "E", { within: ["k"] });
    b.decide("d", ["c"], [authorize("E"), prohibit()]);
    const ev = compile(b.build());
    const l = ledgerFrom([{ cap: "k", key: "*", date: "2025-01-01", amount: "9007199254740993" }]);
    const d = ev.evaluate(order({ items: [{ tppPerUnit: "9007199254740991", quantity: 1 }] }), l);
    expect(d.charges[0]).toMatchObject({ before: "9007199254740993", after: "18014398509481984" });
    expect(ev.evaluate(order({ id: "2", items: [{ tppPerUnit: "1", quantity: 1 }] }), l).outcome).toBe("prohibited");
  });
  it("fractional TPP stays exact", () => {
    const d = run(order({ items: [{ tppPerUnit: "15831.2", performanceDensity: "19", quantity: 3 }] }));
    expect(d.charges[0]?.amount).toBe("47493.6");
  });
  it("an order id already on the ledger returns the recorded decision and charges nothing", () => {
    const ledger = new MemoryLedger();
    const first = run(order({ quantity: 1_000 }), ledger);
    const again = run(order({ quantity: 1_000 }), ledger);
    expect(again).toEqual({ ...first, alreadyDecided: true });
    // The recorded decision's fields in their order, then the flag (the CLI appends it to the recorded JSON text).
    expect(JSON.stringify(again)).toBe(`${JSON.stringify(first).slice(0, -1)},"alreadyDecided":true}`);
    expect(ledger.usage("LPP_limit", "uni-my", "2025-01-01", "2025-12-31")).toEqual({ num: 15_832_000n, den: 1n });
  });
  it("dryRun records nothing", () => {
    const ledger = new MemoryLedger();
    run(order({ quantity: 1_000 }), ledger, { dryRun: true });
    expect(ledger.decided("o-1")).toBeUndefined();
  });
  it("byte-identical decisions for the same inputs", () => {
    const a = run(order({ quantity: 1_700 }));
    const b = compile(aiDiffusion().build()).evaluate(order({ quantity: 1_700 }), new MemoryLedger());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
  it("policy identity: title, version and sha256 of the entry text", () => {
    const b = aiDiffusion();
    b.text = "abc";
    const d = compile(b.build()).evaluate(order({}), new MemoryLedger());
    expect(d.policy).toEqual({
      name: "Framework for Artificial Intelligence Diffusion",
      version: "2025-01",
      sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    });
  });
});

describe("policy sets", () => {
  const v1 = aiDiffusion({ version: "2025-01", effective: "2025-01-13", until: "2025-05-13" }).build();
  const b2 = new Builder("Rescission", "2025-05", "2025-05-13").item("H100", 15_832, "19.45").cls("c", flag("chip"));
  b2.decide("d", ["c"], [authorize("NLR")]);
  const set = compileSet([b2.build(), v1]);
  it("picks the version in force on the order date", () => {
    expect(set.policies.map((p) => p.version)).toEqual(["2025-01", "2025-05"]);
    expect(set.evaluate(order({ date: "2025-05-12", quantity: 5_000 }), new MemoryLedger()).policy.version).toBe("2025-01");
    expect(set.evaluate(order({ date: "2025-05-13", quantity: 5_000 }), new MemoryLedger())).toMatchObject({ basis: "NLR", policy: { version: "2025-05" } });
  });
  it("asOf overrides the order date", () => {
    expect(set.evaluate(order({ date: "2025-06-01" }), new MemoryLedger(), { asOf: "2025-03-01" }).policy.version).toBe("2025-01");
  });
  it("a date no version covers is invalid", () => {
    const d = set.evaluate(order({ date: "2024-01-01" }), new MemoryLedger());
    expect(d).toMatchObject({ outcome: "invalid", errors: [{ field: "date", message: "no version of the policy is in force on 2024-01-01" }] });
  });
  it("a decision no version made names the set (its `policyset` title, given as `name`), not a version", () => {
    const named = compileSet([b2.build(), v1], { name: "US controls" });
    expect(named.evaluate(order({ date: "2024-01-01" }), new MemoryLedger()).policy).toEqual({ name: "US controls", version: "", sha256: "" });
    expect(named.explain(order({ date: "2024-01-01" }), new MemoryLedger()).decision.policy.name).toBe("US controls");
    // A version's decision names the version.
    expect(named.evaluate(order({ date: "2025-05-13" }), new MemoryLedger()).policy.name).toBe("Rescission");
  });
  it("a date no version covers still reports the caller's orderErrors, first (a `date` given twice may be why)", () => {
    const repeated = { field: "date", message: "given more than once", help: "give `date` once" };
    const d = set.evaluate(order({ date: "2024-01-01" }), new MemoryLedger(), { orderErrors: [repeated] });
    expect(d.errors?.map((e) => e.message)).toEqual(["given more than once", "no version of the policy is in force on 2024-01-01"]);
    const { trace } = set.explain(order({ date: "2024-01-01" }), new MemoryLedger(), { orderErrors: [repeated] });
    expect(trace[0]?.detail).toBe("date: given more than once; date: no version of the policy is in force on 2024-01-01");
  });
  it("inForce names the version a date picks, for callers checking an asOf date before a run", () => {
    expect(set.inForce("2025-01-12")).toBeUndefined();
    expect(set.inForce("2025-01-13")?.version).toBe("2025-01");
    expect(set.inForce("2025-05-13")?.version).toBe("2025-05");
    expect(ai.inForce("1999-01-01")?.version).toBe(ai.policies[0]?.version);
  });
});

describe("orderErrors: problems found in the order's text", () => {
  const duplicate = { field: "destination", message: "given twice", help: "give it once" };
  it("make an otherwise valid order invalid, charging nothing, and the trace says why", () => {
    const ledger = new MemoryLedger();
    const o = order({ id: "o-dup", destination: "MY", quantity: 10 });
    expect(run(o, new MemoryLedger()).outcome).toBe("authorized");
    const d = run(o, ledger, { orderErrors: [duplicate] });
    expect(d).toMatchObject({ order: "o-dup", outcome: "invalid", errors: [duplicate], charges: [] });
    expect(ledger.decided("o-dup")).toBeUndefined();
    const { trace } = ai.explain(o, new MemoryLedger(), { orderErrors: [duplicate] });
    expect(trace.at(-1)).toMatchObject({ rule: "order", applied: false, detail: "destination: given twice" });
  });
  it("come before the order's own errors", () => {
    const d = run(order({ destination: "ZZ" }), new MemoryLedger(), { orderErrors: [duplicate] });
    expect(d.errors?.map((e) => e.field)).toEqual(["destination", "destination"]);
    expect(d.errors?.[0]).toEqual(duplicate);
  });
  it("an empty list changes nothing", () => {
    expect(run(order({ quantity: 10 }), new MemoryLedger(), { orderErrors: [] }).outcome).toBe("authorized");
  });
});

describe("review cases passed over", () => {
  const policy = (reviews: Parameters<typeof license>[0]) => {
    const b = new Builder().group("watch", ["CN"]).item("X", 5_000).cls("c", flag("chip"));
    b.decide("d", ["c"], [license(reviews)]);
    return compile(b.build());
  };
  const reviewReasons = (d: Decision): string[] => d.reasons.map((r) => r.message).filter((m) => m.startsWith("review "));
  it("only a more favourable case passed over is a reason, with the values that ruled it out", () => {
    const o = order({ destination: "MY", item: "X", quantity: 1 });
    // Denial for watched countries, else approval: MY gets approval; the denial case passed over is no reason.
    const first = policy([review("presumption-of-denial", new Builder().group("watch", ["CN"]).destIn("watch")), review("presumption-of-approval")]).evaluate(
      o,
      new MemoryLedger(),
    );
    expect(first.review).toBe("presumption-of-approval");
    expect(reviewReasons(first)).toEqual([]);
    // Approval only for watched countries, else case by case: MY is told why not approval.
    const second = policy([review("presumption-of-approval", new Builder().group("watch", ["CN"]).destIn("watch")), review("case-by-case")]).evaluate(
      o,
      new MemoryLedger(),
    );
    expect(second.review).toBe("case-by-case");
    expect(reviewReasons(second)).toEqual(["review presumption of approval not available: destination MY not in watch"]);
  });
});
