// Public API of @diffuse/cli (the `diffuse` command is bin.ts). Only re-exports.
export { main, COMMANDS, version } from "./main.js";
export type { Context } from "./context.js";
export { StreamSink, MemorySink } from "./io.js";
export type { Sink } from "./io.js";
export { diffModels, changeLine, condText, windowText, ruleText, quantityText } from "./diff/model-diff.js";
export type { Change, ChangeKind, Entity } from "./diff/model-diff.js";
export { scanBook, readOrders, BookIndex, BookSyntaxError } from "./book/scan.js";
