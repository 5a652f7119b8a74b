/**
 * Parse + check throughput on generated policies of about 5k, 10k and 20k lines
 * (bench/generate-policy.ts).
 * Baseline in the same run: parse alone. Goal: >= 200k lines/s parse+check on one core,
 * and linear growth (4x the lines in at most 4.5x the time).
 *
 *   pnpm bench check
 */
import { parse } from "../packages/language/src/syntax/parse.js";
import { checkText } from "../packages/language/src/check/load.js";
import { generatePolicy } from "./generate-policy.js";
import { measure } from "./measure.js";

const sizes = [5_000, 10_000, 20_000];
// Warm the JIT on the largest input first (as the parse bench does), so the 1x row is not measured cold.
const warm = generatePolicy(20_000);
for (let i = 0; i < 10; i++) checkText(warm, "file:///warm.diffuse");
const rows: { lines: number; parse: { cpu: number; wall: number }; both: { cpu: number; wall: number } }[] = [];
for (const size of sizes) {
  const text = generatePolicy(size);
  const lines = text.split("\n").length;
  const probe = checkText(text, "file:///bench.diffuse");
  const errors = probe.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`generated policy has errors: ${errors[0]?.code} ${errors[0]?.message}`);
  const parseTime = measure(() => parse(text, "file:///bench.diffuse"), { minMs: 3000, warmups: 1 }).best;
  const bothTime = measure(() => checkText(text, "file:///bench.diffuse"), { minMs: 3000, warmups: 1 }).best;
  rows.push({ lines, parse: parseTime, both: bothTime });
}

const base = rows[0];
console.log("best CPU time per run; best wall time in brackets");
console.log(" lines   parse ms          parse+check ms    parse+check lines/s   time vs 1x   check share");
for (const r of rows) {
  const perSec = Math.round((r.lines / r.both.cpu) * 1000);
  const ratio = base ? r.both.cpu / base.both.cpu : 1;
  const share = (r.both.cpu - r.parse.cpu) / r.both.cpu;
  console.log(
    `${String(r.lines).padStart(6)}  ${`${r.parse.cpu.toFixed(1)} [${r.parse.wall.toFixed(1)}]`.padStart(16)}  ${`${r.both.cpu.toFixed(1)} [${r.both.wall.toFixed(1)}]`.padStart(16)}  ${String(perSec).padStart(20)}  ${ratio.toFixed(2).padStart(11)}  ${`${Math.round(share * 100)}%`.padStart(12)}`,
  );
}
const big = rows[rows.length - 1];
if (base && big) {
  const sizeRatio = big.lines / base.lines;
  const timeRatio = big.both.cpu / base.both.cpu;
  const slowest = Math.min(...rows.map((r) => (r.lines / r.both.cpu) * 1000));
  console.log(`\n${sizeRatio.toFixed(2)}x lines took ${timeRatio.toFixed(2)}x time (goal <= ${(sizeRatio * 1.125).toFixed(2)}x); slowest ${Math.round(slowest)} lines/s (goal >= 200000)`);
}
