/**
 * The Prettier plugin object: one language, one parser (the language package's own),
 * one printer.
 */
import type { AstPath, Doc, ParserOptions, Plugin, Printer, SupportLanguage, SupportOptions } from "prettier";
import { printer as docPrinter } from "prettier/doc";
import { parse } from "@diffuse/language";
import { canAttachComment, handleComments, hasPrettierIgnore, isBlockComment, locEnd, locStart, printComment } from "./comments.js";
import { firstAstDifference } from "./equal.js";
import type { AnyNode, DiffuseRoot } from "./nodes.js";
import { VISITOR_KEYS, isDiffuseNode } from "./nodes.js";
import { printNode } from "./print.js";
import { lineColumn } from "./text.js";

export const PARSER_NAME = "diffuse";
export const AST_FORMAT = "diffuse";

export const languages: SupportLanguage[] = [
  {
    name: "Diffuse",
    parsers: [PARSER_NAME],
    extensions: [".diffuse"],
    vscodeLanguageIds: ["diffuse"],
  },
];

/** A syntax error in Prettier's shape: `loc` makes Prettier show the place and a code frame. */
export class DiffuseSyntaxError extends SyntaxError {
  readonly loc: { readonly start: { line: number; column: number }; readonly end: { line: number; column: number } };
  readonly code: string;
  constructor(message: string, code: string, text: string, range: { start: number; end: number }) {
    const start = lineColumn(text, range.start);
    super(`${message} (${start.line}:${start.column})`);
    this.name = "SyntaxError";
    this.code = code;
    this.loc = { start, end: lineColumn(text, Math.max(range.end, range.start)) };
  }
}

/**
 * Parses with the language package. Text with a syntax error is refused: the first
 * error becomes Prettier's error with its location, and nothing is printed.
 */
export function parseDiffuse(text: string, options?: { filepath?: string | undefined }): DiffuseRoot {
  const result = parse(text, options?.filepath ?? "untitled.diffuse");
  const error = result.diagnostics.find((d) => d.severity === "error");
  if (error) throw new DiffuseSyntaxError(error.message, error.code, text, error.range);
  return {
    ...result.ast,
    comments: result.comments.map((c) => ({ kind: c.kind, range: c.range, text: c.text, value: c.text })),
  };
}

export const parsers: Plugin<AnyNode>["parsers"] = {
  [PARSER_NAME]: {
    parse: (text, options) => parseDiffuse(text, options),
    astFormat: AST_FORMAT,
    locStart,
    locEnd,
  },
};

export const options: SupportOptions = {
  diffuseVerify: {
    type: "boolean",
    category: "Diffuse",
    default: false,
    description: "Re-parse the formatted text and fail unless it is the same program (also on with DIFFUSE_DEBUG=1).",
  },
};

function debugFromEnvironment(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.["DIFFUSE_DEBUG"];
  return value !== undefined && value !== "" && value !== "0";
}

/** Thrown when formatting would change the program: a formatter bug, never a user error. */
export class UnsoundFormatError extends Error {
  constructor(readonly difference: string) {
    super(`diffuse formatter bug: the formatted text is a different program (first difference at ${difference})`);
    this.name = "UnsoundFormatError";
  }
}

/** The soundness check: the printed document must re-parse to the same tree. */
function verify(doc: Doc, root: DiffuseRoot, options: ParserOptions<AnyNode>): void {
  const { formatted } = docPrinter.printDocToString(doc, options);
  const reparsed = parse(formatted, root.uri);
  const error = reparsed.diagnostics.find((d) => d.severity === "error");
  if (error) throw new UnsoundFormatError(`a syntax error in the output: ${error.message}`);
  const difference = firstAstDifference(root, reparsed.ast);
  if (difference !== undefined) throw new UnsoundFormatError(difference);
}

const print: Printer<AnyNode>["print"] = (path, opts, printChild) => {
  const doc = printNode(path, opts, printChild);
  const node = path.node;
  if (node.kind === "SourceFile" && ((opts as { diffuseVerify?: boolean }).diffuseVerify === true || debugFromEnvironment())) {
    verify(doc, node as DiffuseRoot, opts);
  }
  return doc;
};

export const printers: Plugin<AnyNode>["printers"] = {
  [AST_FORMAT]: {
    print,
    getVisitorKeys: (node: AnyNode) => (isDiffuseNode(node) ? [...VISITOR_KEYS[node.kind]] : []),
    canAttachComment,
    isBlockComment,
    printComment: (path: AstPath<AnyNode>) => printComment(path),
    handleComments,
    hasPrettierIgnore,
    // The printer places comments itself (see printWithComments), except around a node
    // kept verbatim by prettier-ignore, where Prettier's placement is right.
    willPrintOwnComments: (path: AstPath<AnyNode>) => !hasPrettierIgnore(path),
  },
};

/** The plugin as one object, for `plugins: [diffusePlugin]`. */
export const diffusePlugin: Plugin<AnyNode> = { languages, parsers, printers, options };
