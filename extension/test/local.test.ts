import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MemoryLedger } from "@diffuse/engine";
import { describe, expect, it } from "vitest";
import { evaluateAll, explainInBook, loadPolicy, parseOrders } from "../src/local.js";
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

function orders(): readonly unknown[] {
  const parsed = parseOrders(readFileSync(new URL("test/e2e/workspace/orders.json", repo), "utf8"));
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.orders;
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
    expect(lpp?.used).toBe(decisions.flatMap((d) => d.charges).filter((c) => c.key === "uni-my").at(-1)?.after);
  });

  it("explains an order after charging the orders dated before it", async () => {
    const loaded = await loadPolicy(policy, read);
    if (loaded.evaluator === undefined) throw new Error(String(loaded.errors));
    const book = orders();
    const alone = loaded.evaluator.explain(book[3], new MemoryLedger(), { dryRun: true });
    const inBook = explainInBook(loaded.evaluator, book, 3);
    expect(inBook.decision.order).toBe("lpp-my-2");
    expect(inBook.trace.length).toBeGreaterThan(0);
    const before = (e: typeof inBook) => e.decision.charges.find((c) => c.key === "uni-my")?.before;
    // In the book, lpp-my-1 (same consignee, earlier) has already used part of the cap.
    expect(before(alone)).toBe("0");
    expect(before(inBook)).not.toBe("0");
  });

  it("refuses an order file in which an order gives a key twice, naming the order and field", () => {
    const line = (id: string, extra = ""): string => `{"id":"${id}","date":"2025-03-01","destination":"MY"${extra},"consignee":{"id":"c"},"items":[{"item":"H100","quantity":1}]}`;
    expect(parseOrders([line("a"), line("b", ',"destination":"CN"')].join("\n"))).toEqual({
      error: "order 2 of the order file gives `destination` more than once (JSON keeps only the last value): give `destination` once, with the value meant",
    });
    expect(parseOrders(`[${line("a")},\n${line("b", ',"destination":"CN"')}]`)).toMatchObject({ error: expect.stringMatching(/^order 2 of the order file gives `destination`/) });
    expect(parseOrders([line("a"), line("b")].join("\n"))).toMatchObject({ orders: [{ id: "a" }, { id: "b" }] });
  });

  it("reports a policy with errors instead of compiling it", async () => {
    const broken = pathToFileURL("/nonexistent/broken.diffuse").toString();
    const loaded = await loadPolicy(broken, async (uri) => (uri === broken ? 'group g = { US ZZ }\n' : undefined));
    expect(loaded.evaluator).toBeUndefined();
    expect(loaded.errors?.join("\n")).toMatch(/ZZ/);
  });
});
