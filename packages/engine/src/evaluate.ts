/**
 * The public evaluators: `compile(model)` for one policy, `compileSet(models)` for the
 * versions of a regime picked by date. Both never throw on bad orders.
 */
import type { IsoDate, PolicyModel } from "@diffuse/language";
import type {
  CompileSetOptions,
  Decision,
  EvaluateOptions,
  Evaluator,
  Explanation,
  Ledger,
  LedgerCharge,
  OrderError,
  PolicyIdentity,
  Reason,
} from "./types.js";
import type { CompiledPolicy, Pending, Verdict } from "./model.js";
import type { Step } from "./trace.js";
import { compilePolicy } from "./compile.js";
import { decide, verdictReasons, verdictText } from "./decide.js";
import { build, DecisionShape, isOneCharge, NO_CHARGES, oneChargeDecision, recordOf } from "./record.js";
import { freezeTrace } from "./trace.js";
import { hintsFor, type VersionAt } from "./hints.js";
import { orderDateOf, orderIdOf, validate, type OrderFacts } from "./order.js";
import { MemoryLedger } from "./ledger.js";
import { toRational } from "./quantity.js";
import { orderDigest } from "./digest.js";
import { missingDensityErrors } from "./density.js";

function invalid(id: string, errors: readonly OrderError[], policy: PolicyIdentity): Decision {
  return { order: id, outcome: "invalid", reasons: [], charges: [], errors, policy };
}

/** Errors as one line of a trace: `field: message; ...`. */
function errorsText(errors: readonly OrderError[]): string {
  return errors.map((e) => `${e.field === "" ? "order" : e.field}: ${e.message}`).join("; ");
}

/** The error of an order whose id the ledger holds a decision for, recorded for other content. */
function reusedId(id: string, recorded: Decision): OrderError {
  return {
    field: "id",
    message: `order id \`${id}\` was already decided on this ledger for an order with other content (${verdictText(recorded.outcome, recorded.basis, recorded.review)})`,
    help: "an order id names one order: give this order an id of its own; the recorded decision stands, and nothing was charged for this one",
  };
}

/** The shape of a verdict's decision (see record.ts). */
function shapeOf(v: Verdict, policy: PolicyIdentity): DecisionShape {
  return v.shape ?? new DecisionShape(v.outcome, v.basis, v.review, v.reasons, v.obligations, policy);
}

function ledgerCharges(v: Verdict, date: IsoDate): LedgerCharge[] {
  return v.charges.map((c) => ({ cap: c.cap.name, key: c.key, window: c.window, date, amount: toRational(c.amount) }));
}

/**
 * The Decision of a verdict, recorded on the ledger. The in-memory ledger keeps the two
 * common kinds as rows of columns (columns.ts), with no object per decision: one charge
 * and nothing else of its own; or no charge, with reasons or hints of its own. Any other
 * decision is kept as its record (record.ts); other ledgers get a LedgerEntry.
 */
function decideAndRecord(
  order: OrderFacts,
  p: CompiledPolicy,
  v: Verdict,
  shape: DecisionShape,
  reasons: readonly Reason[],
  hints: readonly string[],
  ledger: Ledger,
): Decision {
  const digest = orderDigest(order);
  if (ledger instanceof MemoryLedger) {
    if (isOneCharge(shape, reasons, v.charges, hints)) {
      const charge = v.charges[0] as Pending;
      const decision = oneChargeDecision(order.id, shape, charge);
      ledger.recordOneCharge(order.id, order.date, shape, charge, digest);
      return decision;
    }
    if (v.charges.length === 0 && (hints.length > 0 || reasons !== shape.reasons)) {
      const decision = build(order.id, shape, reasons, NO_CHARGES, hints);
      ledger.recordNoCharge(order.id, shape, reasons === shape.reasons ? NO_REASONS : reasons.slice(shape.reasons.length), hints, digest);
      return decision;
    }
    const record = recordOf(shape, reasons, v.charges, hints);
    const decision = record.decision(order.id);
    ledger.recordDecision(order.id, order.date, record, v.charges, digest);
    return decision;
  }
  const decision = recordOf(shape, reasons, v.charges, hints).decision(order.id);
  const entry = { orderId: order.id, date: order.date, decision, policySha256: p.identity.sha256, charges: ledgerCharges(v, order.date), orderDigest: digest };
  ledger.batch(() => ledger.record(entry));
  return decision;
}

