/**
 * Incremental re-parsing for editors: given the previous text and its parse, parse a new
 * version of the text by re-lexing and re-parsing only the declarations an edit touched.
 * The result is exactly what `parse(text, uri)` returns (a property test compares them
 * over chains of random edits); reused declarations are the previous objects, or copies
 * with their ranges shifted when the edit changed the length of the text before them.
 *
 * Why it is sound. The text is cut at two declaration boundaries, P before the edit and
 * Q after it, and only [P, Q) is parsed again. A boundary is a declaration that starts a
 * line with a keyword that never occurs inside a declaration (`group`, `cap`, `decide`,
 * ...), with no previous diagnostic starting at it or spanning it.
 * - Before P nothing changed: the line of P's keyword is untouched, so every token and
 *   every parser decision up to P is the same as before, and the parser is at the top
 *   level there (it was, in the previous parse).
 * - [P, Q) is parsed together with the first line of the declaration at Q, so the parser
 *   sees at Q the tokens it sees in the full text. If the declaration at Q no longer
 *   starts there (a comment or a stray `{` before Q swallowed it), or a diagnostic
 *   touches Q, the cut is not clean. What the middle parse makes of the line after Q is
 *   dropped.
 * - From Q on the text is the previous text shifted, and the parser is at the top level
 *   at Q in both versions (block recovery ends at these keywords and the nesting limit
 *   restarts there), so the previous declarations and diagnostics stand, shifted.
 * Whenever a condition does not hold, `reparse` parses the whole text: it is never
 * wrong, only sometimes not faster.
 */
import type { Comment, Declaration, Range } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import { parse, type ParseResult } from "./parse.js";

/** A previous version: its text and what `parse` (or `reparse`) returned for it, diagnostics in source order. */
export interface PreviousParse extends ParseResult {
  readonly text: string;
}

/** Declarations that start with a keyword that never occurs inside another declaration. */
const BOUNDARY_KINDS: ReadonlySet<Declaration["kind"]> = new Set([
  "ImportDecl",
  "PolicyDecl",
  "PolicySetDecl",
  "GroupDecl",
  "DisjointDecl",
  "ClassDecl",
  "CapDecl",
  "ExceptionDecl",
  "StatusDecl",
  "DecideDecl",
]);

/** The keyword of a boundary declaration at the sticky position (the lexer's keywords are whole words). */
const BOUNDARY_KEYWORD = /(?:import|policyset|policy|group|disjoint|class|cap|exception|status|decide)(?![A-Za-z0-9_])/y;

/** Length of the boundary keyword at `at` in `text`, or 0 when `at` is not a boundary. */
function boundaryAt(text: string, at: number): number {
  if (at > 0 && text.charCodeAt(at - 1) !== 10 /* \n */) return 0;
  BOUNDARY_KEYWORD.lastIndex = at;
  return BOUNDARY_KEYWORD.test(text) ? BOUNDARY_KEYWORD.lastIndex - at : 0;
}

/** Offset of the line break ending the line at `at` (the text's length on the last line). */
function lineEndOf(text: string, at: number): number {
  const i = text.indexOf("\n", at);
  return i < 0 ? text.length : i;
}

/**
 * Answers "does a previous diagnostic cross offset `at`, or start there?": one at a
 * boundary keyword may come from the declaration before it (e.g. a `}` expected there),
 * so the text cannot be cut at `at`. Diagnostics are sorted by start; with the running
 * maximum of their ends each question is a binary search.
 */
class DiagnosticSpans {
  private readonly maxEnd: number[] = [];

  constructor(private readonly diagnostics: readonly Diagnostic[]) {
    let max = Number.NEGATIVE_INFINITY;
    for (const d of diagnostics) this.maxEnd.push((max = Math.max(max, d.range.end)));
  }

  straddle(at: number): boolean {
    let lo = 0;
    let hi = this.diagnostics.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.diagnostics[mid] as Diagnostic).range.start < at) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.diagnostics.length && (this.diagnostics[lo] as Diagnostic).range.start === at) return true;
    return lo > 0 && (this.maxEnd[lo - 1] as number) > at;
  }
}

/**
 * Parses `text`, reusing `previous` (the parse of an earlier version of the same document)
 * where the edit did not reach. Equal to `parse(text, uri)`; never throws.
 */
