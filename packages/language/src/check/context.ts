/**
 * The state of one policy's check, shared by the checker's modules: the namespace (names
 * declared, and resolving a reference to one), the memo tables of values already worked
 * out (groups, items), the model being built, and reporting (diagnostics, source
 * references, index entries, the text of the file being checked).
 *
 * One context per policy: a root file plus its transitive imports. `uri` is the file being
 * checked at the moment; diagnostics and source references go to it.
 */
import type { CapDecl, ClassDecl, DecideDecl, ExceptionDecl, GroupDecl, Identifier, ItemDecl, Missing, ModelDecl, Range, StatusDecl } from "../ast.js";
import { CODES, type Code } from "../codes.js";
import type { Diagnostic, FixData, RelatedLocation } from "../diagnostic.js";
import { keywordOf } from "../syntax/tokens.js";
import type { AuthorizationModel, CapModel, ClassModel, DecideModel, GroupModel, ItemModel, ModelWeightsModel, PolicyHeader, SourceRef } from "../model.js";
import type { DatedSet, LazyMembers } from "./intervals.js";
import type { ParsedFile } from "./program.js";
import { displayName } from "../uri.js";
import type { Sink } from "./sink.js";
import { closest } from "./suggest.js";
import type { DeclarationInfo, DeclarationKind } from "./symbols.js";
import { citeText, unreachable } from "./util.js";

/** A line comment (and the spaces before it) from a position to its line's end. */
const LINE_COMMENT_AFTER = /[ \t]*\/\/[^\r\n]*/y;

const KIND_TEXT: Record<DeclarationKind, string> = {
  group: "a group",
  item: "an item",
  model: "a model",
  class: "a class",
  cap: "a cap",
  exception: "an exception",
  status: "a status",
  decide: "a decide block",
};

export type NamedDecl = GroupDecl | ItemDecl | ModelDecl | ClassDecl | CapDecl | ExceptionDecl | StatusDecl | DecideDecl;

function declKind(decl: NamedDecl): DeclarationKind {
  switch (decl.kind) {
    case "GroupDecl":
      return "group";
    case "ItemDecl":
      return "item";
    case "ModelDecl":
      return "model";
    case "ClassDecl":
      return "class";
    case "CapDecl":
      return "cap";
    case "ExceptionDecl":
      return "exception";
    case "StatusDecl":
      return "status";
    case "DecideDecl":
      return "decide";
    default:
      return unreachable(decl);
  }
}

/** What a diagnostic may carry besides its code, range and message. */
export interface Extra {
  readonly help?: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly FixData[];
}

/** The state of checking one policy (see the top of this file); the checker's modules read and fill it. */
export class CheckContext {
  uri: string;
  readonly names = new Map<string, DeclarationInfo>();
  /** Named declarations that are not in \`names\` (a duplicate, or a built-in name): usually none. */
  readonly shadowed = new Set<NamedDecl>();
  /** While collecting a file: the infos another policy already made for its declarations. */
  shared: ReadonlyMap<number, DeclarationInfo> | undefined;
  /** The file `text` read last (it is usually asked for the same one again). */
  private lastFile: ParsedFile | undefined;
  readonly groupValues = new Map<GroupDecl, DatedSet | "pending">();
  readonly groupMembers = new Map<GroupDecl, LazyMembers>();
  readonly itemValues = new Map<ItemDecl, ItemModel | "pending">();
  allSet: DatedSet | undefined;
  effective: string | undefined;

  readonly groups = new Map<string, GroupModel>();
  readonly items = new Map<string, ItemModel>();
  readonly models = new Map<string, ModelWeightsModel>();
  readonly classes: ClassModel[] = [];
  readonly caps = new Map<string, CapModel>();
  readonly authorizations = new Map<string, AuthorizationModel>();
  readonly decisions: DecideModel[] = [];
  readonly disjoint: { groups: string[]; source: SourceRef }[] = [];
  header: PolicyHeader | undefined;

