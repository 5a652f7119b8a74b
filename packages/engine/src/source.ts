/**
 * Offsets in the policy text -> 0-based LSP positions for decisions, and short quotes of
 * rules for messages. Built once per policy at compile time.
 */
import { tokenize, type PolicyModel, type SourceRef } from "@diffuse/language";
import type { SourceLocation } from "./types.js";

export class SourceMap {
  private readonly texts = new Map<string, string>();
  private readonly lineStarts = new Map<string, number[]>();

  constructor(model: PolicyModel) {
    for (const s of model.sources) {
      if (this.texts.has(s.uri)) continue;
      this.texts.set(s.uri, s.text);
      const starts = [0];
      for (let i = 0; i < s.text.length; i++) if (s.text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts.set(s.uri, starts);
    }
  }

  private position(uri: string, offset: number): { line: number; character: number } {
    const starts = this.lineStarts.get(uri);
    if (starts === undefined) return { line: 0, character: 0 };
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (starts[lo] ?? 0) };
  }

  location(ref: SourceRef): SourceLocation {
    return { path: ref.uri, range: { start: this.position(ref.uri, ref.range.start), end: this.position(ref.uri, ref.range.end) } };
  }

  /**
   * The source text at `ref`, comments dropped, whitespace collapsed, its citation left
   * out, at most 100 characters. A rule written over several lines is quoted whole: its
   * first line alone can say something else (`... when destination in tier3` of `... when
   * destination in tier3 or headquarters in tier3`). `casesStart`: where the rule's first
   * case starts; when a `{` opens a block of cases before it, the quote stops there.
   */
  quote(ref: SourceRef, casesStart?: number): string {
    const text = this.texts.get(ref.uri);
    if (text === undefined) return "";
    let s = withoutComments(text.slice(ref.range.start, ref.range.end));
    if (casesStart !== undefined && casesStart > ref.range.start && casesStart <= ref.range.end) {
      const head = withoutComments(text.slice(ref.range.start, casesStart)).trimEnd();
      if (head.endsWith("{")) s = head;
    }
    s = s.replace(/\s+/g, " ").trim();
    if (s.endsWith("{")) s = s.slice(0, -1).trimEnd();
    // The citation travels in the reason's own `cite` field: leave it out of the quote.
    s = s.replace(/ cite "(?:[^"\\]|\\.)*"$/, "");
    return s.length > 100 ? `${s.slice(0, 97)}...` : s;
  }
}

/** `text` with each of its comments (line and block) replaced by a space. */
function withoutComments(text: string): string {
  if (!text.includes("//") && !text.includes("/*")) return text;
  let out = "";
  let at = 0;
  for (const t of tokenize(text)) {
    if (t.kind !== "comment") continue;
    out += text.slice(at, t.range.start) + " ";
    at = t.range.end;
  }
  return out + text.slice(at);
}
