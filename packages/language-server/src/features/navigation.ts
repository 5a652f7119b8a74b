/**
 * Go to definition, find references, document highlights, and rename (with
 * prepareRename), all over the checker's name index. Names share one namespace across
 * a file and its imports, so references are collected over every analysis given (the
 * current document's first, then other open documents that import the same files).
 */
import { DocumentHighlightKind, type DocumentHighlight, type Location, type Range as LspRange, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type { Analysis, DeclarationInfo, ReferenceInfo } from "../analysis.js";
import { toLspRange, touches } from "../positions.js";

/** What is under the cursor: a declared name, or a reference (resolved or not). */
export type NameAt =
  { readonly kind: "declaration"; readonly declaration: DeclarationInfo } | { readonly kind: "reference"; readonly reference: ReferenceInfo };

export function nameAt(analysis: Analysis, offset: number): NameAt | undefined {
  for (const declaration of analysis.index.declarations) {
    if (declaration.uri === analysis.uri && touches(declaration.nameRange, offset)) return { kind: "declaration", declaration };
  }
  for (const reference of analysis.index.references) {
    if (reference.uri === analysis.uri && touches(reference.range, offset)) return { kind: "reference", reference };
  }
  return undefined;
}

function sameDeclaration(a: DeclarationInfo, b: DeclarationInfo): boolean {
  return a.uri === b.uri && a.nameRange.start === b.nameRange.start && a.name === b.name;
}

/** The declaration a cursor refers to, if it resolves. */
export function declarationAt(analysis: Analysis, offset: number): DeclarationInfo | undefined {
  const at = nameAt(analysis, offset);
  if (at === undefined) return undefined;
  return at.kind === "declaration" ? at.declaration : at.reference.declaration;
}

function rangeIn(analyses: readonly Analysis[], uri: string, range: { start: number; end: number }): LspRange | undefined {
  for (const analysis of analyses) {
    const file = analysis.files.get(uri);
    if (file !== undefined) return toLspRange(file.document, range);
  }
  return undefined;
}

export function definition(analysis: Analysis, offset: number): Location[] {
  const target = declarationAt(analysis, offset);
  if (target === undefined) return [];
  const range = rangeIn([analysis], target.uri, target.nameRange);
  return range === undefined ? [] : [{ uri: target.uri, range }];
}

interface Occurrence {
  readonly uri: string;
  readonly range: { readonly start: number; readonly end: number };
  readonly isDeclaration: boolean;
}

/** Every place the declaration's name is written, over the given analyses, without duplicates. */
function occurrences(analyses: readonly Analysis[], target: DeclarationInfo): Occurrence[] {
  const seen = new Set<string>();
  const out: Occurrence[] = [];
  const push = (o: Occurrence): void => {
    const key = `${o.uri}#${o.range.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(o);
  };
  for (const analysis of analyses) {
    for (const declaration of analysis.index.declarations) {
      if (sameDeclaration(declaration, target)) push({ uri: declaration.uri, range: declaration.nameRange, isDeclaration: true });
    }
    for (const reference of analysis.index.references) {
      if (reference.declaration !== undefined && sameDeclaration(reference.declaration, target)) {
        push({ uri: reference.uri, range: reference.range, isDeclaration: false });
      }
    }
  }
  return out;
}

/**
 * Find references. `others` are analyses of other open documents; those that include the
 * declaring file contribute their references too.
 */
export function references(analysis: Analysis, offset: number, includeDeclaration: boolean, others: readonly Analysis[] = []): Location[] {
  const target = declarationAt(analysis, offset);
  if (target === undefined) return [];
  const analyses = [analysis, ...others.filter((o) => o !== analysis && o.files.has(target.uri))];
  return occurrences(analyses, target).flatMap((o) => {
    if (o.isDeclaration && !includeDeclaration) return [];
    const range = rangeIn(analyses, o.uri, o.range);
    return range === undefined ? [] : [{ uri: o.uri, range }];
  });
}

export function documentHighlights(analysis: Analysis, offset: number): DocumentHighlight[] {
  const target = declarationAt(analysis, offset);
  if (target === undefined) {
    // An unresolved name: highlight the other spellings of the same unknown name.
    const at = nameAt(analysis, offset);
    if (at?.kind !== "reference") return [];
    return analysis.index.references
      .filter((r) => r.uri === analysis.uri && r.declaration === undefined && r.name === at.reference.name)
      .map((r) => ({ range: toLspRange(analysis.document, r.range), kind: DocumentHighlightKind.Read }));
  }
  return occurrences([analysis], target)
    .filter((o) => o.uri === analysis.uri)
    .map((o) => ({
      range: toLspRange(analysis.document, o.range),
      kind: o.isDeclaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
    }));
}

// ---------------------------------------------------------------------------
// Rename

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type RenameResult = { readonly ok: true; readonly edit: WorkspaceEdit } | { readonly ok: false; readonly message: string };

export interface PrepareRenameResult {
  readonly range: LspRange;
  readonly placeholder: string;
}

export function prepareRename(analysis: Analysis, offset: number): PrepareRenameResult | { readonly message: string } {
  const at = nameAt(analysis, offset);
  if (at === undefined) return { message: "only a declared name can be renamed" };
  if (at.kind === "reference" && at.reference.declaration === undefined && at.reference.name === "NLR") {
    return { message: "`NLR` is built in and cannot be renamed" };
  }
  if (at.kind === "reference" && at.reference.declaration === undefined) {
    return { message: `\`${at.reference.name}\` is not declared, so it cannot be renamed` };
  }
  const range = at.kind === "declaration" ? at.declaration.nameRange : at.reference.range;
  const name = at.kind === "declaration" ? at.declaration.name : at.reference.name;
  return { range: toLspRange(analysis.document, range), placeholder: name };
}

/**
 * Rename a declaration and every reference to it, across imported files and other open
 * documents that import the declaring file. Refuses invalid names, keywords and names
 * already declared in any affected program.
 */
export function rename(analysis: Analysis, offset: number, newName: string, keywords: ReadonlySet<string>, others: readonly Analysis[] = []): RenameResult {
  const target = declarationAt(analysis, offset);
  if (target === undefined) return { ok: false, message: "only a declared name can be renamed" };
  if (!NAME_PATTERN.test(newName)) {
    return { ok: false, message: `\`${newName}\` is not a valid name: use a letter or \`_\`, then letters, digits or \`_\`` };
  }
  if (keywords.has(newName)) return { ok: false, message: `\`${newName}\` is a reserved keyword and cannot be used as a name; choose another name` };
  // The checker refuses an exception or status named `NLR`, and `authorize NLR` would then mean no license required.
  if (newName === "NLR" && (target.kind === "exception" || target.kind === "status")) {
    return { ok: false, message: "`NLR` is built in (no license required) and cannot name an exception or status" };
  }
  if (newName === target.name) return { ok: true, edit: { changes: {} } };
  const analyses = [analysis, ...others.filter((o) => o !== analysis && o.files.has(target.uri))];
  for (const a of analyses) {
    const taken = a.index.declarations.find((d) => d.name === newName);
    if (taken !== undefined) return { ok: false, message: `\`${newName}\` is already declared (a ${taken.kind})` };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const o of occurrences(analyses, target)) {
    const range = rangeIn(analyses, o.uri, o.range);
    if (range === undefined) continue;
    (changes[o.uri] ??= []).push({ range, newText: newName });
  }
  return { ok: true, edit: { changes } };
}
