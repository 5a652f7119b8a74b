import { resolve } from "node:path";
import type { Context } from "../context.js";
import { displayPath } from "../io.js";
import type { LoadedPolicy } from "../policy.js";
import { formatText, type FileDiagnostics, type SourceLookup } from "./diagnostics.js";

/** The files read (by URI) as diagnostics' notes show them: path relative to `cwd`, and text. */
export function sourceLookup(sources: ReadonlyMap<string, string>, cwd: string): SourceLookup {
  return (uri) => {
    const text = sources.get(uri);
    return text === undefined ? undefined : { path: displayPath(resolve(cwd, uri), cwd), text };
  };
}

/** Prints a policy's errors (not warnings) to stderr, in the `diffuse check` text format. */
export function reportPolicyErrors(policy: LoadedPolicy, ctx: Context): void {
  if (policy.errors.length === 0) return;
  const byUri = new Map<string, FileDiagnostics>();
  for (const d of policy.errors) {
    const f = byUri.get(d.uri) ?? { path: displayPath(resolve(ctx.cwd, d.uri), ctx.cwd), text: policy.sources.get(d.uri) ?? "", diagnostics: [] };
    byUri.set(d.uri, { ...f, diagnostics: [...f.diagnostics, d] });
  }
  ctx.stderr.write(formatText([...byUri.values()], sourceLookup(policy.sources, ctx.cwd)));
}
