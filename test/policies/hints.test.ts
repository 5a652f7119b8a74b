/**
 * The counterfactual hints of the 2025 rule's policy and of a fixture whose decide blocks
 * share caps (fixtures/shared-caps.diffuse), on generated orders and starting usage: a quantity or TPP hint is the smallest change, so the order changed as the
 * hint says is authorized under the authorization it names, and one unit (or one TPP)
 * more is not; and when a smaller quantity of one line would authorize the order, there
 * is a quantity hint for that line and authorization. A date hint is the earliest later
 * date that authorizes the order. A status hint holds as it says, and every status that
 * would authorize the order has one.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { check, load } from "@diffuse/language";
import { compile, ledgerFrom, type Decision, type Evaluator } from "@diffuse/engine";

const here = dirname(fileURLToPath(import.meta.url));
const read = async (uri: string): Promise<string | undefined> => readFileSync(uri, "utf8");
const evaluatorOf = async (path: string): Promise<Evaluator> => compile(check(await load(path, read)).model);
/** Each policy with how many hints of each kind its runs must check at least (so that no property is vacuous). */
const policies = [
  {
    name: "policies/ai-diffusion-2025.diffuse",
    ev: await evaluatorOf(join(here, "../../policies/ai-diffusion-2025.diffuse")),
    least: { exact: 100, complete: 100, date: 25, status: 100 },
  },
  {
    name: "test/policies/fixtures/shared-caps.diffuse",
    ev: await evaluatorOf(join(here, "fixtures/shared-caps.diffuse")),
    least: { exact: 100, complete: 100, date: 25, status: 50 },
  },
];

