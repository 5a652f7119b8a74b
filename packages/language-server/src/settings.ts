/** Client configuration under the `diffuse` section, read through workspace/configuration. */

export type TraceLevel = "off" | "messages" | "verbose";

export interface Settings {
  /** Formatting options for files no .prettierrc or .editorconfig applies to (see features/formatting.ts). */
  readonly format: { readonly printWidth: number };
  readonly diagnostics: {
    /** Delay after the last keystroke before diagnostics are computed and pushed. */
    readonly debounceMs: number;
    /** Base URL of docs/diagnostics.md for diagnostic code links; empty: derived from the workspace root. */
    readonly docsUrl: string;
  };
  /** Example order book for the "evaluate example orders" lens, relative to the workspace root. */
  readonly examples: { readonly orders: string };
  readonly trace: { readonly server: TraceLevel };
}

export const DEFAULT_SETTINGS: Settings = {
  format: { printWidth: 80 },
  diagnostics: { debounceMs: 150, docsUrl: "" },
  examples: { orders: "policies/examples/orders.json" },
  trace: { server: "off" },
};

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

function str(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/** Reads whatever the client sent, keeping defaults for anything missing or malformed. */
export function parseSettings(raw: unknown): Settings {
  const root = record(raw);
  const format = record(root["format"]);
  const diagnostics = record(root["diagnostics"]);
  const examples = record(root["examples"]);
  const trace = record(root["trace"]);
  const level = trace["server"];
  return {
    format: { printWidth: int(format["printWidth"], DEFAULT_SETTINGS.format.printWidth, 20, 400) },
    diagnostics: {
      debounceMs: int(diagnostics["debounceMs"], DEFAULT_SETTINGS.diagnostics.debounceMs, 0, 10_000),
      docsUrl: str(diagnostics["docsUrl"], DEFAULT_SETTINGS.diagnostics.docsUrl),
    },
    // An empty path (the VS Code extension's default) means the default book.
    examples: { orders: str(examples["orders"], "") || DEFAULT_SETTINGS.examples.orders },
    trace: { server: level === "messages" || level === "verbose" ? level : "off" },
  };
}
