/**
 * Every token of the Diffuse language, in lexer order.
 *
 * Order matters: the lexer tries patterns top to bottom. Comments and whitespace come
 * first, then multi-character literals whose prefixes are other tokens (dates before
 * numbers, `..` and two-character comparisons before their one-character prefixes),
 * then keywords (each with `longer_alt: Identifier`, so `tier1` is not `tier` + `1`
 * and `dates` is a name, not `date` + `s`), and `Identifier` last but one. Every token
 * has a human `LABEL` used in diagnostics.
 */
import { createToken, Lexer, type TokenType } from "chevrotain";

// ---------------------------------------------------------------------------
// Trivia

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\u00a0\u2028\u2029]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
  label: "whitespace",
});

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\r\n]*/,
  group: "comments",
  label: "a comment",
});

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\//,
  group: "comments",
  line_breaks: true,
  label: "a comment",
});

/** `/*` with no closing `*\/` before the end of the file: reported, then treated as a comment. */
export const UnterminatedBlockComment = createToken({
  name: "UnterminatedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: "comments",
  line_breaks: true,
  label: "an unterminated comment",
});

// ---------------------------------------------------------------------------
// Literals

/** Category matched by the parser for both terminated and unterminated strings. */
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: Lexer.NA,
  label: "a string",
});

export const TerminatedString = createToken({
  name: "TerminatedString",
  pattern: /"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*"/,
  categories: [StringLiteral],
  label: "a string",
});

/** A string that reaches the end of its line: reported, then parsed as a string. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"[^"\\\r\n]*(?:\\[^\r\n][^"\\\r\n]*)*\\?/,
  categories: [StringLiteral],
  label: "an unterminated string",
});

/**
 * Text in single quotes on one line (`'AI Diffusion'`): not Diffuse, but plainly meant as a
 * string. parse.ts reports it once (DF0001) and the parser reads it as the string it meant,
 * so there are no follow-on errors. A lone `'` stays an unexpected character.
 */
export const SingleQuotedString = createToken({
  name: "SingleQuotedString",
  pattern: /'[^'\r\n]*'/,
  categories: [StringLiteral],
  label: "a string in single quotes",
});

export const DateLiteral = createToken({
  name: "DateLiteral",
  pattern: /\d{4}-\d{2}-\d{2}(?![\d_])/,
  label: "a date",
});

/** Takes in malformed groupings too (`15,832`, `1.2.3`): reported as one number, DF0005 (numbers.ts). */
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d[\d_]*(?:[.,]\d[\d_]*)*(?:[eE][+-]?\d[\d_]*)?/,
  label: "a number",
});

// ---------------------------------------------------------------------------
// Punctuation and operators (longer first)

export const DotDot = createToken({
  name: "DotDot",
  pattern: /\.\./,
  label: "`..`",
});
export const LessEqual = createToken({
  name: "LessEqual",
  pattern: /<=/,
  label: "`<=`",
});
export const GreaterEqual = createToken({
  name: "GreaterEqual",
  pattern: />=/,
  label: "`>=`",
});
export const NotEqual = createToken({
  name: "NotEqual",
  pattern: /!=/,
  label: "`!=`",
});
export const Less = createToken({ name: "Less", pattern: /</, label: "`<`" });
export const Greater = createToken({
  name: "Greater",
  pattern: />/,
  label: "`>`",
});
export const Equals = createToken({
  name: "Equals",
  pattern: /=/,
  label: "`=`",
});
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "`+`" });
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "`-`" });
export const Ampersand = createToken({
  name: "Ampersand",
  pattern: /&/,
  label: "`&`",
});
export const Percent = createToken({
  name: "Percent",
  pattern: /%/,
  label: "`%`",
});
export const LBrace = createToken({
  name: "LBrace",
  pattern: /\{/,
  label: "`{`",
});
export const RBrace = createToken({
  name: "RBrace",
  pattern: /\}/,
  label: "`}`",
});
export const LParen = createToken({
  name: "LParen",
  pattern: /\(/,
  label: "`(`",
});
export const RParen = createToken({
  name: "RParen",
  pattern: /\)/,
  label: "`)`",
});
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "`,`" });

