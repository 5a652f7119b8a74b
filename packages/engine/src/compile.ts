/**
 * compile(model) -> CompiledPolicy: everything that does not depend on an order is worked
 * out once here (condition closures, per-country membership intervals, cap metadata,
 * reason objects, source positions); evaluation then only tests and sums.
 */
import type { Cond, PolicyModel, ReviewPolicy, RuleModel } from "@diffuse/language";
import type { Outcome, PolicyIdentity, Reason, Review } from "./types.js";
import { catalogOf, lineTemplates, type Catalog, type LineTemplate, type OrderFacts } from "./order.js";
import { sha256Hex } from "./sha256.js";
import type { BlockVerdict, CAuth, CBlock, CCap, CClass, CReviewCase, CRule, CompiledPolicy, StatusHint } from "./model.js";
import { Compiler } from "./conditions.js";
import { MemoryLedger } from "./ledger.js";
import { DecisionShape, reason } from "./record.js";
import { classesByDensity, densityProbes, firstClass, lineContext, type DensityProbes } from "./density.js";

const NONE: readonly never[] = Object.freeze([]);

/** A rule's outcome with its reason; its arrays are frozen, as every decision it makes shares them. */
function blockVerdict(
  outcome: Exclude<Outcome, "invalid">,
  basis: string | undefined,
  review: Review | undefined,
  why: Reason,
  obligations: readonly string[],
  policy: PolicyIdentity,
): BlockVerdict {
  const reasons = Object.freeze([Object.freeze(why)]);
  const obs = Object.freeze(obligations.slice());
  const shape = new DecisionShape(outcome, basis, review, reasons, obs, policy);
  const alone = Object.freeze({
    outcome,
    basis,
    review,
    reasons,
    whyNot: undefined,
    skippedReviews: undefined,
    charges: NONE,
    obligations: obs,
    capFailures: NONE,
    blocked: NONE,
    blocksRun: 1,
    byBlock: undefined,
    shape,
  });
  return { outcome, basis, review, reason: why, obligations: obs, reasons, shape, alone };
}

export function reviewWords(r: ReviewPolicy): string {
  return r.replace(/-/g, " ");
}

/**
 * The policy's hash (docs/engine.md, "The policy hash"): of its text when it is one file;
 * when it imports others, of its manifest, a line per file read (the entry file first,
 * then the imports in load order) holding the hex sha256 of that file's text. So a change
 * to any file a decision depends on changes the hash, and `sha256sum` of the files is all
 * an auditor needs to recompute it. Of "" when the model carries no text.
 */
export function policySha256(model: PolicyModel): string {
  const entry = model.sources.find((s) => s.uri === model.uri) ?? model.sources[0];
  if (entry === undefined) return sha256Hex("");
  const files = [entry];
  const seen = new Set([entry.uri]);
  for (const s of model.sources) {
    if (seen.has(s.uri)) continue;
    seen.add(s.uri);
    files.push(s);
  }
  if (files.length === 1) return sha256Hex(entry.text);
  return sha256Hex(files.map((f) => `${sha256Hex(f.text)}\n`).join(""));
}

/** Statuses a condition depends on, through `has` and the conditions of caps it tests with `within`. */
function statusesIn(c: Cond, model: PolicyModel, out: Set<string>, seen: Set<string> = new Set()): Set<string> {
  switch (c.kind) {
    case "has":
      out.add(c.status);
      break;
    case "and":
    case "or":
      for (const o of c.operands) statusesIn(o, model, out, seen);
      break;
    case "not":
      statusesIn(c.operand, model, out, seen);
      break;
    case "within":
      capStatuses(c.cap, model, out, seen);
      break;
    case "const":
    case "in":
    case "is":
    case "compare":
    case "date":
    case "flag":
      break;
    default: {
      const never: never = c;
      return never;
    }
  }
  return out;
}

function capStatuses(name: string, model: PolicyModel, out: Set<string>, seen: Set<string>): void {
  if (seen.has(name)) return;
  seen.add(name);
  const cap = model.caps.get(name);
  if (cap === undefined) return;
  for (const w of cap.when) statusesIn(w.cond, model, out, seen);
  for (const m of cap.modifiers) statusesIn(m.when, model, out, seen);
}

/** True when a condition reads neither the consignee's statuses nor any cap's usage. */
function isStatic(c: Cond): boolean {
  switch (c.kind) {
    case "has":
    case "within":
      return false;
    case "and":
    case "or":
      return c.operands.every(isStatic);
    case "not":
      return isStatic(c.operand);
    case "const":
    case "in":
    case "is":
    case "compare":
    case "date":
    case "flag":
      return true;
    default: {
      const never: never = c;
      return never;
    }
  }
}

/** The static conjuncts of `c` (top-level `and`s split): each must hold for `c` to hold. */
function staticConjuncts(c: Cond, out: Cond[]): Cond[] {
  if (c.kind === "and") for (const o of c.operands) staticConjuncts(o, out);
  else if (isStatic(c)) out.push(c);
  return out;
}

