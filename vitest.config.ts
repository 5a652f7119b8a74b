import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources ("source" export condition),
  // so tests never run against a stale dist/. Tests run in Vite's SSR environment.
  resolve: { conditions: ["source", "module", "browser", "development|production"] },
  ssr: { resolve: { conditions: ["source", "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "extension/test/**/*.test.ts", "grammar/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "test/e2e/**"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
