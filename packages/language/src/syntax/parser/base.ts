/**
 * ParserBase, the first layer of the parser's class chain (see ../parser.ts): the state
 * of a parse and the helpers every rule layer uses, and no grammar rules. Reporting and
 * the explicit `Missing` nodes of DF1001, ranges, literal nodes, block recovery
 * (DF1003, `skipUnexpected`), and the shortcuts that keep the hot path cheap once the
 * grammar is recorded (`sub`, `leaf`, `optToken`, `optionAt`, `cached`).
 */
import {
  EmbeddedActionsParser,
  EOF,
  type IOrAlt,
  type IRecognitionException,
  type IToken,
  type ParserMethod,
  type SubruleMethodOpts,
  type TokenType,
  tokenMatcher,
} from "chevrotain";
import type { Citation, DateLiteral, Declaration, ErrorClause, Identifier, Missing, NumberLiteral, Range, StringLiteral } from "../../ast.js";
import type { Diagnostic } from "../../diagnostic.js";
import * as T from "../tokens.js";
import { malformedNumberHelp } from "../numbers.js";
import { makeRange } from "../range.js";
import {
  type BlockContext,
  CONDITION_STARTS,
  DECLARATION_ONLY,
  ENTRY_STARTS,
  JOIN_CONDITIONS_HELP,
  KEYWORD_SET,
  listSeparatorHelp,
  openBraceHelp,
  suggestKeyword,
  type TokenSet,
} from "./recovery.js";
import { describeFound, describeToken, endOf, finite, imageOf, isReserved, printable, quotedText, reservedHelp } from "./token-text.js";

