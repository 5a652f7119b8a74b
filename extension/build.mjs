// Bundles the extension: dist/extension.js (the client, run by VS Code's extension host),
// dist/server.js (the Diffuse language server, started by the client over stdio), and
// copies the TextMate grammar and language configuration from ../grammar.
// Workspace packages are bundled from their TypeScript sources (the "source" condition).
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const production = process.env.DIFFUSE_DEV !== "1";

/** The language server's Node entry (a workspace package, linked into node_modules). */
const serverEntry = join(here, "node_modules", "@diffuse", "language-server", "src", "node.ts");
/** Its bundling plugin that leaves Prettier's built-in languages out (the server never loads them). */
const { omitPrettierLanguages } = await import(
  pathToFileURL(join(here, "node_modules", "@diffuse", "language-server", "scripts", "prettier-languages.mjs")).href
);

const common = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  conditions: ["source"],
  mainFields: ["module", "main"],
  minify: production,
  sourcemap: production ? false : "inline",
  legalComments: "none",
  logLevel: "warning",
  // ESM sources that read import.meta.url still work once bundled to CommonJS.
  define: { "import.meta.url": "__diffuse_import_meta_url" },
  banner: { js: 'const __diffuse_import_meta_url = require("url").pathToFileURL(__filename).href;' },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

await build({ ...common, entryPoints: [join(here, "src", "extension.ts")], outfile: join(dist, "extension.js"), external: ["vscode"] });

if (!existsSync(serverEntry)) {
  console.error(`build: the language server entry ${serverEntry} does not exist`);
  process.exit(1);
}
await build({ ...common, entryPoints: [serverEntry], outfile: join(dist, "server.js"), plugins: [omitPrettierLanguages] });

for (const file of ["diffuse.tmLanguage.json", "language-configuration.json"]) {
  copyFileSync(join(here, "..", "grammar", file), join(dist, file));
}

// The README's screenshots (made by the end-to-end test) travel inside the .vsix.
const shots = join(here, "..", "docs", "images");
const shotsOut = join(here, "images", "screenshots");
rmSync(shotsOut, { recursive: true, force: true });
mkdirSync(shotsOut, { recursive: true });
if (existsSync(shots)) {
  for (const file of readdirSync(shots).filter((f) => f.endsWith(".png"))) copyFileSync(join(shots, file), join(shotsOut, file));
}
