/**
 * A small builder for hand-made PolicyModels, so engine tests do not depend on the
 * parser and checker. `aiDiffusion()` builds a representative model of the 2025 rule.
 */
import type {
  AuthorizationModel,
  CapLimit,
  CapModel,
  CapModifier,
  CapWindow,
  ClassModel,
  Cond,
  CountrySetRef,
  DecideModel,
  ExactQuantity,
  GroupModel,
  ItemModel,
  KeyPart,
  MembershipInterval,
  ModelWeightsModel,
  PolicyModel,
  QuantityUnit,
  Rational,
  ReviewCaseModel,
  RuleModel,
  SourceRef,
} from "@diffuse/language";
import { div, parseDecimal } from "../../src/exact.js";

export const SRC: SourceRef = { uri: "test.diffuse", range: { start: 0, end: 0 } };

export function r(x: string | number | bigint): Rational {
  if (typeof x === "bigint") return { num: x, den: 1n };
  const v = parseDecimal(String(x).replace(/_/g, ""));
  if (v === undefined) throw new Error(`bad number ${x}`);
  return v;
}

export function qty(x: string | number, unit: QuantityUnit = "TPP"): ExactQuantity {
  return { unit, value: r(x) };
}

// Conditions -----------------------------------------------------------------

export type SetSpec = string | readonly (string | MembershipInterval)[];

export class Builder {
  readonly groups = new Map<string, GroupModel>();
  readonly items = new Map<string, ItemModel>();
  readonly models = new Map<string, ModelWeightsModel>();
  readonly classes: ClassModel[] = [];
  readonly caps = new Map<string, CapModel>();
  readonly authorizations = new Map<string, AuthorizationModel>();
  readonly decisions: DecideModel[] = [];
  text = "";

  constructor(
    readonly title = "Test policy",
    readonly version = "1",
    readonly effective = "2025-01-13",
    readonly until?: string,
  ) {}

  group(name: string, members: readonly (string | MembershipInterval)[]): this {
    const list = members.map((m) => (typeof m === "string" ? { country: m } : m));
    list.sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : (a.from ?? "") < (b.from ?? "") ? -1 : 1));
    this.groups.set(name, { name, members: list, source: SRC });
    return this;
  }

  set(spec: SetSpec): CountrySetRef {
    if (typeof spec === "string") {
      const g = this.groups.get(spec);
      if (g === undefined) throw new Error(`no group ${spec}`);
      return { group: spec, display: spec, members: g.members };
    }
    const members = spec.map((m) => (typeof m === "string" ? { country: m } : m));
    return { display: `{ ${members.map((m) => m.country).join(" ")} }`, members };
  }

  destIn(spec: SetSpec): Cond {
    return { kind: "in", subject: "destination", set: this.set(spec), source: SRC };
  }
  hqIn(spec: SetSpec): Cond {
    return { kind: "in", subject: "headquarters", set: this.set(spec), source: SRC };
  }

  item(name: string, tpp: string | number, density?: string | number, dataCenter = true): this {
    this.items.set(name, { name, tppPerUnit: r(tpp), ...(density === undefined ? {} : { performanceDensity: r(density) }), dataCenter, source: SRC });
    return this;
  }

  weights(name: string, ops: string, openWeights = false): this {
    this.models.set(name, { name, trainingOps: r(ops), openWeights, source: SRC });
    return this;
  }

  cls(name: string, ...when: Cond[]): this {
    this.classes.push({ name, when: when.map((cond) => ({ cond, source: SRC })), source: SRC });
    return this;
  }

  cap(
    name: string,
    o: {
      limit?: ExactQuantity;
      /** In percent (7 means 7 %); the model holds the fraction. */
      percent?: string | number;
      per?: readonly KeyPart[];
      window?: CapWindow;
      schedule?: readonly [string, ExactQuantity][];
      times?: readonly [string | number, Cond][];
      when?: readonly Cond[];
      measure?: "TPP" | "units";
    },
  ): this {
    const limit: CapLimit =
      o.schedule !== undefined
        ? { kind: "schedule" }
        : o.percent !== undefined
          ? { kind: "percent-of-capacity", percent: div(r(o.percent), r(100)) } // the model holds the fraction: 7 % is 7/100
          : { kind: "absolute", value: o.limit ?? qty(0) };
    const window: CapWindow =
      o.schedule !== undefined
        ? { kind: "schedule", steps: o.schedule.map(([through, l]) => ({ through, limit: l, source: SRC })) }
        : (o.window ?? { kind: "calendar-year" });
    const modifiers: CapModifier[] = (o.times ?? []).map(([f, when]) => ({ factor: r(f), when, source: SRC }));
    this.caps.set(name, {
      name,
      measure: o.measure ?? (o.limit?.unit === "units" ? "units" : "TPP"),
      limit,
      key: o.per ?? ["consignee"],
      window,
      modifiers,
      when: (o.when ?? []).map((cond) => ({ cond, source: SRC })),
      source: SRC,
    });
    return this;
  }

  auth(
    kind: "exception" | "status",
    name: string,
    o: { when?: readonly Cond[]; within?: readonly string[]; countsToward?: readonly string[] | "nothing"; requires?: readonly string[]; title?: string } = {},
  ): this {
    this.authorizations.set(name, {
      kind,
      name,
      ...(o.title === undefined ? {} : { title: o.title }),
      when: (o.when ?? []).map((cond) => ({ cond, source: SRC })),
      within: o.within ?? [],
      countsToward: o.countsToward === "nothing" || o.countsToward === undefined ? [] : o.countsToward,
      countsTowardNothing: o.countsToward === "nothing",
      requires: (o.requires ?? []).map((text) => ({ text, source: SRC })),
      source: SRC,
    });
    return this;
  }

  decide(name: string, classes: readonly string[], rules: readonly RuleModel[]): this {
    this.decisions.push({ name, classes, rules, notes: [], source: SRC });
    return this;
  }

  build(): PolicyModel {
    return {
      uri: SRC.uri,
      header: { title: this.title, version: this.version, effective: this.effective, ...(this.until === undefined ? {} : { until: this.until }), source: SRC },
      groups: this.groups,
      disjoint: [],
      items: this.items,
      models: this.models,
      classes: this.classes,
      caps: this.caps,
      authorizations: this.authorizations,
      decisions: this.decisions,
      sources: [{ uri: SRC.uri, text: this.text }],
    };
  }
}

