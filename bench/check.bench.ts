/**
 * Parse + check throughput on generated policies of about 5k, 10k and 20k lines
 * (bench/generate-policy.ts). Baseline in the same run: parse alone. Goal: >= 200k
 * lines/s parse+check on one core, and linear growth (4x the lines in at most 4.5x the
 * time).
 *
 * It times the built code (packages/language/dist, what the CLI and the language server
 * run; `pnpm bench` builds first), not the TypeScript sources through tsx, whose
 * transform wraps every closure the parser creates in a naming helper.
 *
 * Two measures, both CPU time:
 * - cold heap: a full GC before each run, best run. A run that allocates less than the
 *   young generation holds (the 5k policy) is timed without any GC; a larger one pays a
 *   scavenge. Comparable with earlier figures.
 * - steady state: runs back to back with no forced GC, so every run pays for the garbage
 *   it makes, whatever its size (median over batches of runs, and the overall mean).
 *
 *   pnpm bench check          (or, after pnpm build: node --expose-gc --import tsx bench/check.bench.ts)
 */
import { parse, checkText } from "../packages/language/dist/index.js";
import { generatePolicy } from "./generate-policy.js";
import { machineLine, measure, measureSteady, referenceLoopMs, type Timing } from "./measure.js";

const URI = "file:///bench.diffuse";
const machineBefore = referenceLoopMs();
const sizes = [5_000, 10_000, 20_000];
// Warm the JIT on the largest input first (as the parse bench does), so the 1x row is not measured cold.
const warm = generatePolicy(20_000);
for (let i = 0; i < 10; i++) checkText(warm, "file:///warm.diffuse");

interface Row {
  readonly lines: number;
  readonly parse: Timing;
  readonly cold: Timing;
  readonly steady: Timing;
  readonly steadyMean: Timing;
}
const rows: Row[] = [];
for (const size of sizes) {
  const text = generatePolicy(size);
  const lines = text.split("\n").length;
  const probe = checkText(text, URI);
  const errors = probe.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`generated policy has errors: ${errors[0]?.code} ${errors[0]?.message}`);
  const parseTime = measure(() => parse(text, URI), { minMs: 3000, warmups: 1 }).best;
  const cold = measure(() => checkText(text, URI), { minMs: 3000, warmups: 1 }).best;
  const steady = measureSteady(() => checkText(text, URI), { minMs: 4000 });
  rows.push({ lines, parse: parseTime, cold, steady: steady.medianBatch, steadyMean: steady.mean });
}

const perSec = (lines: number, t: Timing): number => Math.round((lines / t.cpu) * 1000);
const base = rows[0];
console.log("CPU ms per run; wall ms in brackets");
console.log(" lines   parse ms (cold)   parse+check ms (cold)   lines/s (cold)   parse+check ms (steady; mean)   lines/s (steady)   vs 1x cold / steady");
for (const r of rows) {
  const cold = `${r.cold.cpu.toFixed(1)} [${r.cold.wall.toFixed(1)}]`;
  const steady = `${r.steady.cpu.toFixed(1)} [${r.steady.wall.toFixed(1)}]; ${r.steadyMean.cpu.toFixed(1)}`;
  const vs = base ? `${(r.cold.cpu / base.cold.cpu).toFixed(2)} / ${(r.steady.cpu / base.steady.cpu).toFixed(2)}` : "";
  console.log(
    `${String(r.lines).padStart(6)}  ${`${r.parse.cpu.toFixed(1)} [${r.parse.wall.toFixed(1)}]`.padStart(16)}  ${cold.padStart(22)}  ${String(perSec(r.lines, r.cold)).padStart(15)}  ${steady.padStart(30)}  ${String(perSec(r.lines, r.steady)).padStart(17)}  ${vs.padStart(19)}`,
  );
}
const big = rows[rows.length - 1];
if (base && big) {
  const sizeRatio = big.lines / base.lines;
  const goal = sizeRatio * 1.125;
  for (const [name, pick] of [
    ["cold heap", (r: Row) => r.cold],
    ["steady state", (r: Row) => r.steady],
  ] as const) {
    const timeRatio = pick(big).cpu / pick(base).cpu;
    const slowest = Math.min(...rows.map((r) => perSec(r.lines, pick(r))));
    const met = timeRatio <= goal && slowest >= 200_000;
    console.log(
      `${name.padEnd(12)}: ${sizeRatio.toFixed(2)}x lines took ${timeRatio.toFixed(2)}x time (goal <= ${goal.toFixed(2)}x); slowest ${slowest} lines/s (goal >= 200000): ${met ? "met" : "NOT met"}`,
    );
  }
}
console.log(machineLine(machineBefore, referenceLoopMs()));
