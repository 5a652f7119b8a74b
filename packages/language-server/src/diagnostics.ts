/**
 * The one conversion of the language's diagnostics to LSP diagnostics. Quick-fix
 * data rides along in `data.fixes` (offsets converted to LSP ranges), so a client
 * that round-trips it lets code actions work without re-analysing.
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import { CODES } from "@diffuse/language";
import type { CodeInfo, Diagnostic, Severity } from "@diffuse/language";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { TextEdit } from "vscode-languageserver";
import { toLspRange } from "./positions.js";

export const DIAGNOSTIC_SOURCE = "diffuse";

/** A quick fix as carried in `Diagnostic.data`. Edits are in the diagnostic's own document. */
export interface LspFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface DiagnosticData {
  readonly fixes: readonly LspFix[];
}

export interface ConversionContext {
  /** Documents by URI, for related locations in other files. */
  readonly documentFor: (uri: string) => TextDocument | undefined;
  /** Base URL of docs/diagnostics.md; the code's anchor is appended. Omitted: no codeDescription. */
  readonly docsUrl?: string;
}

function severity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case "error":
      return DiagnosticSeverity.Error;
    case "warning":
      return DiagnosticSeverity.Warning;
    case "info":
      return DiagnosticSeverity.Information;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** Anchor of a code's heading in docs/diagnostics.md (`### DF2001 unknown-name` -> `df2001-unknown-name`). */
export function diagnosticAnchor(code: string): string {
  const info = (CODES as Readonly<Record<string, CodeInfo | undefined>>)[code];
  return info === undefined ? code.toLowerCase() : `${code.toLowerCase()}-${info.name}`;
}

/** Codes whose diagnostic marks text that does nothing (shown faded by editors). */
const UNNECESSARY = new Set<string>(["DF4008"]);

export function toLspDiagnostic(doc: TextDocument, diagnostic: Diagnostic, context: ConversionContext): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toLspRange(doc, diagnostic.range),
    severity: severity(diagnostic.severity),
    code: diagnostic.code,
    source: DIAGNOSTIC_SOURCE,
    message: diagnostic.help === undefined ? diagnostic.message : `${diagnostic.message}\nhelp: ${diagnostic.help}`,
  };
  if (context.docsUrl !== undefined) {
    out.codeDescription = { href: `${context.docsUrl}#${diagnosticAnchor(diagnostic.code)}` };
  }
  if (UNNECESSARY.has(diagnostic.code)) {
    out.tags = [DiagnosticTag.Unnecessary];
  }
  const related = (diagnostic.related ?? []).flatMap((r) => {
    const other = r.uri === doc.uri ? doc : context.documentFor(r.uri);
    return other === undefined ? [] : [{ location: { uri: r.uri, range: toLspRange(other, r.range) }, message: r.message }];
  });
  if (related.length > 0) out.relatedInformation = related;
  if (diagnostic.fixes !== undefined && diagnostic.fixes.length > 0) {
    const data: DiagnosticData = {
      fixes: diagnostic.fixes.map((f) => ({
        title: f.title,
        edits: f.edits.map((e) => ({ range: toLspRange(doc, e.range), newText: e.newText })),
      })),
    };
    out.data = data;
  }
  return out;
}
