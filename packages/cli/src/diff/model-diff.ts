/**
 * Semantic differences between two checked policies: what a reviewer of a regulatory
 * change wants to know (countries moved between tiers, limits or windows changed,
 * exceptions, statuses, caps and classes added, removed or changed, rules reordered),
 * not a text diff. Pure: models in, a list of changes out.
 */
import {
  formatPercent,
  formatRational,
  type AuthorizationModel,
  type CapModel,
  type CapWindow,
  type ClassModel,
  type Cond,
  type DecideModel,
  type ExactQuantity,
  type GroupModel,
  type ItemModel,
  type MembershipInterval,
  type ModelWeightsModel,
  type PolicyModel,
  type Rational,
  type RuleModel,
} from "@diffuse/language";
import { CanonicalSets } from "./set-text.js";

export type Entity = "policy" | "group" | "country" | "item" | "model" | "class" | "cap" | "exception" | "status" | "decide";
export type ChangeKind = "added" | "removed" | "changed" | "moved" | "reordered";

export interface Change {
  readonly kind: ChangeKind;
  readonly entity: Entity;
  /** The declaration's name (a country code for country changes). */
  readonly name: string;
  /** The field that changed (`limit`, `window`, `when`, a group name for memberships, ...). */
  readonly field?: string;
  /** The value on each side, as text; null where that side has none (no `until`, no `when`, an empty list). */
  readonly before?: string | null;
  readonly after?: string | null;
  /** One readable line. */
  readonly message: string;
}

// ---------------------------------------------------------------------------
// Rendering model pieces as short text

function num(r: Rational): string {
  return formatRational(r, { group: true });
}

/** Operation counts in scientific notation, as policies write them (`3e26`). */
function ops(r: Rational): string {
  if (r.den !== 1n || r.num < 10n ** 15n) return num(r);
  const digits = r.num.toString();
  const mantissa = digits.replace(/0+$/, "");
  const exponent = digits.length - 1;
  return `${mantissa[0] ?? "0"}${mantissa.length > 1 ? `.${mantissa.slice(1)}` : ""}e${exponent}`;
}

export function quantityText(q: ExactQuantity): string {
  switch (q.unit) {
    case "TPP":
      return `${num(q.value)} TPP`;
    case "units":
      return `${num(q.value)} units`;
    case "ops":
      return `${ops(q.value)} ops`;
    case "percent":
      return `${formatPercent(q.value, { group: true })} %`;
    case "count":
      return num(q.value);
    default: {
      const never: never = q.unit;
      return String(never);
    }
  }
}

type InCond = Extract<Cond, { readonly kind: "in" }>;

/**
 * How conditions are written: the text of an `in` condition's set, and whether the
 * operands of `and` and `or` are sorted (to compare conditions: their order means nothing).
 */
interface CondStyle {
  readonly set: (c: InCond) => string;
  readonly sorted: boolean;
}

const AS_WRITTEN: CondStyle = { set: (c) => c.set.display, sorted: false };

export function condText(c: Cond): string {
  return condString(c, AS_WRITTEN);
}

/** The operands of an `and` (or an `or`); sorted, with nested ones of the same kind flattened, for comparing. */
function operands(c: Extract<Cond, { readonly kind: "and" | "or" }>, style: CondStyle): string[] {
  if (!style.sorted) return c.operands.map((o) => operandString(c.kind, o, style));
  const flat: Cond[] = [];
  const flatten = (x: Cond): void => {
    if (x.kind === c.kind) x.operands.forEach(flatten);
    else flat.push(x);
  };
  flatten(c);
  return flat.map((o) => operandString(c.kind, o, style)).sort();
}

function operandString(junction: "and" | "or", o: Cond, style: CondStyle): string {
  return junction === "and" && o.kind === "or" ? `(${condString(o, style)})` : condString(o, style);
}

