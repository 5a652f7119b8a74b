/**
 * The symbol index: every declaration and every reference of a checked program, for the
 * language server (go to definition, find references, rename, hover, document links).
 * Built by the checker as side tables; the AST is never mutated.
 */
import type { Declaration, Identifier, QuantityExpr, Range } from "../ast.js";
import type { ExactQuantity } from "../model.js";

export type DeclarationKind = "group" | "item" | "model" | "class" | "cap" | "exception" | "status" | "decide";

export interface DeclarationInfo {
  readonly name: string;
  readonly kind: DeclarationKind;
  readonly uri: string;
  /** Range of the declared name. */
  readonly nameRange: Range;
  /** Range of the whole declaration. */
  readonly range: Range;
  readonly title?: string;
  readonly cite?: string;
  readonly node: Declaration;
}

export interface ReferenceInfo {
  readonly uri: string;
  readonly range: Range;
  readonly name: string;
  readonly node: Identifier;
  /** Undefined when the name does not resolve (or resolves to the built-in `NLR`). */
  readonly declaration?: DeclarationInfo;
}

/** A country code written in a set literal, with its English name when known. */
export interface CountryReference {
  readonly uri: string;
  readonly range: Range;
  readonly code: string;
  readonly name?: string;
}

/** An `import`/`use` path string and the file it resolves to. */
export interface ImportLink {
  readonly uri: string;
  readonly range: Range;
  readonly target: string;
  readonly found: boolean;
}

/** A quantity as the checker understood it (for hover: `1_699 x H100` = 26,898,568 TPP). */
export interface QuantityInfo {
  readonly uri: string;
  readonly range: Range;
  readonly value: ExactQuantity | { readonly unit: "days" | "months" | "years" | "percent-of-capacity"; readonly value: ExactQuantity["value"] };
}

export interface SymbolIndex {
  /** In file load order, then source order. */
  readonly declarations: readonly DeclarationInfo[];
  readonly references: readonly ReferenceInfo[];
  readonly countries: readonly CountryReference[];
  readonly imports: readonly ImportLink[];
  /** Side table: name identifier (of a declaration or a reference) -> its declaration (built on first access). */
  readonly resolved: ReadonlyMap<Identifier, DeclarationInfo>;
  /** Side table: quantity node -> exact value (built on first access). */
  readonly quantities: ReadonlyMap<QuantityExpr, QuantityInfo>;
}

function inside(range: Range, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}

/** The declaration whose name or a reference to which is at `offset` in `uri`. */
export function symbolAt(index: SymbolIndex, uri: string, offset: number): { readonly declaration: DeclarationInfo; readonly range: Range } | undefined {
  for (const d of index.declarations) {
    if (d.uri === uri && inside(d.nameRange, offset)) return { declaration: d, range: d.nameRange };
  }
  for (const r of index.references) {
    if (r.uri === uri && r.declaration && inside(r.range, offset)) return { declaration: r.declaration, range: r.range };
  }
  return undefined;
}

/** Every place a declaration is named: its references, and (optionally) the declaration itself. */
export function referencesTo(index: SymbolIndex, declaration: DeclarationInfo, includeDeclaration = true): { readonly uri: string; readonly range: Range }[] {
  const out: { uri: string; range: Range }[] = [];
  if (includeDeclaration) out.push({ uri: declaration.uri, range: declaration.nameRange });
  for (const r of index.references) {
    if (r.declaration === declaration) out.push({ uri: r.uri, range: r.range });
  }
  return out;
}
