// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/** Packages each package may import, by the layer rule in DESIGN.md. */
const layers = {
  language: [],
  engine: ["@diffuse/language"],
  "ledger-sqlite": ["@diffuse/engine", "@diffuse/language"],
  "prettier-plugin": ["@diffuse/language"],
  "language-server": ["@diffuse/language", "@diffuse/engine", "prettier-plugin-diffuse"],
  cli: ["@diffuse/language", "@diffuse/engine", "@diffuse/ledger-sqlite", "prettier-plugin-diffuse", "@diffuse/language-server"],
};
const workspacePackages = [
  "@diffuse/language",
  "@diffuse/engine",
  "@diffuse/ledger-sqlite",
  "prettier-plugin-diffuse",
  "@diffuse/language-server",
  "@diffuse/cli",
];
/** Packages that must run in a browser worker: no Node built-ins. */
const pure = new Set(["language", "engine", "prettier-plugin"]);

const layerRules = Object.entries(layers).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/src/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          ...workspacePackages
            .filter((p) => !allowed.includes(p))
            .map((p) => ({ group: [p, `${p}/*`], message: `packages/${pkg} may not depend on ${p} (layer direction: see DESIGN.md)` })),
          { group: ["../../*/src/*", "../../../packages/*"], message: "import other packages by name, never by path into their sources" },
          ...(pure.has(pkg)
            ? [{ group: ["node:*", "fs", "path", "os", "child_process", "crypto"], message: `packages/${pkg} must run in a browser worker: no Node APIs` }]
            : []),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/*.d.ts",
      "extension/out/**",
      "bench/out/**",
      "**/fixtures/**",
      "coverage/**",
      "**/.scratch/**",
      "**/*.tmp.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { requireDefaultForNonUnion: false, considerDefaultExhaustiveForUnions: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: { globals: { ...globals.node } },
  },
  ...layerRules,
);
