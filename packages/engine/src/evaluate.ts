/**
 * The public evaluators: `compile(model)` for one policy, `compileSet(models)` for the
 * versions of a regime picked by date. Both never throw on bad orders.
 */
import type { IsoDate, PolicyModel } from "@diffuse/language";
import type { Decision, EvaluateOptions, Evaluator, Explanation, Ledger, LedgerCharge, OrderError, PolicyIdentity } from "./types.js";
import type { CompiledPolicy, Verdict } from "./model.js";
import type { Step } from "./trace.js";
import type { ValidOrder } from "./order.js";
import { compilePolicy } from "./compile.js";
import { chargesOf, decide, verdictReasons, verdictText } from "./decide.js";
import { freezeTrace } from "./trace.js";
import { hintsFor } from "./hints.js";
import { orderDateOf, orderIdOf, validate } from "./order.js";
import { MemoryLedger } from "./ledger.js";
import { toRational } from "./quantity.js";


function invalid(id: string, errors: readonly OrderError[], policy: PolicyIdentity): Decision {
  return { order: id, outcome: "invalid", reasons: [], charges: [], errors, policy };
}

/** Keys in the documented order, so equal decisions serialize byte-identically. */
function buildDecision(order: ValidOrder, v: Verdict, hints: readonly string[], policy: PolicyIdentity): Decision {
  const id = order.id;
  const charges = chargesOf(v.charges);
  const reasons = verdictReasons(v, order);
  const { outcome, basis, review, obligations } = v;
  if (basis !== undefined) {
    return obligations.length === 0
      ? { order: id, outcome, basis, reasons, charges, policy }
      : { order: id, outcome, basis, reasons, charges, obligations, policy };
  }
  if (review !== undefined) {
    return hints.length === 0 ? { order: id, outcome, review, reasons, charges, policy } : { order: id, outcome, review, reasons, charges, hints, policy };
  }
  return hints.length === 0 ? { order: id, outcome, reasons, charges, policy } : { order: id, outcome, reasons, charges, hints, policy };
}

function ledgerCharges(v: Verdict, date: IsoDate): LedgerCharge[] {
  return v.charges.map((c) => ({ cap: c.cap.name, key: c.key, window: c.window, date, amount: toRational(c.amount) }));
}

const NO_TRACE: Step[] = [];

interface Outcome {
  readonly decision: Decision;
  readonly trace: Step[];
}

class PolicyEvaluator implements Evaluator {
  readonly policies: readonly PolicyIdentity[];

  constructor(
    private readonly versions: readonly CompiledPolicy[],
    /** One policy evaluated as written for any date; false for a set picking by date. */
    private readonly single: boolean,
  ) {
    this.policies = versions.map((v) => v.identity);
  }

  private pick(input: unknown, options: EvaluateOptions): CompiledPolicy | OrderError {
    const first = this.versions[0];
    if (this.single && first !== undefined) return first;
    const date = options.asOf ?? orderDateOf(input);
    const last = this.versions[this.versions.length - 1];
    if (date === undefined) return last ?? { field: "", message: "the policy set has no versions" };
    let found: CompiledPolicy | undefined;
    for (const v of this.versions) if ((v.effective === undefined || v.effective <= date) && (v.until === undefined || date < v.until)) found = v;
    if (found !== undefined) return found;
    return {
      field: options.asOf === undefined ? "date" : "",
      message: `no version of the policy is in force on ${date}`,
      help: `versions cover ${this.versions.map((v) => `${v.identity.version} from ${v.effective ?? "the beginning"}${v.until === undefined ? "" : ` until ${v.until}`}`).join("; ")}`,
    };
  }

  private run(input: unknown, ledger: Ledger, options: EvaluateOptions, traced: boolean): Outcome {
    const trace: Step[] = traced ? [] : NO_TRACE;
    const picked = this.pick(input, options);
    if (!("identity" in picked)) {
      const first = this.versions[0];
      const identity = { name: first?.identity.name ?? "", version: "", sha256: "" };
      return { decision: invalid(orderIdOf(input), [picked], identity), trace: [{ rule: "policy", kind: "policy", applied: false, detail: picked.message }] };
    }
    const p = picked;
    const order = validate(input, p.catalog);
    if (Array.isArray(order)) {
      if (traced) trace.push({ rule: "order", kind: "order", applied: false, detail: order.map((e) => `${e.field === "" ? "order" : e.field}: ${e.message}`).join("; ") });
      return { decision: invalid(orderIdOf(input), order, p.identity), trace };
    }
    const recorded = ledger.decided(order.id);
    if (recorded !== undefined) {
      if (traced) trace.push({ rule: "ledger", kind: "ledger", applied: true, detail: `order ${order.id} was already decided on this ledger: the recorded decision stands and nothing is charged again` });
      return { decision: { ...recorded, alreadyDecided: true }, trace };
    }
    if (traced && !this.single)
      trace.push({
        rule: "policy",
        kind: "policy",
        applied: true,
        detail: `version ${p.identity.version} of ${p.identity.name} is in force on ${options.asOf ?? order.date}`,
        source: p.headerSource,
      });
    const chargeLicenses = options.chargeLicenses !== false;
    const v = decide(p, order, ledger, chargeLicenses, traced ? trace : undefined);
    const hints = v.outcome !== "authorized" && options.hints !== false ? hintsFor(p, order, ledger, chargeLicenses, v) : [];
    const decision = buildDecision(order, v, hints, p.identity);
    if (traced) trace.push({ rule: "outcome", kind: "outcome", applied: true, detail: verdictText(v.outcome, v.basis, v.review) });
    if (options.dryRun !== true) {
      if (ledger instanceof MemoryLedger) ledger.recordDecision(order.id, order.date, decision, v.charges);
      else {
        const entry = { orderId: order.id, date: order.date, decision, policySha256: p.identity.sha256, charges: ledgerCharges(v, order.date) };
        ledger.batch(() => ledger.record(entry));
      }
    }
    return { decision, trace };
  }

  evaluate(order: unknown, ledger: Ledger, options: EvaluateOptions = {}): Decision {
    try {
      return this.run(order, ledger, options, false).decision;
    } catch (e) {
      return internalError(order, e, this.policies[0]);
    }
  }

  explain(order: unknown, ledger: Ledger, options: EvaluateOptions = {}): Explanation {
    try {
      const r = this.run(order, ledger, options, true);
      return { decision: r.decision, trace: freezeTrace(r.trace) };
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
  return new PolicyEvaluator([compilePolicy(model)], true);
}

/**
 * Compiles the versions of a regime. For each order, the version whose
 * [effective, until) contains the order date (or `options.asOf`) decides; when several
 * do, the one that takes effect last. A date no version covers gives an invalid decision.
 */
export function compileSet(models: readonly PolicyModel[]): Evaluator {
  const compiled = models.map(compilePolicy);
  compiled.sort((a, b) => ((a.effective ?? "") < (b.effective ?? "") ? -1 : (a.effective ?? "") > (b.effective ?? "") ? 1 : 0));
  return new PolicyEvaluator(compiled, false);
}

