/**
 * What the server knows about one open document at one version: its syntax tree,
 * the checker's diagnostics and model for the program it is the entry of, and a
 * name index over that program (declarations and resolved references, every file).
 *
 * Features are pure functions over an `Analysis`; only `analyze` talks to the
 * language package (through ./language.js).
 */
import type { TextDocument } from "vscode-languageserver-textdocument";
import type {
  Comment,
  DeclarationInfo,
  DeclarationKind,
  Diagnostic,
  PolicyModel,
  PolicySetModel,
  ReferenceInfo,
  SourceFile,
  SymbolIndex,
  ParsedFile,
  TokenInfo,
} from "@diffuse/language";

/** The checker's symbol index: declarations, resolved references and country codes of the whole program. */
export type NameIndex = SymbolIndex;
export type DeclKind = DeclarationKind;
export type { DeclarationInfo, ReferenceInfo };

/** A file that takes part in the program: the entry document or one of its imports. */
export interface SourceInfo {
  readonly uri: string;
  readonly document: TextDocument;
  readonly ast: SourceFile;
  readonly comments: readonly Comment[];
}

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly document: TextDocument;
  readonly ast: SourceFile;
  readonly comments: readonly Comment[];
  readonly tokens: readonly TokenInfo[];
  /** Diagnostics located in this document (syntax and semantic). */
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics of the whole program (this document and its imports). */
  readonly allDiagnostics: readonly Diagnostic[];
  /** The checked model of the program this document is the entry of (absent if checking failed). */
  readonly model: PolicyModel | undefined;
  /** Present when the document is a policy set: each used version checked on its own. */
  readonly policySet: PolicySetModel | undefined;
  readonly index: NameIndex;
  /** This document and every file it imports, directly or not, by URI. */
  readonly files: ReadonlyMap<string, SourceInfo>;
  /** URIs of the files this document imports, directly or not (not itself). */
  readonly dependencies: ReadonlySet<string>;
  /** What the parser made of each file of the program: the next analysis re-parses only what changed. */
  readonly parsed: ReadonlyMap<string, ParsedFile>;
}

/** Reads a file that is not open in the editor; undefined when it does not exist. */
export type FileReader = (uri: string) => Promise<string | undefined>;
