/**
 * Checks one policy: its names are registered first (every file, imports before
 * importers), then the root file's header, then every declaration in that order, each by
 * the module for its concern. Returns the policy's model.
 */
import type { Declaration, PolicyDecl, PolicySetDecl } from "../ast.js";
import type { PolicyModel } from "../model.js";
import { reportCapCycles } from "./cap-cycles.js";
import { checkCap } from "./caps.js";
import { checkClass, checkModel } from "./catalog.js";
import { CheckContext } from "./context.js";
import { checkDecide } from "./decide.js";
import { checkAuthorization } from "./exceptions.js";
import { checkHeader } from "./header.js";
import type { ParsedFile } from "./program.js";
import { itemValue } from "./quantities.js";
import { checkDisjoint, checkGroup } from "./sets.js";
import type { Sink } from "./sink.js";
import { opt, unreachable } from "./util.js";

/**
 * Checks one policy: a root file plus its transitive imports, in one namespace.
 * `declarationOrder`: imports before importers, the order declarations are registered (and checked) in.
 * `importMissing`: an import of the policy cannot be read (see `CheckContext.importMissing`).
 */
export function checkPolicy(sink: Sink, files: readonly ParsedFile[], declarationOrder: readonly ParsedFile[], importMissing: boolean): PolicyModel {
  const cx = new CheckContext(sink, files, declarationOrder, importMissing);
  const root = cx.files[0];
  const headers = collect(cx, root);
  if (root) checkHeader(cx, root, headers);
  for (const file of cx.declarationOrder) {
    cx.uri = file.uri;
    for (const decl of file.ast.declarations) checkDeclaration(cx, decl);
  }
  reportCapCycles(cx);
  return {
    uri: root?.uri ?? "",
    ...opt("header", cx.header),
    groups: cx.groups,
    disjoint: cx.disjoint,
    items: cx.items,
    models: cx.models,
    classes: cx.classes,
    caps: cx.caps,
    authorizations: cx.authorizations,
    decisions: cx.decisions,
    sources: cx.files.map((f) => ({ uri: f.uri, text: f.text })),
  };
}

/**
 * Registers every named declaration; reports duplicates. Returns the root file's headers
 * (found in the same pass: a large file's declarations are read from memory once more
 * for each pass over them).
 */
function collect(cx: CheckContext, root: ParsedFile | undefined): (PolicyDecl | PolicySetDecl)[] {
  const headers: (PolicyDecl | PolicySetDecl)[] = [];
  for (const file of cx.declarationOrder) {
    cx.uri = file.uri;
    cx.shared = cx.sink.sharedDeclarations(file.uri);
    const isRoot = file === root;
    for (const decl of file.ast.declarations) {
      switch (decl.kind) {
        case "GroupDecl":
        case "ItemDecl":
        case "ModelDecl":
        case "ClassDecl":
        case "CapDecl":
        case "ExceptionDecl":
        case "StatusDecl":
        case "DecideDecl":
          cx.declare(decl);
          break;
        case "PolicyDecl":
        case "PolicySetDecl":
          if (isRoot) headers.push(decl);
          break;
        case "ImportDecl":
        case "DisjointDecl":
        case "ErrorClause":
          break;
        default:
          unreachable(decl);
      }
    }
  }
  return headers;
}

function checkDeclaration(cx: CheckContext, decl: Declaration): void {
  switch (decl.kind) {
    case "ImportDecl":
    case "PolicyDecl":
    case "PolicySetDecl":
    case "ErrorClause":
      return;
    case "GroupDecl":
      checkGroup(cx, decl);
      return;
    case "DisjointDecl":
      checkDisjoint(cx, decl);
      return;
    case "ItemDecl":
      itemValue(cx, decl, cx.uri);
      return;
    case "ModelDecl":
      checkModel(cx, decl);
      return;
    case "ClassDecl":
      checkClass(cx, decl);
      return;
    case "CapDecl":
      checkCap(cx, decl);
      return;
    case "ExceptionDecl":
    case "StatusDecl":
      checkAuthorization(cx, decl);
      return;
    case "DecideDecl":
      checkDecide(cx, decl);
      return;
    default:
      unreachable(decl);
  }
}