  constructor(
    readonly sink: Sink,
    readonly files: readonly ParsedFile[],
    /** Imports before importers: the order declarations are registered (and checked) in. */
    readonly declarationOrder: readonly ParsedFile[],
    /**
     * An import of the policy cannot be read (DF2005) or has no path yet (DF1001): an
     * unknown name may be one that file declares, so it is not reported (DF2001).
     */
    readonly importMissing = false,
  ) {
    this.uri = files[0]?.uri ?? "";
  }

  // -- reporting ------------------------------------------------------------

  report(code: Code, range: Range, message: string, extra: Extra = {}): void {
    this.sink.add({ code, severity: CODES[code].severity, message, uri: this.uri, range, ...extra });
  }

  src(range: Range): SourceRef {
    return { uri: this.uri, range };
  }

  reference(id: Identifier, declaration: DeclarationInfo | undefined): void {
    if (!this.sink.indexes(this, this.uri)) return;
    this.sink.references.add(this.uri, id, declaration);
  }

  text(range: Range): string {
    return this.fileText().slice(range.start, range.end);
  }

  /** The text of the file being checked. */
  private fileText(): string {
    return this.file(this.uri)?.text ?? "";
  }

  private file(uri: string): ParsedFile | undefined {
    let file = this.lastFile;
    if (file?.uri !== uri) {
      file = this.files.find((f) => f.uri === uri);
      this.lastFile = file;
    }
    return file;
  }

