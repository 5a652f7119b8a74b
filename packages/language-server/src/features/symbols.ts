/** textDocument/documentSymbol: a hierarchical outline of declarations and their clauses. */
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type { Declaration, Identifier, Missing, StringLiteral } from "@diffuse/language";
import type { Analysis } from "../analysis.js";
import { toLspRange } from "../positions.js";
import type { AnyNode } from "../syntax.js";

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const decl of analysis.ast.declarations) {
    const symbol = declarationSymbol(analysis, decl);
    if (symbol !== undefined) out.push(symbol);
  }
  return out;
}

function nameOf(name: Identifier | Missing): string | undefined {
  return name.kind === "Identifier" && name.name !== "" ? name.name : undefined;
}

function text(s: StringLiteral | Missing | undefined): string | undefined {
  return s !== undefined && s.kind === "StringLiteral" ? s.value : undefined;
}

function declarationSymbol(analysis: Analysis, decl: Declaration): DocumentSymbol | undefined {
  const doc = analysis.document;
  const make = (name: string, kind: SymbolKind, selection: AnyNode, detail: string | undefined, children: DocumentSymbol[] = []): DocumentSymbol => {
    const range = toLspRange(doc, decl.range);
    const sel = toLspRange(doc, selection.range.end > selection.range.start ? selection.range : decl.range);
    const symbol: DocumentSymbol = { name, kind, range, selectionRange: sel, children };
    if (detail !== undefined) symbol.detail = detail;
    return symbol;
  };
  const clause = (node: AnyNode, label: string, kind: SymbolKind = SymbolKind.Property): DocumentSymbol => {
    const range = toLspRange(doc, node.range);
    return { name: label, kind, range, selectionRange: range };
  };
  switch (decl.kind) {
    case "ImportDecl":
      return make(text(decl.path) ?? "import", SymbolKind.File, decl.path, "import");
    case "PolicyDecl":
      return make(
        text(decl.title) ?? "policy",
        SymbolKind.Module,
        decl.title,
        "policy",
        decl.clauses.flatMap((c) => {
          switch (c.kind) {
            case "VersionClause":
              return [clause(c, `version ${text(c.value) ?? ""}`.trim())];
            case "EffectiveClause":
            case "UntilClause":
            case "ComplianceClause": {
              const word = c.kind === "EffectiveClause" ? "effective" : c.kind === "UntilClause" ? "until" : "compliance";
              return [clause(c, `${word} ${c.date.kind === "DateLiteral" ? c.date.raw : ""}`.trim())];
            }
            case "SupersedesClause":
              return [clause(c, `supersedes ${text(c.version) ?? ""}`.trim())];
            case "CiteClause":
            case "NoteClause":
            case "ErrorClause":
              return [];
            default:
              return assertNever(c);
          }
        }),
      );
    case "PolicySetDecl":
      return make(
        text(decl.title) ?? "policyset",
        SymbolKind.Package,
        decl.title,
        "policyset",
        decl.uses.flatMap((u) => (u.kind === "UseClause" ? [clause(u, text(u.path) ?? "use", SymbolKind.File)] : [])),
      );
    case "GroupDecl": {
      const name = nameOf(decl.name);
      return name === undefined ? undefined : make(name, SymbolKind.Enum, decl.name, decl.title?.value ?? "group");
    }
    case "DisjointDecl":
      return make("disjoint", SymbolKind.Operator, decl, decl.groups.flatMap((g) => (g.kind === "Identifier" ? [g.name] : [])).join(", "));
    case "ItemDecl": {
      const name = nameOf(decl.name);
      return name === undefined ? undefined : make(name, SymbolKind.Struct, decl.name, decl.title?.value ?? "item");
    }
    case "ModelDecl": {
      const name = nameOf(decl.name);
      return name === undefined ? undefined : make(name, SymbolKind.Object, decl.name, decl.title?.value ?? "model");
    }
    case "ClassDecl": {
      const name = nameOf(decl.name);
      return name === undefined ? undefined : make(name, SymbolKind.Class, decl.name, decl.title?.value ?? "class");
    }
    case "CapDecl": {
      const name = nameOf(decl.name);
      if (name === undefined) return undefined;
      const children = decl.clauses.flatMap((c): DocumentSymbol[] => {
        switch (c.kind) {
          case "LimitClause":
            return [clause(c, "limit")];
          case "PerClause":
            return [clause(c, "per")];
          case "WindowClause":
            return [clause(c, "window")];
          case "ScheduleClause":
            return [
              {
                ...clause(c, "schedule"),
                children: c.steps.map((s) => clause(s, `through ${s.through.kind === "DateLiteral" ? s.through.raw : "?"}`)),
              },
            ];
          case "TimesClause":
            return [clause(c, "times")];
          case "WhenClause":
            return [clause(c, "when")];
          case "CiteClause":
          case "NoteClause":
          case "ErrorClause":
            return [];
          default:
            return assertNever(c);
        }
      });
      return make(name, SymbolKind.Constant, decl.name, decl.title?.value ?? "cap", children);
    }
    case "ExceptionDecl":
    case "StatusDecl": {
      const name = nameOf(decl.name);
      if (name === undefined) return undefined;
      const kind = decl.kind === "ExceptionDecl" ? SymbolKind.Function : SymbolKind.Interface;
      const fallback = decl.kind === "ExceptionDecl" ? "exception" : "status";
      return make(name, kind, decl.name, decl.title?.value ?? fallback);
    }
    case "DecideDecl": {
      const name = nameOf(decl.name);
      if (name === undefined) return undefined;
      const children = decl.rules.flatMap((r): DocumentSymbol[] => {
        switch (r.kind) {
          case "ProhibitRule":
            return [clause(r, "prohibit", SymbolKind.Event)];
          case "AuthorizeRule":
            return [clause(r, `authorize ${nameOf(r.basis) ?? ""}`.trim(), SymbolKind.Event)];
          case "LicenseRule":
            return [clause(r, "license", SymbolKind.Event)];
          case "CiteClause":
          case "NoteClause":
          case "ErrorClause":
            return [];
          default:
            return assertNever(r);
        }
      });
      return make(name, SymbolKind.Method, decl.name, decl.title?.value ?? "decide", children);
    }
    case "ErrorClause":
      return undefined;
    default:
      return assertNever(decl);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected node ${JSON.stringify(value)}`);
}
