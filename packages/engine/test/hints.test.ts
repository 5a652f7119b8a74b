import { describe, expect, it } from "vitest";
import { compile, compileSet, ledgerFrom, MemoryLedger } from "../src/index.js";
import { authorize, Builder, cmpq, flag, has, license, order, qty, review } from "./helpers/model.js";

describe("status hints", () => {
  it("names the exception a status opens, when the status is a fact an exception asks for (ACM and its end-user status)", () => {
    const b = new Builder().group("tier2", ["MY"]).item("H100", 15_832).cls("chips", flag("chip"));
    b.cap("small", { limit: qty(100_000), per: ["consignee"] });
    b.auth("status", "ACM_end_user", { countsToward: "nothing" });
    b.auth("exception", "ACM", { when: [has("ACM_end_user"), b.destIn("tier2")], countsToward: "nothing" });
    b.auth("exception", "SMALL", { within: ["small"], countsToward: "nothing" });
    b.decide("d", ["chips"], [authorize("ACM"), authorize("SMALL"), license([review("presumption-of-approval")])]);
    const ev = compile(b.build());
    const d = ev.evaluate(order({ quantity: 10 }), new MemoryLedger(), { dryRun: true });
    expect(d.outcome).toBe("license-required");
    expect(d.hints).toEqual(["authorized under SMALL if items[0].quantity <= 6", "authorized under ACM if the consignee held ACM_end_user"]);
    // The hint holds: with the status, the order is authorized under ACM.
    expect(ev.evaluate(order({ quantity: 10, statuses: ["ACM_end_user"] }), new MemoryLedger(), { dryRun: true })).toMatchObject({
      outcome: "authorized",
      basis: "ACM",
    });
  });
});

describe("quantity hints on orders of several lines", () => {
  const b = new Builder().group("tier2", ["MY"]).item("H100", 15_832).item("B200", 36_000).cls("chips", flag("chip"));
  b.cap("LPP_limit", { limit: qty(26_900_000), per: ["consignee"] });
  b.auth("exception", "LPP", { when: [b.destIn("tier2")], within: ["LPP_limit"], countsToward: "nothing" });
  b.decide("d", ["chips"], [authorize("LPP"), license([review("presumption-of-approval")])]);
  const ev = compile(b.build());
  const lpp = (items: unknown[]): ReturnType<typeof ev.evaluate> => ev.evaluate(order({ items }), new MemoryLedger(), { dryRun: true });

  it("each line decided together gets its own hint, the other lines as they are", () => {
    // 15,832,000 + 14,400,000 = 30,232,000 > 26,900,000: H100 <= (26,900,000 - 14,400,000) / 15,832; B200 <= (26,900,000 - 15,832,000) / 36,000.
    const d = lpp([
      { item: "H100", quantity: 1_000 },
      { item: "B200", quantity: 400 },
    ]);
    expect(d.outcome).toBe("license-required");
    expect(d.hints).toEqual(["authorized under LPP if items[0].quantity <= 789", "authorized under LPP if items[1].quantity <= 307"]);
    expect(
      lpp([
        { item: "H100", quantity: 789 },
        { item: "B200", quantity: 400 },
      ]).basis,
    ).toBe("LPP");
    expect(
      lpp([
        { item: "H100", quantity: 790 },
        { item: "B200", quantity: 400 },
      ]).basis,
    ).toBeUndefined();
    expect(
      lpp([
        { item: "H100", quantity: 1_000 },
        { item: "B200", quantity: 307 },
      ]).basis,
    ).toBe("LPP");
  });

  it("the same item on two lines, and a single unit beside another line (its TPP)", () => {
    expect(
      lpp([
        { item: "H100", quantity: 1_000 },
        { item: "H100", quantity: 700 },
      ]).hints,
    ).toEqual(["authorized under LPP if items[0].quantity <= 999", "authorized under LPP if items[1].quantity <= 699"]);
    expect(
      lpp([
        { item: "H100", quantity: 1_000 },
        { tppPerUnit: 12_000_000, quantity: 1 },
      ]).hints,
    ).toEqual(["authorized under LPP if items[0].quantity <= 941", "authorized under LPP if items[1] were at most 11,068,000 TPP"]);
  });

  it("no hint for a line the other lines leave no room for", () => {
    expect(
      lpp([
        { item: "H100", quantity: 1_700 },
        { item: "B200", quantity: 2 },
      ]).hints,
    ).toEqual(["authorized under LPP if items[0].quantity <= 1,694"]);
    expect(
      lpp([
        { item: "H100", quantity: 1_700 },
        { item: "B200", quantity: 1 },
      ]).hints,
    ).toEqual(["authorized under LPP if items[0].quantity <= 1,696"]);
  });
});

