// Public API of @diffuse/ledger-sqlite. Only re-exports.
export { SqliteLedger, LedgerError } from "./ledger.js";
export type { LedgerErrorKind, SqliteLedgerOptions, ChargeRow, UtilisationRow, LedgerSummary } from "./ledger.js";
export { LATEST_SCHEMA } from "./schema.js";
