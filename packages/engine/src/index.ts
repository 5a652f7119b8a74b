// Public API of @diffuse/engine. Only re-exports.
export type * from "./types.js";
export { compile, compileSet } from "./evaluate.js";
export { evaluateBook, compareOrdersByDate } from "./book.js";
export { MemoryLedger, ledgerFrom } from "./ledger.js";
export type { StartingCharge } from "./ledger.js";
export { validateOrder, catalogOf } from "./order.js";
export { duplicateKeys, duplicateKeyError, duplicateKeyErrors, duplicateKeyErrorsByOrder, parseBookText } from "./json-duplicates.js";
export type { DuplicateKey, ParsedBook } from "./json-duplicates.js";
export type { ValidOrder, Line, Catalog, Validation } from "./order.js";
export { sha256Hex } from "./sha256.js";
export { isIsoDate } from "./dates.js";
export { toDecimal, formatGrouped, parseDecimal } from "./exact.js";
export { runPolicyTests, parsePolicyTestFile, checkPolicyTestFile, compareDecision, mergeOrder } from "./policy-tests.js";
export type * from "./policy-tests.js";
