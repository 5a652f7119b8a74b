/**
 * Small scanners over the original source text. They know just enough of Diffuse's
 * lexical rules (whitespace, `//` and block comments) to look at the gaps between nodes.
 */

const isHorizontalSpace = (ch: string | undefined): boolean => ch === " " || ch === "\t";
const isNewline = (ch: string | undefined): boolean => ch === "\n" || ch === "\r";

/** Skips spaces and block comments that stay on the current line. */
function skipInlineTrivia(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (isHorizontalSpace(text[i])) i++;
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end === -1) return text.length;
      if (/[\r\n]/.test(text.slice(i, end))) return i;
      i = end + 2;
      continue;
    }
    return i;
  }
}

/** Skips one newline (`\n`, `\r\n` or `\r`) at `i`, if there is one. */
function skipNewline(text: string, i: number): number {
  if (text.startsWith("\r\n", i)) return i + 2;
  if (isNewline(text[i])) return i + 1;
  return i;
}

/**
 * Whether the line after the one `offset` is on is blank. Trailing comments on the
 * current line are skipped, so `limit 5 TPP // note` followed by an empty line counts.
 */
export function isNextLineEmpty(text: string, offset: number): boolean {
  let i = skipInlineTrivia(text, offset);
  if (text.startsWith("//", i)) {
    while (i < text.length && !isNewline(text[i])) i++;
  }
  const afterNewline = skipNewline(text, i);
  if (afterNewline === i) return false;
  let j = afterNewline;
  while (isHorizontalSpace(text[j])) j++;
  return isNewline(text[j]);
}

/**
 * Scans the tokens between `from` and `to` (comments skipped) for a `{` that no `}`
 * closes: the offset of that brace (`to` lies inside the block), or -1.
 */
export function openBraceBefore(text: string, from: number, to: number): number {
  let open = -1;
  let i = from;
  while (i < to) {
    if (text.startsWith("//", i)) {
      while (i < to && !isNewline(text[i])) i++;
      continue;
    }
    if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? to : end + 2;
      continue;
    }
    if (text[i] === '"') {
      i++;
      while (i < to && text[i] !== '"' && !isNewline(text[i])) i += text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (text[i] === "{") open = i;
    else if (text[i] === "}") open = -1;
    i++;
  }
  return open;
}

/** 1-based line and column of an offset, as Prettier's errors report them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
