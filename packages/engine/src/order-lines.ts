/**
 * The OrderLine of each kind of order line, built in one place for the full validator
 * (order.ts) and its fast path (order-fast.ts): both must build the same line for the
 * same input, and every line has the same fields in the same order (one object shape,
 * which keeps the code reading lines fast).
 */
import type { Rational } from "@diffuse/language";
import { ZERO } from "./exact.js";
import { mulQ, quantity as toQuantity, type Quantity } from "./quantity.js";
import type { LineTemplate, OrderLine } from "./order.js";

/** A catalog line (an item or a model) from the template compile.ts made for it. */
export function templateLine(field: string, t: LineTemplate, quantity: Quantity): OrderLine {
  return {
    field,
    name: t.name,
    chip: t.chip,
    model: t.model,
    datacenter: t.datacenter,
    open: t.open,
    tpp: t.tpp,
    density: t.density,
    operations: t.operations,
    quantity,
    amount: t.model ? 0 : mulQ(t.tppQ, quantity),
    klass: t.klass,
    catalog: true,
  };
}

/** A chip: one of the catalog (`catalog`, by `name`) or one given by its figures. */
export function chipLine(
  field: string,
  name: string | undefined,
  datacenter: boolean,
  tpp: Rational,
  density: Rational | undefined,
  quantity: Quantity,
  catalog: boolean,
): OrderLine {
  return {
    field,
    name,
    chip: true,
    model: false,
    datacenter,
    open: false,
    tpp,
    density,
    operations: undefined,
    quantity,
    amount: mulQ(toQuantity(tpp), quantity),
    klass: undefined,
    catalog,
  };
}

/** Model weights: a model of the catalog (`catalog`, by `name`) or weights given by their figures (one unit). */
export function weightsLine(field: string, name: string | undefined, open: boolean, operations: Rational, quantity: Quantity, catalog: boolean): OrderLine {
  return {
    field,
    name,
    chip: false,
    model: true,
    datacenter: false,
    open,
    tpp: ZERO,
    density: undefined,
    operations,
    quantity,
    amount: 0,
    klass: undefined,
    catalog,
  };
}
