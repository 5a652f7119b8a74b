/**
 * What the parser reads off a token: its text (chevrotain's recording placeholders have
 * none), its end offset (tokens carry only a start offset), and how a message names it.
 */
import { EOF, type IToken, type TokenType } from "chevrotain";
import * as T from "../tokens.js";

/** A token's text; chevrotain's recording-phase placeholders have none. */
export function imageOf(token: IToken): string {
  return typeof token.image === "string" ? token.image : "";
}

/** End offset (exclusive) of a token; tokens carry only start offsets (`positionTracking: "onlyOffset"`). */
export function endOf(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** A real offset: EOF and the tokens chevrotain inserts in recovery have NaN ones. */
export function finite(n: number | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

/** The reserved words: every keyword token, and `case-by-case`. */
const RESERVED = new Set<TokenType>([...T.keywordTokenTypes, T.CaseByCase]);

/** Is this token a reserved word (which can never be a name)? */
export function isReserved(token: IToken): boolean {
  return RESERVED.has(token.tokenType);
}

/**
 * How "found ..." and "unexpected ..." name a token: a reserved word as a keyword
 * (`keyword \`weights\``), so a user who meant it as a name sees why it did not fit.
 */
export function describeFound(token: IToken | undefined): string {
  return token !== undefined && isReserved(token) && finite(token.startOffset) ? `keyword ${describeToken(token)}` : describeToken(token);
}

/** The help for a reserved word found where a name was expected. */
export function reservedHelp(token: IToken): string {
  return `\`${imageOf(token)}\` is a reserved keyword and cannot be used as a name; choose another name`;
}

/** A token as messages quote it (`\`x\``, shortened when long), or "end of file". */
export function describeToken(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF || !finite(token.startOffset)) return "end of file";
  const image = token.image;
  if (image.length > 24) return `\`${image.slice(0, 21)}...\``;
  return `\`${image}\``;
}

/** Text as a message quotes it: control characters, backticks and lone surrogates escaped, so the quote stays one line. */
export function printable(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x60 || (cp >= 0xd800 && cp <= 0xdfff) ? `\\u{${cp.toString(16)}}` : ch;
  }
  return out;
}

/** The text between the quotes of a string token (a single-quoted one included). */
export function quotedText(token: IToken): string {
  const image = imageOf(token);
  const closed = token.tokenType !== T.UnterminatedString && image.length >= 2;
  return closed ? image.slice(1, -1) : image.slice(1);
}
