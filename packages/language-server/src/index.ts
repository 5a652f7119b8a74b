// Public API of @diffuse/language-server. Only re-exports.
// `startServer` (Node, stdio) is what `diffuse lsp --stdio` calls; the browser entry is
// the separate export `@diffuse/language-server/browser`.
export { startServer, nodeHost } from "./node.js";
export { createServer } from "./server.js";
export type { ServerHost, ServerHandle } from "./server.js";
export { DocumentStore } from "./store.js";
export type { Analyzer } from "./store.js";
export { analyze } from "./language.js";
export type { Analysis, FileReader, SourceInfo } from "./analysis.js";
export { toLspDiagnostic, diagnosticAnchor } from "./diagnostics.js";
export { parseSettings, DEFAULT_SETTINGS } from "./settings.js";
export type { Settings } from "./settings.js";
export { COMMANDS } from "./features/codeLens.js";
