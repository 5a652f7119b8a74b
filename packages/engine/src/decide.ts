/** Deciding one valid order against a compiled policy. */
import type { Ledger, Outcome, Reason, Review } from "./types.js";
import type { OrderLine, OrderFacts } from "./order.js";
import { formatGrouped } from "./exact.js";
import { addQ, toRational, type Quantity } from "./quantity.js";
import type {
  BlockVerdict,
  Blocked,
  CAuth,
  CBlock,
  CCap,
  CClass,
  CRule,
  CapCheck,
  CapFailure,
  CompiledPolicy,
  Ctx,
  Pending,
  SkippedReview,
  Verdict,
} from "./model.js";
import { child, step, type Step } from "./trace.js";
import { checkCap, describeCheck } from "./caps.js";
import { reviewWords } from "./compile.js";
import { flat } from "./text.js";
import { reason } from "./record.js";

const SEVERITY: Record<Exclude<Outcome, "invalid">, number> = { authorized: 0, "license-required": 1, prohibited: 2 };
const REVIEW_SEVERITY: Record<Review, number> = { "presumption-of-approval": 0, "case-by-case": 1, "presumption-of-denial": 2 };

// A trace step names its kind and rule (`line items[0]`, `authorize AIA`); its detail says
// what follows them, not the same words again.

function lineLabel(l: OrderLine): string {
  const what = l.model
    ? `model weights${l.name === undefined ? "" : ` ${l.name}`}`
    : `${formatGrouped(toRational(l.quantity))} x ${l.name ?? `chip of ${formatGrouped(l.tpp)} TPP`}`;
  return l.chip ? `${what} = ${formatGrouped(toRational(l.amount))} TPP` : what;
}

function capStep(c: CapCheck, o: OrderFacts, kind: string): Step {
  return step(c.cap.name, kind, c.ok, c.applicable ? describeCheck(c, o) : "does not count this order", c.cap.cite, c.cap.source);
}

/** `text` without the words `head` it starts with: a rule as written after its keyword (and name), `when ...`; "" when nothing follows. */
function after(text: string, head: string): string {
  return text.startsWith(head) && (text.length === head.length || text[head.length] === " ") ? text.slice(head.length).trimStart() : text;
}

/** A copy of the facts `ctx` holds now (the lines, classes and amounts of the block being decided), to describe a condition later. */
function factsOf(ctx: Ctx): Ctx {
  return {
    order: ctx.order,
    ledger: ctx.ledger,
    lines: ctx.lines,
    classes: ctx.classes,
    amount: ctx.amount,
    units: ctx.units,
    pending: NO_PENDING,
    pendingLines: undefined,
    failures: undefined,
    skippedReviews: undefined,
  };
}

const NO_CLASSES: readonly undefined[] = [undefined];
const NO_FAILURES: Verdict["capFailures"] = [];
const NO_BLOCKED: Verdict["blocked"] = [];
/** The empty pending list (shared; `addPending` replaces it with a list of the evaluation's own). */
const NO_PENDING: Pending[] = [];

function chargeable(outcome: Exclude<Outcome, "invalid">, review: Review | undefined, chargeLicenses: boolean): boolean {
  return outcome === "authorized" || (outcome === "license-required" && review === "presumption-of-approval" && chargeLicenses);
}

/** Appends an accepted check to the evaluation's pending charges (the list is created on first use). */
function addPending(ctx: Ctx, chk: CapCheck): void {
  if (ctx.pending === NO_PENDING) ctx.pending = [chk];
  else ctx.pending.push(chk);
  ctx.pendingLines?.push(ctx.lines);
}

/** For each of `checks`, the lines of the pending charges to its cap and key, once per charge (CapFailure.charged). */
function chargedBefore(ctx: Ctx, checks: readonly CapCheck[]): CapFailure["charged"] {
  const pending = ctx.pending;
  if (pending.length === 0) return undefined;
  return checks.map((c) => {
    const lines: OrderLine[] = [];
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i] as Pending;
      if (p.cap === c.cap && p.key === c.key) lines.push(...(ctx.pendingLines?.[i] ?? ctx.order.lines));
    }
    return lines;
  });
}