// Rules ------------------------------------------------------------------------

export const and = (...operands: Cond[]): Cond => ({ kind: "and", operands, source: SRC });
export const or = (...operands: Cond[]): Cond => ({ kind: "or", operands, source: SRC });
export const not = (operand: Cond): Cond => ({ kind: "not", operand, source: SRC });
export const flag = (f: "chip" | "model" | "datacenter" | "open"): Cond => ({ kind: "flag", flag: f, source: SRC });
export const has = (status: string): Cond => ({ kind: "has", status, source: SRC });
export const within = (cap: string): Cond => ({ kind: "within", cap, source: SRC });
export const cmpq = (
  measure: "amount" | "quantity" | "capacity" | "tpp" | "density" | "operations",
  op: "<" | "<=" | ">" | ">=" | "=" | "!=",
  value: ExactQuantity,
): Cond => ({
  kind: "compare",
  measure,
  op,
  value,
  source: SRC,
});
export const date = (op: "<" | "<=" | ">" | ">=" | "=" | "!=", value: string): Cond => ({ kind: "date", op, value, source: SRC });

export const prohibit = (when?: Cond): RuleModel => ({ kind: "prohibit", ...(when === undefined ? {} : { when }), source: SRC });
export const authorize = (basis: string, when?: Cond): RuleModel => ({ kind: "authorize", basis, ...(when === undefined ? {} : { when }), source: SRC });
export const review = (policy: ReviewCaseModel["review"], when?: Cond): ReviewCaseModel => ({
  review: policy,
  ...(when === undefined ? {} : { when }),
  source: SRC,
});
export const license = (reviews: readonly ReviewCaseModel[], o: { when?: Cond; charging?: readonly string[] } = {}): RuleModel => ({
  kind: "license",
  ...(o.when === undefined ? {} : { when: o.when }),
  charging: o.charging ?? [],
  reviews,
  source: SRC,
});

// The 2025 rule ----------------------------------------------------------------

export const TIER1 = ["AU", "BE", "CA", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "JP", "KR", "NL", "NO", "NZ", "SE", "TW", "US"];
export const D5 = ["AF", "BY", "CD", "CF", "CN", "CU", "ER", "HK", "HT", "IQ", "IR", "KP", "LB", "LY", "MM", "NI", "RU", "SD", "SO", "SS", "SY", "VE", "ZW"];
export const TIER2 = ["AE", "BR", "CH", "CY", "ID", "IL", "IN", "MX", "MY", "PL", "PT", "SA", "SG", "TR", "KH"];