const NO_OPTIONS: EvaluateOptions = {};
const NO_HINTS: readonly string[] = [];
const NO_REASONS: readonly Reason[] = [];
const NO_ERRORS: readonly OrderError[] = [];
/** What an order already on the ledger gets on top of its recorded decision. */
const ALREADY_DECIDED = { alreadyDecided: true } as const;

class PolicyEvaluator implements Evaluator {
  readonly policies: readonly PolicyIdentity[];
  readonly caps: readonly string[];
  readonly bases: readonly string[];
  readonly rules: readonly string[];

  constructor(
    private readonly versions: readonly CompiledPolicy[],
    /** One policy evaluated as written for any date; false for a set picking by date. */
    private readonly single: boolean,
    /** The regime's name: what a decision no version made names (with no version or hash). */
    name: string,
  ) {
    this.policies = versions.map((v) => v.identity);
    const union = (names: (v: CompiledPolicy) => readonly string[]): readonly string[] => [...new Set(versions.flatMap(names))].sort();
    this.caps = union((v) => v.caps);
    this.bases = union((v) => v.bases);
    this.rules = union((v) => v.rules);
    this.unversioned = { name, version: "", sha256: "" };
  }

  private readonly unversioned: PolicyIdentity;

  private pick(input: unknown, options: EvaluateOptions): CompiledPolicy | OrderError {
    const first = this.versions[0];
    if (this.single && first !== undefined) return first;
    const date = options.asOf ?? orderDateOf(input);
    const last = this.versions[this.versions.length - 1];
    if (date === undefined) return last ?? { field: "", message: "the policy set has no versions" };
    const found = this.versionOn(date);
    if (found !== undefined) return found;
    return {
      field: options.asOf === undefined ? "date" : "",
      message: `no version of the policy is in force on ${date}`,
      help: `versions cover ${this.versions.map((v) => `${v.identity.version} from ${v.effective ?? "the beginning"}${v.until === undefined ? "" : ` until ${v.until}`}`).join("; ")}`,
    };
  }

  /** The version whose [effective, until) contains `date`; of several, the one that took effect last (versions are sorted by effective date). */
  private versionOn(date: string): CompiledPolicy | undefined {
    if (this.single) return this.versions[0];
    let found: CompiledPolicy | undefined;
    for (const v of this.versions) if ((v.effective === undefined || v.effective <= date) && (v.until === undefined || date < v.until)) found = v;
    return found;
  }

  /** `versionOn` for date hints (one function for the evaluator's life, not one per order). */
  private readonly versionAt: VersionAt = (date) => this.versionOn(date);

  inForce(date: IsoDate): PolicyIdentity | undefined {
    return this.versionOn(date)?.identity;
  }

