/** Offsets (0-based UTF-16, as the language's ranges) to lines and columns. */

export interface Position {
  /** 0-based. */
  readonly line: number;
  /** 0-based, UTF-16 code units. */
  readonly character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(this.text.length, offset));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] as number) };
  }

  /** Text of a 0-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line];
    if (start === undefined) return "";
    const next = this.starts[line + 1];
    return this.text.slice(start, next === undefined ? this.text.length : next).replace(/\r?\n$|\r$/, "");
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