  /**
   * Did the parser report a problem (lexical or syntax) inside `range` of `uri`? Then the
   * declaration there is still being written, and checks of it as a whole (the clauses it
   * lacks, the rules it makes unreachable, the countries its value holds) would only
   * follow from that problem: one cause, one error.
   */
  hasSyntaxError(range: Range, uri: string = this.uri): boolean {
    const diagnostics = this.file(uri)?.diagnostics ?? [];
    // Parse diagnostics are sorted by start: find the first at or after `range.start`.
    let lo = 0;
    let hi = diagnostics.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((diagnostics[mid] as Diagnostic).range.start < range.start) lo = mid + 1;
      else hi = mid;
    }
    const next = diagnostics[lo];
    return next !== undefined && next.range.start < Math.max(range.end, range.start + 1);
  }

  /**
   * The edit that adds `clause` after the clause ending at `clauseEnd`: on a line of its
   * own, indented as the line the clause ends on and with the file's line ending, after a
   * line comment ending that line (the comment stays with its clause); in a declaration
   * written on one line, after a space.
   */
  clauseAfter(declStart: number, clauseEnd: number, clause: string): FixData["edits"][number] {
    const text = this.fileText();
    const lineStart = text.lastIndexOf("\n", clauseEnd - 1) + 1;
    if (lineStart <= declStart) return { range: { start: clauseEnd, end: clauseEnd }, newText: ` ${clause}` };
    const indent = /^[ \t]*/.exec(text.slice(lineStart, clauseEnd))?.[0] ?? "";
    const eol = text.charCodeAt(lineStart - 2) === 13 ? "\r\n" : "\n";
    LINE_COMMENT_AFTER.lastIndex = clauseEnd;
    const at = clauseEnd + (LINE_COMMENT_AFTER.exec(text)?.[0].length ?? 0);
    return { range: { start: at, end: at }, newText: `${eol}${indent}${clause}` };
  }

  // -- names ------------------------------------------------------------------

  /** Registers a named declaration in the namespace; reports a duplicate name, and `NLR` declared. */
  declare(decl: NamedDecl): void {
    if (decl.name.kind !== "Identifier") return;
    const name = decl.name.name;
    let info = this.shared?.get(decl.range.start);
    if (!info) {
      // Built with one shape (absent title/cite assigned only when present) to stay monomorphic.
      const made: { -readonly [K in keyof DeclarationInfo]: DeclarationInfo[K] } = {
        name,
        kind: declKind(decl),
        uri: this.uri,
        nameRange: decl.name.range,
        range: decl.range,
        node: decl,
      };
      const title = decl.title?.value;
      if (title !== undefined) made.title = title;
      const cite = citeText(decl.cite);
      if (cite !== undefined) made.cite = cite;
      info = made;
      this.sink.addDeclaration(this.uri, info);
    }
    const first = this.names.get(name);
    if (first && keywordOf(name) !== undefined) {
      // A keyword can be a name only through the parser's recovery, which has reported it
      // (DF1001) at each declaration: that it is declared twice follows from it.
      this.shadowed.add(decl);
      return;
    }
    if (first) {
      const where = first.uri === this.uri ? "" : ` in \`${displayName(first.uri)}\``;
      this.report("DF2003", decl.name.range, `\`${name}\` is already declared${where}`, {
        help: "rename one of the declarations; names share one namespace with every imported file",
        related: [{ uri: first.uri, range: first.nameRange, message: `first declaration of \`${name}\`` }],
      });
      this.shadowed.add(decl);
      return;
    }
    if (name === "NLR" && (decl.kind === "ExceptionDecl" || decl.kind === "StatusDecl")) {
      this.report("DF2003", decl.name.range, "`NLR` is built in and cannot be declared", {
        help: "`authorize NLR` already means no license required; choose another name",
      });
      this.shadowed.add(decl);
      return;
    }
    this.names.set(name, info);
  }

  /**
   * Resolves a reference to a declaration of one of `kinds`; reports unknown names
   * (with did-you-mean) and names of the wrong kind. `what` names the expected kind in messages.
   * `unknown` may give better advice than the closest name for an undeclared one.
   */
  resolve(
    id: Identifier | Missing,
    kinds: readonly DeclarationKind[],
    what: string,
    unknown?: (id: Identifier) => Extra | undefined,
  ): DeclarationInfo | undefined {
    if (id.kind !== "Identifier") return undefined;
    const found = this.names.get(id.name);
    const good = found && kinds.includes(found.kind) ? found : undefined;
    this.reference(id, found);
    if (good) return good;
    const candidates: string[] = [];
    for (const d of this.names.values()) if (kinds.includes(d.kind)) candidates.push(d.name);
    if (kinds.includes("exception")) candidates.push("NLR");
    const suggestion = closest(id.name, candidates);
    const advice = found ? undefined : unknown?.(id);
    const extra: Extra = advice
      ? advice
      : suggestion
        ? {
            help: `did you mean \`${suggestion}\`?`,
            fixes: [{ title: `change to \`${suggestion}\``, edits: [{ range: id.range, newText: suggestion }] }],
          }
        : {};
    if (found) {
      this.report("DF2004", id.range, `\`${id.name}\` is ${KIND_TEXT[found.kind]}, not ${what}`, {
        ...extra,
        help: extra.help ?? `${what} is expected here`,
        related: [{ uri: found.uri, range: found.nameRange, message: `\`${id.name}\` is declared here` }],
      });
    } else if (!this.importMissing) {
      this.report("DF2001", id.range, `unknown ${what.replace(/^an? /, "")} \`${id.name}\``, {
        ...extra,
        help: extra.help ?? `declare it, or import the file that declares it`,
      });
    }
    return undefined;
  }

  // -- declarations -------------------------------------------------------------

  /** Reports a second clause of a kind that may appear once; returns true for the duplicate. */
  once(seen: Map<string, Range>, key: string, range: Range, where: string): boolean {
    const first = seen.get(key);
    if (first) {
      this.report("DF4012", range, `this ${where} already has \`${key}\``, {
        help: "keep one",
        related: [{ uri: this.uri, range: first, message: `first \`${key}\`` }],
      });
      return true;
    }
    seen.set(key, range);
    return false;
  }

  /** Is `decl` the declaration its name stands for (not a duplicate)? */
  isPrimary(decl: NamedDecl): boolean {
    return decl.name.kind === "Identifier" && (this.shadowed.size === 0 || !this.shadowed.has(decl));
  }
}
