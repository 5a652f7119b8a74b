/**
 * A program: the entry file plus every file it imports (and, for a policy set, every
 * file it uses), each parsed once, with the import graph and the loader's diagnostics
 * (missing files, import cycles). Built with pure URI logic (../uri.ts): no Node APIs.
 */
import type { Comment, ImportDecl, SourceFile, UseClause } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { CODES } from "../codes.js";
import { displayName, displayUri, importForm, resolveImport } from "../uri.js";

/** What the parser returns for one file. */
export interface ParseOutput {
  readonly ast: SourceFile;
  readonly comments: readonly Comment[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParsedFile extends ParseOutput {
  readonly uri: string;
  readonly text: string;
}

/** One `import "..."` or `use "..."` in a file, with the URI it resolves to. */
export interface ImportEdge {
  readonly from: string;
  readonly kind: "import" | "use";
  readonly node: ImportDecl | UseClause;
  /** Resolved URI of the target. */
  readonly target: string;
  /** Whether the target could be read. */
  readonly found: boolean;
}

export interface Program {
  readonly entry: string;
  /** Every file read, in load order (depth-first from the entry). */
  readonly files: ReadonlyMap<string, ParsedFile>;
  readonly edges: readonly ImportEdge[];
  /** Loader diagnostics: missing files and import cycles (parse diagnostics stay on each file). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Targets a file refers to: its imports, and the `use` lines of a policy set. */
export function importsOf(ast: SourceFile): { node: ImportDecl | UseClause; kind: "import" | "use"; path: string }[] {
  const out: { node: ImportDecl | UseClause; kind: "import" | "use"; path: string }[] = [];
  for (const decl of ast.declarations) {
    if (decl.kind === "ImportDecl" && decl.path.kind === "StringLiteral" && decl.path.value !== "") {
      out.push({ node: decl, kind: "import", path: decl.path.value });
    } else if (decl.kind === "PolicySetDecl") {
      for (const use of decl.uses) {
        if (use.kind === "UseClause" && use.path.kind === "StringLiteral" && use.path.value !== "") {
          out.push({ node: use, kind: "use", path: use.path.value });
        }
      }
    }
  }
  return out;
}

/** The help of an import that cannot be read: how its path was taken, and where it led. */
function whereImportGoes(path: string, target: string): string {
  const form = importForm(path);
  if (form === "uri") return `the path is a URI: \`${displayUri(target)}\``;
  if (form === "absolute") return `the path is absolute: \`${displayUri(target)}\``;
  const resolved = `the path is relative to this file and resolves to \`${displayUri(target)}\``;
  // `C:lib.diffuse` (a drive without `/`) or `lib:v1.diffuse` is a file name, which may not be what was meant.
  return path.split("/")[0]?.includes(":") === true
    ? `${resolved}; a colon is part of a file name unless a drive letter (\`C:/\`) or a URI scheme (\`file:/\`) ends with it followed by \`/\``
    : resolved;
}

/**
 * Builds a program from files that are already parsed (or absent). Synchronous: the
 * async `load` reads everything first, then calls this.
 */
export function buildProgram(entry: string, get: (uri: string) => ParsedFile | undefined): Program {
  const files = new Map<string, ParsedFile>();
  const edges: ImportEdge[] = [];
  const diagnostics: Diagnostic[] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];

  const visit = (uri: string, file: ParsedFile): void => {
    state.set(uri, "active");
    stack.push(uri);
    files.set(uri, file);
    for (const { node, kind, path } of importsOf(file.ast)) {
      const target = resolveImport(uri, path);
      const targetFile = get(target);
      edges.push({ from: uri, kind, node, target, found: targetFile !== undefined });
      const where = node.path.range;
      if (targetFile === undefined) {
        diagnostics.push({
          code: "DF2005",
          severity: CODES.DF2005.severity,
          message: `cannot read \`${path}\``,
          uri,
          range: where,
          help: whereImportGoes(path, target),
        });
        continue;
      }
      const seen = state.get(target);
      if (seen === "active") {
        if (kind === "use") continue; // a policy set listing itself is reported by the checker as not-a-policy
        const cycle = [...stack.slice(stack.indexOf(target)), target].map((u) => `\`${displayName(u)}\``).join(" -> ");
        diagnostics.push({
          code: "DF2006",
          severity: CODES.DF2006.severity,
          message: `import cycle: ${cycle}`,
          uri,
          range: where,
          help: "move the shared declarations into a file that both can import",
        });
      } else if (seen === undefined) {
        visit(target, targetFile);
      }
    }
    stack.pop();
    state.set(uri, "done");
  };

  const root = get(entry);
  if (root === undefined) {
    diagnostics.push({
      code: "DF2005",
      severity: CODES.DF2005.severity,
      message: `cannot read \`${displayName(entry)}\``,
      uri: entry,
      range: { start: 0, end: 0 },
    });
  } else visit(entry, root);
  return { entry, files, edges, diagnostics };
}