// ---------------------------------------------------------------------------
// Names and keywords

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
});

/** `case-by-case` is one token (a review policy), not `case` - `by` - `case`. */
export const CaseByCase = createToken({
  name: "CaseByCase",
  pattern: /case-by-case/,
  longer_alt: Identifier,
  label: "`case-by-case`",
});

const keywordTokens: TokenType[] = [];

function keyword(word: string): TokenType {
  const name = `Kw_${word}`;
  const token = createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    label: `\`${word}\``,
  });
  keywordTokens.push(token);
  return token;
}

// Declarations
export const Import = keyword("import");
export const PolicySet = keyword("policyset");
export const Policy = keyword("policy");
export const Use = keyword("use");
export const Group = keyword("group");
export const Disjoint = keyword("disjoint");
export const Item = keyword("item");
export const Model = keyword("model");
export const Class = keyword("class");
export const Cap = keyword("cap");
export const Exception = keyword("exception");
export const Status = keyword("status");
export const Decide = keyword("decide");
// Policy header
export const Version = keyword("version");
export const Effective = keyword("effective");
export const Until = keyword("until");
export const Compliance = keyword("compliance");
export const Supersedes = keyword("supersedes");
export const Cite = keyword("cite");
export const Note = keyword("note");
// Sets
export const From = keyword("from");
export const All = keyword("all");
// Items and models
export const Tpp = keyword("tpp");
export const Density = keyword("density");
export const Eccn = keyword("eccn");
export const Datacenter = keyword("datacenter");
export const Yes = keyword("yes");
export const No = keyword("no");
export const Operations = keyword("operations");
export const Weights = keyword("weights");
export const Open = keyword("open");
export const Closed = keyword("closed");
// Caps
export const When = keyword("when");
export const Limit = keyword("limit");
export const Per = keyword("per");
export const Window = keyword("window");
export const Schedule = keyword("schedule");
export const Times = keyword("times");
export const Calendar = keyword("calendar");
export const Year = keyword("year");
export const Rolling = keyword("rolling");
export const Time = keyword("time");
export const Through = keyword("through");
export const Destination = keyword("destination");
export const Headquarters = keyword("headquarters");
export const Consignee = keyword("consignee");
export const Exporter = keyword("exporter");
export const Global = keyword("global");
// Exceptions and statuses
export const Within = keyword("within");
export const Counts = keyword("counts");
export const Toward = keyword("toward");
export const Nothing = keyword("nothing");
export const Requires = keyword("requires");
// Deciding
export const For = keyword("for");
export const Prohibit = keyword("prohibit");
export const Authorize = keyword("authorize");
export const License = keyword("license");
export const Charging = keyword("charging");
export const Review = keyword("review");
export const Presumption = keyword("presumption");
export const Of = keyword("of");
export const Approval = keyword("approval");
export const Denial = keyword("denial");
export const Otherwise = keyword("otherwise");
// Conditions
export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not");
export const In = keyword("in");
export const Has = keyword("has");
export const Is = keyword("is");
export const Amount = keyword("amount");
export const Quantity = keyword("quantity");
export const Capacity = keyword("capacity");
export const DateKw = keyword("date");
export const Chip = keyword("chip");
export const True = keyword("true");
export const False = keyword("false");
// Units
export const TppUnit = keyword("TPP");
export const Units = keyword("units");
export const Ops = keyword("ops");
export const Days = keyword("days");
export const Months = keyword("months");
export const Years = keyword("years");
/** `x`: `1_700 x H100`, `consignee x destination`. */
export const X = keyword("x");

/**
 * Keywords in lexer order: longest first, so a keyword that is a prefix of another
 * (`no`/`note`, `cap`/`capacity`, `year`/`years`) never shadows it.
 */
const lexerKeywords: TokenType[] = [...keywordTokens].sort((a, b) => keywordText(b).length - keywordText(a).length);

function keywordText(t: TokenType): string {
  return String(t.PATTERN instanceof RegExp ? t.PATTERN.source : t.PATTERN);
}

