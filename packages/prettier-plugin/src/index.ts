// Public API of prettier-plugin-diffuse. Only re-exports.
// Prettier loads the named `languages`, `parsers`, `printers` and `options`.
export { languages, parsers, printers, options, diffusePlugin, parseDiffuse, DiffuseSyntaxError, UnsoundFormatError } from "./plugin.js";
export { diffusePlugin as default } from "./plugin.js";
export { formatDiffuse, checkFormatted, formatDiffuseRange } from "./format.js";
export type { ConfiguredFormatOptions, FormatOptions, TextEdit } from "./format.js";
export { astEqualIgnoringRanges, firstAstDifference } from "./equal.js";
export { VISITOR_KEYS } from "./nodes.js";
export type { DiffuseNode, NodeKind, NodeOf } from "./nodes.js";
