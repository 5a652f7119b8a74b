// Public API of @diffuse/engine. Only re-exports.
export type * from "./types.js";
