/**
 * The only module that drives the language package: load a document's program (its
 * imports read through the store), check it, and keep what the features need.
 */
import { check, load, tokenize } from "@diffuse/language";
import type { Diagnostic, TokenInfo } from "@diffuse/language";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Analysis, FileReader, SourceInfo } from "./analysis.js";
import { documentFor } from "./positions.js";

function key(d: Diagnostic): string {
  return `${d.uri}\u0000${d.code}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.message}`;
}

/**
 * Analyses a document. With `previous` (an earlier analysis of the same document), files
 * are parsed incrementally: only the declarations an edit touched are parsed again, and
 * unchanged imports not at all.
 */
export async function analyze(document: TextDocument, read: FileReader, previous?: Analysis): Promise<Analysis> {
  const uri = document.uri;
  const text = document.getText();
  // The entry is always the editor's text, whatever the reader would say.
  const before = previous?.parsed;
  const program = await load(
    uri,
    (target: string) => (target === uri ? Promise.resolve(text) : read(target)),
    before === undefined ? undefined : { previous: (u) => before.get(u) },
  );
  const result = check(program);
  const files = new Map<string, SourceInfo>();
  for (const [fileUri, file] of program.files) {
    const fileDocument = fileUri === uri ? document : documentFor(fileUri, file.text);
    files.set(fileUri, { uri: fileUri, document: fileDocument, ast: file.ast, comments: file.comments });
  }
  const entry = program.files.get(uri);
  if (entry === undefined) throw new Error(`the loader did not read the entry \`${uri}\``);
  // The checker reports every diagnostic of the program; keep one copy of each.
  const seen = new Set<string>();
  const allDiagnostics: Diagnostic[] = [];
  for (const d of result.diagnostics) {
    const k = key(d);
    if (seen.has(k)) continue;
    seen.add(k);
    allDiagnostics.push(d);
  }
  // Missing imports count too: creating the file must re-check this document.
  const dependencies = new Set([...program.files.keys(), ...program.edges.map((e) => e.target)]);
  dependencies.delete(uri);
  // Tokens are only needed by completion and semantic tokens: lex on first use, once.
  let tokens: readonly TokenInfo[] | undefined;
  return {
    uri,
    version: document.version,
    document,
    ast: entry.ast,
    comments: entry.comments,
    get tokens(): readonly TokenInfo[] {
      tokens ??= tokenize(text);
      return tokens;
    },
    diagnostics: allDiagnostics.filter((d) => d.uri === uri),
    allDiagnostics,
    model: result.model,
    policySet: result.policySet,
    index: result.index,
    files,
    dependencies,
    parsed: program.files,
  };
}
