/**
 * The options a file's own configuration sets, read the way Prettier's CLI reads them:
 * `.prettierrc` (any of its forms, with its `overrides`) and `.editorconfig`. One
 * function for `diffuse fmt` and the language server, so the editor formats as CI checks.
 *
 * Node only: this is the separate export `prettier-plugin-diffuse/config` (it runs on
 * Prettier's Node build, which reads files), never re-exported from the browser-safe
 * main entry. Prettier caches what it reads; `clearConfiguredFormatOptions` forgets it.
 */
import { clearConfigCache, resolveConfig } from "prettier";
import type { ConfiguredFormatOptions } from "./format.js";

export type { ConfiguredFormatOptions };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The options that the configuration files around `path` (an absolute file path) set for
 * it, and only those: Prettier's defaults fill the rest. Undefined when no configuration
 * file applies to the path at all (an empty `.prettierrc` applies: it says "the
 * defaults"). Rejects when a configuration file cannot be read (malformed JSON or YAML,
 * a throwing prettier.config.js).
 */
export async function configuredFormatOptions(path: string): Promise<ConfiguredFormatOptions | undefined> {
  const config = await resolveConfig(path, { editorconfig: true });
  if (config === null) return undefined;
  const options: Mutable<ConfiguredFormatOptions> = {};
  if (typeof config.printWidth === "number") options.printWidth = config.printWidth;
  if (typeof config.tabWidth === "number") options.tabWidth = config.tabWidth;
  if (typeof config.useTabs === "boolean") options.useTabs = config.useTabs;
  if (config.endOfLine === "lf" || config.endOfLine === "crlf" || config.endOfLine === "cr" || config.endOfLine === "auto")
    options.endOfLine = config.endOfLine;
  return options;
}

/** Forgets the configuration files read so far (call when one of them changed). */
export async function clearConfiguredFormatOptions(): Promise<void> {
  await clearConfigCache();
}
