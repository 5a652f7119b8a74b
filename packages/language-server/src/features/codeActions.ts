/**
 * Quick fixes from the checker's diagnostic fix data (did-you-mean for unknown names
 * and countries, removing a duplicated country, adding a missing window, ...). The
 * server never invents a fix: every action is one the checker described.
 */
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range as LspRange } from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toLspDiagnostic, type ConversionContext } from "../diagnostics.js";
import { toLspRange, toOffsetRange, overlaps } from "../positions.js";

function sameRange(a: LspRange, b: LspRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

export function codeActions(
  analysis: Analysis,
  range: LspRange,
  contextDiagnostics: readonly LspDiagnostic[],
  conversion: ConversionContext,
  only?: readonly string[],
): CodeAction[] {
  if (only !== undefined && !only.includes(CodeActionKind.QuickFix)) {
    return [];
  }
  const wanted = toOffsetRange(analysis.document, range);
  const actions: CodeAction[] = [];
  for (const diagnostic of analysis.diagnostics) {
    if (diagnostic.fixes === undefined || diagnostic.fixes.length === 0) continue;
    if (!overlaps(diagnostic.range, wanted)) continue;
    const lspRange = toLspRange(analysis.document, diagnostic.range);
    // Attach the client's own diagnostic object when it sent one for this problem.
    const lsp =
      contextDiagnostics.find((d) => d.code === diagnostic.code && sameRange(d.range, lspRange)) ?? toLspDiagnostic(analysis.document, diagnostic, conversion);
    diagnostic.fixes.forEach((fix, i) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: i === 0 && diagnostic.fixes?.length === 1,
        edit: {
          changes: {
            [analysis.uri]: fix.edits.map((e) => ({ range: toLspRange(analysis.document, e.range), newText: e.newText })),
          },
        },
      });
    });
  }
  return actions;
}