  /** Decides one order; with `trace`, appends the steps consulted. */
  private run(input: unknown, ledger: Ledger, options: EvaluateOptions, trace: Step[] | undefined): Decision {
    const given = options.orderErrors ?? NO_ERRORS;
    const picked = this.pick(input, options);
    if (!("identity" in picked)) {
      // The caller's errors too: a `date` given twice may be why no version is in force.
      const errors = [...given, picked];
      if (trace !== undefined) trace.push({ rule: "policy", kind: "policy", applied: false, detail: given.length === 0 ? picked.message : errorsText(errors) });
      return invalid(orderIdOf(input), errors, this.unversioned);
    }
    const p = picked;
    const order = validate(input, p.catalog);
    if (Array.isArray(order) || given.length > 0) {
      const errors = Array.isArray(order) ? [...given, ...order] : given;
      if (trace !== undefined) trace.push({ rule: "order", kind: "order", applied: false, detail: errorsText(errors) });
      return invalid(orderIdOf(input), errors, p.identity);
    }
    const recorded = ledger.decided(order.id);
    if (recorded !== undefined) {
      // The same id with other content is another order, not a repeat: refused, not answered with this decision.
      const was = ledger.orderDigest?.(order.id);
      if (was !== undefined && was !== orderDigest(order)) {
        const error = reusedId(order.id, recorded);
        if (trace !== undefined) trace.push({ rule: "ledger", kind: "ledger", applied: false, detail: `${error.message}: this order is not decided` });
        return invalid(order.id, [error], p.identity);
      }
      if (trace !== undefined)
        trace.push({
          rule: "ledger",
          kind: "ledger",
          applied: true,
          detail: `order ${order.id} was already decided on this ledger: the recorded decision stands and nothing is charged again`,
        });
      // Not `{ ...recorded, alreadyDecided: true }`: V8 gives every object made that way a
      // hidden class of its own (a rerun made 200k of them), and code reading them slows down.
      return Object.assign({}, recorded, ALREADY_DECIDED);
    }
    // A chip whose class turns on a density not given cannot be decided (density.ts).
    const undecidable = missingDensityErrors(p.classes, p.densityProbes, order, ledger);
    if (undecidable !== undefined) {
      if (trace !== undefined) trace.push({ rule: "order", kind: "order", applied: false, detail: errorsText(undecidable) });
      return invalid(order.id, undecidable, p.identity);
    }
    if (trace !== undefined && !this.single)
      trace.push({
        rule: "policy",
        kind: "policy",
        applied: true,
        detail: `version ${p.identity.version} of ${p.identity.name} is in force on ${options.asOf ?? order.date}`,
        source: p.headerSource,
      });
    const chargeLicenses = options.chargeLicenses !== false;
    const v = decide(p, order, ledger, chargeLicenses, trace);
    const hints =
      v.outcome !== "authorized" && options.hints !== false
        ? hintsFor(p, order, ledger, chargeLicenses, v, this.single || options.asOf !== undefined ? undefined : this.versionAt)
        : NO_HINTS;
    const shape = shapeOf(v, p.identity);
    const reasons = verdictReasons(v, order);
    const decision =
      options.dryRun === true ? recordOf(shape, reasons, v.charges, hints).decision(order.id) : decideAndRecord(order, p, v, shape, reasons, hints, ledger);
    if (trace !== undefined) trace.push({ rule: "outcome", kind: "outcome", applied: true, detail: verdictText(v.outcome, v.basis, v.review) });
    return decision;
  }

  evaluate(order: unknown, ledger: Ledger, options: EvaluateOptions = NO_OPTIONS): Decision {
    try {
      return this.run(order, ledger, options, undefined);
    } catch (e) {
      return internalError(order, e, this.policies[0]);
    }
  }

  explain(order: unknown, ledger: Ledger, options: EvaluateOptions = NO_OPTIONS): Explanation {
    try {
      const trace: Step[] = [];
      const decision = this.run(order, ledger, options, trace);
      return { decision, trace: freezeTrace(trace) };
    } catch (e) {
      const decision = internalError(order, e, this.policies[0]);
      return { decision, trace: [{ rule: "engine", kind: "error", applied: false, detail: decision.errors?.[0]?.message ?? "" }] };
    }
  }
}

/** A programming error or a failing ledger must not escape `evaluate`: it becomes an invalid decision. */
function internalError(order: unknown, e: unknown, policy: PolicyIdentity | undefined): Decision {
  const message = e instanceof Error ? e.message : String(e);
  return invalid(orderIdOf(order), [{ field: "", message: `the order could not be evaluated: ${message}` }], policy ?? { name: "", version: "", sha256: "" });
}

/** Compiles one checked policy; it is evaluated as written for any order date. */
export function compile(model: PolicyModel): Evaluator {
  const policy = compilePolicy(model);
  return new PolicyEvaluator([policy], true, policy.identity.name);
}

/**
 * Compiles the versions of a regime. For each order, the version whose
 * [effective, until) contains the order date (or `options.asOf`) decides; when several
 * do, the one that takes effect last. A date no version covers gives an invalid decision,
 * whose `policy` is the set's `name` (options) with no version or hash.
 */
export function compileSet(models: readonly PolicyModel[], options: CompileSetOptions = {}): Evaluator {
  const compiled = models.map(compilePolicy);
  compiled.sort((a, b) => ((a.effective ?? "") < (b.effective ?? "") ? -1 : (a.effective ?? "") > (b.effective ?? "") ? 1 : 0));
  return new PolicyEvaluator(compiled, false, options.name ?? compiled[0]?.identity.name ?? "");
}