function condString(c: Cond, style: CondStyle): string {
  switch (c.kind) {
    case "const":
      return c.value ? "true" : "false";
    case "and":
      return operands(c, style).join(" and ");
    case "or":
      return operands(c, style).join(" or ");
    case "not":
      if (c.operand.kind === "in") return `${c.operand.subject} not in ${style.set(c.operand)}`;
      if (c.operand.kind === "has") return `consignee has not ${c.operand.status}`;
      if (c.operand.kind === "is") return `item is not ${c.operand.itemClass}`;
      return `not ${c.operand.kind === "and" || c.operand.kind === "or" ? `(${condString(c.operand, style)})` : condString(c.operand, style)}`;
    case "in":
      return `${c.subject} in ${style.set(c)}`;
    case "has":
      return `consignee has ${c.status}`;
    case "is":
      return `item is ${c.itemClass}`;
    case "within":
      return `within ${c.cap}`;
    case "compare":
      return `${c.measure} ${c.op} ${quantityText(c.value)}`;
    case "date":
      return `date ${c.op} ${c.value}`;
    case "flag":
      return c.flag;
    default: {
      const never: never = c;
      return String(never);
    }
  }
}

export function windowText(w: CapWindow): string {
  switch (w.kind) {
    case "calendar-year":
      return "calendar year";
    case "fixed":
      return `${w.from} .. ${w.to}`;
    case "rolling":
      return `rolling ${w.length} ${w.unit}`;
    case "all-time":
      return "all time";
    case "schedule":
      return `schedule ${w.steps.map((s) => `through ${s.through} limit ${quantityText(s.limit)}`).join(", ")}`;
    default: {
      const never: never = w;
      return String(never);
    }
  }
}

function limitText(cap: CapModel): string {
  switch (cap.limit.kind) {
    case "absolute":
      return quantityText(cap.limit.value);
    case "percent-of-capacity":
      return `${formatPercent(cap.limit.percent, { group: true })} % of capacity`;
    case "schedule":
      return "scheduled limits";
    default: {
      const never: never = cap.limit;
      return String(never);
    }
  }
}

export function ruleText(r: RuleModel): string {
  return ruleString(r, AS_WRITTEN);
}

function ruleString(r: RuleModel, style: CondStyle): string {
  const when = r.when ? ` when ${condString(r.when, style)}` : "";
  switch (r.kind) {
    case "prohibit":
      return `prohibit${when}`;
    case "authorize":
      return `authorize ${r.basis}${when}`;
    case "license": {
      const charging = r.charging.length > 0 ? ` charging ${(style.sorted ? [...r.charging].sort() : r.charging).join(", ")}` : "";
      // Review cases are tried in order (the first that holds applies): never sorted.
      const reviews =
        r.reviews.length === 1 && r.reviews[0]?.when === undefined
          ? (r.reviews[0]?.review ?? "")
          : r.reviews.map((c) => `${c.review} ${c.when ? `when ${condString(c.when, style)}` : "otherwise"}`).join(" / ");
      return `license${charging}${when} review ${reviews}`;
    }
    default: {
      const never: never = r;
      return String(never);
    }
  }
}

// ---------------------------------------------------------------------------

function membershipText(intervals: readonly MembershipInterval[]): string {
  return intervals
    .map((m) =>
      m.from === undefined && m.until === undefined
        ? "always"
        : `${m.from ? `from ${m.from}` : ""}${m.from && m.until ? " " : ""}${m.until ? `until ${m.until}` : ""}`,
    )
    .join(", ");
}

/** country -> group -> membership text, for the groups in `names`. */
function memberships(groups: ReadonlyMap<string, GroupModel>, names: readonly string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const name of names) {
    const g = groups.get(name);
    if (!g) continue;
    const byCountry = new Map<string, MembershipInterval[]>();
    for (const m of g.members) {
      const list = byCountry.get(m.country) ?? [];
      list.push(m);
      byCountry.set(m.country, list);
    }
    for (const [country, intervals] of byCountry) {
      const row = out.get(country) ?? new Map<string, string>();
      row.set(name, membershipText(intervals));
      out.set(country, row);
    }
  }
  return out;
}

function names<T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): { added: string[]; removed: string[]; common: string[] } {
  return {
    added: [...b.keys()].filter((k) => !a.has(k)).sort(),
    removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    common: [...a.keys()].filter((k) => b.has(k)).sort(),
  };
}

function byName<T extends { readonly name: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((x) => [x.name, x]));
}

/**
 * A value as shown, the key it is compared by (equal keys: no change, however differently
 * it is written), and the value JSON gives: null for a value that is absent, which the
 * text shows with a placeholder such as `(none)`.
 */
interface Shown {
  readonly text: string;
  readonly key: string;
  readonly value: string | null;
}

function present(text: string, key: string = text): Shown {
  return { text, key, value: text };
}

