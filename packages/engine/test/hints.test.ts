import { describe, expect, it } from "vitest";
import { compile, MemoryLedger } from "../src/index.js";
import { authorize, Builder, flag, has, license, order, qty, review } from "./helpers/model.js";

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
    expect(ev.evaluate(order({ quantity: 10, statuses: ["ACM_end_user"] }), new MemoryLedger(), { dryRun: true })).toMatchObject({ outcome: "authorized", basis: "ACM" });
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
    const d = lpp([{ item: "H100", quantity: 1_000 }, { item: "B200", quantity: 400 }]);
    expect(d.outcome).toBe("license-required");
    expect(d.hints).toEqual(["authorized under LPP if items[0].quantity <= 789", "authorized under LPP if items[1].quantity <= 307"]);
    expect(lpp([{ item: "H100", quantity: 789 }, { item: "B200", quantity: 400 }]).basis).toBe("LPP");
    expect(lpp([{ item: "H100", quantity: 790 }, { item: "B200", quantity: 400 }]).basis).toBeUndefined();
    expect(lpp([{ item: "H100", quantity: 1_000 }, { item: "B200", quantity: 307 }]).basis).toBe("LPP");
  });

  it("the same item on two lines, and a single unit beside another line (its TPP)", () => {
    expect(lpp([{ item: "H100", quantity: 1_000 }, { item: "H100", quantity: 700 }]).hints).toEqual([
      "authorized under LPP if items[0].quantity <= 999",
      "authorized under LPP if items[1].quantity <= 699",
    ]);
    expect(lpp([{ item: "H100", quantity: 1_000 }, { tppPerUnit: 12_000_000, quantity: 1 }]).hints).toEqual([
      "authorized under LPP if items[0].quantity <= 941",
      "authorized under LPP if items[1] were at most 11,068,000 TPP",
    ]);
  });

  it("no hint for a line the other lines leave no room for", () => {
    expect(lpp([{ item: "H100", quantity: 1_700 }, { item: "B200", quantity: 2 }]).hints).toEqual(["authorized under LPP if items[0].quantity <= 1,694"]);
    expect(lpp([{ item: "H100", quantity: 1_700 }, { item: "B200", quantity: 1 }]).hints).toEqual(["authorized under LPP if items[0].quantity <= 1,696"]);
  });
});
