import { defineConfig } from "vitest/config";

// The end-to-end suite (`pnpm test:e2e`): one real VS Code workbench per file, run one file at a time.
export default defineConfig({
  test: {
    root: new URL("../../", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: "forks",
    // A UI step that times out once on a loaded machine is tried again before it fails the run.
    retry: 1,
  },
});