/** Every reserved word (the TextMate grammar is tested against it). */
export const KEYWORDS: readonly string[] = ["case-by-case", ...lexerKeywords.map(keywordText)];

/**
 * Characters that start no token, lexed as runs in their own group so lexing stays linear
 * on garbage (chevrotain's own error recovery retries every pattern at every character).
 * parse.ts reports each run as DF0001. Last in lexer order: it only matches what nothing
 * else does (`[^]` takes a lone `/`, `.` or `!`).
 */
export const Unexpected = createToken({
  name: "Unexpected",
  pattern: /[^A-Za-z0-9_ \t\r\n\f\v\u00a0\u2028\u2029"/{}()<>=!+\-&%,.]+|[^]/,
  group: "unexpected",
  line_breaks: true,
  label: "an unexpected character",
  // The pattern is a complement set, which chevrotain cannot analyse for its first-character
  // optimisation; this hint means "any character": every Latin-1 code unit, then one code
  // unit every 128 above (chevrotain buckets code units >= 256 in blocks of 255, so every
  // bucket gets one).
  start_chars_hint: anyCharacterHint(),
});

function anyCharacterHint(): string[] {
  const hint: string[] = [];
  for (let c = 0; c < 256; c++) hint.push(String.fromCharCode(c));
  for (let c = 256; c < 0x10000; c += 128) hint.push(String.fromCharCode(c));
  hint.push(String.fromCharCode(0xffff));
  return hint;
}

/**
 * Every token type, in lexer order with the keywords where they would go: the parser's
 * vocabulary. The lexer itself runs on `lexerTokens`.
 */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  TerminatedString,
  UnterminatedString,
  SingleQuotedString,
  StringLiteral,
  DateLiteral,
  NumberLiteral,
  DotDot,
  LessEqual,
  GreaterEqual,
  NotEqual,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Ampersand,
  Percent,
  LBrace,
  RBrace,
  LParen,
  RParen,
  Comma,
  CaseByCase,
  ...lexerKeywords,
  Identifier,
  Unexpected,
];

/** Keyword token types (without `case-by-case`). */
export const keywordTokenTypes: readonly TokenType[] = keywordTokens;

/**
 * What the lexer matches: every token but the keywords. A word is lexed once as an
 * `Identifier` and then re-typed by a table lookup (`KEYWORD_BY_TEXT`), instead of
 * chevrotain trying each keyword that starts with the same letter, and the `Identifier`
 * pattern after it (`longer_alt`), at every word. Same tokens, a fraction of the work.
 * `case-by-case` stays a pattern: it is not one word.
 */
export const lexerTokens: readonly TokenType[] = allTokens.filter((t) => !keywordTokens.includes(t));

/** Keyword token types by their text. */
export const KEYWORD_BY_TEXT: ReadonlyMap<string, TokenType> = new Map(keywordTokens.map((t) => [keywordText(t), t]));

/**
 * `KEYWORD_BY_TEXT` as a lookup that never hashes the word: every lexed word is a fresh
 * string, so a map lookup reads all its characters to hash it and again to compare. Here
 * the bucket comes from the length and the first and last characters, and the one or two
 * keywords in it (at most two) are compared directly (most comparisons stop at the length).
 */
const BUCKETS = 128;
const keywordBuckets: (readonly [string, TokenType])[][] = Array.from({ length: BUCKETS }, () => []);

function bucketOf(word: string): number {
  const n = word.length;
  return (n + word.charCodeAt(0) * 6 + word.charCodeAt(n - 1) * 5) & (BUCKETS - 1);
}

for (const [text, type] of KEYWORD_BY_TEXT) (keywordBuckets[bucketOf(text)] as (readonly [string, TokenType])[]).push([text, type]);

/** The keyword token type spelled `word`, or undefined for any other word. */
export function keywordOf(word: string): TokenType | undefined {
  const bucket = keywordBuckets[bucketOf(word)] as readonly (readonly [string, TokenType])[];
  for (let i = 0; i < bucket.length; i++) {
    const entry = bucket[i] as readonly [string, TokenType];
    if (entry[0] === word) return entry[1];
  }
  return undefined;
}
