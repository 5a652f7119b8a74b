/**
 * The one diagnostic type used by every Diffuse front end.
 * Converted to LSP in exactly one place (the language server); to text, JSON and
 * SARIF in the CLI.
 */
import type { Range } from "./ast.js";

export type Severity = "error" | "warning" | "info";

export interface RelatedLocation {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
}

/** Machine-readable data for a quick fix (e.g. the replacement a did-you-mean suggests). */
export interface FixData {
  readonly title: string;
  readonly edits: readonly { readonly range: Range; readonly newText: string }[];
}

export interface Diagnostic {
  /** Stable code from the registry in codes.ts, e.g. "DF2001". */
  readonly code: string;
  readonly severity: Severity;
  /** One line, lowercase start, no final period; user input in backticks. */
  readonly message: string;
  /** URI of the file the range is in. */
  readonly uri: string;
  readonly range: Range;
  /** Advice, e.g. "did you mean `tier2`?". */
  readonly help?: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly FixData[];
}