/** True when a condition reads only the facts of the line it is tested on (so a catalog line's class is known at compile time). */
function isLineFact(c: Cond): boolean {
  switch (c.kind) {
    case "const":
    case "flag":
      return true;
    case "compare":
      return c.measure === "tpp" || c.measure === "density" || c.measure === "operations";
    case "and":
    case "or":
      return c.operands.every(isLineFact);
    case "not":
      return isLineFact(c.operand);
    case "in":
    case "is":
    case "has":
    case "within":
    case "date":
      return false;
    default: {
      const never: never = c;
      return never;
    }
  }
}

/** The order and ledger of the compile-time classification context (line facts read neither). */
const NO_LEDGER = new MemoryLedger();
const NO_ORDER: OrderFacts = {
  id: "",
  date: "",
  destination: "",
  destinationIndex: -1,
  exporter: undefined,
  consignee: "",
  headquarters: "",
  headquartersIndex: -1,
  statuses: [],
  capacity: undefined,
  lines: [],
};

/**
 * The catalog with a template per catalog line; when every class reads only line facts,
 * each template carries the class its lines take (the first class whose `when` clauses
 * all hold, as `classify` finds it), so evaluation need not classify catalog lines. An
 * item without a density whose class turns on it has none: its orders are refused at
 * evaluation (density.ts).
 */
function templatedCatalog(model: PolicyModel, classes: readonly CClass[], probes: DensityProbes | undefined): Catalog {
  const catalog = catalogOf(model);
  const known = model.classes.every((k) => k.when.every((w) => isLineFact(w.cond)));
  const classOf = (t: Omit<LineTemplate, "klass">): number | undefined => {
    if (!known) return undefined;
    const line = { ...t, field: "items[0]", quantity: 1, amount: t.tppQ, klass: undefined, catalog: true };
    const ctx = lineContext(NO_ORDER, NO_LEDGER, line);
    if (t.chip && t.density === undefined && probes !== undefined && classesByDensity(classes, probes, ctx, line).length > 1) return undefined;
    return firstClass(classes, ctx);
  };
  return { ...catalog, templates: lineTemplates(catalog, classOf) };
}

/** The authorizations holding status `s` can open: `s` itself, then the exceptions whose conditions or `within` caps read it. */
function statusHints(s: string, model: PolicyModel): StatusHint[] {
  const hint = (basis: string): StatusHint => ({ basis, text: `authorized under ${basis} if the consignee held ${s}` });
  const out = [hint(s)];
  for (const a of model.authorizations.values()) {
    if (a.kind !== "exception") continue;
    const reads = new Set<string>();
    const seen = new Set<string>();
    for (const w of a.when) statusesIn(w.cond, model, reads, seen);
    for (const n of a.within) capStatuses(n, model, reads, seen);
    if (reads.has(s)) out.push(hint(a.name));
  }
  return out;
}

/** The statuses a rule's outcome depends on. */
function ruleStatuses(r: RuleModel, model: PolicyModel): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  if (r.when !== undefined) statusesIn(r.when, model, out, seen);
  switch (r.kind) {
    case "prohibit":
      break;
    case "authorize": {
      const a = model.authorizations.get(r.basis);
      if (a === undefined) break;
      if (a.kind === "status") out.add(a.name);
      for (const w of a.when) statusesIn(w.cond, model, out, seen);
      for (const n of [...a.within, ...a.countsToward]) capStatuses(n, model, out, seen);
      break;
    }
    case "license":
      for (const rc of r.reviews) if (rc.when !== undefined) statusesIn(rc.when, model, out, seen);
      for (const n of r.charging) capStatuses(n, model, out, seen);
      break;
    default: {
      const never: never = r;
      return never;
    }
  }
  return out;
}

