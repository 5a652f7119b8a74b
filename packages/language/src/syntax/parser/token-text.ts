/**
 * What the parser reads off a token: its text (chevrotain's recording placeholders have
 * none), its end offset (tokens carry only a start offset), and how a message names it.
 */
import { EOF, type IToken } from "chevrotain";

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

/** Human description of a token for "found ..." in messages. */
export function describeToken(token: IToken | undefined): string {
  if (!token || token.tokenType === EOF || !finite(token.startOffset))
    return "end of file";
  const image = token.image;
  if (image.length > 24) return `\`${image.slice(0, 21)}...\``;
  return `\`${image}\``;
}
