// Bundles the server for a web worker (dist/browser.bundle.js) and for Node
// (dist/node.bundle.mjs). The extension uses these; tests build the browser bundle
// in memory to prove it needs no Node API.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { omitPrettierLanguages } from "./prettier-languages.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = { bundle: true, conditions: ["source"], sourcemap: true, logLevel: "info", legalComments: "none" };
await build({ ...common, entryPoints: [join(root, "src/browser.ts")], outfile: join(root, "dist/browser.bundle.js"), platform: "browser", format: "iife" });
await build({
  ...common,
  entryPoints: [join(root, "src/node.ts")],
  outfile: join(root, "dist/node.bundle.mjs"),
  platform: "node",
  format: "esm",
  target: "node20",
  plugins: [omitPrettierLanguages],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
});
