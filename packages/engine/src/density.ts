/**
 * Chips whose performance density is not given. Classes compare `density` with
 * thresholds, and a comparison with a density that is not there is false; so a chip whose
 * class turns on its density could fall through every class, leave the policy's controls
 * and be authorized (NLR) only because a figure is missing. Such an order is invalid
 * instead, with an error that says which figure to give.
 *
 * Whether a line's class turns on its density is found by trying it: the comparisons
 * come out the same for every density strictly between two neighbouring thresholds, so
 * a density at each threshold the classes name, one between each two and one beyond
 * either end take every combination of outcomes a real density can. When the first class
 * that holds is the same for all of them, the density does not matter for that line.
 */
import type { Cond, PolicyModel, Rational } from "@diffuse/language";
import type { Ledger, OrderError } from "./types.js";
import type { CClass, Ctx, Pending } from "./model.js";
import type { OrderFacts, OrderLine } from "./order.js";
import { add, cmp, div, formatGrouped, rat, sub } from "./exact.js";

const TWO = rat(2n);
const ONE = rat(1n);

function thresholdsIn(c: Cond, out: Rational[]): void {
  switch (c.kind) {
    case "compare":
      if (c.measure === "density") out.push(c.value.value);
      return;
    case "and":
    case "or":
      for (const o of c.operands) thresholdsIn(o, out);
      return;
    case "not":
      thresholdsIn(c.operand, out);
      return;
    case "const":
    case "date":
    case "flag":
    case "has":
    case "in":
    case "is":
    case "within":
      return;
    default: {
      const never: never = c;
      return never;
    }
  }
}

/** What a chip without a density is classified at, to see whether its class turns on it. */
export interface DensityProbes {
  /** The thresholds the policy's classes compare `density` with, ascending, each once. */
  readonly thresholds: readonly Rational[];
  /** The densities to try (ascending): each threshold, one between each two, and one beyond either end. */
  readonly probes: readonly Rational[];
}

/**
 * The probes of a policy: each threshold its classes compare `density` with, one between
 * each two, and one beyond either end (half the lowest when it is positive: a density is
 * above zero). Undefined when no class reads `density`.
 */
export function densityProbes(model: PolicyModel): DensityProbes | undefined {
  const found: Rational[] = [];
  for (const k of model.classes) for (const w of k.when) thresholdsIn(w.cond, found);
  if (found.length === 0) return undefined;
  const thresholds = found.sort(cmp).filter((t, i, all) => i === 0 || cmp(t, all[i - 1] as Rational) !== 0);
  const lowest = thresholds[0] as Rational;
  const probes: Rational[] = [cmp(lowest, rat(0n)) > 0 ? div(lowest, TWO) : sub(lowest, ONE)];
  for (let i = 0; i < thresholds.length; i++) {
    const t = thresholds[i] as Rational;
    const next = thresholds[i + 1];
    probes.push(t, next === undefined ? add(t, ONE) : div(add(t, next), TWO));
  }
  return Object.freeze({ thresholds: Object.freeze(thresholds), probes: Object.freeze(probes) });
}

const NO_CLASSES: readonly undefined[] = [undefined];
const NO_PENDING: Pending[] = [];

/** Index of the first class whose `when` clauses all hold in `ctx` (-1: none). */
export function firstClass(classes: readonly CClass[], ctx: Ctx): number {
  for (let k = 0; k < classes.length; k++) {
    const when = (classes[k] as CClass).when;
    let ok = true;
    for (let w = 0; w < when.length && ok; w++) ok = (when[w] as CClass["when"][number]).cond.test(ctx);
    if (ok) return k;
  }
  return -1;
}

/** A context in which to classify `line` of `order` alone. */
export function lineContext(order: OrderFacts, ledger: Ledger, line: OrderLine): Ctx {
  return {
    order,
    ledger,
    lines: [line],
    classes: NO_CLASSES,
    amount: line.amount,
    units: line.quantity,
    pending: NO_PENDING,
    pendingLines: undefined,
    failures: undefined,
    skippedReviews: undefined,
  };
}

/**
 * The classes (by index, -1 for none) `line` takes at the probe densities, each once,
 * in order of density; one entry when its density does not change its class.
 */
export function classesByDensity(classes: readonly CClass[], density: DensityProbes, ctx: Ctx, line: OrderLine): number[] {
  const seen: number[] = [];
  for (const probe of density.probes) {
    ctx.lines = [{ ...line, density: probe, klass: undefined }];
    const k = firstClass(classes, ctx);
    if (!seen.includes(k)) seen.push(k);
  }
  ctx.lines = [line];
  return seen;
}

/** "legacy_ic or advanced_ic", "outside its controls, legacy_ic or advanced_ic". */
function alternatives(classes: readonly CClass[], found: readonly number[]): string {
  const names = found.map((k) => (k < 0 ? "outside its controls" : (classes[k] as CClass).name));
  return names.length <= 2 ? names.join(" or ") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1] as string}`;
}

/**
 * One error for each chip line of `order` whose class under the policy turns on a
 * performance density that neither the order nor the catalog gives; none when
 * `density` is undefined (no class reads `density`).
 */
export function missingDensityErrors(
  classes: readonly CClass[],
  density: DensityProbes | undefined,
  order: OrderFacts,
  ledger: Ledger,
): readonly OrderError[] | undefined {
  if (density === undefined) return undefined;
  let errors: OrderError[] | undefined;
  for (const line of order.lines) {
    // A catalog line whose class is known did not turn on its density (compile.ts).
    if (!line.chip || line.density !== undefined || line.klass !== undefined) continue;
    const found = classesByDensity(classes, density, lineContext(order, ledger, line), line);
    if (found.length < 2) continue;
    const tpp = formatGrouped(line.tpp);
    const depends = `under this policy a chip of ${tpp} TPP per unit is ${alternatives(classes, found)} depending on its performance density`;
    const thresholds = density.thresholds.map(formatGrouped).join(", ");
    (errors ??= []).push(
      line.catalog
        ? {
            field: `${line.field}.item`,
            message: `the catalog gives no performance density for ${line.name ?? "this item"}, and ${depends}`,
            help: `add \`density\` to item ${line.name ?? ""} in the policy's catalog, or give the chip's figures instead of its name (tppPerUnit, performanceDensity); the classes compare density with ${thresholds}`,
          }
        : {
            field: `${line.field}.performanceDensity`,
            message: `performance density not given: ${depends}`,
            help: `give performanceDensity (the chip's TPP divided by its applicable die area in mm²); the classes compare it with ${thresholds}`,
          },
    );
  }
  return errors;
}
