/** textDocument/documentLink: each `import` / `use` path links to the file it resolves to. */
import type { DocumentLink } from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toLspRange } from "../positions.js";

export function documentLinks(analysis: Analysis): DocumentLink[] {
  return analysis.index.imports
    .filter((link) => link.uri === analysis.uri)
    .map((link) => {
      // Link the path inside the quotes.
      const range = link.range.end - link.range.start >= 2 ? { start: link.range.start + 1, end: link.range.end - 1 } : link.range;
      const out: DocumentLink = { range: toLspRange(analysis.document, range), target: link.target };
      if (!link.found) out.tooltip = "file not found";
      return out;
    });
}