describe("an authorization two decide blocks use", () => {
  // S lets H20 lines through in block small_chips and is the second authorization of
  // block big_chips, after U.
  const b = new Builder().group("tier2", ["MY"]).item("H100", 15_832).item("H20", 2_368);
  b.cls("big", cmpq("tpp", ">=", qty(10_000))).cls("small", cmpq("tpp", ">=", qty(1_000)));
  b.cap("cu", { limit: qty(1_000_000), per: ["consignee"] }).cap("cs", { limit: qty(500_000), per: ["consignee"] });
  b.auth("status", "U", { within: ["cu"], countsToward: "nothing" }).auth("status", "S", { within: ["cs"], countsToward: "nothing" });
  b.decide("big_chips", ["big"], [authorize("U"), authorize("S"), license([review("case-by-case")])]);
  b.decide("small_chips", ["small"], [authorize("S"), license([review("case-by-case")])]);
  const ev = compile(b.build());
  const decide = (h100: number): ReturnType<typeof ev.evaluate> =>
    ev.evaluate(
      order({
        statuses: ["U", "S"],
        items: [
          { item: "H100", quantity: h100 },
          { item: "H20", quantity: 1 },
        ],
      }),
      new MemoryLedger(),
      { dryRun: true },
    );

  it("names it only where it would let the block that tried it through, not where another block already goes by it", () => {
    // At 31 H100, S's own limit, U (first) lets big_chips through: S does not.
    expect(decide(100).hints).toEqual(["authorized under U if items[0].quantity <= 63"]);
    expect(decide(63).basis).toBe("U + S");
  });
});

