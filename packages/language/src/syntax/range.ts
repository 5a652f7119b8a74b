/**
 * The one way the syntax layer builds a `Range`.
 *
 * Offsets are small integers, and V8 keeps them unboxed in a `{start, end}` object only
 * as long as every such object in the process has only ever held small integers: one
 * NaN stored in any `{start, end}` literal turns the fields of all of them into boxed
 * doubles, a heap object per offset. chevrotain's grammar recording (run once, when the
 * parser is built) calls the actions on placeholder tokens whose offsets are NaN, which
 * did exactly that: every range of every tree then cost three objects instead of one,
 * and the garbage collector copied all three. `| 0` turns NaN into 0 and leaves real
 * offsets (below 2^31: V8 strings are shorter) as they are.
 */
import type { Range } from "../ast.js";

export function makeRange(start: number, end: number): Range {
  return { start: start | 0, end: end | 0 };
}
