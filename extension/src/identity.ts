/** What a Diffuse file's header says about it, for the status bar. */
import type { PolicyDecl, PolicySetDecl, SourceFile } from "@diffuse/language";

export interface PolicyIdentity {
  readonly kind: "policy" | "policyset" | "library";
  readonly name?: string;
  readonly version?: string;
  readonly versions?: number;
}

/** What the header of a parsed file says about it. */
export function identityOf(ast: SourceFile): PolicyIdentity {
  const header = ast.declarations.find((d): d is PolicyDecl | PolicySetDecl => d.kind === "PolicyDecl" || d.kind === "PolicySetDecl");
  if (header === undefined) return { kind: "library" };
  const name = header.title.kind === "StringLiteral" ? header.title.value : undefined;
  if (header.kind === "PolicySetDecl") {
    const versions = header.uses.filter((u) => u.kind === "UseClause").length;
    return name !== undefined ? { kind: "policyset", name, versions } : { kind: "policyset", versions };
  }
  const clause = header.clauses.find((c) => c.kind === "VersionClause");
  const version = clause?.kind === "VersionClause" && clause.value.kind === "StringLiteral" ? clause.value.value : undefined;
  return { kind: "policy", ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}) };
}

/** The status bar text for a file. */
export function statusText(id: PolicyIdentity): string {
  switch (id.kind) {
    case "policy":
      return `$(law) ${id.name ?? "untitled policy"}${id.version !== undefined ? ` · ${id.version}` : ""}`;
    case "policyset":
      return `$(versions) ${id.name ?? "untitled policy set"} · ${id.versions ?? 0} versions`;
    case "library":
      return "$(library) Diffuse library";
    default: {
      const never: never = id.kind;
      return never;
    }
  }
}