/** Notes that `auth`, tried by a rule of `block`, failed on its caps. */
function failed(ctx: Ctx, auth: CAuth, block: CBlock, checks: readonly CapCheck[]): void {
  const failure: CapFailure = { auth, block, checks, lines: ctx.lines, charged: chargedBefore(ctx, checks) };
  if (ctx.failures === undefined) ctx.failures = [failure];
  else ctx.failures.push(failure);
}

/** Tries an `authorize NAME` rule of `block`; on success pushes its charges to `ctx.pending`. */
function tryAuthorization(auth: CAuth, block: CBlock, ctx: Ctx, rs: Step | undefined): boolean {
  const a = auth.model;
  const order = ctx.order;
  if (a.kind === "status") {
    const held = order.statuses.includes(a.name);
    if (rs !== undefined) child(rs, step(a.name, "status", held, `consignee ${held ? "holds" : "does not hold"} ${a.name}`, a.cite, auth.source));
    if (!held) return false;
  }
  const when = auth.when;
  for (let i = 0; i < when.length; i++) {
    const w = when[i] as CAuth["when"][number];
    const held = w.cond.test(ctx);
    if (rs !== undefined) child(rs, step(a.name, "when", held, w.cond.describe(ctx), w.cite, w.source));
    if (!held) return false;
  }
  const within = auth.within;
  const n = within.length;
  if (n === 1) {
    // One cap (the common case): no list unless it fails.
    const chk = checkCap(within[0] as CCap, ctx);
    if (rs !== undefined) child(rs, capStep(chk, order, "cap"));
    if (!chk.ok) {
      failed(ctx, auth, block, [chk]);
      return false;
    }
    if (chk.applicable) addPending(ctx, chk);
  } else if (n > 0) {
    // All caps are checked (each is reported), then charged only if all hold.
    const checks = new Array<CapCheck>(n);
    let capsOk = true;
    for (let i = 0; i < n; i++) {
      const chk = checkCap(within[i] as CCap, ctx);
      checks[i] = chk;
      if (rs !== undefined) child(rs, capStep(chk, order, "cap"));
      if (!chk.ok) capsOk = false;
    }
    if (!capsOk) {
      failed(ctx, auth, block, checks);
      return false;
    }
    for (let i = 0; i < n; i++) {
      const chk = checks[i] as CapCheck;
      if (chk.applicable) addPending(ctx, chk);
    }
  }
  const counts = auth.countsToward;
  for (let i = 0; i < counts.length; i++) {
    const chk = checkCap(counts[i] as CCap, ctx);
    if (rs !== undefined) child(rs, capStep(chk, order, "counts-toward"));
    if (chk.applicable) addPending(ctx, chk);
  }
  return true;
}

/** The decision's reasons: the rules' own, then why a license's more favourable review cases did not apply, then why authorizations that failed on their caps were not available. */
export function verdictReasons(v: Verdict, order: OrderFacts): readonly Reason[] {
  const failures = v.whyNot;
  const skipped = v.skippedReviews;
  if (failures === undefined && skipped === undefined) return v.reasons;
  const own = v.reasons;
  let n = own.length + (skipped?.length ?? 0);
  if (failures !== undefined) for (const f of failures) for (const chk of f.checks) if (!chk.ok) n++;
  // Exactly the length, filled by index (a decision keeps this array as long as the
  // ledger keeps it); `concat` on the rule's frozen reasons takes a slow generic path.
  const out = new Array<Reason>(n);
  let i = 0;
  for (; i < own.length; i++) out[i] = own[i] as Reason;
  // Why the review is not a more favourable one: "review presumption of approval not available: <the condition's values>".
  if (skipped !== undefined)
    for (const s of skipped) {
      const when = s.review.when;
      const message =
        s.check !== undefined
          ? describeCheck(s.check, order, s.review.unavailable)
          : flat(s.review.unavailable + (when !== undefined && s.ctx !== undefined ? when.describe(s.ctx) : s.review.text));
      out[i++] = reason(s.block, message, s.review.cite, s.review.source);
    }
  if (failures !== undefined)
    for (const f of failures)
      for (const chk of f.checks) if (!chk.ok) out[i++] = reason(chk.cap.name, describeCheck(chk, order, f.auth.unavailable), chk.cap.cite, chk.cap.source);
  return out;
}

