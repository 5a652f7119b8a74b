/**
 * textDocument/semanticTokens/full: the lexer's tokens classified, with names coloured
 * by what they resolve to (group, item, class, cap, exception, status, decide block).
 * Comments are left to the TextMate grammar (they may span lines).
 */
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver";
import type { Analysis, DeclKind } from "../analysis.js";

export const TOKEN_TYPES = [
  "keyword",
  "string",
  "number",
  "operator",
  "enum",
  "enumMember",
  "struct",
  "class",
  "variable",
  "function",
  "interface",
  "method",
  "type",
] as const;
export const TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const KIND_TYPE: Record<DeclKind, TokenType> = {
  group: "enum",
  item: "struct",
  model: "struct",
  class: "class",
  cap: "variable",
  exception: "function",
  status: "interface",
  decide: "method",
};

export interface DecodedToken {
  readonly line: number;
  readonly character: number;
  readonly length: number;
  readonly type: TokenType;
  readonly modifiers: readonly (typeof TOKEN_MODIFIERS)[number][];
}

/** Tokens in document order, before the LSP delta encoding (what tests look at). */
export function classifyTokens(analysis: Analysis): DecodedToken[] {
  const names = new Map<number, { type: TokenType; declaration: boolean }>();
  for (const d of analysis.index.declarations) {
    if (d.uri === analysis.uri) names.set(d.nameRange.start, { type: KIND_TYPE[d.kind], declaration: true });
  }
  for (const r of analysis.index.references) {
    if (r.uri !== analysis.uri) continue;
    if (r.declaration !== undefined) names.set(r.range.start, { type: KIND_TYPE[r.declaration.kind], declaration: false });
  }
  const countries = new Set<number>();
  for (const c of analysis.index.countries) if (c.uri === analysis.uri) countries.add(c.range.start);
  const doc = analysis.document;
  const out: DecodedToken[] = [];
  for (const token of analysis.tokens) {
    let type: TokenType;
    const modifiers: (typeof TOKEN_MODIFIERS)[number][] = [];
    const { start: from } = token.range;
    switch (token.kind) {
      case "punctuation":
      case "comment":
        continue;
      case "keyword":
        type = "keyword";
        break;
      case "unit":
        type = "type";
        break;
      case "string":
        type = "string";
        break;
      case "number":
      case "date":
        type = "number";
        break;
      case "operator":
        type = "operator";
        break;
      case "identifier": {
        const name = names.get(from);
        if (countries.has(from)) {
          type = "enumMember";
          modifiers.push("readonly");
        } else if (name !== undefined) {
          type = name.type;
          if (name.declaration) modifiers.push("declaration");
        } else if (token.text === "NLR") {
          type = "function";
          modifiers.push("defaultLibrary");
        } else type = "variable";
        break;
      }
      default: {
        const never: never = token.kind;
        return never;
      }
    }
    const start = doc.positionAt(token.range.start);
    const end = doc.positionAt(token.range.end);
    if (end.line !== start.line) continue;
    out.push({ line: start.line, character: start.character, length: end.character - start.character, type, modifiers });
  }
  return out;
}

export function semanticTokens(analysis: Analysis): SemanticTokens {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const token of classifyTokens(analysis)) {
    const deltaLine = token.line - line;
    const deltaStart = deltaLine === 0 ? token.character - character : token.character;
    let mods = 0;
    for (const m of token.modifiers) mods |= 1 << TOKEN_MODIFIERS.indexOf(m);
    data.push(deltaLine, deltaStart, token.length, TOKEN_TYPES.indexOf(token.type), mods);
    line = token.line;
    character = token.character;
  }
  return { data };
}
