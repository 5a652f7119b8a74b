/**
 * How Node should run the language server (no dependencies: the VS Code client and the
 * `diffuse lsp` command import this without loading the server).
 *
 * The server keeps one analysis per open document and replaces it on every edit. With
 * V8's default young generation (16 MB semi-spaces) a 5,000-line policy's analysis is
 * still young when the next scavenge runs, so nearly every edit pays for copying its
 * whole tree and model once or twice. With 64 MB semi-spaces a scavenge comes every few
 * edits and finds the earlier analyses already dead. The price is up to about 130 MB
 * more address space for the young generation, which an editor's language server can
 * afford.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];

/** Whether this process already runs with the server's flags. */
export function hasServerFlags(execArgv: readonly string[]): boolean {
  return SERVER_NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
