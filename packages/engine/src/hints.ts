/**
 * Counterfactual hints on decisions that are not authorized: the smallest change that
 * would make the order authorized (a smaller quantity or amount of one line, a later
 * date on which the caps that failed let it through, a status the consignee does not
 * hold). Every hint is confirmed by deciding the changed order again; the
 * checks here only skip trials that cannot succeed.
 */
import type { IsoDate, Rational } from "@diffuse/language";
import type { Ledger } from "./types.js";
import type { Blocked, CapFailure, CBlock, CCond, CompiledPolicy, Ctx, StatusHint, Verdict } from "./model.js";
import type { OrderLine, OrderFacts } from "./order.js";
import { decide } from "./decide.js";
import { flat } from "./text.js";
import { largestFittingAmount, largestFittingQuantity, laterStart } from "./caps.js";
import { dayNumber, fromDayNumber } from "./dates.js";
import { cmp, int } from "./exact.js";
import { cmpQ, fromBigInt, groupedQ, mulQ, quantity as toQuantity, toRational } from "./quantity.js";

const NO_HINTS: readonly string[] = Object.freeze([]);

/** A copy of `order` with other statuses, lines or date, field by field as validation builds orders (one object shape for every order the rules see). */
function orderWith(order: OrderFacts, statuses: readonly string[], lines: readonly OrderLine[], date: IsoDate = order.date): OrderFacts {
  return {
    id: order.id,
    date,
    destination: order.destination,
    destinationIndex: order.destinationIndex,
    exporter: order.exporter,
    consignee: order.consignee,
    headquarters: order.headquarters,
    headquartersIndex: order.headquartersIndex,
    statuses,
    capacity: order.capacity,
    lines,
  };
}

/** The order with one line changed: a smaller quantity (same class), or a smaller TPP per unit (classified again). */
function withLine(order: OrderFacts, line: OrderLine, newQuantity: bigint | undefined, newTpp: Rational | undefined): OrderFacts {
  const quantity = newQuantity === undefined ? line.quantity : fromBigInt(newQuantity);
  const tpp = newTpp ?? line.tpp;
  // Same fields in the same order as validation's lines (one object shape for every line).
  const changed: OrderLine = {
    field: line.field,
    name: newTpp === undefined ? line.name : undefined,
    chip: line.chip,
    model: line.model,
    datacenter: line.datacenter,
    open: line.open,
    tpp,
    density: line.density,
    operations: line.operations,
    quantity,
    amount: mulQ(toQuantity(tpp), quantity),
    klass: newTpp === undefined ? line.klass : undefined,
    catalog: newTpp === undefined ? line.catalog : false,
  };
  const lines = order.lines.length === 1 ? [changed] : order.lines.map((l) => (l === line ? changed : l));
  return orderWith(order, order.statuses, lines);
}

/** Static conditions read no caps, so their context never gains a pending charge. */
const NO_PENDING: Ctx["pending"] = [];

function allHold(conds: readonly CCond[], ctx: Ctx): boolean {
  for (let i = 0; i < conds.length; i++) if (!(conds[i] as CCond).test(ctx)) return false;
  return true;
}

/**
 * Whether `v` is authorized with `name` among its bases; given `block`, with `name` the
 * basis of that block when it ran with others (an authorization several blocks use may
 * let another block through while `block` goes by an earlier rule of its own).
 */
function authorizedUnder(v: Verdict, name: string, block?: CBlock): boolean {
  const basis = v.basis;
  if (v.outcome !== "authorized" || basis === undefined) return false;
  const by = v.byBlock;
  const at = block === undefined || by === undefined ? -1 : by.blocks.indexOf(block);
  if (at >= 0) return by?.verdicts[at]?.basis === name;
  return basis === name || (basis.includes(" + ") && basis.split(" + ").includes(name));
}

/** A context for testing static conditions (no ledger, no pending charges) of a block as it was decided. */
function staticCtx(order: OrderFacts, ledger: Ledger, b: Blocked): Ctx {
  return {
    order,
    ledger,
    lines: b.lines,
    classes: b.classes,
    amount: b.amount,
    units: b.units,
    pending: NO_PENDING,
    pendingLines: undefined,
    failures: undefined,
    skippedReviews: undefined,
  };
}

