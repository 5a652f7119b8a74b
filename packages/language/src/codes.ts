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

  // --- DF0xxx lexical (syntax layer) ---
  DF0001: { severity: "error", name: "unexpected-character", summary: "Characters that form no token (outside strings and comments)." },
  DF0002: { severity: "error", name: "unterminated-string", summary: "A string has no closing quote before the end of its line." },
  DF0003: { severity: "error", name: "unterminated-comment", summary: "A block comment has no closing `*/`." },
  DF0004: { severity: "error", name: "unknown-escape", summary: 'A string contains a backslash escape other than `\\"` and `\\\\`.' },
  DF0005: {
    severity: "error",
    name: "malformed-number",
    summary: "A number is malformed: a misplaced `_`, digits grouped with `,`, or a second decimal point.",
  },

  // --- DF1xxx syntax (syntax layer) ---
  DF1001: { severity: "error", name: "expected-token", summary: "Something the grammar requires is missing here (a name, a date, a `}`, ...)." },
  DF1002: { severity: "error", name: "too-deeply-nested", summary: "Parentheses (or `not`s) are nested more than 100 levels deep." },
  DF1003: { severity: "error", name: "unexpected-token", summary: "Tokens that fit nowhere here were skipped." },
  DF1004: { severity: "error", name: "not-a-country-code", summary: "A set literal lists a name that is not shaped like a country code." },
  DF1999: { severity: "error", name: "internal-parser-error", summary: "The parser failed on this input (a bug in Diffuse)." },

  // --- DF2xxx names and imports (checker) ---
  DF2001: { severity: "error", name: "unknown-name", summary: "A name refers to nothing declared in the policy or its imports." },
  DF2002: { severity: "error", name: "unknown-country", summary: "A set literal lists a code that is not an ISO 3166-1 alpha-2 country code (or XK)." },
  DF2003: { severity: "error", name: "duplicate-definition", summary: "Two declarations share one name in the same namespace." },
  DF2004: { severity: "error", name: "wrong-kind", summary: "A name refers to a declaration of the wrong kind (e.g. a group where a cap is expected)." },
  DF2005: { severity: "error", name: "missing-import", summary: "An imported or used file cannot be read." },
  DF2006: { severity: "error", name: "import-cycle", summary: "Files import each other in a cycle." },
  DF2007: { severity: "error", name: "not-a-policy", summary: "A policy set uses a file that has no policy header." },
  DF2008: { severity: "error", name: "cyclic-definition", summary: "A group, item or cap is defined in terms of itself." },
  DF2009: { severity: "warning", name: "imported-header", summary: "An imported file has its own policy header, which is ignored." },

  // --- DF3xxx types and units (checker) ---
  DF3001: { severity: "error", name: "unit-mismatch", summary: "A quantity has the wrong unit for where it is used." },
  DF3002: {
    severity: "error",
    name: "wrong-context",
    summary: "A condition is used where it has no meaning (an order fact in a class, a line fact in a rule).",
  },
  DF3003: { severity: "error", name: "invalid-factor", summary: "A `times` factor is not a plain positive number." },
  DF3004: { severity: "error", name: "invalid-date", summary: "A date does not exist in the calendar." },
  DF3005: { severity: "error", name: "invalid-period", summary: "A rolling window length is not a positive whole number of days, months or years." },
  DF3006: { severity: "error", name: "invalid-number", summary: "A number cannot be represented (e.g. an exponent beyond 10000)." },
  DF3007: { severity: "error", name: "invalid-share", summary: "A cap's share of capacity is more than 100 %." },

  // --- DF4xxx policy structure (checker) ---
  DF4001: { severity: "error", name: "missing-header-field", summary: "A policy header lacks its version or effective date." },
  DF4002: { severity: "error", name: "dates-out-of-order", summary: "Dates that must increase do not (header, dated members, windows, schedules)." },
  DF4003: { severity: "error", name: "disjoint-overlap", summary: "Groups declared disjoint share a country on some date." },
  DF4004: { severity: "error", name: "cap-missing-key", summary: "A cap has no `per` key." },
  DF4005: { severity: "error", name: "cap-missing-window", summary: "A cap has no `window` (and no `schedule`)." },
  DF4006: { severity: "error", name: "cap-missing-limit", summary: "A cap has no `limit` (and no `schedule`)." },
  DF4007: { severity: "error", name: "cap-schedule-conflict", summary: "A cap has both a `schedule` and a `limit` or `window`." },
  DF4008: { severity: "warning", name: "unreachable-rule", summary: "A rule in a decide block can never apply because an earlier rule always does." },
  DF4009: { severity: "warning", name: "duplicate-country", summary: "A country is listed twice in one set literal." },
  DF4010: { severity: "warning", name: "counts-toward-unspecified", summary: "An exception or status does not say which caps it counts toward." },
  DF4011: { severity: "error", name: "percent-cap-key", summary: "A percent-of-capacity cap is not counted per consignee." },
  DF4012: { severity: "error", name: "duplicate-clause", summary: "A clause that may appear once appears twice." },
  DF4013: { severity: "error", name: "missing-fact", summary: "An item has no `tpp`, or a model has no `operations`." },
  DF4014: { severity: "error", name: "multiple-headers", summary: "A file has more than one `policy` or `policyset` header." },
  DF4015: { severity: "error", name: "invalid-key", summary: "A cap key repeats a part or combines `global` with another part." },
  DF4016: { severity: "warning", name: "duplicate-version-file", summary: "A policy set lists the same file twice." },
  DF4017: { severity: "error", name: "same-effective-date", summary: "Two versions of a policy set take effect on the same day." },
  DF4018: { severity: "warning", name: "superseded-version-missing", summary: "A version of a policy set supersedes a version the set does not list." },
  DF4019: { severity: "warning", name: "duplicate-version-name", summary: "Two files of a policy set declare the same `version`." },
  DF4020: {
    severity: "warning",
    name: "supersedes-not-earlier",
    summary: "A policy `supersedes` its own version, or a version of its policy set that takes effect later.",
  },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
