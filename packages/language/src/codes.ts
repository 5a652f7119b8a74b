/**
 * The registry of diagnostic codes. Codes are stable: never reuse or renumber one.
 * Bands: DF0xxx lexical, DF1xxx syntax, DF2xxx names and imports, DF3xxx types and units,
 * DF4xxx policy structure (caps, rules, dates, sets), DF9xxx runtime/loader.
 * Every code is documented in docs/diagnostics.md (a test keeps them in step).
 */
import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  readonly severity: Severity;
  /** Short kebab-case name. */
  readonly name: string;
  /** One-line description for docs. */
  readonly summary: string;
}

export const CODES = {
  // Entries are added by the lexer/parser (DF0xxx/DF1xxx) and the checker (DF2xxx+).
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
