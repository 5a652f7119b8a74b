import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("browser entry", () => {
  it("bundles for a web worker without any Node API", async () => {
    const result = await build({
      entryPoints: [join(root, "src/browser.ts")],
      bundle: true,
      write: false,
      platform: "browser",
      format: "iife",
      conditions: ["source"],
      metafile: true,
      logLevel: "silent",
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    // Nothing from node/ entry points or Node built-ins is pulled in.
    expect(inputs.filter((i) => /vscode-languageserver\/lib\/node\/|vscode-jsonrpc\/lib\/node\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => /language-server\/src\/node\.ts$/.test(i))).toEqual([]);
    // Nor the configuration reader (.prettierrc, .editorconfig) and Prettier's Node build under it.
    expect(inputs.filter((i) => /prettier-plugin\/src\/config\.ts$|prettier\/index\.mjs$/.test(i))).toEqual([]);
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/require\(["'](node:)?(fs|path|child_process|os|net)["']\)/);
    expect(code.length).toBeGreaterThan(10_000);
  }, 60_000);
});
