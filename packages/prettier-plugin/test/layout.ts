import { LINE_END } from "./arbitraries.js";

/**
 * What goes between two tokens: whitespace, a block comment with whitespace around it,
 * or a line comment (at the end of the line, or on a line of its own). Every gap of a
 * construct can take one: after a `{`, between the keywords of a clause, before a `}`.
 */
export type Gap = "space" | "newline" | "blank" | "block" | "block-newline" | "block-own-line" | "line" | "line-own-line";

export const GAPS: readonly Gap[] = ["space", "newline", "blank", "block", "block-newline", "block-own-line", "line", "line-own-line"];

/**
 * Lays tokens out with a unique comment `/* #N *\/` or `// #N` in many gaps (the gap
 * kinds cycle through `gaps`). At the end of a clause or declaration (LINE_END) a line
 * comment `// #N` or a block comment `/* #N *\/` may stand, as people write them (a
 * clause's citation is printed at the end of its line: the comment must stay after it).
 */
export function layout(tokens: readonly string[], gaps: readonly Gap[], lineComments: boolean): { text: string; markers: string[] } {
  const markers: string[] = [];
  const next = (): string => {
    const marker = `#${markers.length}`;
    markers.push(marker);
    return marker;
  };
  let text = "";
  let gapIndex = 0;
  const gapText = (): string => {
    const gap = gaps[gapIndex++ % gaps.length] ?? "space";
    switch (gap) {
      case "space":
        return " ";
      case "newline":
        return "\n";
      case "blank":
        return "\n\n";
      case "block":
        return ` /* ${next()} */ `;
      case "block-newline":
        return ` /* ${next()} */\n`;
      case "block-own-line":
        return `\n/* ${next()} */\n`;
      case "line":
        return ` // ${next()}\n`;
      case "line-own-line":
        return `\n// ${next()}\n`;
      default: {
        const never: never = gap;
        return never;
      }
    }
  };
  for (const token of tokens) {
    if (token === LINE_END) {
      const end = gapIndex % 3;
      text += lineComments && end === 0 ? ` // ${next()}\n` : end === 1 ? ` /* ${next()} */\n` : "\n";
      gapIndex++;
      continue;
    }
    text += gapText() + token;
  }
  text += gapText();
  return { text, markers };
}