const date = fc
  .tuple(fc.integer({ min: 2025, max: 2027 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const country = fc.constantFrom("US", "DE", "MY", "IN", "AE", "SA", "BR", "PL", "SG", "CN", "MO");
interface Line {
  readonly item?: string;
  readonly tppPerUnit?: number | string;
  readonly performanceDensity?: string;
  readonly quantity: number | string;
}
const line: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ item: fc.constantFrom("H100", "B200", "A100", "H20"), quantity: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({
    tppPerUnit: fc.integer({ min: 4_800, max: 60_000_000 }),
    performanceDensity: fc.constantFrom("1", "5.92", "19.45"),
    quantity: fc.integer({ min: 1, max: 3_000 }),
  }),
);
const order = fc.record({
  id: fc.constant("o"),
  date,
  destination: country,
  consignee: fc.record(
    {
      id: fc.constantFrom("a", "b"),
      headquarters: country,
      statuses: fc.subarray(["UVEU", "NVEU", "ACM_end_user"]),
      capacityTpp: fc.constantFrom("1000000000", "10000000000", "123456789012"),
    },
    { requiredKeys: ["id"] },
  ),
  items: fc.array(line, { minLength: 1, maxLength: 2 }),
});
type Order = typeof order extends fc.Arbitrary<infer T> ? T : never;
/** Usage near the caps' limits (26,900,000 LPP; 790,000,000 a country; UVEU shares of the capacities above). */
const startingUsage = fc.array(
  fc.record({
    cap: fc.constantFrom("LPP_limit", "country_allocation", "UVEU_country_share", "UVEU_outside_tier1", "UVEU_outside_us", "NVEU_installed_base"),
    key: fc.constantFrom("a", "MY", "IN", "a|MY", "a|IN"),
    date,
    amount: fc.constantFrom("1", "26899999", "70000000", "789999999", "1500000000"),
  }),
  { maxLength: 4 },
);

const QUANTITY = /^authorized under (\S+) if items\[(\d+)\]\.quantity <= ([\d,]+)$/;
const AMOUNT = /^authorized under (\S+) if items\[(\d+)\] were at most ([\d,]+) TPP$/;
const STATUS = /^authorized under (\S+) if the consignee held (\S+)$/;
const DATE = /^authorized under (\S+) if the order were dated (\d{4}-\d{2}-\d{2})$/;
const STATUSES = ["ACM_end_user", "UVEU", "NVEU"];
const authorizedUnder = (d: Decision, name: string): boolean => d.outcome === "authorized" && (d.basis ?? "").split(" + ").includes(name);

/** The order with line `at` changed as a hint says: another quantity, or (a single unit) another TPP; as decimal strings, which may pass 2^53. */
function changed(o: Order, at: number, kind: "quantity" | "amount", value: bigint): Order {
  const items = o.items.map((l, i): Line => {
    if (i !== at) return l;
    return kind === "quantity"
      ? { ...l, quantity: value.toString() }
      : { tppPerUnit: value.toString(), performanceDensity: l.performanceDensity ?? "19.45", quantity: 1 };
  });
  return { ...o, items };
}

describe("hints where decide blocks share a cap (fixtures/shared-caps.diffuse)", () => {
  // In MY, TRACK (block tracked) counts an H100 line toward LPP_limit before LPP_medium
  // (block medium_chips) checks it, so the line counts twice there; LPP_small (block small_chips,
  // H20 lines) checks the same cap after both.
  const shared = policies[1]?.ev as Evaluator;
  const decide = (h100: number, h20: number): Decision =>
    shared.evaluate(
      {
        id: "o",
        date: "2025-06-01",
        destination: "MY",
        consignee: { id: "a" },
        items: [
          { item: "H100", quantity: h100 },
          { item: "H20", quantity: h20 },
        ],
      },
      ledgerFrom([]),
      { dryRun: true },
    );

  it("a line that another block charged to the cap gets a hint too, counting each of its charges", () => {
    // 2 x 800 x 15,832 + 1,000 x 2,368 = 27,699,200 > 26,900,000: H100 <= 774 (each unit counts twice), or H20 <= 662.
    const d = decide(800, 1_000);
    expect(d.reasons.at(-1)?.message).toBe("LPP_small not available: 27,699,200 TPP > 26,900,000 TPP LPP_limit limit for consignee a in 2025");
    expect(d.hints?.slice(0, 2)).toEqual(["authorized under LPP_small if items[0].quantity <= 774", "authorized under LPP_small if items[1].quantity <= 662"]);
    expect(decide(774, 1_000).basis).toBe("TRACK + LPP_medium + LPP_small");
    expect(decide(775, 1_000).outcome).toBe("license-required");
    expect(decide(800, 662).basis).toBe("TRACK + LPP_medium + LPP_small");
  });

  it("a line whose smaller quantity makes a later block fail on the cap gets the quantity that lets both through", () => {
    // LPP_medium fails at 900 H100 (2 x 14,248,800 > 26,900,000); at 849, which it allows,
    // LPP_small then fails (26,882,736 + 2,368,000); 774 lets both through.
    const d = decide(900, 1_000);
    expect(d.reasons.at(-1)?.message).toBe("LPP_medium not available: 28,497,600 TPP > 26,900,000 TPP LPP_limit limit for consignee a in 2025");
    expect(d.hints).toEqual(["authorized under LPP_medium if items[0].quantity <= 774"]);
    expect(decide(849, 1_000).outcome).toBe("license-required");
  });
});

describe.each(policies)("hints of $name (property)", ({ ev: ai, least }) => {
  it("a quantity or TPP hint is exactly the largest that is authorized: applied, authorized under its name; one more, not", () => {
    let checked = 0;
    fc.assert(
      fc.property(order, startingUsage, (o, usage) => {
        const d = ai.evaluate(o, ledgerFrom(usage), { dryRun: true });
        for (const hint of d.hints ?? []) {
          const q = QUANTITY.exec(hint);
          const m = q ?? AMOUNT.exec(hint);
          if (m === null) continue;
          const [, name = "", at = "0", figure = ""] = m;
          const value = BigInt(figure.replace(/,/g, ""));
          const kind = q === null ? "amount" : "quantity";
          const applied = ai.evaluate(changed(o, Number(at), kind, value), ledgerFrom(usage), { dryRun: true, hints: false });
          expect(authorizedUnder(applied, name), hint).toBe(true);
          const past = ai.evaluate(changed(o, Number(at), kind, value + 1n), ledgerFrom(usage), { dryRun: true, hints: false });
          expect(authorizedUnder(past, name), hint).toBe(false);
          checked++;
        }
      }),
      { numRuns: 1_500 },
    );
    // The generators put orders near the caps often enough that this is not vacuous.
    expect(checked).toBeGreaterThan(least.exact);
  });

  it("when a smaller quantity of one line would be authorized, a quantity hint for that line names each authorization that failed on its caps and would do it", () => {
    let checked = 0;
    fc.assert(
      fc.property(order, startingUsage, (o, usage) => {
        const d = ai.evaluate(o, ledgerFrom(usage), { dryRun: true });
        if (d.outcome === "authorized" || d.outcome === "invalid") return;
        o.items.forEach((l, at) => {
          if (Number(l.quantity) < 2) return;
          // Caps only tighten as a quantity grows: if one unit is not authorized under X, no smaller quantity is.
          const one = ai.evaluate(changed(o, at, "quantity", 1n), ledgerFrom(usage), { dryRun: true, hints: false });
          if (one.outcome !== "authorized") return;
          for (const name of (one.basis ?? "").split(" + ")) {
            // Only an authorization that failed on its caps: another may authorize another line's block as it is.
            if (!d.reasons.some((r) => r.message.startsWith(`${name} not available: `))) continue;
            expect(
              d.hints?.some((h) => h.startsWith(`authorized under ${name} if items[${at}].quantity <= `)),
              `${name}, items[${at}]: ${JSON.stringify(d.hints)}`,
            ).toBe(true);
            checked++;
          }
        });
      }),
      { numRuns: 1_500 },
    );
    expect(checked).toBeGreaterThan(least.complete);
  });

  it("a date hint is the earliest later date: applied, authorized under its name; the day before, not", () => {
    let checked = 0;
    const dayBefore = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // Usage of the order's own consignee near the LPP limit and the NVEU schedule's steps, so that later windows matter often.
    const own = fc.record({ lpp: fc.constantFrom("0", "20000000", "26899999"), nveu: fc.constantFrom("0", "1500000000", "4200000000", "5000000000") });
    // Lines an LPP year or an NVEU step can hold.
    const fits = fc.record({
      item: fc.constantFrom("H100", "B200"),
      quantity: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: 60_000 })),
    });
    const near = order.chain((o) => fc.array(fits, { minLength: 1, maxLength: 2 }).map((items) => ({ ...o, items })));
    fc.assert(
      fc.property(fc.oneof(order, near), startingUsage, own, (o, usage, near) => {
        const all = [
          ...usage,
          { cap: "LPP_limit", key: o.consignee.id, date: o.date, amount: near.lpp },
          { cap: "NVEU_installed_base", key: `${o.consignee.id}|${o.destination}`, date: o.date, amount: near.nveu },
        ];
        const d = ai.evaluate(o, ledgerFrom(all), { dryRun: true });
        for (const hint of d.hints ?? []) {
          const m = DATE.exec(hint);
          if (m === null) continue;
          const [, name = "", on = ""] = m;
          expect(on > o.date, hint).toBe(true);
          expect(authorizedUnder(ai.evaluate({ ...o, date: on }, ledgerFrom(all), { dryRun: true, hints: false }), name), hint).toBe(true);
          // The 2025 policy's caps are per calendar year, a schedule or all time: the usage a date sees changes only where a window does.
          const before = dayBefore(on);
          if (before > o.date)
            expect(authorizedUnder(ai.evaluate({ ...o, date: before }, ledgerFrom(all), { dryRun: true, hints: false }), name), hint).toBe(false);
          checked++;
        }
      }),
      { numRuns: 1_500 },
    );
    expect(checked).toBeGreaterThan(least.date);
  });

  it("a status hint holds as it says, and a status that would authorize the order has one (the status itself, or an exception asking for it)", () => {
    let checked = 0;
    fc.assert(
      fc.property(order, startingUsage, (o, usage) => {
        const d = ai.evaluate(o, ledgerFrom(usage), { dryRun: true });
        if (d.outcome === "authorized" || d.outcome === "invalid") return;
        const given = new Map((d.hints ?? []).flatMap((h) => [STATUS.exec(h)].filter((m) => m !== null).map((m) => [m[2] ?? "", m[1] ?? ""] as const)));
        for (const s of STATUSES) {
          if (o.consignee.statuses?.includes(s) === true) continue;
          const trial = ai.evaluate({ ...o, consignee: { ...o.consignee, statuses: [...(o.consignee.statuses ?? []), s] } }, ledgerFrom(usage), {
            dryRun: true,
            hints: false,
          });
          const basis = given.get(s);
          if (basis !== undefined) {
            expect(authorizedUnder(trial, basis), `${s} -> ${basis}: ${JSON.stringify(trial)}`).toBe(true);
            checked++;
          } else expect(trial.outcome, `${s}: ${JSON.stringify(d.hints)}`).not.toBe("authorized");
        }
      }),
      { numRuns: 1_500 },
    );
    expect(checked).toBeGreaterThan(least.status);
  });
});