/** A run of characters up to a space, a quote, a bracket or a comma (sticky: matched at `lastIndex`). */
const WORD = /[^\s"'{}(),]+/y;

/** Text that the lexer would read as one name or keyword (the `Identifier` pattern, whole). */
const ONE_WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The help for one word in single quotes where a name, keyword or set belongs (`per
 * 'consignee'`, `in 'tier1'`); none for anything else, or for a keyword where a name belongs.
 */
function unquoteHelp(token: IToken, name: boolean): string | undefined {
  if (token.tokenType !== T.SingleQuotedString) return undefined;
  const word = quotedText(token);
  if (!ONE_WORD.test(word) || (name && T.keywordOf(word) !== undefined)) return undefined;
  return `names and keywords are written without quotes: \`${word}\``;
}

/** Deepest allowed nesting of parentheses (and of consecutive `not`s). */
export const MAX_NESTING = 100;

/** A node type with its fields writable, to fill in optional parts of a node just built. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const RECORDING_PLACEHOLDER: Missing = Object.freeze({
  kind: "Missing",
  expected: "",
  range: Object.freeze(makeRange(0, 0)),
});

export abstract class ParserBase extends EmbeddedActionsParser {
  /** Diagnostics of the current parse. */
  diagnostics: Diagnostic[] = [];
  /** Declarations of the current parse, kept here so a failed top rule loses nothing. */
  declarations: Declaration[] = [];
  uri = "";
  /**
   * Source spans the parser reported as one botched value, characters that form no token
   * included (`lib/catalog.diffuse`): parse.ts drops the lexer's DF0001 inside them.
   */
  absorbed: Range[] = [];
  /** Token index where the last DF1001 was reported: one report per stuck position. */
  protected lastMissingAt = -2;
  /** The token a DF1001 said it "found" instead: skipping it later is not a second error. */
  protected lastMissingToken: IToken | undefined;

  constructor() {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
    });
  }

  /** Prepares for a new parse. */
  begin(tokens: IToken[], uri: string): void {
    this.input = tokens;
    this.uri = uri;
    this.diagnostics = [];
    this.declarations = [];
    this.absorbed = [];
    this.lastMissingAt = -2;
    this.lastMissingToken = undefined;
  }

  /** Index of the last consumed token (-1 before the first); chevrotain keeps it untyped. */
  protected currentIndex(): number {
    const v: unknown = Reflect.get(this, "currIdx");
    return typeof v === "number" ? v : -1;
  }

  /** End offset (exclusive) of the last consumed real token, or 0. */
  protected prevEnd(): number {
    for (let i = 0; i > -8; i--) {
      const t = this.LA(i);
      if (t.tokenType === EOF) return i === 0 && this.currentIndex() >= 0 ? this.scanBackEnd() : 0;
      if (finite(t.startOffset)) return endOf(t);
    }
    return this.scanBackEnd();
  }

  private scanBackEnd(): number {
    const tokens = this.input;
    for (let i = Math.min(this.currentIndex(), tokens.length - 1); i >= 0; i--) {
      const t = tokens[i];
      if (t && t.tokenType !== EOF && finite(t.startOffset)) return endOf(t);
    }
    return 0;
  }

  protected startOf(token: IToken | undefined): number {
    if (token && finite(token.startOffset)) return token.startOffset;
    return this.prevEnd();
  }

  protected tokenRange(token: IToken): Range {
    if (finite(token.startOffset)) return makeRange(token.startOffset, endOf(token));
    const at = this.prevEnd();
    return makeRange(at, at);
  }

  /** Range from `start` to the end of the last consumed token. */
  protected span(start: number): Range {
    const end = this.prevEnd();
    return end >= start ? makeRange(start, end) : makeRange(start, start);
  }

  protected report(code: string, message: string, range: Range, help?: string): void {
    if (this.RECORDING_PHASE) return;
    const d: Diagnostic =
      help === undefined ? { code, severity: "error", message, uri: this.uri, range } : { code, severity: "error", message, uri: this.uri, range, help };
    this.diagnostics.push(d);
  }

  /**
   * For a missing literal: a literal of the wrong kind on the same line (`version 1`,
   * `effective soon`) is taken as the botched value and skipped, so it is one error, not two.
   */
  protected missingLiteral(expected: string, swallowNames: boolean, help?: (found: IToken, word: string) => string | undefined): Missing {
    if (this.RECORDING_PHASE) return this.missing(expected);
    const next = this.LA(1);
    const type = next.tokenType;
    const literal =
      type === T.NumberLiteral ||
      type === T.DateLiteral ||
      type === T.TerminatedString ||
      type === T.UnterminatedString ||
      type === T.SingleQuotedString ||
      (swallowNames && type === T.Identifier);
    const prev = this.LA(0);
    const botched = literal && prev.tokenType !== EOF && !this.lineBreakBetween(endOf(prev), next.startOffset);
    if (!botched) return this.missing(expected);
    // The value as written may run on past the token (`version 2025-01`, `import
    // lib/catalog.diffuse`): the whole word is the botched value, one error, quoted back whole.
    const quoted = type === T.TerminatedString || type === T.UnterminatedString || type === T.SingleQuotedString;
    const end = quoted ? endOf(next) : this.wordEnd(endOf(next));
    this.missing(expected, undefined, help?.(next, this.text.slice(next.startOffset, end)), makeRange(next.startOffset, end));
    this.SKIP_TOKEN();
    while (this.LA(1).tokenType !== EOF && this.LA(1).startOffset < end) this.SKIP_TOKEN();
    if (end > endOf(next)) this.absorbed.push(makeRange(next.startOffset, end));
    this.lastMissingAt = this.currentIndex();
    return {
      kind: "Missing",
      expected,
      range: makeRange(next.startOffset, next.startOffset),
    };
  }

  /** Where the word of source text that goes on at `from` ends: at a space, a quote, a bracket or a comma. */
  private wordEnd(from: number): number {
    WORD.lastIndex = from;
    return WORD.test(this.text) ? WORD.lastIndex : from;
  }

  /**
   * A `Missing` node at the current position, reporting DF1001 once per position. `near`
   * are the keywords that could have come here: a word close to one of them gets a "did
   * you mean"; `otherwise` is the help when none is close (and, where a name was expected,
   * instead of the help that keywords are reserved); `underline` the range to report
   * (by default the next token, or the previous one across a line break).
   */
  protected missing(expected: string, near?: TokenSet, otherwise?: string, underline?: Range): Missing {
    const at = this.prevEnd();
    const node: Missing = {
      kind: "Missing",
      expected,
      range: makeRange(at, at),
    };
    if (this.RECORDING_PHASE) return node;
    const idx = this.currentIndex();
    if (idx === this.lastMissingAt) return node;
    this.lastMissingAt = idx;
    const prev = idx >= 0 ? this.LA(0) : undefined;
    const next = this.LA(1);
    this.lastMissingToken = next;
    const after = prev && prev.tokenType !== EOF && finite(prev.startOffset) ? ` after ${describeToken(prev)}` : "";
    const message = `expected ${expected}${after}, found ${describeFound(next)}`;
    const help =
      isReserved(next) && expected.includes("name") && otherwise === undefined
        ? reservedHelp(next)
        : ((near && suggestKeyword(next, near)) ?? otherwise ?? unquoteHelp(next, expected.includes("name")));
    this.report("DF1001", message, underline ?? this.pointAt(prev, next), help);
    return node;
  }

  /**
   * `cap calendar { ... }`: a keyword where a declaration's name belongs (on the line of
   * the declaration's keyword, and followed by what follows a name there) is reported and
   * then taken as the name, so the rest parses normally. On the next line it is more likely
   * the first clause of a declaration whose name is not typed yet.
   */
  protected keywordAsName(expected: string): Identifier | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const next = this.LA(1);
    if (!KEYWORD_SET.has(next.tokenType) || DECLARATION_ONLY.has(next.tokenType)) return undefined;
    const before = this.LA(0);
    if (before.tokenType === EOF || this.lineBreakBetween(endOf(before), next.startOffset)) return undefined;
    const after = this.LA(2).tokenType;
    if (after !== T.LBrace && after !== T.Equals && after !== T.TerminatedString && after !== T.UnterminatedString && after !== T.Cite) return undefined;
    const prev = this.LA(0);
    const range = this.tokenRange(next);
    this.report(
      "DF1001",
      `expected ${expected}${prev.tokenType !== EOF ? ` after ${describeToken(prev)}` : ""}, found ${describeFound(next)}`,
      range,
      reservedHelp(next),
    );
    this.SKIP_TOKEN();
    this.lastMissingAt = this.currentIndex();
    return { kind: "Identifier", name: imageOf(next), range };
  }

  /** Where to underline a missing piece: the next token if on the same line, else the previous one. */
  private pointAt(prev: IToken | undefined, next: IToken): Range {
    const hasNext = next.tokenType !== EOF && finite(next.startOffset);
    const hasPrev = prev !== undefined && prev.tokenType !== EOF && finite(prev.startOffset);
    if (hasNext && hasPrev && !this.lineBreakBetween(endOf(prev), next.startOffset)) return this.tokenRange(next);
    if (hasPrev) return this.tokenRange(prev);
    if (hasNext) return this.tokenRange(next);
    return makeRange(0, 0);
  }

  /** Source text, for line-break checks (set by parse.ts). */
  text = "";

  protected lineBreakBetween(from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 10 || c === 13) return true;
    }
    return false;
  }

  protected identifier(token: IToken): Identifier {
    return {
      kind: "Identifier",
      name: imageOf(token),
      range: this.tokenRange(token),
    };
  }

  /**
   * DF0001 for text in single quotes (a token the lexer reads as a string so that the
   * parser can take it as what was meant here), with `help` saying what to write instead.
   */
  protected singleQuotes(token: IToken, help: string): void {
    this.report("DF0001", `unexpected single quotes around \`${printable(quotedText(token))}\``, this.tokenRange(token), help);
  }

  /**
   * A name written in single quotes (`decide d for 'chips'`, `item 'H100'`): reported once
   * and taken as the name, so the declaration and its references still resolve.
   */
  protected quotedName(): Identifier | undefined {
    if (this.RECORDING_PHASE) return undefined;
    const next = this.LA(1);
    if (next.tokenType !== T.SingleQuotedString) return undefined;
    const name = quotedText(next);
    if (!ONE_WORD.test(name) || T.keywordOf(name) !== undefined) return undefined;
    this.singleQuotes(next, `a name is written without quotes: \`${name}\``);
    this.SKIP_TOKEN();
    return { kind: "Identifier", name, range: this.tokenRange(next) };
  }

  protected stringLiteral(token: IToken): StringLiteral {
    const raw = imageOf(token);
    const range = this.tokenRange(token);
    if (token.tokenType === T.SingleQuotedString) this.singleQuotes(token, `strings use double quotes: \`"${printable(quotedText(token))}"\``);
    const terminated = (token.tokenType === T.TerminatedString || token.tokenType === T.SingleQuotedString) && raw.length >= 2;
    const body = terminated ? raw.slice(1, -1) : raw.slice(1);
    let value = body;
    if (body.includes("\\")) {
      let out = "";
      for (let i = 0; i < body.length; i++) {
        const c = body[i] ?? "";
        if (c !== "\\") {
          out += c;
          continue;
        }
        const n = body[i + 1];
        if (n === '"' || n === "\\") {
          out += n;
          i++;
        } else {
          const escStart = range.start + 1 + i;
          const len = n === undefined ? 1 : 2;
          this.report(
            "DF0004",
            `unknown escape \`\\${n ?? ""}\` in a string`,
            makeRange(escStart, Math.min(escStart + len, range.end)),
            'only `\\"` and `\\\\` are escapes; write `\\\\` for a backslash',
          );
          out += c;
        }
      }
      value = out;
    }
    return { kind: "StringLiteral", value, raw, range };
  }

  protected dateLiteral(token: IToken): DateLiteral {
    return {
      kind: "DateLiteral",
      raw: imageOf(token),
      range: this.tokenRange(token),
    };
  }

  protected numberLiteral(token: IToken): NumberLiteral {
    const range = this.tokenRange(token);
    const raw = imageOf(token);
    const help = this.RECORDING_PHASE ? undefined : malformedNumberHelp(raw);
    if (help !== undefined) this.report("DF0005", `malformed number \`${raw}\``, range, help);
    return { kind: "NumberLiteral", raw, range };
  }

  /**
   * `subrule`, except that during chevrotain's grammar recording (when sub-rules return a
   * placeholder object) it returns a harmless `Missing`, so node-building code needs no guards.
   */
  protected sub<ARGS extends unknown[], R>(idx: number, rule: ParserMethod<ARGS, R>, options?: SubruleMethodOpts<ARGS>): R {
    const result = this.subrule(idx, rule, options);
    return this.RECORDING_PHASE ? (RECORDING_PLACEHOLDER as R) : result;
  }

  /**
   * A sub-rule call of a leaf rule whose body cannot throw: it only matches optional tokens
   * (`optToken`) and reports what is missing. Once the grammar is recorded the body is
   * called directly, without chevrotain's rule invocation (its try/catch/finally, rule and
   * occurrence stacks); the rule's state after it returns is the same either way. While
   * recording, the sub-rule is called, so the grammar and its lookahead are unchanged.
   */
  protected leaf<ARGS extends unknown[], R>(idx: number, rule: ParserMethod<ARGS, R>, body: (...args: ARGS) => R, options?: SubruleMethodOpts<ARGS>): R {
    if (this.RECORDING_PHASE) return this.sub(idx, rule, options);
    return body.apply(this, (options?.ARGS ?? []) as ARGS);
  }

  /**
   * `option(idx, () => consume(consumeIdx, type))` without its cost on the hot path. While
   * chevrotain records the grammar the DSL call is made, so the grammar is unchanged; after
   * that the token is matched directly: the lookahead of an optional single token is that
   * token, and there is no closure to allocate and no lookahead function to look up.
   */
  protected optToken(idx: number, consumeIdx: number, type: TokenType): IToken | undefined {
    if (this.RECORDING_PHASE) return this.option(idx, () => this.consume(consumeIdx, type));
    return tokenMatcher(this.LA(1), type) ? this.consume(consumeIdx, type) : undefined;
  }

  /**
   * `option(idx, body)` for an optional part that starts with the token `first`: once the
   * grammar is recorded, that token is the option's whole lookahead, so it is tested
   * directly and the body called without chevrotain's option machinery.
   */
  protected optionAt<R>(idx: number, first: TokenType, body: () => R): R | undefined {
    if (this.RECORDING_PHASE) return this.option(idx, body);
    return tokenMatcher(this.LA(1), first) ? body() : undefined;
  }

  /** OR alternatives built once per parser (they only close over `this`), to spare allocations. */
  private readonly altSlots: unknown[] = [];

  protected cached<T>(slot: number, make: () => IOrAlt<T>[]): IOrAlt<T>[] {
    let alts = this.altSlots[slot] as IOrAlt<T>[] | undefined;
    if (!alts) {
      alts = make();
      this.altSlots[slot] = alts;
    }
    return alts;
  }

  /**
   * Attaches a trailing `cite "..."` to a freshly built node, extending its range. The node
   * must have been built with `cite: undefined`, so that setting it keeps the node's shape
   * (see "One shape per node kind" in docs/architecture.md).
   */
  protected withCite<N extends { readonly range: Range; cite?: Citation | undefined }>(node: N, cite: Citation | undefined): N {
    if (!cite || this.RECORDING_PHASE) return node;
    const out = node as Mutable<N>;
    out.cite = cite;
    out.range = makeRange(node.range.start, Math.max(node.range.end, cite.range.end));
    return out;
  }

  private isStop(t: IToken, ctx: BlockContext, inBlock: boolean): boolean {
    const type = t.tokenType;
    if (type === EOF) return true;
    if (!inBlock) return false;
    if (type === T.RBrace) return true;
    if (DECLARATION_ONLY.has(type)) return true;
    if ((type === T.Item || type === T.Model) && this.LA(2).tokenType === T.Identifier && !ctx.starts.has(type)) {
      // `item H100 {` / `model m {`: a declaration after a block whose `}` is missing.
      return this.LA(3).tokenType === T.LBrace || this.LA(3).tokenType === T.TerminatedString || this.LA(3).tokenType === T.UnterminatedString;
    }
    return ctx.stops?.has(type) ?? false;
  }

  /**
   * Skips tokens that fit nowhere in the current block, reporting them once (DF1003). A
   * run ends at a token that starts an entry or ends the block, and at the end of its line
   * (outside nested braces): a mistake on the next line (`authorise X` then `licence ...`)
   * is then reported on its own, not hidden in the first line's run. Returns true when
   * parsing of the block can go on (the next token neither ends the block nor is the end
   * of the file); each such call has skipped at least one token.
   */
  protected skipUnexpected(ctx: BlockContext, inBlock: boolean): boolean {
    const first = this.LA(1);
    if (this.isStop(first, ctx, inBlock) || ctx.starts.has(first.tokenType)) return false;
    const separator = this.separatorHelp(first, ctx);
    let last = first;
    let depth = 0;
    for (;;) {
      const t = this.LA(1);
      if (t.tokenType === EOF) break;
      if (depth === 0 && (ctx.starts.has(t.tokenType) || this.isStop(t, ctx, inBlock) || (t !== first && this.lineBreakBetween(endOf(last), t.startOffset))))
        break;
      if (t.tokenType === T.LBrace) depth++;
      else if (t.tokenType === T.RBrace && depth > 0) depth--;
      last = t;
      this.SKIP_TOKEN();
    }
    const start = this.startOf(first);
    const end = finite(last.startOffset) ? endOf(last) : start;
    // The first token was already named in a DF1001 ("expected ..., found `x`"): one error.
    if (first !== this.lastMissingToken)
      this.report(
        "DF1003",
        `unexpected ${describeFound(first)} ${ctx.where === "at the top level" ? ctx.where : `in ${ctx.where}`}`,
        makeRange(start, Math.max(start, end)),
        suggestKeyword(first, ctx.starts) ?? separator ?? `${ctx.where === "at the top level" ? "a file" : ctx.where} holds ${ctx.holds}`,
      );
    this.lastMissingAt = this.currentIndex();
    return !this.isStop(this.LA(1), ctx, inBlock);
  }

  /**
   * The help for a stray `,` after a condition (`when A, B`) or a stray `and` after a list
   * of names (`within a and b`), found by looking back along the entry to the keyword that
   * began the condition or the list; undefined for anything else.
   */
  private separatorHelp(first: IToken, ctx: BlockContext): string | undefined {
    const type = first.tokenType;
    if (type !== T.Comma && type !== T.And) return undefined;
    const tokens = this.input;
    const from = this.currentIndex();
    let sawIn = false;
    for (let i = from; i >= 0 && i > from - 64; i--) {
      const t = tokens[i];
      if (t === undefined) return undefined;
      const kw = t.tokenType;
      sawIn ||= kw === T.In;
      if (kw === T.When) return type === T.Comma ? ((sawIn ? this.groupListHelp() : undefined) ?? JOIN_CONDITIONS_HELP) : undefined;
      if (kw === T.Within || kw === T.Toward) return type === T.And ? listSeparatorHelp(imageOf(t)) : undefined;
      if (ctx.starts.has(kw) || kw === T.LBrace || kw === T.RBrace) return undefined;
    }
    return undefined;
  }

  /**
   * `when destination in tier1, tier2`: a list of groups, where a set joins them. The help
   * when a group name stands on both sides of the `,` (the next token); undefined otherwise.
   */
  private groupListHelp(): string | undefined {
    const before = this.LA(0);
    const after = this.LA(2);
    if (before.tokenType !== T.Identifier || after.tokenType !== T.Identifier || suggestKeyword(after, CONDITION_STARTS) !== undefined) return undefined;
    return `to test several groups, join them into one set: \`${imageOf(before)} + ${imageOf(after)}\`; conditions are joined with \`and\` or \`or\``;
  }

  /**
   * A `,` between two conditions (`when A, B`), where `and` was meant: reported at the
   * comma and skipped, so the condition after it is read, and checked, as if `and` had
   * been written. Only when a condition follows the comma, on its line or on the next
   * (unless what starts the next line also starts a clause or a declaration: `within`,
   * `tpp`, `item`; there the comma just ended the clause).
   */
  protected commaForAnd(): boolean {
    const comma = this.LA(1);
    if (comma.tokenType !== T.Comma) return false;
    const next = this.LA(2);
    const type = next.tokenType;
    if (type !== T.LParen && !CONDITION_STARTS.has(type) && suggestKeyword(next, CONDITION_STARTS) === undefined) return false;
    if (ENTRY_STARTS.has(type) && this.lineBreakBetween(endOf(comma), next.startOffset)) return false;
    this.report("DF1003", "unexpected `,` between two conditions", this.tokenRange(comma), JOIN_CONDITIONS_HELP);
    this.SKIP_TOKEN();
    return true;
  }

  /**
   * An `and` between the names of a list (`within a and b`), where `,` was meant: reported
   * and skipped when a name follows on its line, so that name is read (and resolved) as
   * the list's next. `intro` is the token before the list (`within`, `toward`, `for`, ...).
   */
  protected andForComma(intro: IToken): boolean {
    const and = this.LA(1);
    const next = this.LA(2);
    if (and.tokenType !== T.And || next.tokenType !== T.Identifier || this.lineBreakBetween(endOf(and), next.startOffset)) return false;
    const help = isReserved(intro) ? listSeparatorHelp(imageOf(intro)) : "separate the names with `,`, not `and`";
    this.report("DF1003", "unexpected `and` between names", this.tokenRange(and), help);
    this.SKIP_TOKEN();
    return true;
  }

  /**
   * A name right after another on its line in a list (`decide d for big_ic w2 {`), where a
   * `,` was left out: reported, so the caller reads it as the list's next name. Not for a
   * word that looks like a misspelt keyword (`cte "..."`), which block recovery handles.
   */
  protected missingComma(intro: IToken): boolean {
    const prev = this.LA(0);
    const next = this.LA(1);
    if (next.tokenType !== T.Identifier || prev.tokenType !== T.Identifier || this.lineBreakBetween(endOf(prev), next.startOffset)) return false;
    if (suggestKeyword(next, KEYWORD_SET) !== undefined) return false;
    const list = `\`${imageOf(prev)}, ${imageOf(next)}\``;
    const help = isReserved(intro) ? `separate the names after \`${imageOf(intro)}\` with commas: ${list}` : `separate the names with commas: ${list}`;
    this.report("DF1001", `expected \`,\` after ${describeToken(prev)}, found ${describeFound(next)}`, this.tokenRange(next), help);
    this.lastMissingAt = this.currentIndex();
    return true;
  }

  /**
   * A title written after the `cite` of a declaration that has none before it (`cap c
   * cite "..." "Title" {`): reported and taken as the title, so the editor still shows it
   * (outline, hover). Returns the declaration's title, `title` when it has one already.
   */
  protected titleAfterCite(name: Identifier | Missing, title: StringLiteral | undefined, cite: Citation | undefined): StringLiteral | undefined {
    if (title !== undefined || cite === undefined || this.RECORDING_PHASE) return title;
    const next = this.LA(1);
    if (next.tokenType !== T.TerminatedString || this.lineBreakBetween(cite.range.end, next.startOffset)) return undefined;
    const late = this.stringLiteral(next);
    const where = name.kind === "Identifier" ? `: \`${name.name} ${late.raw}\`` : "";
    this.report("DF1001", `the title \`${late.raw}\` comes after \`cite\``, late.range, `a title goes right after the name${where}`);
    this.SKIP_TOKEN();
    this.lastMissingAt = this.currentIndex();
    return late;
  }

  /** An optional title string (a helper, not a rule: it is on the hot path). */
  protected optionalString(idx: number): StringLiteral | undefined {
    const tok = this.optToken(idx, 9, T.StringLiteral);
    return tok === undefined ? undefined : this.stringLiteral(tok);
  }

  /**
   * Consumes `token` if it is next; otherwise reports it missing (DF1001). A word close to
   * it on the same line (`counts towards nothing`) is taken as the keyword misspelt and
   * skipped, so the clause goes on as written: one error, not a cascade of follow-ons.
   */
  protected expectToken(idx: number, token: TokenType, expected: string): void {
    if (this.optToken(idx, 0, token) !== undefined) return;
    if (this.RECORDING_PHASE) {
      this.missing(expected);
      return;
    }
    const near = new Set([token]);
    this.missing(expected, near);
    const next = this.LA(1);
    const prev = this.LA(0);
    if (suggestKeyword(next, near) !== undefined && prev.tokenType !== EOF && !this.lineBreakBetween(endOf(prev), next.startOffset)) {
      this.SKIP_TOKEN();
      this.lastMissingAt = this.currentIndex();
    }
  }

  /**
   * A block's `{` is not next (called only then, so none of this runs on valid input).
   * When the `{` comes after stray tokens on the header's line (`cap c = {`, a second
   * title after `cite`), the stray tokens are reported as one DF1001, skipped,
   * and the `{` is taken: the block parses as written, with the errors inside it reported.
   * Otherwise the `{` is reported missing where it belongs and undefined returned; the
   * block's entries that follow are still parsed by the caller's loop, and its `}` is then
   * not required (see `closeBrace`).
   */
  protected missingOpenBrace(ctx: BlockContext): IToken | undefined {
    const before = this.LA(0);
    const first = this.LA(1);
    const onLine = before.tokenType !== EOF && first.tokenType !== EOF && !this.lineBreakBetween(endOf(before), first.startOffset);
    const help = openBraceHelp(ctx, before, this.LA(-1), onLine ? first : undefined);
    const at = onLine ? this.braceAfterStray(ctx) : 0;
    if (at === 0) {
      this.missing("`{`", undefined, help);
      return undefined;
    }
    const last = this.LA(at - 1);
    if (this.currentIndex() !== this.lastMissingAt)
      this.report("DF1001", `expected \`{\` after ${describeToken(before)}, found ${describeFound(first)}`, makeRange(first.startOffset, endOf(last)), help);
    for (let i = 1; i < at; i++) this.SKIP_TOKEN();
    const open = this.consume(0, T.LBrace);
    this.lastMissingAt = this.currentIndex();
    return open;
  }

  /**
   * Where the `{` is, as a lookahead distance (at least 2), when only tokens of the header's
   * line stand before it (the `{` itself may start the next line); 0 when a token that ends
   * the block or starts one of its entries comes first, or the line ends, or it is far off.
   */
  private braceAfterStray(ctx: BlockContext): number {
    for (let k = 1; k <= 8; k++) {
      const t = this.LA(k);
      const type = t.tokenType;
      if (type === T.LBrace) return k;
      if (
        type === EOF ||
        type === T.RBrace ||
        DECLARATION_ONLY.has(type) ||
        ctx.starts.has(type) ||
        (k > 1 && this.lineBreakBetween(endOf(this.LA(k - 1)), t.startOffset))
      )
        return 0;
    }
    return 0;
  }

  /** Consumes the `}` closing a block if it is next; otherwise reports it at the `{`. */
  protected expectClose(idx: number, open: IToken | undefined, what: string): void {
    if (this.optToken(idx, 0, T.RBrace) === undefined) this.closeBrace(open, what);
  }

  private closeBrace(open: IToken | undefined, what: string): void {
    if (this.RECORDING_PHASE) return;
    // No `{` (the caller passes the declaration's keyword): that was the one error; a block
    // never opened needs no `}`, wherever its entries end.
    if (open !== undefined && open.tokenType !== T.LBrace) return;
    const idx = this.currentIndex();
    if (idx === this.lastMissingAt) return;
    this.lastMissingAt = idx;
    const range = open && finite(open.startOffset) ? this.tokenRange(open) : this.pointAt(this.LA(0), this.LA(1));
    this.report("DF1001", `expected \`}\` to close ${what}, found ${describeFound(this.LA(1))}`, range, "every `{` needs a matching `}`");
  }

  protected errorClause(e: IRecognitionException | undefined): ErrorClause {
    const start = e?.token && finite(e.token.startOffset) ? e.token.startOffset : this.prevEnd();
    const end = Math.max(start, this.prevEnd());
    return { kind: "ErrorClause", range: makeRange(start, end) };
  }

  protected missingValue(expected: string): () => Missing {
    return () => {
      const at = this.prevEnd();
      return { kind: "Missing", expected, range: makeRange(at, at) };
    };
  }
}
