/**
 * Public entry points of the syntax layer: `parse` and `tokenize`.
 *
 * Neither ever throws: lexical and syntax problems come back as diagnostics, and a
 * half-typed file still yields a full tree with explicit `Missing` nodes.
 */
import { EOF, Lexer, type ILexingResult, type IToken, type TokenType } from "chevrotain";
import type { Comment, Declaration, Range, SourceFile } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { DiffuseParser } from "./parser.js";
import { MAX_NESTING } from "./parser/base.js";
import { describeFound, endOf, printable } from "./parser/token-text.js";
import * as T from "./tokens.js";
import { makeRange } from "./range.js";

export interface ParseResult {
  readonly ast: SourceFile;
  /** Comments in source order, for the formatter. */
  readonly comments: readonly Comment[];
  /** Lexical (DF0xxx) and syntax (DF1xxx) diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Token classes for semantic highlighting. */
export type TokenKind = "keyword" | "unit" | "identifier" | "string" | "number" | "date" | "operator" | "punctuation" | "comment";

export interface TokenInfo {
  readonly kind: TokenKind;
  /** The chevrotain token name, e.g. `Kw_cap`, `Identifier`, `DateLiteral`. */
  readonly type: string;
  readonly range: Range;
  readonly text: string;
}

/** Options for `createLexer`; the shared lexer uses the defaults. */
export interface LexerOptions {
  readonly ensureOptimizations?: boolean;
}

/**
 * The Diffuse lexer: chevrotain's, over every token but the keywords, with words that are
 * keywords re-typed after lexing (see `lexerTokens` in tokens.ts).
 */
export class DiffuseLexer {
  private readonly lexer: Lexer;

  constructor(options: LexerOptions = {}) {
    this.lexer = new Lexer(T.lexerTokens as TokenType[], {
      positionTracking: "onlyOffset",
      ensureOptimizations: options.ensureOptimizations ?? true,
    });
  }

  get lexerDefinitionErrors(): Lexer["lexerDefinitionErrors"] {
    return this.lexer.lexerDefinitionErrors;
  }

  tokenize(text: string): ILexingResult {
    const result = this.lexer.tokenize(text);
    const tokens = result.tokens;
    const identifier = T.Identifier;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] as IToken;
      if (t.tokenType !== identifier) continue;
      const keyword = T.keywordOf(t.image);
      if (keyword !== undefined) {
        t.tokenType = keyword;
        t.tokenTypeIdx = keyword.tokenTypeIdx as number;
      }
    }
    return result;
  }
}

/** Builds a lexer over the Diffuse tokens (offset tracking only: ranges are offsets). */
export function createLexer(options: LexerOptions = {}): DiffuseLexer {
  return new DiffuseLexer(options);
}

let sharedLexer: DiffuseLexer | undefined;
let sharedParser: DiffuseParser | undefined;

function lexer(): DiffuseLexer {
  sharedLexer ??= createLexer();
  return sharedLexer;
}

/** The one parser instance of this process (constructing it runs chevrotain's grammar self-analysis). */
export function getParser(): DiffuseParser {
  sharedParser ??= new DiffuseParser();
  return sharedParser;
}

