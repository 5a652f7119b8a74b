/**
 * The checker: name resolution, unit checking, policy-structure checks, and lowering
 * to the PolicyModel the engine compiles. Works best effort: a model is produced even
 * when there are errors; callers look for error diagnostics.
 *
 * One namespace per policy: the policy's file plus everything it imports. A policy set
 * checks each file it uses as its own policy, then the versions together (policyset.ts).
 *
 * This file is the entry point (`check`: the policies of a program, the diagnostics
 * sorted, the symbol index). One policy is checked by policy.ts over a CheckContext
 * (context.ts: names, reporting, the model being built), one module per concern:
 * header.ts, sets.ts (groups, set expressions, `disjoint`), quantities.ts (dates,
 * numbers, quantities with units, items), catalog.ts (models, classes), conditions.ts,
 * caps.ts, exceptions.ts (exceptions and statuses) and decide.ts. sink.ts collects
 * diagnostics and index entries across the policies of one check.
 */
import type { Identifier, PolicyDecl, PolicySetDecl, QuantityExpr } from "../ast.js";
import { CODES } from "../codes.js";
import { countryName } from "../countries.js";
import type { Diagnostic } from "../diagnostic.js";
import type { PolicyModel, SourceRef } from "../model.js";
import { checkPolicy } from "./policy.js";
import { checkVersions, distinctUses, type UsedVersion } from "./policyset.js";
import type { ParsedFile, Program } from "./program.js";
import { displayName } from "../uri.js";
import { Sink } from "./sink.js";
import type { CountryReference, DeclarationInfo, ImportLink, QuantityInfo, ReferenceInfo, SymbolIndex } from "./symbols.js";
import { citeText, opt, str } from "./util.js";

export interface PolicySetModel {
  readonly title: string;
  readonly cite?: string;
  /** The used policies, in the order listed; files that could not be read are left out. */
  readonly versions: readonly PolicyModel[];
  readonly source: SourceRef;
}

export interface CheckResult {
  /** The entry's policy (for a policy set: an empty model of the set file; see `policySet`). */
  readonly model: PolicyModel;
  /** Every diagnostic of the program: syntax, loader and semantic, sorted by file then offset. */
  readonly diagnostics: readonly Diagnostic[];
  readonly index: SymbolIndex;
  /** Present when the entry file is a `policyset`: each used version checked on its own. */
  readonly policySet?: PolicySetModel;
  readonly program: Program;
}

/** A sorted copy; one linear pass when the items are already in order (declarations usually are). */
function sortedCopy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = compare(items[i - 1] as T, items[i] as T) <= 0;
  return sorted ? [...items] : [...items].sort(compare);
}

/**
 * Files of one policy: the root then its transitive imports (not `use`), depth first;
 * and the same files with every import before its importer (the order names are declared
 * in). `importMissing`: some file of the policy imports a file that cannot be read, or has
 * an `import` whose path is not written yet.
 */
function policyFiles(program: Program, root: string): { files: ParsedFile[]; dependenciesFirst: ParsedFile[]; importMissing: boolean } {
  const files: ParsedFile[] = [];
  const dependenciesFirst: ParsedFile[] = [];
  const seen = new Set<string>();
  let importMissing = false;
  const visit = (uri: string): void => {
    if (seen.has(uri)) return;
    seen.add(uri);
    const file = program.files.get(uri);
    if (!file) return;
    files.push(file);
    for (const edge of program.edges) {
      if (edge.from !== uri || edge.kind !== "import") continue;
      if (edge.found) visit(edge.target);
      else importMissing = true;
    }
    if (!importMissing) importMissing = file.ast.declarations.some((d) => d.kind === "ImportDecl" && d.path.kind === "Missing");
    dependenciesFirst.push(file);
  };
  visit(root);
  return { files, dependenciesFirst, importMissing };
}

function emptyModel(uri: string, sources: readonly ParsedFile[]): PolicyModel {
  return {
    uri,
    groups: new Map(),
    disjoint: [],
    items: new Map(),
    models: new Map(),
    classes: [],
    caps: new Map(),
    authorizations: new Map(),
    decisions: [],
    sources: sources.map((f) => ({ uri: f.uri, text: f.text })),
  };
}

function hasHeader(file: ParsedFile): boolean {
  return file.ast.declarations.some((d) => d.kind === "PolicyDecl");
}

function buildResolved(declarations: readonly DeclarationInfo[], references: readonly ReferenceInfo[]): Map<Identifier, DeclarationInfo> {
  const out = new Map<Identifier, DeclarationInfo>();
  for (const d of declarations) {
    const node = d.node;
    if ("name" in node && node.name.kind === "Identifier") out.set(node.name, d);
  }
  for (const r of references) if (r.declaration) out.set(r.node, r.declaration);
  return out;
}

