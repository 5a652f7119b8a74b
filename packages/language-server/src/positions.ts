/**
 * Offsets (the language's ranges: 0-based, end-exclusive UTF-16 offsets) to LSP
 * positions and back. Every file a feature reports on has a `TextDocument`, open or not.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Range as OffsetRange } from "@diffuse/language";
import type { Position, Range as LspRange } from "vscode-languageserver";

export function toLspRange(doc: TextDocument, range: OffsetRange): LspRange {
  return { start: doc.positionAt(range.start), end: doc.positionAt(range.end) };
}

export function toOffsetRange(doc: TextDocument, range: LspRange): OffsetRange {
  return { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
}

export function offsetAt(doc: TextDocument, position: Position): number {
  return doc.offsetAt(position);
}

/** A read-only document for a file that is not open in the editor (an import). */
export function documentFor(uri: string, text: string, version = 0): TextDocument {
  return TextDocument.create(uri, "diffuse", version, text);
}

/** True when `offset` lies inside `range`, ends included (a cursor just after a name is on it). */
export function touches(range: OffsetRange, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}

/** True when the two ranges share at least one offset, or touch for empty ranges. */
export function overlaps(a: OffsetRange, b: OffsetRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}