/** A leading BOM is replaced by a space, so offsets stay those of the original text. */
function lexable(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

function lex(text: string): ILexingResult {
  return lexer().tokenize(lexable(text));
}

const UNIT_TOKENS = new Set<TokenType>([T.TppUnit, T.Units, T.Ops, T.Days, T.Months, T.Years, T.Percent]);
const OPERATOR_TOKENS = new Set<TokenType>([T.DotDot, T.LessEqual, T.GreaterEqual, T.NotEqual, T.Less, T.Greater, T.Equals, T.Plus, T.Minus, T.Ampersand]);
const KEYWORD_TOKENS = new Set<TokenType>([...T.keywordTokenTypes, T.CaseByCase]);

function kindOf(type: TokenType): TokenKind {
  if (UNIT_TOKENS.has(type)) return "unit";
  if (KEYWORD_TOKENS.has(type)) return "keyword";
  if (OPERATOR_TOKENS.has(type)) return "operator";
  if (type === T.Identifier) return "identifier";
  if (type === T.TerminatedString || type === T.UnterminatedString || type === T.SingleQuotedString) return "string";
  if (type === T.NumberLiteral) return "number";
  if (type === T.DateLiteral) return "date";
  if (type === T.LineComment || type === T.BlockComment || type === T.UnterminatedBlockComment) return "comment";
  return "punctuation";
}

function info(token: IToken): TokenInfo {
  return {
    kind: kindOf(token.tokenType),
    type: token.tokenType.name,
    range: makeRange(token.startOffset, endOf(token)),
    text: token.image,
  };
}

/**
 * All tokens of `text` including comments, in source order, with offsets and a kind for
 * semantic highlighting. Characters that form no token are left out. Never throws.
 */
export function tokenize(text: string): TokenInfo[] {
  try {
    const result = lex(text);
    const tokens = result.tokens;
    const comments = result.groups["comments"] ?? [];
    const out: TokenInfo[] = [];
    let i = 0;
    let j = 0;
    while (i < tokens.length || j < comments.length) {
      const a = tokens[i];
      const b = comments[j];
      if (a && (!b || a.startOffset < b.startOffset)) {
        out.push(info(a));
        i++;
      } else if (b) {
        out.push(info(b));
        j++;
      }
    }
    return out;
  } catch {
    return [];
  }
}

function unexpectedCharacters(text: string, uri: string, start: number, end: number): Diagnostic {
  const chars = text.slice(start, end);
  const shown = chars.length > 20 ? `${printable(chars.slice(0, 17))}...` : printable(chars);
  return {
    code: "DF0001",
    severity: "error",
    message: `unexpected ${chars.length === 1 ? "character" : "characters"} \`${shown}\``,
    uri,
    range: makeRange(start, end),
    help: "remove it; names use letters, digits and `_`, and text goes in double quotes",
  };
}

/**
 * DF0001 for each run of characters that start no token (adjacent runs merged), and
 * DF0002 for each unterminated string. Text in single quotes is reported by the parser,
 * which knows what it was meant as there (a string, a name, country codes).
 */
function lexerDiagnostics(text: string, result: ILexingResult, uri: string, out: Diagnostic[]): void {
  const runs: [number, number][] = [];
  for (const t of result.groups["unexpected"] ?? []) runs.push([t.startOffset, endOf(t)]);
  for (const e of result.errors) runs.push([e.offset, e.offset + e.length]);
  // An indexed loop: this runs once per parse, often before it is optimized, and an
  // unoptimized for-of allocates an iterator result per token.
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    if (t.tokenType === T.UnterminatedString) {
      out.push({
        code: "DF0002",
        severity: "error",
        message: "this string is not closed before the end of the line",
        uri,
        range: makeRange(t.startOffset, endOf(t)),
        help: 'add a closing `"`; strings cannot span lines',
      });
    }
  }
  runs.sort((a, b) => a[0] - b[0]);
  let current: [number, number] | undefined;
  for (const [s0, e0] of runs) {
    const start = Math.max(0, Math.min(text.length, s0));
    const end = Math.max(start, Math.min(text.length, e0));
    if (current && start <= current[1]) current[1] = Math.max(current[1], end);
    else {
      if (current) out.push(unexpectedCharacters(text, uri, current[0], current[1]));
      current = [start, end];
    }
  }
  if (current) out.push(unexpectedCharacters(text, uri, current[0], current[1]));
}

/**
 * Drops the lexer's DF0001 for characters inside a value the parser reported whole (an
 * unquoted `lib/catalog.diffuse`): that one error already covers them.
 */
function dropAbsorbed(lexical: Diagnostic[], absorbed: readonly Range[]): void {
  if (absorbed.length === 0) return;
  const inside = (d: Diagnostic): boolean => d.code === "DF0001" && absorbed.some((r) => r.start <= d.range.start && d.range.end <= r.end);
  let kept = 0;
  for (const d of lexical) if (!inside(d)) lexical[kept++] = d;
  lexical.length = kept;
}

function commentNodes(result: ILexingResult, uri: string, diagnostics: Diagnostic[]): Comment[] {
  const raw = result.groups["comments"] ?? [];
  const comments: Comment[] = [];
  for (const t of raw) {
    const range = makeRange(t.startOffset, endOf(t));
    if (t.tokenType === T.UnterminatedBlockComment) {
      diagnostics.push({
        code: "DF0003",
        severity: "error",
        message: "this comment is not closed before the end of the file",
        uri,
        range: makeRange(range.start, Math.min(range.end, range.start + 2)),
        help: "close the block comment with `*/`",
      });
    }
    comments.push({
      kind: t.tokenType === T.LineComment ? "LineComment" : "BlockComment",
      text: t.image,
      range,
    });
  }
  return comments;
}

