/**
 * Where each comment of a file stands, for the property that formatting keeps comments
 * where they were written: in the same gap between two tokens, on a line of its own or
 * not as written, and after a `{` on the brace's line as written.
 */
import { type TokenInfo, tokenize } from "@diffuse/language";

export interface Place {
  /** The comment's text. */
  readonly text: string;
  /** How many tokens come before it (commas not counted: a line comment before `,` goes after it). */
  readonly gap: number;
  /** A line comment that starts its line (only spaces before it). */
  readonly startsLine: boolean;
  /** Right after a `{` on the brace's line (other comments between allowed), with only the line's end after them. */
  readonly afterBrace: boolean;
  /**
   * Moved by design: a comment between a block's header and its `{` when that run holds
   * a line comment or a comment on a line of its own (it goes after the `{`, so its gap
   * counts the brace), and the comments after such a brace.
   */
  readonly moved: boolean;
}

/** Tokens before which a `{` opens a set, not a block. */
const SET_BRACE_AFTER = new Set(["=", "in", "+", "-", "&", "("]);

const startsLine = (text: string, offset: number): boolean => /(^|\n)[ \t]*$/.test(text.slice(0, offset));

/** The places of the comments of `text`, in source order. */
export function commentPlaces(text: string): Place[] {
  const tokens = tokenize(text);
  const places: Place[] = [];
  let gap = 0;
  let previousCode: TokenInfo | undefined;
  let afterBraceLine = false;
  let braceMoved = false;
  let movedBefore = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (token.kind !== "comment") {
      afterBraceLine = token.text === "{";
      braceMoved = afterBraceLine && movedBefore;
      movedBefore = false;
      if (token.text !== ",") gap++;
      previousCode = token;
      continue;
    }
    // A run of comments between two code tokens.
    let j = i;
    while (tokens[j]?.kind === "comment") j++;
    const run = tokens.slice(i, j);
    const next = tokens[j];
    const blockBrace = next?.text === "{" && previousCode !== undefined && !SET_BRACE_AFTER.has(previousCode.text);
    const movesAfterBrace = blockBrace && run.some((c) => c.text.startsWith("//") || startsLine(text, c.range.start));
    // The comments on the brace's line count when nothing but the line's end follows them there.
    let onBraceLine = 0;
    let end = previousCode?.range.end ?? 0;
    while (afterBraceLine && onBraceLine < run.length) {
      const c = run[onBraceLine];
      if (!c || text.slice(end, c.range.start).includes("\n")) break;
      end = c.range.end;
      onBraceLine++;
    }
    const lastOnBraceLine = run[onBraceLine - 1];
    const braceLineEnds =
      lastOnBraceLine !== undefined &&
      (lastOnBraceLine.text.startsWith("//") || text.slice(end, (run[onBraceLine] ?? next)?.range.start ?? text.length).includes("\n"));
    for (const [k, c] of run.entries()) {
      const sameLine = braceLineEnds && k < onBraceLine;
      places.push({
        text: c.text.replace(/\r\n?/g, "\n").trimEnd(),
        gap: movesAfterBrace ? gap + 1 : gap,
        startsLine: c.text.startsWith("//") && startsLine(text, c.range.start),
        afterBrace: sameLine,
        moved: movesAfterBrace || (afterBraceLine && braceMoved),
      });
    }
    movedBefore = movesAfterBrace;
    i = j - 1;
  }
  return places;
}

/**
 * Differences between where the comments of `input` stood and where they stand in
 * `output` (empty when every comment is in its gap, on or off its own line as written,
 * and after its `{` if it was).
 */
export function placeDifferences(input: string, output: string): string[] {
  const before = commentPlaces(input);
  const after = commentPlaces(output);
  const problems: string[] = [];
  if (before.length !== after.length) return [`${before.length} comments became ${after.length}`];
  before.forEach((b, i) => {
    const a = after[i];
    if (!a) return;
    if (a.text !== b.text) problems.push(`comment ${i} is \`${a.text}\`, was \`${b.text}\` (reordered)`);
    else if (a.gap !== b.gap) problems.push(`\`${b.text}\` moved from after token ${b.gap} to after token ${a.gap}`);
    else if (!b.moved && a.startsLine !== b.startsLine) problems.push(`\`${b.text}\` ${b.startsLine ? "no longer starts its line" : "now starts a line"}`);
    else if (!b.moved && b.afterBrace && !a.afterBrace) problems.push(`\`${b.text}\` left the line of its \`{\``);
  });
  return problems;
}
