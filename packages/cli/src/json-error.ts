/**
 * Where a JSON text first goes wrong. `JSON.parse` says only that it failed (V8 sometimes
 * gives a character position, sometimes an excerpt of the text), so a text it rejects is
 * scanned again here to find the offset and say what was expected, for an error message
 * with a line and column. The scanner follows RFC 8259's grammar and builds nothing.
 */

export interface JsonSyntaxProblem {
  /** UTF-16 offset of the first character that cannot continue a JSON text. */
  readonly offset: number;
  readonly message: string;
}

const enum C {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  CloseBrace = 125,
}

class Problem extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error of `text`, or undefined when it is valid JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const describe = (at: number): string => (at >= text.length ? "the end of the text" : `\`${String.fromCodePoint(text.codePointAt(at) ?? 0)}\``);
  const fail = (expected: string): never => {
    throw new Problem(i, `expected ${expected}, found ${describe(i)}`);
  };
  const space = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== C.Space && c !== C.Tab && c !== C.Newline && c !== C.Return) return;
      i++;
    }
  };
  const digits = (): number => {
    const start = i;
    while (text.charCodeAt(i) >= C.Zero && text.charCodeAt(i) <= C.Nine) i++;
    return i - start;
  };
  const string = (): void => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) throw new Problem(i, "a string is not closed");
      const c = text.charCodeAt(i);
      if (c === C.Quote) {
        i++;
        return;
      }
      if (c < 0x20) throw new Problem(i, "a control character must be escaped inside a string");
      if (c === C.Backslash) {
        const e = text[i + 1] ?? "";
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Problem(i, "`\\u` must be followed by four hex digits");
          i += 6;
        } else if ('"\\/bfnrt'.includes(e) && e !== "") i += 2;
        else throw new Problem(i, `invalid escape \`\\${e}\``);
      } else i++;
    }
  };
  const number = (): void => {
    if (text.charCodeAt(i) === C.Minus) i++;
    if (text.charCodeAt(i) === C.Zero) i++;
    else if (digits() === 0) fail("a digit");
    if (text.charCodeAt(i) === C.Dot) {
      i++;
      if (digits() === 0) fail("a digit after the decimal point");
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text.charCodeAt(i) === C.Plus || text.charCodeAt(i) === C.Minus) i++;
      if (digits() === 0) fail("a digit in the exponent");
    }
  };
  /** A property name and its colon (the value follows). */
  const key = (): void => {
    if (text.charCodeAt(i) !== C.Quote) fail("a property name in double quotes");
    string();
    space();
    if (text.charCodeAt(i) !== C.Colon) fail("`:`");
    i++;
  };
  // One loop with an explicit stack of open containers: a deeply nested text must not
  // overflow the call stack.
  const open: number[] = [];
  let wantValue = true;
  try {
    for (;;) {
      space();
      const c = text.charCodeAt(i);
      if (wantValue) {
        wantValue = false;
        if (c === C.OpenBrace || c === C.OpenBracket) {
          i++;
          space();
          if (text.charCodeAt(i) === (c === C.OpenBrace ? C.CloseBrace : C.CloseBracket)) {
            i++;
            continue;
          }
          open.push(c);
          if (c === C.OpenBrace) key();
          wantValue = true;
        } else if (c === C.Quote) string();
        else if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) number();
        else if (text.startsWith("true", i)) i += 4;
        else if (text.startsWith("false", i)) i += 5;
        else if (text.startsWith("null", i)) i += 4;
        else fail("a value");
        continue;
      }
      // After a value: close the innermost container or continue it with a comma.
      const top = open[open.length - 1];
      if (top === undefined) break;
      if (c === (top === C.OpenBrace ? C.CloseBrace : C.CloseBracket)) {
        open.pop();
        i++;
      } else if (c === C.Comma) {
        i++;
        space();
        if (top === C.OpenBrace) key();
        wantValue = true;
      } else fail(top === C.OpenBrace ? "`,` or `}`" : "`,` or `]`");
    }
    if (i < text.length) fail("the end of the text");
    return undefined;
  } catch (e) {
    if (e instanceof Problem) return { offset: e.offset, message: e.message };
    throw e;
  }
}

/** 1-based line and column (in UTF-16 units) of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where and why `JSON.parse(text)` failed with `error`: the first syntax error's line,
 * column and message from the scanner above, or, if the scanner finds none, the parser's
 * own message (its trailing period dropped) with no position.
 */
export function jsonErrorAt(text: string, error: unknown): { readonly line: number; readonly column: number | undefined; readonly message: string } {
  const problem = jsonSyntaxProblem(text);
  if (problem === undefined) return { line: 1, column: undefined, message: (error instanceof Error ? error.message : String(error)).replace(/\.$/, "") };
  const { line, column } = lineColumn(text, problem.offset);
  return { line, column, message: problem.message };
}