describe("date hints: a later date on which the caps that failed let the order through", () => {
  const policy = (cap: Parameters<Builder["cap"]>[1], o: { version?: string; effective?: string; until?: string } = {}): Builder => {
    const b = new Builder("Test policy", o.version ?? "1", o.effective ?? "2025-01-13", o.until)
      .group("tier2", ["MY"])
      .item("H100", 15_832)
      .cls("chips", flag("chip"));
    b.cap("k", cap);
    b.auth("exception", "E", { within: ["k"], countsToward: "nothing" });
    b.decide("d", ["chips"], [authorize("E"), license([review("presumption-of-approval")])]);
    return b;
  };
  const usage = (amount: string, on = "2025-03-01"): ReturnType<typeof ledgerFrom> => ledgerFrom([{ cap: "k", key: "uni-my", date: on, amount }]);
  const hintsOf = (ev: ReturnType<typeof compile>, o: Record<string, unknown>, ledger: ReturnType<typeof ledgerFrom>, options = {}): readonly string[] =>
    ev.evaluate(o, ledger, { dryRun: true, ...options }).hints ?? [];
  /** The date hints alone (a single unit also gets a TPP hint: any chip is in the class here). */
  const datesOf = (...args: Parameters<typeof hintsOf>): readonly string[] => hintsOf(...args).filter((h) => h.includes(" dated "));

  it("a calendar year: the next January 1, when the order alone fits the limit", () => {
    const ev = compile(policy({ limit: qty(26_900_000), per: ["consignee"] }).build());
    const ledger = usage("26898568");
    expect(hintsOf(ev, order({ date: "2025-11-03" }), ledger)).toEqual([
      "authorized under E if items[0] were at most 1,432 TPP",
      "authorized under E if the order were dated 2026-01-01",
    ]);
    expect(ev.evaluate(order({ date: "2026-01-01" }), ledger, { dryRun: true }).basis).toBe("E");
    // 1,700 H100 exceed the limit in any year: a smaller quantity is the only hint.
    expect(hintsOf(ev, order({ date: "2025-11-03", quantity: 1_700 }), new MemoryLedger())).toEqual(["authorized under E if items[0].quantity <= 1,699"]);
  });

  it("a schedule: the first later step whose limit leaves room for the usage so far and the order", () => {
    const H = (n: number): ReturnType<typeof qty> => qty(n * 15_832);
    const ev = compile(
      policy({
        per: ["consignee"],
        schedule: [
          ["2025-12-31", H(100_000)],
          ["2026-12-31", H(270_000)],
          ["2027-12-31", H(320_000)],
        ],
      }).build(),
    );
    expect(hintsOf(ev, order({ date: "2025-12-31", quantity: 10_000 }), usage("1500000000"))).toEqual([
      "authorized under E if items[0].quantity <= 5,255",
      "authorized under E if the order were dated 2026-01-01",
    ]);
    // 4,200,000,000 used: 2026's 4,274,640,000 has no room for 50,000 H100 (791,600,000), 2027's 5,066,240,000 has.
    expect(hintsOf(ev, order({ date: "2025-06-01", quantity: 50_000 }), usage("4200000000"))).toContain(
      "authorized under E if the order were dated 2027-01-01",
    );
    // Past the last step the last limit stays: no later date helps.
    expect(hintsOf(ev, order({ date: "2028-06-01", quantity: 100_000 }), usage("4200000000")).some((h) => h.includes("dated"))).toBe(false);
  });

  it("a window of fixed dates: the day after it, when the cap no longer counts the order", () => {
    const ev = compile(policy({ limit: qty(100_000), per: ["destination"], window: { kind: "fixed", from: "2025-01-01", to: "2027-12-31" } }).build());
    expect(hintsOf(ev, order({ date: "2026-05-01", quantity: 10 }), new MemoryLedger())).toEqual([
      "authorized under E if items[0].quantity <= 6",
      "authorized under E if the order were dated 2028-01-01",
    ]);
  });

  it("a rolling window: the first day the older usage has left it", () => {
    const ev = compile(policy({ limit: qty(100_000), per: ["consignee"], window: { kind: "rolling", length: 30, unit: "days" } }).build());
    // The charge of 2025-06-01 is in every 30-day window up to 2025-06-30.
    expect(datesOf(ev, order({ date: "2025-06-10" }), usage("90000", "2025-06-01"))).toEqual(["authorized under E if the order were dated 2025-07-01"]);
    const months = compile(policy({ limit: qty(100_000), per: ["consignee"], window: { kind: "rolling", length: 1, unit: "months" } }).build());
    // 1 month to 2025-03-01 starts on 2025-02-02: the charge of 2025-01-31 has left it.
    expect(datesOf(months, order({ date: "2025-02-10" }), usage("90000", "2025-01-31"))).toEqual(["authorized under E if the order were dated 2025-03-01"]);
  });

  it("no date hint for a cap over all time, or one a percent of capacity not given", () => {
    const ev = compile(policy({ limit: qty(100_000), per: ["consignee"], window: { kind: "all-time" } }).build());
    expect(datesOf(ev, order({ date: "2025-06-10" }), usage("90000"))).toEqual([]);
    const share = compile(policy({ percent: 7, per: ["consignee"], window: { kind: "calendar-year" } }).build());
    expect(datesOf(share, order({ date: "2025-06-10", quantity: 10 }), new MemoryLedger())).toEqual([]);
  });

  it("in a policy set, only a date the same version decides (unless asOf fixes the version)", () => {
    const cap = { limit: qty(26_900_000), per: ["consignee"] } as const;
    const set = compileSet([policy(cap, { version: "1", until: "2026-01-01" }).build(), policy(cap, { version: "2", effective: "2026-01-01" }).build()]);
    expect(datesOf(set, order({ date: "2025-11-03" }), usage("26898568"))).toEqual([]);
    expect(datesOf(set, order({ date: "2025-11-03" }), usage("26898568"), { asOf: "2025-06-01" })).toEqual([
      "authorized under E if the order were dated 2026-01-01",
    ]);
    const long = compileSet([policy(cap, { version: "1", until: "2027-01-01" }).build(), policy(cap, { version: "2", effective: "2027-01-01" }).build()]);
    expect(datesOf(long, order({ date: "2025-11-03" }), usage("26898568"))).toEqual(["authorized under E if the order were dated 2026-01-01"]);
  });
});
