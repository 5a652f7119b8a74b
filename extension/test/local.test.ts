import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MemoryLedger } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { evaluateAll, explainInBook, loadPolicy, parseOrders, type OrderFile } from "../src/local.js";
import { utilisationOf } from "../src/views.js";

const repo = new URL("../../", import.meta.url);
const policy = new URL("policies/ai-diffusion-2025.diffuse", repo).toString();

async function read(uri: string): Promise<string | undefined> {
  try {
    return readFileSync(fileURLToPath(uri), "utf8");
  } catch {
    return undefined;
  }
}

function orders(): OrderFile {
  const parsed = parseOrders(readFileSync(new URL("test/e2e/workspace/orders.json", repo), "utf8"));
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
}

describe("the client's own use of the libraries", () => {
  it("loads a policy with its imports and evaluates a book in date order", async () => {
    const loaded = await loadPolicy(policy, read);
    expect(loaded.errors).toBeUndefined();
    if (loaded.evaluator === undefined) return;
    const decisions = evaluateAll(loaded.evaluator, orders());
    expect(decisions.map((d) => d.order)).toEqual(["lpp-my-1", "tier1-de", "tier3-cn", "lpp-my-2", "big-in"]);
    expect(decisions.every((d) => d.outcome !== "invalid")).toBe(true);
    const rows = utilisationOf(decisions);
    expect(rows.length).toBeGreaterThan(0);
    // Charges accumulate over the book: the last usage of a key is its total.
    const lpp = rows.find((r) => r.key === "uni-my");
    expect(lpp?.used).toBe(
      decisions
        .flatMap((d) => d.charges)
        .filter((c) => c.key === "uni-my")
        .at(-1)?.after,
    );
  });

  it("explains an order after charging the orders dated before it", async () => {
    const loaded = await loadPolicy(policy, read);
    if (loaded.evaluator === undefined) throw new Error(String(loaded.errors));
    const book = orders();
    const alone = loaded.evaluator.explain(book.orders[3], new MemoryLedger(), { dryRun: true });
    const inBook = explainInBook(loaded.evaluator, book, 3);
    expect(inBook.decision.order).toBe("lpp-my-2");
    expect(inBook.trace.length).toBeGreaterThan(0);
    const before = (e: typeof inBook) => e.decision.charges.find((c) => c.key === "uni-my")?.before;
    // In the book, lpp-my-1 (same consignee, earlier) has already used part of the cap.
    expect(before(alone)).toBe("0");
    expect(before(inBook)).not.toBe("0");
  });

  it("decides an order that gives a key twice invalid, naming the field, as diffuse eval does; it charges nothing", async () => {
    const loaded = await loadPolicy(policy, read);
    if (loaded.evaluator === undefined) throw new Error(String(loaded.errors));
    const line = (id: string, extra = ""): string =>
      `{"id":"${id}","date":"2025-03-01","destination":"MY"${extra},"consignee":{"id":"c"},"items":[{"item":"H100","quantity":100}]}`;
    for (const text of [
      [line("a"), line("b", ',"destination":"CN"'), line("c")].join("\n"),
      `[${line("a")},\n${line("b", ',"destination":"CN"')},\n${line("c")}]`,
    ]) {
      const book = parseOrders(text);
      if ("error" in book) throw new Error(book.error);
      const decisions = evaluateAll(loaded.evaluator, book);
      expect(decisions.map((d) => [d.order, d.outcome])).toEqual([
        ["a", "authorized"],
        ["b", "invalid"],
        ["c", "authorized"],
      ]);
      expect(decisions[1]?.errors?.map((e) => e.field)).toEqual(["destination"]);
      // c is charged after a only: b, invalid, charged nothing.
      expect(decisions[2]?.charges.find((c) => c.key === "c")?.before).toBe(decisions[0]?.charges.find((c) => c.key === "c")?.after);
      const explained = explainInBook(loaded.evaluator, book, 1);
      expect(explained.decision.outcome).toBe("invalid");
      expect(explained.decision.errors?.map((e) => e.field)).toEqual(["destination"]);
      expect(explainInBook(loaded.evaluator, book, 2).decision.charges.find((c) => c.key === "c")?.before).toBe(
        decisions[2]?.charges.find((c) => c.key === "c")?.before,
      );
    }
    expect(parseOrders("{ not json")).toMatchObject({ error: expect.stringMatching(/^the order file is not valid JSON/) });
  });

  it("reports a policy with errors instead of compiling it", async () => {
    const broken = pathToFileURL("/nonexistent/broken.diffuse").toString();
    const loaded = await loadPolicy(broken, async (uri) => (uri === broken ? "group g = { US ZZ }\n" : undefined));
    expect(loaded.evaluator).toBeUndefined();
    expect(loaded.errors?.join("\n")).toMatch(/ZZ/);
  });
});
