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