/**
 * Whether holding status `s` could turn every block that did not authorize: each must
 * have, at or before the rule that decided it, a rule whose outcome depends on `s` and
 * that could fire. An `authorize` rule one of whose static conditions is false cannot
 * fire whatever the statuses (and it charges nothing when it fails), so it does not count
 * when the order went through one block (with several, another block's charges could
 * differ in the trial, so only the reference to `s` is asked for).
 * (Rules after the deciding one are reached only if an earlier outcome changes.)
 */
export function statusCouldMatter(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, v: Verdict, s: string): boolean {
  if (p.classesUseStatuses) return true;
  for (const b of v.blocked) {
    const { block, at } = b;
    let found = false;
    let ctx: Ctx | undefined;
    for (let i = 0; i <= at && i < block.statusRefs.length && !found; i++) {
      if (block.statusRefs[i]?.has(s) !== true) continue;
      const rule = block.rules[i];
      if (v.blocksRun === 1 && rule?.kind === "authorize" && rule.staticGuard.length > 0) {
        ctx ??= staticCtx(order, ledger, b);
        const c = ctx;
        if (!allHold(rule.staticGuard, c)) continue;
      }
      found = true;
    }
    if (!found) return false;
  }
  return true;
}

/** The largest quantity of `line` (or, `byAmount`, TPP of its single unit) that failure `f` allows (caps.ts). */
function largestFitting(f: CapFailure, line: OrderLine, byAmount: boolean): bigint | undefined {
  return byAmount ? largestFittingAmount(f, line) : largestFittingQuantity(f, line);
}

/**
 * After a trial that is not authorized under `name`: the largest value of `line` that
 * could let every block that did not authorize through, each by an authorization that
 * failed on caps the line counts in (the block that tried `name`, by `name`); undefined
 * when a block cannot be let through so.
 */
function nextBound(v: Verdict, line: OrderLine, name: string, byAmount: boolean): bigint | undefined {
  let bound: bigint | undefined;
  for (const b of v.blocked) {
    let best: bigint | undefined;
    for (const f of v.capFailures) {
      if (f.block !== b.block) continue;
      const x = largestFitting(f, line, byAmount);
      if (f.auth.model.name === name) {
        best = x;
        break;
      }
      if (x !== undefined && (best === undefined || x > best)) best = x;
    }
    if (best === undefined) return undefined;
    if (bound === undefined || best < bound) bound = best;
  }
  return bound;
}

/**
 * The largest quantity of line `at` (or, for a single unit, TPP) below its own at which
 * the order is authorized under `name`, as a hint; `f` is the failure of `name`. Each
 * bound is the largest that the failures it comes from allow, and the order is decided
 * again with it. When the trial is still not authorized because an authorization now
 * fails on a cap the line counts in (decide blocks sharing a cap: the line's block,
 * authorized in the trial, charges the cap another block then checks), the bound is
 * lowered from the trial's failures, at most once per decide block.
 */
function lineHint(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, chargeLicenses: boolean, f: CapFailure, at: number, name: string): string | undefined {
  const line = order.lines[at] as OrderLine;
  const byAmount = cmpQ(line.quantity, 1) <= 0;
  if (byAmount && !line.chip) return undefined;
  // Each bound tried is below the line's own value and below the bound tried before.
  let below = toRational(byAmount ? line.amount : line.quantity);
  let value = largestFitting(f, line, byAmount);
  for (let trials = 0; value !== undefined && value >= 1n && cmp(int(value), below) < 0 && trials <= p.blocks.length; trials++) {
    const trial = byAmount ? withLine(order, line, undefined, int(value)) : withLine(order, line, value, undefined);
    const v = decide(p, trial, ledger, chargeLicenses, undefined);
    if (authorizedUnder(v, name, f.block)) {
      const figure = groupedQ(fromBigInt(value));
      return flat("authorized under " + name + " if " + line.field + (byAmount ? " were at most " + figure + " TPP" : ".quantity <= " + figure));
    }
    below = int(value);
    value = nextBound(v, trial.lines[at] as OrderLine, name, byAmount);
  }
  return undefined;
}

