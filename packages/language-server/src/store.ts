/**
 * Open documents and their analyses. One analysis per open document, for its current
 * version: a new version (or a change to a file it imports) replaces it. Concurrent
 * requests for the same version share one analysis. Files that are not open are read
 * through the host (without a byte order mark, as editors show them), cached until the
 * host says they changed.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import type { TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import type { Analysis, FileReader } from "./analysis.js";

/**
 * Builds the analysis of a document; `read` serves open documents first, then the disk.
 * `previous` is the document's last finished analysis, for incremental parsing.
 */
export type Analyzer = (document: TextDocument, read: FileReader, previous: Analysis | undefined) => Promise<Analysis>;

interface Entry {
  document: TextDocument;
  /** The analysis of `document` at its current version, done or in flight. */
  pending?: { readonly version: number; readonly generation: number; readonly promise: Promise<Analysis> };
  /** The last finished analysis (may be older than `document`): dependencies of the last analysis. */
  last?: Analysis;
  /** Bumped when a file this document imports changes. */
  generation: number;
}

export class DocumentStore {
  private readonly entries = new Map<string, Entry>();
  private readonly disk = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly readDisk: FileReader,
  ) {}

  open(uri: string, languageId: string, version: number, text: string): void {
    this.entries.set(uri, { document: TextDocument.create(uri, languageId, version, text), generation: 0 });
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const entry = this.entries.get(uri);
    if (entry === undefined) return;
    entry.document = TextDocument.update(entry.document, [...changes], version);
  }

  close(uri: string): void {
    this.entries.delete(uri);
  }

  document(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.document;
  }

  get uris(): readonly string[] {
    return [...this.entries.keys()];
  }

  /** Reads a file for an analysis: an open document's current text, or the (cached) file on disk. */
  readonly read: FileReader = (uri) => {
    const open = this.entries.get(uri);
    if (open !== undefined) return Promise.resolve(open.document.getText());
    let cached = this.disk.get(uri);
    if (cached === undefined) {
      cached = this.readDisk(uri).then(withoutBom, () => undefined);
      this.disk.set(uri, cached);
    }
    return cached;
  };

  /** The analysis of the document at its current version; undefined when it is not open. */
  analysis(uri: string): Promise<Analysis> | undefined {
    const entry = this.entries.get(uri);
    if (entry === undefined) return undefined;
    const { document, generation } = entry;
    if (entry.pending !== undefined && entry.pending.version === document.version && entry.pending.generation === generation) {
      return entry.pending.promise;
    }
    const promise = this.analyzer(document, this.read, entry.last).then((analysis) => {
      // Keep it only if the document has not moved on or been closed meanwhile.
      if (this.entries.get(uri) === entry) entry.last = analysis;
      return analysis;
    });
    entry.pending = { version: document.version, generation, promise };
    return promise;
  }

  /** The last finished analyses of every open document (for cross-file references and rename). */
  lastAnalyses(): Analysis[] {
    const out: Analysis[] = [];
    for (const entry of this.entries.values()) if (entry.last !== undefined) out.push(entry.last);
    return out;
  }

  /** Open documents whose last analysis imports `uri`, directly or not. */
  importersOf(uri: string): string[] {
    const out: string[] = [];
    for (const [other, entry] of this.entries) {
      if (other !== uri && entry.last?.dependencies.has(uri) === true) out.push(other);
    }
    return out;
  }

  /** A file changed outside the editor (or an open import changed): re-read it, re-analyse its importers. Returns them. */
  fileChanged(uri: string): string[] {
    this.disk.delete(uri);
    const importers = this.importersOf(uri);
    for (const importer of importers) {
      const entry = this.entries.get(importer);
      if (entry !== undefined) entry.generation++;
    }
    return importers;
  }

  /** Distinct finished analyses the store holds, for the memory test (at most one per open document). */
  get analysisCount(): number {
    const held = new Set<Analysis>();
    for (const entry of this.entries.values()) if (entry.last !== undefined) held.add(entry.last);
    return held.size;
  }

  /** Number of open documents. */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * The text of a file as editors show it and send it: without a leading UTF-8 byte order
 * mark. Positions in a closed file must match the columns of the same file once opened,
 * where the mark is not counted.
 */
function withoutBom(text: string | undefined): string | undefined {
  return text?.startsWith("\uFEFF") === true ? text.slice(1) : text;
}
