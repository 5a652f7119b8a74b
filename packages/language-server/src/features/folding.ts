/** textDocument/foldingRange: blocks, multi-line set literals, runs of imports and of line comments, block comments. */
import { FoldingRangeKind, type FoldingRange } from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { walk } from "../syntax.js";

/** Node kinds whose text spans a `{ ... }` (or, for sets, may span several lines). */
const FOLDABLE = new Set([
  "PolicyDecl",
  "PolicySetDecl",
  "GroupDecl",
  "SetLiteral",
  "ItemDecl",
  "ModelDecl",
  "ClassDecl",
  "CapDecl",
  "ScheduleClause",
  "ExceptionDecl",
  "StatusDecl",
  "DecideDecl",
  "LicenseRule",
]);

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const doc = analysis.document;
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind): void => {
    if (endLine <= startLine) return;
    const key = `${startLine}:${endLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    const range: FoldingRange = { startLine, endLine };
    if (kind !== undefined) range.kind = kind;
    out.push(range);
  };

  walk(analysis.ast, (node) => {
    if (!FOLDABLE.has(node.kind)) return;
    const startLine = doc.positionAt(node.range.start).line;
    // Fold up to the line before the closing brace, so `}` stays visible.
    const end = doc.positionAt(node.range.end);
    const endsWithBrace = node.range.end > node.range.start && doc.getText().charAt(node.range.end - 1) === "}";
    add(startLine, endsWithBrace ? end.line - 1 : end.line);
  });

  // Runs of imports.
  let run: { start: number; end: number } | undefined;
  for (const decl of analysis.ast.declarations) {
    if (decl.kind === "ImportDecl") {
      const start = doc.positionAt(decl.range.start).line;
      const end = doc.positionAt(decl.range.end).line;
      run = run === undefined ? { start, end } : { start: run.start, end };
    } else if (run !== undefined) {
      add(run.start, run.end, FoldingRangeKind.Imports);
      run = undefined;
    }
  }
  if (run !== undefined) add(run.start, run.end, FoldingRangeKind.Imports);

  // Comments: block comments, and runs of line comments on consecutive lines.
  let commentRun: { start: number; end: number } | undefined;
  const flush = (): void => {
    if (commentRun !== undefined) add(commentRun.start, commentRun.end, FoldingRangeKind.Comment);
    commentRun = undefined;
  };
  for (const comment of analysis.comments) {
    const start = doc.positionAt(comment.range.start).line;
    const end = doc.positionAt(comment.range.end).line;
    if (comment.kind === "BlockComment") {
      flush();
      add(start, end, FoldingRangeKind.Comment);
      continue;
    }
    const lineText = doc.getText({ start: { line: start, character: 0 }, end: doc.positionAt(comment.range.start) });
    const ownLine = lineText.trim() === "";
    if (ownLine && commentRun !== undefined && commentRun.end === start - 1) {
      commentRun.end = start;
    } else {
      flush();
      if (ownLine) commentRun = { start, end: start };
    }
  }
  flush();
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
