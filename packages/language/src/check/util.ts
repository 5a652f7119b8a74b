/**
 * Small pieces shared by the checker's modules: the exhaustiveness guard, the nesting
 * bound, reading string and citation literals, building model objects with optional
 * parts (`opt`, `put`), and the value a quantity evaluates to.
 */
import type { Citation, Missing, StringLiteral } from "../ast.js";
import type { ExactQuantity, Rational } from "../model.js";

/** Nesting beyond this depth is reported instead of walked (guards the stack). */
export const MAX_DEPTH = 500;

/** A quantity's exact value and unit, as the checker works it out (and the index records it). */
export type Value =
  | { readonly unit: ExactQuantity["unit"]; readonly value: Rational }
  | { readonly unit: "days" | "months" | "years"; readonly value: Rational }
  | { readonly unit: "percent-of-capacity"; readonly value: Rational };

export type ValueUnit = Value["unit"];

export function unreachable(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify(x)}`);
}

export function citeText(cite: Citation | undefined): string | undefined {
  return cite?.text.kind === "StringLiteral" ? cite.text.value : undefined;
}

export function str(s: StringLiteral | Missing | undefined): string | undefined {
  return s?.kind === "StringLiteral" ? s.value : undefined;
}

/** `{ key: value }`, or nothing to spread when the value is absent (optional properties stay absent). */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } | undefined {
  return value === undefined ? undefined : ({ [key]: value } as { [P in K]?: V });
}

/**
 * Sets an optional property of a model object being built, when there is a value. The
 * checker builds thousands of these; an object spread of \`opt(...)\` costs about ten
 * times as much in V8 as a plain assignment.
 */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