/**
 * Drops parentheses nested deeper than MAX_NESTING (and their matching closers), reporting
 * DF1002 once per declaration, so recursion in the parser and in every later tree walk
 * stays bounded. Depth restarts at each declaration keyword.
 */
function limitNesting(tokens: IToken[], uri: string, diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  let reported = false;
  let out: IToken[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as IToken;
    const type = t.tokenType;
    if (type === T.LParen) {
      depth++;
      if (depth > MAX_NESTING) {
        if (!reported) {
          reported = true;
          diagnostics.push({
            code: "DF1002",
            severity: "error",
            message: `nesting is too deep: more than ${MAX_NESTING} levels of parentheses`,
            uri,
            range: makeRange(t.startOffset, endOf(t)),
            help: "split the expression: name parts of it as groups, or use several `when` clauses",
          });
        }
        out ??= tokens.slice(0, i);
        continue;
      }
    } else if (type === T.RParen) {
      if (depth > MAX_NESTING) {
        depth--;
        continue;
      }
      if (depth > 0) depth--;
    } else if (
      type === T.Policy ||
      type === T.PolicySet ||
      type === T.Import ||
      type === T.Group ||
      type === T.Disjoint ||
      type === T.Class ||
      type === T.Cap ||
      type === T.Exception ||
      type === T.Status ||
      type === T.Decide
    ) {
      depth = 0;
      reported = false;
    }
    out?.push(t);
  }
  return out ?? tokens;
}

function clampRange(r: Range, length: number): Range {
  const start = Number.isFinite(r.start) ? Math.max(0, Math.min(length, r.start)) : 0;
  const end = Number.isFinite(r.end) ? Math.max(start, Math.min(length, r.end)) : start;
  return start === r.start && end === r.end ? r : makeRange(start, end);
}

/**
 * A text longer than this is lexed and parsed in pieces of about this many characters,
 * each ending where a line starts with a declaration keyword (see `parseInPieces`).
 */
export const PIECE_CHARS = 16_384;

/** Parses a Diffuse source text. Never throws. */
export function parse(text: string, uri: string): ParseResult {
  return text.length > PIECE_CHARS ? parseInPieces(text, uri, PIECE_CHARS) : parseWhole(text, uri);
}

/**
 * A line that starts with a keyword only a top-level declaration starts with: the parser
 * is at the top level there in any text that lexes and parses without a diagnostic (block
 * recovery ends at these keywords and the nesting limit restarts there; strings cannot
 * span lines; a block comment that does is caught below).
 */
const PIECE_BOUNDARY = /\n(?=(?:import|policyset|policy|group|disjoint|class|cap|exception|status|decide)(?![A-Za-z0-9_]))/g;

/** Offset of the first boundary line at or after `from` (the keyword's offset), or the text's length. */
function nextBoundary(text: string, from: number): number {
  PIECE_BOUNDARY.lastIndex = Math.max(0, from - 1);
  const m = PIECE_BOUNDARY.exec(text);
  return m ? m.index + 1 : text.length;
}

/**
 * Does lexing this piece say nothing at all: no diagnostic, and no block comment left open
 * (which might close in the next piece)?
 */
function cleanLex(result: ILexingResult): boolean {
  if (result.errors.length > 0 || (result.groups["unexpected"]?.length ?? 0) > 0) return false;
  for (const t of result.groups["comments"] ?? []) if (t.tokenType === T.UnterminatedBlockComment) return false;
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const type = (tokens[i] as IToken).tokenType;
    if (type === T.UnterminatedString || type === T.SingleQuotedString) return false;
  }
  return true;
}

/**
 * `parse`, one piece of the text at a time: a piece's tokens are dropped as soon as it is
 * parsed, so a large file never holds all its tokens at once. That is most of the memory
 * a parse keeps alive while it runs, and what the garbage collector would otherwise copy.
 * The result is the whole-text parse's when every piece lexes and parses without a
 * diagnostic; at the first diagnostic (or a block comment crossing a cut that cannot be
 * resolved) the text is parsed whole instead, so diagnostics are always exactly those of
 * `parseWhole`. Exported for tests, which compare the two on random texts.
 */