function absent(placeholder: string): Shown {
  return { text: placeholder, key: placeholder, value: null };
}

/** An optional field: its text, or `placeholder` in the text output and null in JSON. */
function optional(text: string | undefined, placeholder = "(none)"): Shown {
  return text === undefined ? absent(placeholder) : present(text);
}

/** How one side's conditions are shown and compared: its inline sets are printed from its own sources. */
class Side {
  readonly shown: CondStyle;
  readonly compared: CondStyle;
  constructor(model: PolicyModel) {
    const sets = new CanonicalSets(model.sources);
    const set = (c: InCond): string => sets.text(c);
    this.shown = { set, sorted: false };
    this.compared = { set, sorted: true };
  }

  /** `when` clauses all hold together: their order means nothing. */
  when(when: readonly { readonly cond: Cond }[]): Shown {
    if (when.length === 0) return absent("(always)");
    return present(
      when.map((w) => condString(w.cond, this.shown)).join("; "),
      when
        .map((w) => condString(w.cond, this.compared))
        .sort()
        .join("; "),
    );
  }

  /** A cap's factors multiply: their order means nothing. */
  modifiers(c: CapModel): Shown {
    const text = (style: CondStyle): string[] => c.modifiers.map((m) => `times ${num(m.factor)} when ${condString(m.when, style)}`);
    return c.modifiers.length === 0 ? absent("(none)") : present(text(this.shown).join("; "), text(this.compared).sort().join("; "));
  }

  rule(r: RuleModel): Shown {
    return present(ruleString(r, this.shown), ruleString(r, this.compared));
  }
}

/** Names of caps, classes or obligations, where the order written means nothing. */
function unordered(values: readonly string[]): Shown {
  return values.length === 0 ? absent("(none)") : present(values.join(", "), [...values].sort().join(", "));
}

class Collector {
  readonly changes: Change[] = [];
  constructor(
    readonly before: Side,
    readonly after: Side,
  ) {}
  add(kind: ChangeKind, entity: Entity, name: string, message: string, extra: { field?: string; before?: string | null; after?: string | null } = {}): void {
    this.changes.push({ kind, entity, name, ...extra, message });
  }
  /** Records a changed field when it differs (by key, for a `Shown`). */
  field(entity: Entity, name: string, field: string, before: string | Shown, after: string | Shown): void {
    const x = typeof before === "string" ? present(before) : before;
    const y = typeof after === "string" ? present(after) : after;
    if (x.key !== y.key) this.add("changed", entity, name, `${entity} ${name}: ${field} ${x.text} -> ${y.text}`, { field, before: x.value, after: y.value });
  }
  declarations<T>(
    entity: Entity,
    a: ReadonlyMap<string, T>,
    b: ReadonlyMap<string, T>,
    describe: (x: T, side: Side) => string,
    compare: (name: string, x: T, y: T) => void,
  ): void {
    const n = names(a, b);
    for (const name of n.removed) {
      const was = describe(a.get(name) as T, this.before);
      this.add("removed", entity, name, `${entity} ${name} removed (was ${was})`, { before: was });
    }
    for (const name of n.added) {
      const is = describe(b.get(name) as T, this.after);
      this.add("added", entity, name, `${entity} ${name} added: ${is}`, { after: is });
    }
    for (const name of n.common) compare(name, a.get(name) as T, b.get(name) as T);
  }
}

function itemText(i: ItemModel): string {
  return `${num(i.tppPerUnit)} TPP${i.performanceDensity ? `, density ${num(i.performanceDensity)}` : ""}${i.eccn ? `, ECCN ${i.eccn}` : ""}${i.dataCenter ? "" : ", not data center"}`;
}

function weightsText(m: ModelWeightsModel): string {
  return `${ops(m.trainingOps)} ops, ${m.openWeights ? "open" : "closed"} weights`;
}

function classText(c: ClassModel, side: Side): string {
  return `${c.eccn ? `ECCN ${c.eccn}, ` : ""}when ${side.when(c.when).text}`;
}

function capText(c: CapModel): string {
  return `${limitText(c)} per ${c.key.join(" x ")}, window ${windowText(c.window)}`;
}

function authText(a: AuthorizationModel, side: Side): string {
  return `when ${side.when(a.when).text}${a.within.length > 0 ? `, within ${a.within.join(", ")}` : ""}`;
}