/** Checks a loaded program: the entry policy (or each version of a policy set). */
export function check(program: Program): CheckResult {
  const sink = new Sink();
  for (const file of program.files.values()) for (const d of file.diagnostics) sink.add(d);
  for (const d of program.diagnostics) sink.add(d);
  const imports: ImportLink[] = program.edges.map((e) => ({ uri: e.from, range: e.node.path.range, target: e.target, found: e.found }));

  // An imported file's own header is ignored: say so.
  for (const edge of program.edges) {
    const target = program.files.get(edge.target);
    if (edge.kind === "import" && target && hasHeader(target)) {
      sink.add({
        code: "DF2009",
        severity: CODES.DF2009.severity,
        message: `\`${displayName(edge.target)}\` has its own policy header, which is ignored here`,
        uri: edge.from,
        range: edge.node.path.range,
        help: "import libraries (catalogs, country lists) without a header; list policy versions with `use` in a `policyset`",
      });
    }
  }

  const entry = program.files.get(program.entry);
  const setDecl = entry?.ast.declarations.find((d): d is PolicySetDecl => d.kind === "PolicySetDecl");
  let model: PolicyModel;
  let policySet: PolicySetModel | undefined;
  if (entry && setDecl) {
    const versions: PolicyModel[] = [];
    const used: UsedVersion[] = [];
    const listed = program.edges.flatMap((edge) => {
      const use = edge.node;
      const target = edge.from === entry.uri && use.kind === "UseClause" && edge.found ? program.files.get(edge.target) : undefined;
      return target && use.kind === "UseClause" ? [{ use, uri: target.uri, target }] : [];
    });
    model = checkPolicy(sink, [entry], [entry], false);
    for (const { use, uri, target } of distinctUses(sink, entry.uri, listed)) {
      const decl = target.ast.declarations.find((d): d is PolicyDecl => d.kind === "PolicyDecl");
      if (!decl || uri === entry.uri) {
        sink.add({
          code: "DF2007",
          severity: CODES.DF2007.severity,
          message: `\`${displayName(uri)}\` has no policy header`,
          uri: entry.uri,
          range: use.path.range,
          help: "a policy set lists policy versions: add a `policy` header to that file, or `import` it from a policy instead",
        });
        continue;
      }
      const { files, dependenciesFirst, importMissing } = policyFiles(program, uri);
      const version = checkPolicy(sink, files, dependenciesFirst, importMissing);
      versions.push(version);
      used.push({ use, uri, decl, model: version });
    }
    checkVersions(sink, entry.uri, used);
    policySet = { title: str(setDecl.title) ?? "", ...opt("cite", citeText(setDecl.cite)), versions, source: { uri: entry.uri, range: setDecl.range } };
  } else if (entry) {
    const { files, dependenciesFirst, importMissing } = policyFiles(program, entry.uri);
    model = checkPolicy(sink, files, dependenciesFirst, importMissing);
  } else {
    model = emptyModel(program.entry, []);
  }

  // Files loaded but outside every checked policy (e.g. a policy set's imports) still get diagnostics.
  const order = [...program.files.keys()];
  const rank = new Map(order.map((u, i) => [u, i]));
  const diagnostics = sortedCopy(
    sink.diagnostics,
    (a, b) =>
      (rank.get(a.uri) ?? order.length) - (rank.get(b.uri) ?? order.length) ||
      a.range.start - b.range.start ||
      a.range.end - b.range.end ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  const declarations = sortedCopy(sink.declarations, (a, b) => (rank.get(a.uri) ?? 0) - (rank.get(b.uri) ?? 0) || a.range.start - b.range.start);
  let resolved: Map<Identifier, DeclarationInfo> | undefined;
  let quantities: Map<QuantityExpr, QuantityInfo> | undefined;
  let references: ReferenceInfo[] | undefined;
  let countries: CountryReference[] | undefined;
  // Every table is built on first use: a command-line check never needs them.
  const index: SymbolIndex = {
    declarations,
    get references(): readonly ReferenceInfo[] {
      references ??= sink.references.map((uri, node, declaration) =>
        declaration ? { uri, range: node.range, name: node.name, node, declaration } : { uri, range: node.range, name: node.name, node },
      );
      return references;
    },
    get countries(): readonly CountryReference[] {
      countries ??= sink.countries.map((uri, node) => {
        const name = countryName(node.code);
        return name === undefined ? { uri, range: node.range, code: node.code } : { uri, range: node.range, code: node.code, name };
      });
      return countries;
    },
    imports,
    get resolved(): ReadonlyMap<Identifier, DeclarationInfo> {
      resolved ??= buildResolved(declarations, index.references);
      return resolved;
    },
    get quantities(): ReadonlyMap<QuantityExpr, QuantityInfo> {
      quantities ??= new Map(sink.quantities.map((uri, node, value) => [node, { uri, range: node.range, value }] as const));
      return quantities;
    },
  };
  return { model, diagnostics, index, ...opt("policySet", policySet), program };
}
