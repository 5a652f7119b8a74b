/**
 * Runs every benchmark in bench/ (files named *.bench.ts), one after another, each in
 * its own Node process so one cannot warm or pollute another's heap.
 *
 *   pnpm bench              # all of them
 *   pnpm bench engine parse # only those whose name contains one of the words
 *
 * Benchmarks report ratios against a baseline measured in the same run; they are
 * never run as tests. The workspace is built first (`tsc -b`), since benchmarks that
 * time the language, the formatter or the CLI run their built code.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.map((f) => `\`${f}\``).join(", ")}`);
  process.exit(2);
}
// Benchmarks time the built code: bring dist/ up to date first (a no-op when it is).
const build = spawnSync(process.execPath, [join(here, "../node_modules/typescript/bin/tsc"), "-b", join(here, "../tsconfig.build.json")], { stdio: "inherit" });
if (build.status !== 0) {
  console.error("the build failed; fix it before benchmarking");
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, file)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