/**
 * The version of a policy set that decides an order dated `date`, for date hints;
 * undefined where none is in force. A single policy, or a run with `asOf`, passes none:
 * the same version decides on every date.
 */
export type VersionAt = (date: IsoDate) => CompiledPolicy | undefined;

/**
 * The earliest later date on which the order would be authorized under the authorization
 * that failed on the caps of `f`, as a hint: where the windows of those caps first could
 * let it through (laterStart), and for a rolling window the first day before that which
 * does (a binary search, exact while the usage in the window only falls as the date
 * moves: no charges dated after the order). Only a date the same version decides.
 */
function dateHint(
  p: CompiledPolicy,
  order: OrderFacts,
  ledger: Ledger,
  chargeLicenses: boolean,
  f: CapFailure,
  versionAt: VersionAt | undefined,
): string | undefined {
  let first: IsoDate | undefined;
  let rolling = false;
  for (const c of f.checks) {
    if (c.ok) continue;
    const later = laterStart(c, order.date);
    if (later === undefined) return undefined;
    if (first === undefined || later.date > first) first = later.date;
    if (later.rolling) rolling = true;
  }
  if (first === undefined) return undefined;
  const name = f.auth.model.name;
  const works = (date: IsoDate): boolean =>
    (versionAt === undefined || versionAt(date) === p) &&
    authorizedUnder(decide(p, orderWith(order, order.statuses, order.lines, date), ledger, chargeLicenses, undefined), name, f.block);
  if (!works(first)) return undefined;
  if (rolling) {
    let fails = dayNumber(order.date);
    let holds = dayNumber(first);
    while (holds - fails > 1) {
      const mid = fails + Math.floor((holds - fails) / 2);
      if (works(fromDayNumber(mid))) holds = mid;
      else fails = mid;
    }
    first = fromDayNumber(holds);
  }
  return flat("authorized under " + name + " if the order were dated " + first);
}

/** Counterfactual hints: the smallest change that would make the order authorized. */
export function hintsFor(
  p: CompiledPolicy,
  order: OrderFacts,
  ledger: Ledger,
  chargeLicenses: boolean,
  v: Verdict,
  versionAt: VersionAt | undefined,
): readonly string[] {
  const hints: string[] = [];
  // When an authorization failed only on its caps: a smaller quantity (or, for a single
  // unit, a smaller amount) of one line, the other lines as they are; or a later date.
  // Each hint is checked by deciding again.
  for (const f of v.capFailures) {
    const name = f.auth.model.name;
    const lines = order.lines;
    for (let i = 0; i < lines.length; i++) {
      // The lines it decided, and those another block charged to its caps before it.
      const line = lines[i] as OrderLine;
      if (!f.lines.includes(line) && f.charged?.some((c) => c.includes(line)) !== true) continue;
      const text = lineHint(p, order, ledger, chargeLicenses, f, i, name);
      if (text !== undefined && !hints.includes(text)) hints.push(text);
    }
    const later = dateHint(p, order, ledger, chargeLicenses, f, versionAt);
    if (later !== undefined && !hints.includes(later)) hints.push(later);
  }
  // A status the consignee does not hold (the authorization it opens: the status itself, or an exception asking for it).
  const statuses = p.statuses;
  for (let i = 0; i < statuses.length; i++) {
    const s = statuses[i] as string;
    if (order.statuses.includes(s) || !statusCouldMatter(p, order, ledger, v, s)) continue;
    const trial = decide(p, orderWith(order, [...order.statuses, s], order.lines), ledger, chargeLicenses, undefined);
    const opened = (p.statusHints[i] as readonly StatusHint[]).find((h) => authorizedUnder(trial, h.basis));
    if (opened !== undefined) hints.push(opened.text);
  }
  // A decision keeps its hints as long as the ledger keeps it: an exact-size copy.
  return hints.length === 0 ? NO_HINTS : hints.slice();
}