function decideText(d: DecideModel): string {
  return `for ${d.classes.join(", ")}, ${d.rules.length} rule${d.rules.length === 1 ? "" : "s"}`;
}

/** The differences from `before` to `after`, in a stable order. */
export function diffModels(before: PolicyModel, after: PolicyModel): Change[] {
  const sb = new Side(before);
  const sa = new Side(after);
  const out = new Collector(sb, sa);

  // Header
  const hb = before.header;
  const ha = after.header;
  // A side without a header is a library (a catalog, a country list): compared all the same.
  if (hb && !ha)
    out.add("removed", "policy", hb.title, `policy ${hb.title} removed (version ${hb.version}): the new file is a library, without a policy header`, {
      before: hb.version,
    });
  if (!hb && ha)
    out.add("added", "policy", ha.title, `policy ${ha.title} added (version ${ha.version}): the old file is a library, without a policy header`, {
      after: ha.version,
    });
  if (hb && ha) {
    const p = ha.title;
    out.field("policy", p, "title", hb.title, ha.title);
    out.field("policy", p, "version", hb.version, ha.version);
    out.field("policy", p, "effective", hb.effective, ha.effective);
    out.field("policy", p, "until", optional(hb.until, "(open-ended)"), optional(ha.until, "(open-ended)"));
    out.field("policy", p, "compliance", optional(hb.compliance), optional(ha.compliance));
    out.field("policy", p, "supersedes", optional(hb.supersedes), optional(ha.supersedes));
    out.field("policy", p, "cite", optional(hb.cite), optional(ha.cite));
  }

  // Groups and countries
  const g = names(before.groups, after.groups);
  for (const name of g.removed) out.add("removed", "group", name, `group ${name} removed`);
  for (const name of g.added) {
    const n = new Set(after.groups.get(name)?.members.map((m) => m.country)).size;
    out.add("added", "group", name, `group ${name} added with ${n} countr${n === 1 ? "y" : "ies"}`);
  }
  const mb = memberships(before.groups, g.common);
  const ma = memberships(after.groups, g.common);
  const countries = [...new Set([...mb.keys(), ...ma.keys()])].sort();
  for (const country of countries) {
    const b = mb.get(country) ?? new Map<string, string>();
    const a = ma.get(country) ?? new Map<string, string>();
    const left = [...b.keys()].filter((k) => !a.has(k)).sort();
    const joined = [...a.keys()].filter((k) => !b.has(k)).sort();
    if (left.length > 0 && joined.length > 0) {
      out.add("moved", "country", country, `country ${country} moved from ${left.join(", ")} to ${joined.join(", ")}`, {
        before: left.join(", "),
        after: joined.join(", "),
      });
    } else {
      for (const grp of joined)
        out.add("added", "country", country, `country ${country} added to ${grp}${a.get(grp) === "always" ? "" : ` (${a.get(grp) ?? ""})`}`, {
          field: grp,
          after: a.get(grp) ?? "",
        });
      for (const grp of left) out.add("removed", "country", country, `country ${country} removed from ${grp}`, { field: grp, before: b.get(grp) ?? "" });
    }
    for (const grp of [...b.keys()].filter((k) => a.has(k)).sort()) {
      const x = b.get(grp) ?? "";
      const y = a.get(grp) ?? "";
      if (x !== y) out.add("changed", "country", country, `country ${country} in ${grp}: ${x} -> ${y}`, { field: grp, before: x, after: y });
    }
  }

  out.declarations("item", before.items, after.items, itemText, (name, x, y) => {
    out.field("item", name, "tpp", `${num(x.tppPerUnit)} TPP`, `${num(y.tppPerUnit)} TPP`);
    out.field(
      "item",
      name,
      "density",
      optional(x.performanceDensity && num(x.performanceDensity)),
      optional(y.performanceDensity && num(y.performanceDensity)),
    );
    out.field("item", name, "eccn", optional(x.eccn), optional(y.eccn));
    out.field("item", name, "datacenter", x.dataCenter ? "yes" : "no", y.dataCenter ? "yes" : "no");
  });
  out.declarations("model", before.models, after.models, weightsText, (name, x, y) => {
    out.field("model", name, "operations", `${ops(x.trainingOps)} ops`, `${ops(y.trainingOps)} ops`);
    out.field("model", name, "weights", x.openWeights ? "open" : "closed", y.openWeights ? "open" : "closed");
  });
  out.declarations("class", byName(before.classes), byName(after.classes), classText, (name, x, y) => {
    out.field("class", name, "eccn", optional(x.eccn), optional(y.eccn));
    out.field("class", name, "when", sb.when(x.when), sa.when(y.when));
  });
  const classOrder = (m: PolicyModel): string => m.classes.map((c) => c.name).join(", ");
  const commonClasses = (m: PolicyModel, other: PolicyModel): string[] => m.classes.map((c) => c.name).filter((n) => other.classes.some((o) => o.name === n));
  if (commonClasses(before, after).join(",") !== commonClasses(after, before).join(",")) {
    out.add("reordered", "class", "*", `classes reordered (the first matching class wins): ${classOrder(before)} -> ${classOrder(after)}`, {
      before: classOrder(before),
      after: classOrder(after),
    });
  }

  out.declarations("cap", before.caps, after.caps, capText, (name, x, y) => {
    out.field("cap", name, "limit", limitText(x), limitText(y));
    out.field("cap", name, "measure", x.measure, y.measure);
    out.field("cap", name, "key", x.key.join(" x "), y.key.join(" x "));
    out.field("cap", name, "window", windowText(x.window), windowText(y.window));
    out.field("cap", name, "modifiers", sb.modifiers(x), sa.modifiers(y));
    out.field("cap", name, "when", sb.when(x.when), sa.when(y.when));
  });

  // Exceptions and statuses share one namespace: a name that changed kind is one change,
  // listed with the kind it has now, not a removal and an addition.
  const auths = (kind: "exception" | "status"): [Map<string, AuthorizationModel>, Map<string, AuthorizationModel>] => [
    new Map([...before.authorizations].filter(([name, x]) => (after.authorizations.get(name)?.kind ?? x.kind) === kind)),
    new Map([...after.authorizations].filter(([, y]) => y.kind === kind)),
  ];
  for (const kind of ["exception", "status"] as const) {
    out.declarations(kind, ...auths(kind), authText, (name, x, y) => {
      if (x.kind !== y.kind) out.add("changed", kind, name, `${name}: ${x.kind} -> ${y.kind}`, { field: "kind", before: x.kind, after: y.kind });
      out.field(kind, name, "when", sb.when(x.when), sa.when(y.when));
      out.field(kind, name, "within", unordered(x.within), unordered(y.within));
      const counts = (a: AuthorizationModel): Shown => (a.countsTowardNothing ? present("nothing") : unordered(a.countsToward));
      out.field(kind, name, "counts toward", counts(x), counts(y));
      out.field(kind, name, "requires", unordered(x.requires.map((r) => r.text)), unordered(y.requires.map((r) => r.text)));
    });
  }

  out.declarations("decide", byName(before.decisions), byName(after.decisions), decideText, (name, x, y) => {
    out.field("decide", name, "classes", unordered(x.classes), unordered(y.classes));
    const rb = x.rules.map((r) => sb.rule(r));
    const ra = y.rules.map((r) => sa.rule(r));
    const keysBefore = new Set(rb.map((r) => r.key));
    const keysAfter = new Set(ra.map((r) => r.key));
    for (const r of rb)
      if (!keysAfter.has(r.key)) out.add("removed", "decide", name, `decide ${name}: rule removed: ${r.text}`, { field: "rules", before: r.text });
    ra.forEach((r, i) => {
      if (!keysBefore.has(r.key))
        out.add("added", "decide", name, `decide ${name}: rule added at position ${i + 1}: ${r.text}`, { field: "rules", after: r.text });
    });
    // Rules are tried in order: the same rules in another order decide differently.
    const keptBefore = rb.filter((r) => keysAfter.has(r.key));
    const keptAfter = ra.filter((r) => keysBefore.has(r.key));
    if (keptBefore.map((r) => r.key).join("\n") !== keptAfter.map((r) => r.key).join("\n")) {
      out.add("reordered", "decide", name, `decide ${name}: rules reordered (precedence changed)`, {
        field: "rules",
        before: keptBefore.map((r) => r.text).join("; "),
        after: keptAfter.map((r) => r.text).join("; "),
      });
    }
  });
  return out.changes;
}

const SIGN: Record<ChangeKind, string> = { added: "+", removed: "-", changed: "~", moved: ">", reordered: "^" };

export function changeLine(c: Change): string {
  return `${SIGN[c.kind]} ${c.message}`;
}