export function compilePolicy(model: PolicyModel): CompiledPolicy {
  const c = new Compiler(model);
  const header = model.header;
  const identity: PolicyIdentity = Object.freeze({ name: header?.title ?? model.uri, version: header?.version ?? "", sha256: policySha256(model) });
  const headerSource = c.loc(header?.source ?? { uri: model.uri, range: { start: 0, end: 0 } });

  const auths = new Map<string, CAuth>();
  for (const [name, a] of model.authorizations) {
    const caps = (names: readonly string[]): CCap[] => names.map((n) => c.cap(n)).filter((x): x is CCap => x !== undefined);
    auths.set(name, {
      model: a,
      when: a.when.map((w) => ({ cond: c.cond(w.cond), cite: w.cite, source: c.loc(w.source) })),
      within: caps(a.within),
      countsToward: a.countsTowardNothing ? [] : caps(a.countsToward),
      obligations: a.requires.map((r) => r.text),
      unavailable: `${a.name} not available: `,
      source: c.loc(a.source),
    });
  }

  const tested: Omit<CClass, "inBlock">[] = model.classes.map((k) => ({
    name: k.name,
    names: [k.name],
    when: k.when.map((w) => ({ cond: c.cond(w.cond), cite: w.cite, source: c.loc(w.source) })),
    source: c.loc(k.source),
    cite: k.cite,
  }));

  const blocks: CBlock[] = model.decisions.map((d) => {
    const rules = d.rules.map((r: RuleModel): CRule => {
      const source = c.loc(r.source);
      // A license rule's block of review cases is quoted case by case: quote the rule up to it.
      const text = c.sources.quote(r.source, r.kind === "license" ? r.reviews[0]?.source.range.start : undefined);
      const when = r.when === undefined ? undefined : c.cond(r.when);
      const cite = r.cite ?? d.cite;
      switch (r.kind) {
        case "prohibit":
          return {
            kind: "prohibit",
            when,
            text,
            source,
            cite,
            verdict: blockVerdict("prohibited", undefined, undefined, reason(d.name, `prohibited by ${d.name}: \`${text}\``, cite, source), [], identity),
          };
        case "authorize": {
          const auth = r.basis === "NLR" ? undefined : auths.get(r.basis);
          const title = auth?.model.title;
          const message =
            r.basis === "NLR" ? `no license required by ${d.name}: \`${text}\`` : `authorized under ${r.basis}${title === undefined ? "" : ` (${title})`}`;
          // The rule's own citation, else its exception's or status's, else its block's.
          const authCite = r.cite ?? auth?.model.cite ?? d.cite;
          const why = reason(r.basis, message, authCite, source);
          const guard: Cond[] = [];
          if (r.when !== undefined) staticConjuncts(r.when, guard);
          const am = model.authorizations.get(r.basis);
          if (am !== undefined) for (const w of am.when) staticConjuncts(w.cond, guard);
          const staticGuard = guard.map((g) => c.cond(g));
          return {
            kind: "authorize",
            basis: r.basis,
            auth,
            when,
            staticGuard,
            text,
            source,
            cite: authCite,
            verdict: blockVerdict("authorized", r.basis, undefined, why, auth?.obligations ?? [], identity),
          };
        }
        case "license": {
          const charging = r.charging.map((n) => c.cap(n)).filter((x): x is CCap => x !== undefined);
          const reviews = r.reviews.map((rc): CReviewCase => ({
            review: rc.review,
            when: rc.when === undefined ? undefined : c.cond(rc.when),
            withinCap: rc.when?.kind === "within" ? c.cap(rc.when.cap) : undefined,
            verdict: blockVerdict(
              "license-required",
              undefined,
              rc.review,
              reason(d.name, `license required by ${d.name}, review ${reviewWords(rc.review)}: \`${text}\``, rc.cite ?? cite, source),
              [],
              identity,
            ),
            text: c.sources.quote(rc.source),
            unavailable: `review ${reviewWords(rc.review)} not available: `,
            cite: rc.cite ?? cite,
            source: c.loc(rc.source),
          }));
          const fallback = blockVerdict(
            "license-required",
            undefined,
            "case-by-case",
            reason(d.name, `license required by ${d.name}, review case by case: \`${text}\``, cite, source),
            [],
            identity,
          );
          return { kind: "license", when, charging, reviews, fallback, text, source, cite };
        }
        default: {
          const never: never = r;
          return never;
        }
      }
    });
    const source = c.loc(d.source);
    return {
      name: d.name,
      classes: new Set(d.classes),
      rules,
      statusRefs: d.rules.map((r) => ruleStatuses(r, model)),
      nlr: blockVerdict("authorized", "NLR", undefined, reason(d.name, `no rule of ${d.name} applies: no license required`, d.cite, source), [], identity),
      source,
      cite: d.cite,
    };
  });

  const caps = [...model.caps.keys()].sort();
  // `NLR` is a basis of every policy: an order with no controlled line is authorized under it.
  const bases = [...new Set(["NLR", ...blocks.flatMap((b) => b.rules.flatMap((r) => (r.kind === "authorize" ? [r.basis] : [])))])].sort();
  const classes: CClass[] = tested.map((k) => ({ ...k, inBlock: blocks.map((b) => b.classes.has(k.name)) }));
  const classBlocks = model.classes.map((k) => blocks.flatMap((b, i) => (b.classes.has(k.name) ? [i] : [])));
  const probes = densityProbes(model);
  const catalog = templatedCatalog(model, classes, probes);
  return {
    identity,
    classesUseStatuses: model.classes.some((k) => k.when.some((w) => statusesIn(w.cond, model, new Set()).size > 0)),
    effective: header?.effective,
    until: header?.until,
    catalog,
    classes,
    densityProbes: probes,
    blocks,
    classBlocks,
    statuses: [...catalog.statuses],
    caps,
    bases,
    rules: [...new Set([...bases, ...blocks.map((b) => b.name), ...caps])].sort(),
    statusHints: [...catalog.statuses].map((s) => statusHints(s, model)),
    noControl: new DecisionShape(
      "authorized",
      "NLR",
      undefined,
      Object.freeze([Object.freeze(reason("NLR", "no line of the order is controlled by this policy: no license required", header?.cite, headerSource))]),
      Object.freeze([]),
      identity,
    ),
    headerSource,
  };
}
