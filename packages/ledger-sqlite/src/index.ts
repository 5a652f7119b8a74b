// Public API of @diffuse/ledger-sqlite. Only re-exports.
export { SqliteLedger } from "./ledger.js";
export type { ResetResult } from "./scrub.js";
export type { ChargeRow, UtilisationRow, LedgerSummary } from "./reports.js";
export type { SqliteLedgerOptions } from "./open.js";
export { LedgerError } from "./errors.js";
export type { LedgerErrorKind } from "./errors.js";
export { LATEST_SCHEMA } from "./schema.js";
// Compact building blocks, also used by the CLI's in-memory book ledger.
export { IdFilter } from "./id-filter.js";
export { BufferPool } from "./buffer-pool.js";
export { Series, SeriesIndex } from "./series.js";
// The Decision serializer the ledger stores with (byte-identical to JSON.stringify).
export { decisionJson, jsonString } from "./decision-json.js";
