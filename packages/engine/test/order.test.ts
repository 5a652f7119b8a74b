import { describe, expect, it } from "vitest";
import { catalogOf, validateOrder } from "../src/order.js";
import { aiDiffusion, order } from "./helpers/model.js";

const catalog = catalogOf(aiDiffusion().build());
const errors = (o: unknown): { field: string; message: string }[] => {
  const v = validateOrder(o, catalog);
  return v.ok ? [] : v.errors.map((e) => ({ field: e.field, message: e.message }));
};

describe("order validation", () => {
  it("tells a decimal whose exponent is out of range from text that is not a decimal", () => {
    const huge = validateOrder(order({ capacityTpp: "1e999" }), catalog);
    expect(huge.ok ? [] : huge.errors).toEqual([
      {
        field: "consignee.capacityTpp",
        message: "capacityTpp `1e999` is out of range: its exponent is beyond 400 or -400",
        help: 'give the figure in its plain size, e.g. "3e26"',
      },
    ]);
    const word = validateOrder(order({ capacityTpp: "lots" }), catalog);
    expect(word.ok ? [] : word.errors.map((e) => e.message)).toEqual(["capacityTpp `lots` is not a decimal number"]);
  });
  it("accepts a well-formed order and fills defaults", () => {
    const v = validateOrder(order({ quantity: 1_699 }), catalog);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.order).toMatchObject({ id: "o-1", destination: "MY", headquarters: "MY", statuses: [], consignee: "uni-my" });
    expect(v.order.lines[0]?.amount).toEqual({ num: 26_898_568n, den: 1n });
  });
  it("reports one error per bad field", () => {
    const bad = {
      id: "x",
      date: "2025-02-30",
      destination: "ZZ",
      extra: 1,
      consignee: { id: "c", headquarters: "my", statuses: ["XVEU"], capacityTpp: 0.1 + 0.2 },
      items: [
        { item: "H900", quantity: 1 },
        { item: "H100", quantity: 1.5 },
        { tppPerUnit: Number("9007199254740993"), quantity: 1 },
        { item: "H100", quantity: 0 },
      ],
    };
    expect(errors(bad).map((e) => e.field)).toEqual([
      "extra",
      "date",
      "destination",
      "consignee.headquarters",
      "consignee.statuses[0]",
      "consignee.capacityTpp",
      "items[0].item",
      "items[1].quantity",
      "items[2].tppPerUnit",
      "items[3].quantity",
    ]);
  });
  it("messages are lowercase, one line, no final period, input in backticks", () => {
    for (const e of errors({ id: "x", date: "2025-13-01", destination: "MY", consignee: { id: "c" }, items: [{ item: "H900", quantity: 1 }] })) {
      expect(e.message).toMatch(/^[a-z]/);
      expect(e.message).not.toMatch(/\.$|\n/);
    }
    expect(errors(order({ item: "H900" }))[0]?.message).toBe("unknown item `H900`");
  });
  it("says what a value of the wrong type is, and suggests the name probably meant", () => {
    const full = (o: unknown): { field: string; message: string; help?: string }[] => {
      const v = validateOrder(o, catalog);
      return v.ok ? [] : [...v.errors];
    };
    expect(full("H100")).toEqual([{ field: "", message: 'an order must be a JSON object, got the string "H100"' }]);
    expect(full({ ...order({}), id: 7 })[0]?.message).toBe("id must be a non-empty string, got the number 7");
    expect(full({ ...order({}), consignee: [] })[0]?.message).toBe("consignee must be an object, got an array");
    expect(full({ ...order({}), items: null })[0]?.message).toBe("items must be an array, got null");
    expect(full(order({ item: "H1OO" }))[0]?.help).toMatch(/^did you mean `H100`\? /);
    expect(full({ ...order({}), destinaton: "MY" })[0]?.help).toMatch(/^did you mean `destination`\? allowed fields here: /);
    expect(full(order({ statuses: ["uveu"] }))[0]?.help).toMatch(/^did you mean `UVEU`\? statuses declared by the policy: /);
    expect(full(order({ destination: "UK" }))[0]?.help).toBe("did you mean `GB` (United Kingdom)? ISO 3166-1 spells it so");
    expect(full(order({ headquarters: "my" }))).toEqual([
      { field: "consignee.headquarters", message: "headquarters `my` is not in capitals", help: "did you mean `MY` (Malaysia)?" },
    ]);
    expect(full(order({ destination: "mx1" }))[0]?.message).toBe("destination `mx1` is not a two-letter country code");
    expect(full(order({ item: "Z9" }))[0]?.help).toMatch(/^name an item of the policy's catalog/);
  });
  it("missing consignee, items, date", () => {
    expect(errors({ id: "x", destination: "MY" }).map((e) => e.field)).toEqual(["date", "consignee", "items"]);
  });
  it("unknown country code that has the right shape", () => {
    expect(errors(order({ destination: "QQ" }))).toEqual([{ field: "destination", message: "unknown country code `QQ`" }]);
  });
  it("big numbers: decimal strings are exact; unsafe JSON numbers are refused", () => {
    const ok = validateOrder(order({ capacityTpp: "12000000000", items: [{ modelWeights: { trainingOps: "3e26", openWeights: false } }] }), catalog);
    expect(ok.ok && ok.order.capacity).toEqual({ num: 12_000_000_000n, den: 1n });
    expect(ok.ok && ok.order.lines[0]?.operations).toEqual({ num: 3n * 10n ** 26n, den: 1n });
    expect(errors(order({ items: [{ modelWeights: { trainingOps: 3e26, openWeights: false } }] }))[0]?.field).toBe("items[0].modelWeights.trainingOps");
    expect(errors(order({ quantity: 2 ** 53 + 2 }))[0]?.field).toBe("items[0].quantity");
    expect(errors(order({ items: [{ tppPerUnit: 15831.2, performanceDensity: 19.45, quantity: 1 }] }))).toEqual([]);
    expect(errors(order({ items: [{ tppPerUnit: "15_831", quantity: 1 }] }))[0]?.field).toBe("items[0].tppPerUnit");
  });
  it("leap days", () => {
    expect(errors(order({ date: "2024-02-29" }))).toEqual([]);
    expect(errors(order({ date: "2025-02-29" }))[0]?.field).toBe("date");
    expect(errors(order({ date: "2025-6-1" }))[0]?.field).toBe("date");
  });
  it("non-objects", () => {
    expect(errors(null)).toEqual([{ field: "", message: "an order must be a JSON object, got null" }]);
    expect(errors([1])[0]?.message).toBe("an order must be a JSON object, got an array");
  });
  it("a line that is neither catalog item, chip nor weights", () => {
    expect(errors(order({ items: [{ quantity: 1 }] }))[0]?.field).toBe("items[0].tppPerUnit");
    expect(errors(order({ items: [] }))[0]).toEqual({ field: "items", message: "an order needs at least one item" });
  });
});
