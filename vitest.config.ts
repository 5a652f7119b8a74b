import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["source"] },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "extension/test/**/*.test.ts", "grammar/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "test/e2e/**"],
    testTimeout: 30_000,
    pool: "forks",
  },
});