export function reparse(previous: PreviousParse, text: string, uri: string): ParseResult {
  const old = previous.text;
  if (previous.ast.uri !== uri) return parse(text, uri);
  if (old === text) return previous;

  // The edit: old [a, oldEnd) became new [a, newEnd); the rest is common prefix and suffix.
  const max = Math.min(old.length, text.length);
  let a = 0;
  while (a < max && old.charCodeAt(a) === text.charCodeAt(a)) a++;
  let b = 0;
  while (b < max - a && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b++;
  const oldEnd = old.length - b;
  const delta = text.length - old.length;

  const decls = previous.ast.declarations;
  const oldDiagnostics = previous.diagnostics;
  const spans = new DiagnosticSpans(oldDiagnostics);
  // Declarations are in source order: `first` is the first one starting at or after the edit.
  let lo = 0;
  let hi = decls.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((decls[mid] as Declaration).range.start < a) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  const isBoundary = (d: Declaration): boolean => BOUNDARY_KINDS.has(d.kind) && boundaryAt(old, d.range.start) > 0 && !spans.straddle(d.range.start);
  // P: the last boundary before the edit whose whole first line the edit left alone.
  let p = -1;
  for (let i = first - 1; i >= 0 && p < 0; i--) {
    const d = decls[i] as Declaration;
    if (lineEndOf(old, d.range.start) < a && isBoundary(d)) p = i;
  }
  // Q: the first boundary after the edit whose preceding line break the edit left alone.
  let q = decls.length;
  for (let i = Math.max(first, p + 1); i < decls.length; i++) {
    const d = decls[i] as Declaration;
    if (d.range.start - 1 >= oldEnd && isBoundary(d)) {
      q = i;
      break;
    }
  }
  const oldP = p < 0 ? 0 : (decls[p] as Declaration).range.start;
  const oldQ = q < decls.length ? (decls[q] as Declaration).range.start : old.length;
  if (oldP === 0 && oldQ === old.length) return parse(text, uri);
  const newQ = oldQ + delta;

  // Parse [P, Q) together with the first line of the declaration at Q, so the parser sees
  // the same tokens after Q as in the full text; what it makes of that line is dropped.
  const lineEnd = q < decls.length ? text.indexOf("\n", newQ) : -1;
  const middleText = text.slice(oldP, lineEnd < 0 ? text.length : lineEnd);
  const middle = parse(middleText, uri);
  // Offset of Q in the middle text (everything is kept when the middle runs to the end).
  const cut = q < decls.length ? newQ - oldP : Number.POSITIVE_INFINITY;
  const found = middle.ast.declarations;
  let kept = found.length;
  if (q < decls.length) {
    // The declaration at Q must still start there (nothing before it swallowed it).
    const last = found[found.length - 1];
    if (last === undefined || last.range.start !== cut || last.kind !== (decls[q] as Declaration).kind) return parse(text, uri);
    kept = found.length - 1;
    for (const d of middle.diagnostics) {
      if (d.range.start === cut || (d.range.start < cut && d.range.end > cut)) return parse(text, uri);
    }
  }
  for (const d of middle.diagnostics) if (d.code === "DF1999") return parse(text, uri);

  const declarations: Declaration[] = [];
  for (let i = 0; i < p; i++) declarations.push(decls[i] as Declaration);
  for (let i = 0; i < kept; i++) declarations.push(shift(found[i] as Declaration, oldP));
  for (let i = q; i < decls.length; i++) declarations.push(shift(decls[i] as Declaration, delta));

  const comments: Comment[] = [];
  for (const c of previous.comments) if (c.range.start < oldP) comments.push(c);
  for (const c of middle.comments) if (c.range.start < cut) comments.push(shift(c, oldP));
  for (const c of previous.comments) if (c.range.start >= oldQ) comments.push(shift(c, delta));

  const diagnostics: Diagnostic[] = [];
  for (const d of oldDiagnostics) if (d.range.start < oldP) diagnostics.push(d);
  for (const d of middle.diagnostics) if (d.range.start < cut) diagnostics.push(shift(d, oldP));
  for (const d of oldDiagnostics) if (d.range.start >= oldQ) diagnostics.push(shift(d, delta));

  return { ast: { kind: "SourceFile", uri, declarations, range: { start: 0, end: text.length } }, comments, diagnostics };
}

/**
 * A copy of `value` with every range moved by `delta` (the value itself when `delta` is 0).
 * Ranges are the `range` properties and the `...Range` ones (`unitRange`, `valueRange`, ...).
 */
export function shift<T>(value: T, delta: number): T {
  return delta === 0 || typeof value !== "object" || value === null ? value : (shiftValue(value, delta) as T);
}

/** The properties that hold ranges: `range` on every node, and a few `...Range` beside it. */
const RANGE_KEYS: ReadonlySet<string> = new Set(["range", "unitRange", "subjectRange", "measureRange", "valueRange"]);

function shiftValue(value: object, delta: number): object {
  if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    const out: unknown[] = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      out[i] = typeof v === "object" && v !== null ? shiftValue(v, delta) : v;
    }
    return out;
  }
  // A spread copy keeps the node's shape (hidden class); only object-valued fields change,
  // and `for...in` over it walks V8's enum cache without allocating a key array.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const v = out[key];
    if (typeof v !== "object" || v === null) continue;
    if (key === "range" || RANGE_KEYS.has(key)) {
      const r = v as Range;
      out[key] = { start: r.start + delta, end: r.end + delta };
    } else out[key] = shiftValue(v, delta);
  }
  return out;
}
