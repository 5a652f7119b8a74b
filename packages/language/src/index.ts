// Public API of @diffuse/language. Only re-exports.
export type * from "./ast.js";
export type * from "./model.js";
export type * from "./diagnostic.js";
export { parse, tokenize } from "./syntax/parse.js";
export type { ParseResult, TokenInfo, TokenKind } from "./syntax/parse.js";
export { KEYWORDS } from "./syntax/tokens.js";
export { check } from "./check/checker.js";
export type { CheckResult, PolicySetModel } from "./check/checker.js";
export { load, loadSync, loadAndCheck, checkFiles, checkText } from "./check/load.js";
export { buildProgram, resolveImport } from "./check/program.js";
export type { Program, ParsedFile, ImportEdge } from "./check/program.js";
export { symbolAt, referencesTo } from "./check/symbols.js";
export type { SymbolIndex, DeclarationInfo, DeclarationKind, ReferenceInfo, CountryReference, ImportLink, QuantityInfo } from "./check/symbols.js";
export { CODES } from "./codes.js";
export type { Code, CodeInfo } from "./codes.js";
export { COUNTRY_CODES, ISO_COUNTRY_CODES, countryName, describeCountry, isCountryCode } from "./countries.js";
export * as rational from "./rational.js";
export { parseRational, toRational, formatRational, formatPercent } from "./rational.js";
