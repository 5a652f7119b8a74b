// Public API of @diffuse/language. Only re-exports.
export type * from "./ast.js";
export type * from "./model.js";
export type * from "./diagnostic.js";
