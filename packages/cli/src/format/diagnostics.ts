/**
 * Diagnostics as text, JSON (the DESIGN.md contract) and SARIF 2.1.0.
 */
import { encodePath, type Diagnostic, type RelatedLocation, type Severity } from "@diffuse/language";
import { LineIndex, type Position } from "../lines.js";

export interface FileDiagnostics {
  /** The path as shown to the user (relative to the working directory when inside it). */
  readonly path: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

interface Located {
  readonly d: Diagnostic;
  readonly start: Position;
  readonly end: Position;
}

function locate(file: FileDiagnostics, index: LineIndex): Located[] {
  return file.diagnostics.map((d) => ({ d, start: index.position(d.range.start), end: index.position(d.range.end) }));
}

/** A file a note may point into, as the user sees it: its display path and text. */
export type SourceLookup = (uri: string) => { readonly path: string; readonly text: string } | undefined;

/**
 * `path:line:col: severity code: message` (1-based), then the source line with a caret
 * underline, then `help:` when there is advice and a `note: path:line:col: message` per
 * related location. A note in the diagnostic's own file is always located; one in another
 * file when `sources` knows that file (otherwise the note is its message alone).
 */
/** Where a note points, as the user sees it; undefined when its file is not known to the caller. */
interface NoteLocation {
  readonly path: string;
  readonly index: LineIndex;
  readonly start: Position;
  readonly end: Position;
}

/**
 * Locates diagnostics' notes: one in the diagnostic's own file always, one in another file
 * when `sources` knows it. Other files' line indexes are built once each, and only for a
 * note that points there.
 */
function noteLocator(
  sources: SourceLookup | undefined,
): (note: RelatedLocation, d: Diagnostic, file: { path: string; index: LineIndex }) => NoteLocation | undefined {
  const others = new Map<string, { path: string; index: LineIndex } | undefined>();
  const other = (uri: string): { path: string; index: LineIndex } | undefined => {
    if (!others.has(uri)) {
      const found = sources?.(uri);
      others.set(uri, found && { path: found.path, index: new LineIndex(found.text) });
    }
    return others.get(uri);
  };
  return (note, d, file) => {
    const target = note.uri === d.uri ? file : other(note.uri);
    return target && { path: target.path, index: target.index, start: target.index.position(note.range.start), end: target.index.position(note.range.end) };
  };
}

export function formatText(files: readonly FileDiagnostics[], sources?: SourceLookup): string {
  const out: string[] = [];
  const locateNote = noteLocator(sources);
  for (const file of files) {
    const index = new LineIndex(file.text);
    for (const { d, start, end } of locate(file, index)) {
      out.push(`${file.path}:${start.line + 1}:${start.character + 1}: ${d.severity} ${d.code}: ${d.message}`);
      const line = index.lineText(start.line);
      if (line.length > 0 || index.lineCount > start.line + 1) {
        const gutter = String(start.line + 1);
        const pad = " ".repeat(gutter.length);
        const width = Math.max(1, (end.line === start.line ? end.character : line.length) - start.character);
        const shown = line.replace(/\t/g, " ");
        out.push(`${gutter} | ${shown}`);
        out.push(`${pad} | ${" ".repeat(start.character)}${"^".repeat(Math.min(width, Math.max(1, shown.length - start.character + 1)))}`);
      }
      if (d.help) out.push(`help: ${d.help}`);
      for (const r of d.related ?? []) {
        const at = locateNote(r, d, { path: file.path, index });
        out.push(at ? `note: ${at.path}:${at.start.line + 1}:${at.start.character + 1}: ${r.message}` : `note: ${r.message}`);
      }
    }
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** "N files checked: ...": `read` counts every file read, imports included (`files` holds only those with something to report and the ones named). */
export function summaryLine(files: readonly FileDiagnostics[], read: number = files.length): string {
  let errors = 0;
  let warnings = 0;
  for (const f of files) {
    for (const d of f.diagnostics) {
      if (d.severity === "error") errors++;
      else if (d.severity === "warning") warnings++;
    }
  }
  const n = (k: number, w: string): string => `${k} ${w}${k === 1 ? "" : "s"}`;
  return `${n(read, "file")} checked: ${n(errors, "error")}, ${n(warnings, "warning")}\n`;
}

/**
 * `{"files":[{"path","diagnostics":[{"code","severity","message","range":{...}}]}]}`, 0-based;
 * `help` when there is advice, `related` (`[{"message","path"?,"range"?}]`) when there are notes.
 */
export function toJson(files: readonly FileDiagnostics[], sources?: SourceLookup): unknown {
  const locateNote = noteLocator(sources);
  return {
    files: files.map((file) => {
      const index = new LineIndex(file.text);
      return {
        path: file.path,
        diagnostics: locate(file, index).map(({ d, start, end }) => ({
          code: d.code,
          severity: d.severity,
          message: d.message,
          range: { start, end },
          ...(d.help ? { help: d.help } : {}),
          ...(d.related?.length
            ? {
                related: d.related.map((r) => {
                  const at = locateNote(r, d, { path: file.path, index });
                  return at ? { message: r.message, path: at.path, range: { start: at.start, end: at.end } } : { message: r.message };
                }),
              }
            : {}),
        })),
      };
    }),
  };
}

const SARIF_LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export interface RuleInfo {
  readonly name: string;
  readonly summary: string;
  readonly severity: Severity;
}

/**
 * SARIF 2.1.0 for code scanning: one run, rules for the codes that occur, 1-based regions
 * in UTF-16 code units, paths relative to the repository root (`%SRCROOT%`).
 */
export function toSarif(
  files: readonly FileDiagnostics[],
  tool: { version: string; rules: (code: string) => RuleInfo | undefined; srcroot: string },
  sources?: SourceLookup,
): unknown {
  const locateNote = noteLocator(sources);
  const codes = [...new Set(files.flatMap((f) => f.diagnostics.map((d) => d.code)))].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));
  const rules = codes.map((code) => {
    const info = tool.rules(code);
    return {
      id: code,
      ...(info ? { name: info.name } : {}),
      shortDescription: { text: info?.summary ?? code },
      helpUri: `https://github.com/diffuse-policy/diffuse/blob/main/docs/diagnostics.md#${code.toLowerCase()}`,
      defaultConfiguration: { level: SARIF_LEVEL[info?.severity ?? "error"] },
    };
  });
  const results = files.flatMap((file) => {
    const index = new LineIndex(file.text);
    return locate(file, index).map(({ d, start, end }) => ({
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? 0,
      level: SARIF_LEVEL[d.severity],
      message: { text: d.help ? `${d.message} (help: ${d.help})` : d.message },
      locations: [{ physicalLocation: sarifPhysical(file.path, index, start, end) }],
      // A note whose file the caller cannot show keeps its message, as in the text format.
      ...(d.related?.length
        ? {
            relatedLocations: d.related.map((r, id) => {
              const at = locateNote(r, d, { path: file.path, index });
              return at
                ? { id, message: { text: r.message }, physicalLocation: sarifPhysical(at.path, at.index, at.start, at.end) }
                : { id, message: { text: r.message } };
            }),
          }
        : {}),
      partialFingerprints: { primaryLocationLineHash: fingerprint(`${d.code}:${index.lineText(start.line).trim()}`) },
    }));
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: { name: "diffuse", semanticVersion: tool.version, version: tool.version, informationUri: "https://github.com/diffuse-policy/diffuse", rules },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: tool.srcroot.endsWith("/") ? tool.srcroot : `${tool.srcroot}/` } },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

/** A SARIF physical location: the path relative to `%SRCROOT%`, a 1-based region and its line. */
function sarifPhysical(path: string, index: LineIndex, start: Position, end: Position): unknown {
  return {
    // A relative reference: `#` and `?` in a name must be encoded, or they start a fragment or a query.
    artifactLocation: { uri: encodePath(path), uriBaseId: "%SRCROOT%" },
    region: {
      startLine: start.line + 1,
      startColumn: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      snippet: { text: index.lineText(start.line) },
    },
  };
}

/** A stable, non-cryptographic line hash (FNV-1a, 64-bit hex), as code scanning uses to track results. */
function fingerprint(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return `${h.toString(16).padStart(16, "0")}:1`;
}