/** A representative model of the AI Diffusion rule (numbers from the domain brief). */
export function aiDiffusion(o: { title?: string; version?: string; effective?: string; until?: string } = {}): Builder {
  const b = new Builder(o.title ?? "Framework for Artificial Intelligence Diffusion", o.version ?? "2025-01", o.effective ?? "2025-01-13", o.until);
  b.group("tier1", TIER1)
    .group("d5", [...D5, { country: "KH", until: "2026-02-03" }])
    .group("tier3", [...D5, { country: "KH", until: "2026-02-03" }, "MO"])
    .group("tier2", [...TIER2.filter((c) => c !== "KH"), { country: "KH", from: "2026-02-03" }])
    .group("g2g", ["AE"]);
  b.item("H100", 15_832, "19.45").item("B200", 36_000, "22.11").item("A100", 4_992, "6.04").item("H20", 2_368, "2.91").item("RTX", 5_000, "4.0", false);
  b.weights("frontier", "3e26").weights("open_frontier", "5e26", true);
  b.cls(
    "advanced_ic",
    flag("chip"),
    flag("datacenter"),
    or(cmpq("tpp", ">=", qty(4_800)), and(cmpq("tpp", ">=", qty(1_600)), cmpq("density", ">=", qty("5.92", "count")))),
  );
  b.cls("consumer_ic", flag("chip"), not(flag("datacenter")), cmpq("tpp", ">=", qty(4_800)));
  b.cls("closed_weights", flag("model"), not(flag("open")), cmpq("operations", ">=", qty("1e26", "ops")));
  b.cap("LPP_limit", { limit: qty(26_900_000), per: ["consignee"], window: { kind: "calendar-year" } });
  b.cap("country_allocation", {
    limit: qty(790_000_000),
    per: ["destination"],
    window: { kind: "fixed", from: "2025-01-01", to: "2027-12-31" },
    times: [[2, b.destIn("g2g")]],
    when: [b.destIn("tier2")],
  });
  b.cap("nveu_installed_base", {
    per: ["consignee", "destination"],
    schedule: [
      ["2025-12-31", qty(100_000 * 15_832)],
      ["2026-12-31", qty(270_000 * 15_832)],
      ["2027-12-31", qty(320_000 * 15_832)],
    ],
  });
  b.cap("uveu_country_share", { percent: 7, per: ["consignee", "destination"], window: { kind: "all-time" }, when: [b.destIn("tier2")] });
  b.auth("exception", "AIA", {
    title: "Artificial Intelligence Authorization",
    when: [b.destIn("tier1"), b.hqIn("tier1")],
    requires: ["obtain the recipient's certification and submit it to BIS"],
  });
  b.auth("exception", "LPP", {
    title: "Low Processing Performance",
    when: [b.destIn("tier2"), not(b.hqIn("tier3"))],
    within: ["LPP_limit"],
    countsToward: "nothing",
    requires: ["notify BIS (AES code C75)"],
  });
  b.auth("exception", "ACA", { when: [b.destIn("tier2")] });
  b.auth("status", "UVEU", { when: [b.hqIn("tier1"), not(b.destIn("tier3"))], within: ["uveu_country_share"], countsToward: "nothing" });
  b.auth("status", "NVEU", { when: [not(b.destIn("tier3")), not(b.hqIn("tier3"))], within: ["nveu_installed_base"], countsToward: "nothing" });
  b.decide(
    "chips",
    ["advanced_ic"],
    [
      license([review("presumption-of-denial")], { when: or(b.destIn("tier3"), b.hqIn("tier3")) }),
      authorize("AIA"),
      authorize("UVEU"),
      authorize("NVEU"),
      authorize("LPP"),
      license([review("presumption-of-approval", within("country_allocation")), review("presumption-of-denial")], {
        when: b.destIn("tier2"),
        charging: ["country_allocation"],
      }),
      license([review("case-by-case")]),
    ],
  );
  b.decide("consumer", ["consumer_ic"], [license([review("presumption-of-denial")], { when: b.destIn("tier3") }), authorize("ACA"), authorize("AIA")]);
  b.decide("weights", ["closed_weights"], [authorize("AIA"), license([review("presumption-of-denial")])]);
  return b;
}

/** An order with defaults: H100 x 1 to MY, consignee uni-my, 2025-06-10. */
export function order(o: {
  id?: string;
  date?: string;
  destination?: string;
  consignee?: string;
  headquarters?: string;
  statuses?: string[];
  capacityTpp?: string;
  items?: unknown[];
  item?: string;
  quantity?: number | string;
}): Record<string, unknown> {
  return {
    id: o.id ?? "o-1",
    date: o.date ?? "2025-06-10",
    destination: o.destination ?? "MY",
    consignee: {
      id: o.consignee ?? "uni-my",
      ...(o.headquarters === undefined ? {} : { headquarters: o.headquarters }),
      ...(o.statuses === undefined ? {} : { statuses: o.statuses }),
      ...(o.capacityTpp === undefined ? {} : { capacityTpp: o.capacityTpp }),
    },
    items: o.items ?? [{ item: o.item ?? "H100", quantity: o.quantity ?? 1 }],
  };
}
