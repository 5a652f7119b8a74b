/**
 * Counterfactual hints on decisions that are not authorized: the smallest change that
 * would make the order authorized (a smaller quantity or amount of one line, a later
 * date on which the caps that failed let it through, a status the consignee does not
 * hold). Every hint is confirmed by deciding the changed order again; the
 * checks here only skip trials that cannot succeed.
 */
import type { IsoDate, Rational } from "@diffuse/language";
import type { Ledger } from "./types.js";
import type { Blocked, CapFailure, CCond, CompiledPolicy, Ctx, StatusHint, Verdict } from "./model.js";
import type { OrderLine, OrderFacts } from "./order.js";
import { decide } from "./decide.js";
import { flat } from "./text.js";
import { largestFittingAmount, largestFittingQuantity, laterStart } from "./caps.js";
import { dayNumber, fromDayNumber } from "./dates.js";
import { cmp } from "./exact.js";
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

function authorizedUnder(v: Verdict, name: string): boolean {
  const basis = v.basis;
  if (v.outcome !== "authorized" || basis === undefined) return false;
  return basis === name || (basis.includes(" + ") && basis.split(" + ").includes(name));
}

/** A context for testing static conditions (no ledger, no pending charges) of a block as it was decided. */
function staticCtx(order: OrderFacts, ledger: Ledger, b: Blocked): Ctx {
  return { order, ledger, lines: b.lines, classes: b.classes, amount: b.amount, units: b.units, pending: NO_PENDING, failures: undefined, skippedReviews: undefined };
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

/** The largest quantity (or, for a single unit, amount) of `line` authorized under `name`, as a hint; undefined when none is smaller than the line's. */
function lineHint(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, chargeLicenses: boolean, checks: CapFailure["checks"], line: OrderLine, name: string): string | undefined {
  if (cmpQ(line.quantity, 1) > 0) {
    const q = largestFittingQuantity(checks, line, order.capacity);
    if (q !== undefined && q >= 1n && cmpQ(fromBigInt(q), line.quantity) < 0 && authorizedUnder(decide(p, withLine(order, line, q, undefined), ledger, chargeLicenses, undefined), name))
      return flat("authorized under " + name + " if " + line.field + ".quantity <= " + groupedQ(fromBigInt(q)));
  } else if (line.chip) {
    const a = largestFittingAmount(checks, line, order.capacity);
    const tpp: Rational | undefined = a === undefined || a < 1n ? undefined : { num: a, den: 1n };
    if (tpp !== undefined && cmp(tpp, toRational(line.amount)) < 0 && authorizedUnder(decide(p, withLine(order, line, undefined, tpp), ledger, chargeLicenses, undefined), name))
      return flat("authorized under " + name + " if " + line.field + " were at most " + groupedQ(fromBigInt(tpp.num)) + " TPP");
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
function dateHint(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, chargeLicenses: boolean, f: CapFailure, versionAt: VersionAt | undefined): string | undefined {
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
    (versionAt === undefined || versionAt(date) === p) && authorizedUnder(decide(p, orderWith(order, order.statuses, order.lines, date), ledger, chargeLicenses, undefined), name);
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
export function hintsFor(p: CompiledPolicy, order: OrderFacts, ledger: Ledger, chargeLicenses: boolean, v: Verdict, versionAt: VersionAt | undefined): readonly string[] {
  const hints: string[] = [];
  // When an authorization failed only on its caps: a smaller quantity (or, for a single
  // unit, a smaller amount) of one line, the other lines as they are; or a later date.
  // Each hint is checked by deciding again.
  for (const f of v.capFailures) {
    const name = f.auth.model.name;
    for (let i = 0; i < f.lines.length; i++) {
      const text = lineHint(p, order, ledger, chargeLicenses, f.checks, f.lines[i] as OrderLine, name);
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
