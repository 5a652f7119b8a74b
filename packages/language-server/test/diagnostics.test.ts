import { describe, expect, it } from "vitest";
import { DiagnosticSeverity, DiagnosticTag } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "@diffuse/language";
import { diagnosticAnchor, toLspDiagnostic } from "../src/diagnostics.js";

const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, "group g = { US UK }\ncap c { }\n");
const other = TextDocument.create("file:///b.diffuse", "diffuse", 1, "\n\ngroup h = { US }\n");

describe("toLspDiagnostic", () => {
  const base: Diagnostic = {
    code: "DF2002",
    severity: "error",
    message: "unknown country code `UK`",
    uri: doc.uri,
    range: { start: 15, end: 17 },
    help: "did you mean `GB`?",
    related: [{ uri: other.uri, range: { start: 2, end: 7 }, message: "declared here" }],
    fixes: [{ title: "change to `GB`", edits: [{ range: { start: 15, end: 17 }, newText: "GB" }] }],
  };

  it("converts ranges, severity, code, help, related locations and fixes", () => {
    const lsp = toLspDiagnostic(doc, base, {
      documentFor: (uri) => (uri === other.uri ? other : undefined),
      docsUrl: "https://example.test/docs/diagnostics.md",
    });
    expect(lsp.range).toEqual({ start: { line: 0, character: 15 }, end: { line: 0, character: 17 } });
    expect(lsp.severity).toBe(DiagnosticSeverity.Error);
    expect(lsp.code).toBe("DF2002");
    expect(lsp.source).toBe("diffuse");
    expect(lsp.message).toBe("unknown country code `UK`\nhelp: did you mean `GB`?");
    expect(lsp.codeDescription?.href).toBe("https://example.test/docs/diagnostics.md#df2002-unknown-country");
    expect(lsp.relatedInformation).toEqual([
      { location: { uri: other.uri, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } } }, message: "declared here" },
    ]);
    expect(lsp.data).toEqual({
      fixes: [{ title: "change to `GB`", edits: [{ range: lsp.range, newText: "GB" }] }],
    });
  });

  it("maps every severity and marks unreachable rules unnecessary", () => {
    const warn = toLspDiagnostic(doc, { ...base, severity: "warning", code: "DF4008" }, { documentFor: () => undefined });
    expect(warn.severity).toBe(DiagnosticSeverity.Warning);
    expect(warn.tags).toEqual([DiagnosticTag.Unnecessary]);
    expect(warn.codeDescription).toBeUndefined();
    expect(toLspDiagnostic(doc, { ...base, severity: "info" }, { documentFor: () => undefined }).severity).toBe(DiagnosticSeverity.Information);
  });

  it("drops related locations in files it cannot see", () => {
    const lsp = toLspDiagnostic(doc, base, { documentFor: () => undefined });
    expect(lsp.relatedInformation).toBeUndefined();
  });

  it("anchors codes as docs/diagnostics.md headings do", () => {
    expect(diagnosticAnchor("DF2001")).toBe("df2001-unknown-name");
    expect(diagnosticAnchor("DF9999")).toBe("df9999");
  });
});
