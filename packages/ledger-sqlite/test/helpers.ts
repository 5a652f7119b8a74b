import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Decision, LedgerEntry } from "@diffuse/engine";
import { normalize } from "../src/decimal.js";

export function tempDb(name = "ledger.db"): string {
  return join(mkdtempSync(join(tmpdir(), "diffuse-ledger-")), name);
}

export const policy = { name: "test", version: "1", sha256: "cd".repeat(32) };

/** An authorized order charging `amount` (decimal text) to each of `caps` as (cap, key). */
export function entry(orderId: string, date: string, amount: string, caps: readonly (readonly [string, string])[] = [["lpp", "uni-my"]]): LedgerEntry {
  const [whole, frac = ""] = amount.split(".");
  const value = normalize(BigInt(`${whole}${frac}`), 10n ** BigInt(frac.length));
  const decision: Decision = {
    order: orderId,
    outcome: "authorized",
    basis: "LPP",
    reasons: [],
    charges: caps.map(([cap, key]) => ({ cap, key, window: "2025", amount, before: "0", after: amount, limit: "1000" })),
    policy,
  };
  return {
    orderId,
    date,
    decision,
    policySha256: policy.sha256,
    charges: caps.map(([cap, key]) => ({ cap, key, window: "2025", date, amount: value })),
  };
}