/** The first class whose `when` clauses all hold for `line` (ctx.lines must be [line]). */
function classify(p: CompiledPolicy, ctx: Ctx, line: OrderLine, trace: Step[] | undefined): CClass | undefined {
  const known = line.klass;
  // A catalog line's class was found at compile time (see compile.ts); explanations test every class.
  if (known !== undefined && trace === undefined) return known < 0 ? undefined : p.classes[known];
  ctx.amount = line.amount;
  ctx.units = line.quantity;
  ctx.classes = NO_CLASSES;
  const ls = trace === undefined ? undefined : step(line.field, "line", false, lineLabel(line));
  if (ls !== undefined && trace !== undefined) trace.push(ls);
  let found: CClass | undefined;
  const classes = p.classes;
  for (let k = 0; k < classes.length && found === undefined; k++) {
    const cls = classes[k] as CClass;
    let ok = true;
    const cs = ls === undefined ? undefined : child(ls, step(cls.name, "class", false, "", cls.cite, cls.source));
    const when = cls.when;
    for (let w = 0; w < when.length; w++) {
      const c = (when[w] as CClass["when"][number]).cond;
      const held = c.test(ctx);
      if (cs !== undefined) {
        const wm = when[w] as CClass["when"][number];
        child(cs, step(cls.name, "when", held, c.describe(ctx), wm.cite, wm.source));
      }
      if (!held) {
        ok = false;
        break;
      }
    }
    if (cs !== undefined) {
      cs.applied = ok;
      cs.detail = ok ? `${line.field} is ${cls.name}` : `${line.field} is not ${cls.name}`;
    }
    if (ok) found = cls;
  }
  if (ls !== undefined) {
    ls.applied = found !== undefined;
    ls.detail += found !== undefined ? `, class ${found.name}` : ", no class: outside this policy's controls";
  }
  return found;
}

/**
 * Decides a valid order. With `trace`, appends the steps consulted; the verdict does not
 * depend on whether a trace is kept.
 */