export function parseInPieces(text: string, uri: string, pieceChars: number): ParseResult {
  const source = lexable(text);
  const parser = getParser();
  const declarations: Declaration[] = [];
  const comments: Comment[] = [];
  const scratch: Diagnostic[] = [];
  try {
    let start = 0;
    while (start < source.length) {
      let end = nextBoundary(source, start + pieceChars);
      let result = lexer().tokenize(source.slice(start, end));
      const open = end < source.length ? openComment(result) : undefined;
      if (open !== undefined) {
        // A block comment open at the cut: the piece ends at the first boundary after its
        // close (lexed once more; a comment never closed means the whole-text parse).
        const close = source.indexOf("*/", start + open + 2);
        if (close < 0) return parseWhole(text, uri);
        end = nextBoundary(source, close + 2);
        result = lexer().tokenize(source.slice(start, end));
      }
      if (!cleanLex(result)) return parseWhole(text, uri);
      const tokens = result.tokens;
      for (let i = 0; i < tokens.length; i++) (tokens[i] as IToken).startOffset += start;
      for (const c of commentNodes(result, uri, scratch)) {
        comments.push(start === 0 ? c : { kind: c.kind, text: c.text, range: makeRange(c.range.start + start, c.range.end + start) });
      }
      if (limitNesting(tokens, uri, scratch) !== tokens || scratch.length > 0) return parseWhole(text, uri);
      parser.begin(tokens, uri);
      parser.text = text;
      parser.file();
      if (parser.diagnostics.length > 0 || parser.errors.length > 0) return parseWhole(text, uri);
      const found = parser.declarations;
      for (let i = 0; i < found.length; i++) declarations.push(found[i] as Declaration);
      start = end;
    }
  } catch {
    return parseWhole(text, uri);
  } finally {
    parser.begin([], "");
    parser.text = "";
  }
  return { ast: { kind: "SourceFile", uri, declarations, range: makeRange(0, text.length) }, comments, diagnostics: [] };
}

/** Offset in the piece of its last comment when that is a block comment still open at the piece's end. */
function openComment(result: ILexingResult): number | undefined {
  const comments = result.groups["comments"] ?? [];
  const last = comments[comments.length - 1];
  return last?.tokenType === T.UnterminatedBlockComment ? last.startOffset : undefined;
}

/** Parses a whole text in one piece. Never throws. Exported for tests (`parse` is the entry point). */
export function parseWhole(text: string, uri: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  let comments: Comment[] = [];
  try {
    const result = lex(text);
    lexerDiagnostics(text, result, uri, diagnostics);
    comments = commentNodes(result, uri, diagnostics);
    const tokens = limitNesting(result.tokens, uri, diagnostics);
    const parser = getParser();
    parser.begin(tokens, uri);
    parser.text = text;
    parser.file();
    const declarations = parser.declarations;
    dropAbsorbed(diagnostics, parser.absorbed);
    diagnostics.push(...parser.diagnostics);
    for (const e of parser.errors) {
      const t = e.token;
      const known = t.tokenType !== EOF && Number.isFinite(t.startOffset);
      const start = known ? t.startOffset : text.length;
      const last = e.resyncedTokens.at(-1);
      const end = last && Number.isFinite(last.startOffset) ? endOf(last) : known ? endOf(t) : start;
      diagnostics.push({
        code: "DF1003",
        severity: "error",
        message: `unexpected ${describeFound(t)}`,
        uri,
        range: makeRange(start, end),
      });
    }
    parser.begin([], "");
    parser.text = "";
    for (let i = 0; i < diagnostics.length; i++) {
      const d = diagnostics[i] as Diagnostic;
      const range = clampRange(d.range, text.length);
      if (range !== d.range) diagnostics[i] = { ...d, range };
    }
    diagnostics.sort((a, b) => a.range.start - b.range.start);
    return {
      ast: {
        kind: "SourceFile",
        uri,
        declarations,
        range: makeRange(0, text.length),
      },
      comments,
      diagnostics,
    };
  } catch (e) {
    // A bug in the parser must not take the editor down: report it as a diagnostic.
    const message = e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
    diagnostics.push({
      code: "DF1999",
      severity: "error",
      message: `internal parser error: ${message}`,
      uri,
      range: makeRange(0, 0),
      help: "this is a bug in Diffuse; please report it with the file that caused it",
    });
    return {
      ast: {
        kind: "SourceFile",
        uri,
        declarations: [],
        range: makeRange(0, text.length),
      },
      comments,
      diagnostics,
    };
  }
}