export function decide(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, chargeLicenses: boolean, trace: Step[] | undefined): Verdict {
  const lines = order.lines;
  const nLines = lines.length;
  const ctx: Ctx = {
    order,
    ledger,
    lines,
    classes: NO_CLASSES,
    amount: 0,
    units: 0,
    pending: NO_PENDING,
    pendingLines: undefined,
    failures: undefined,
    skippedReviews: undefined,
  };
  // Classify each line: the first class whose `when` clauses all hold.
  let only: CClass | undefined;
  let lineClass: (CClass | undefined)[] | undefined;
  if (nLines === 1) only = classify(p, ctx, lines[0] as OrderLine, trace);
  else {
    // The lines are decided in groups: hints need to know which a charge was for.
    ctx.pendingLines = [];
    lineClass = [];
    for (let i = 0; i < nLines; i++) {
      const line = lines[i] as OrderLine;
      ctx.lines = [line];
      lineClass.push(classify(p, ctx, line, trace));
    }
  }

  let single: BlockVerdict | undefined;
  let blocked: Blocked[] | undefined;
  let verdicts: BlockVerdict[] | undefined;
  // The blocks run, in step with `verdicts` (several blocks only).
  let firstBlock: CBlock | undefined;
  let ran: CBlock[] | undefined;
  for (let b = 0; b < p.blocks.length; b++) {
    const block = p.blocks[b] as CBlock;
    // The lines this block decides.
    if (lineClass === undefined) {
      const cls = only;
      if (cls === undefined || cls.inBlock[b] !== true) continue;
      ctx.lines = lines;
      ctx.classes = cls.names;
      const line = lines[0] as OrderLine;
      ctx.amount = line.amount;
      ctx.units = line.quantity;
    } else {
      const blines: OrderLine[] = [];
      const bclasses: string[] = [];
      let amount: Quantity = 0;
      let units: Quantity = 0;
      for (let i = 0; i < nLines; i++) {
        const cls = lineClass[i];
        // (multi-line orders only)
        if (cls === undefined || cls.inBlock[b] !== true) continue;
        const l = lines[i] as OrderLine;
        blines.push(l);
        bclasses.push(cls.name);
        amount = addQ(amount, l.amount);
        units = addQ(units, l.quantity);
      }
      if (blines.length === 0) continue;
      ctx.lines = blines;
      ctx.classes = bclasses;
      ctx.amount = amount;
      ctx.units = units;
    }
    const bs =
      trace === undefined
        ? undefined
        : step(
            block.name,
            "decide",
            true,
            `${ctx.lines.map((l) => l.field).join(", ")} (${formatGrouped(toRational(ctx.amount))} TPP)`,
            block.cite,
            block.source,
          );
    if (bs !== undefined && trace !== undefined) trace.push(bs);
    let verdict: BlockVerdict | undefined;
    const rules = block.rules;
    let at = 0;
    for (; at < rules.length; at++) {
      const rule = rules[at] as CRule;
      const whenHeld = rule.when === undefined || rule.when.test(ctx);
      const rs =
        bs === undefined
          ? undefined
          : child(
              bs,
              step(
                rule.kind === "authorize" ? rule.basis : block.name,
                rule.kind,
                false,
                after(rule.text, rule.kind === "authorize" ? `authorize ${rule.basis}` : rule.kind),
                rule.cite,
                rule.source,
              ),
            );
      if (rs !== undefined && rule.when !== undefined) child(rs, step(block.name, "when", whenHeld, rule.when.describe(ctx)));
      if (!whenHeld) continue;
      switch (rule.kind) {
        case "prohibit":
          verdict = rule.verdict;
          break;
        case "authorize": {
          const auth = rule.auth;
          if (auth === undefined) {
            if (rule.basis === "NLR") verdict = rule.verdict;
          } else if (tryAuthorization(auth, block, ctx, rs)) verdict = rule.verdict;
          break;
        }
        case "license": {
          let chosen: BlockVerdict | undefined;
          let passed: SkippedReview[] | undefined;
          for (const rc of rule.reviews) {
            const cap = rc.withinCap;
            const chk = cap === undefined ? undefined : checkCap(cap, ctx);
            const held = chk !== undefined ? chk.ok : rc.when === undefined || rc.when.test(ctx);
            if (rs !== undefined) {
              const text = after(rc.text, "review");
              child(rs, step(block.name, "review", held, rc.when === undefined ? text : `${text}: ${rc.when.describe(ctx)}`, rc.cite, rc.source));
            }
            if (held) {
              chosen = rc.verdict;
              break;
            }
            (passed ??= []).push({ block: block.name, review: rc, check: chk, ctx: chk === undefined ? factsOf(ctx) : undefined });
          }
          chosen ??= rule.fallback;
          // The cases passed over whose review is more favourable than the one taken say why it is not theirs.
          if (passed !== undefined) {
            const taken = REVIEW_SEVERITY[chosen.review ?? "case-by-case"];
            for (const s of passed) if (REVIEW_SEVERITY[s.review.review] < taken) (ctx.skippedReviews ??= []).push(s);
          }
          if (chosen.review === "presumption-of-approval" && chargeLicenses) {
            for (const cap of rule.charging) {
              const chk = checkCap(cap, ctx);
              if (rs !== undefined) child(rs, capStep(chk, order, "charging"));
              if (chk.applicable) addPending(ctx, chk);
            }
          }
          verdict = chosen;
          break;
        }
        default: {
          const never: never = rule;
          return never;
        }
      }
      if (verdict !== undefined) {
        if (rs !== undefined) rs.applied = true;
        break;
      }
    }
    verdict ??= block.nlr;
    if (verdict.outcome !== "authorized") {
      const b: Blocked = { block, at, lines: ctx.lines, classes: ctx.classes, amount: ctx.amount, units: ctx.units };
      if (blocked === undefined) blocked = [b];
      else blocked.push(b);
    }
    if (bs !== undefined) child(bs, step(block.name, "outcome", true, verdictText(verdict.outcome, verdict.basis, verdict.review)));
    if (single === undefined) {
      single = verdict;
      firstBlock = block;
    } else {
      (verdicts ??= [single]).push(verdict);
      (ran ??= [firstBlock as CBlock]).push(block);
    }
  }

  const failures = ctx.failures ?? NO_FAILURES;
  const capFailed = ctx.failures;
  if (single === undefined) {
    const r = p.noControl;
    return {
      outcome: r.outcome,
      basis: r.basis,
      review: r.review,
      reasons: r.reasons,
      whyNot: undefined,
      skippedReviews: undefined,
      charges: ctx.pending,
      obligations: r.obligations,
      capFailures: failures,
      blocked: blocked ?? NO_BLOCKED,
      blocksRun: 0,
      byBlock: undefined,
      shape: r,
    };
  }
  if (verdicts === undefined) {
    const v = single;
    const charges = chargeable(v.outcome, v.review, chargeLicenses) ? ctx.pending : NO_PENDING;
    // Nothing of its own (the common authorized order): the rule's shared verdict.
    if (charges.length === 0 && ctx.failures === undefined && blocked === undefined) return v.alone;
    const whyNot = v.outcome === "authorized" ? undefined : capFailed;
    const skippedReviews = v.outcome === "license-required" ? ctx.skippedReviews : undefined;
    return {
      outcome: v.outcome,
      basis: v.basis,
      review: v.review,
      reasons: v.reasons,
      whyNot,
      skippedReviews,
      charges,
      obligations: v.obligations,
      capFailures: failures,
      blocked: blocked ?? NO_BLOCKED,
      blocksRun: 1,
      byBlock: undefined,
      shape: v.shape,
    };
  }
  // Several blocks: the most restrictive outcome; the most restrictive review among licenses.
  let outcome: Exclude<Outcome, "invalid"> = "authorized";
  for (const v of verdicts) if (SEVERITY[v.outcome] > SEVERITY[outcome]) outcome = v.outcome;
  let review: Review | undefined;
  if (outcome === "license-required")
    for (const v of verdicts) if (v.review !== undefined && (review === undefined || REVIEW_SEVERITY[v.review] > REVIEW_SEVERITY[review])) review = v.review;
  const bases: string[] = [];
  if (outcome === "authorized") {
    for (const v of verdicts) if (v.basis !== undefined && v.basis !== "NLR" && !bases.includes(v.basis)) bases.push(v.basis);
    if (bases.length === 0) bases.push("NLR");
  }
  const reasons: Reason[] = [];
  for (const v of verdicts) if (v.outcome === outcome && !reasons.includes(v.reason)) reasons.push(v.reason);
  for (const v of verdicts) if (v.outcome !== outcome && !reasons.includes(v.reason)) reasons.push(v.reason);
  const obligations: string[] = [];
  if (outcome === "authorized") for (const v of verdicts) for (const ob of v.obligations) if (!obligations.includes(ob)) obligations.push(ob);
  const charges = chargeable(outcome, review, chargeLicenses) ? ctx.pending : NO_PENDING;
  const whyNot = outcome === "authorized" ? undefined : capFailed;
  const skippedReviews = outcome === "license-required" ? ctx.skippedReviews : undefined;
  return {
    outcome,
    basis: outcome === "authorized" ? bases.join(" + ") : undefined,
    review,
    reasons,
    whyNot,
    skippedReviews,
    charges,
    obligations,
    capFailures: failures,
    blocked: blocked ?? NO_BLOCKED,
    blocksRun: verdicts.length,
    byBlock: { blocks: ran ?? [], verdicts },
    shape: undefined,
  };
}

export function verdictText(outcome: Outcome, basis: string | undefined, review: Review | undefined): string {
  switch (outcome) {
    case "authorized":
      return basis === "NLR" || basis === undefined ? "authorized: no license required" : `authorized under ${basis}`;
    case "license-required":
      return `license required, review ${reviewWords(review ?? "case-by-case")}`;
    case "prohibited":
      return "prohibited";
    case "invalid":
      return "invalid order";
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
