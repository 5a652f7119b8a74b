/**
 * Parse throughput on generated policies of about 5k, 10k and 20k lines
 * (bench/generate-policy.ts). Baseline in the same run: lexing alone, the floor any
 * parse pays. Reports CPU-time medians (the machine is shared, so wall time is noisy),
 * lines per second, and the time ratios between sizes (linear growth means 2x and 4x).
 *
 *   pnpm bench parse      (or, after pnpm build: node --expose-gc --import tsx bench/parse.bench.ts)
 */
import { generatePolicy } from "./generate-policy.js";
// The built code (what the CLI and the language server run; `pnpm bench` builds first).
import { createLexer, parse } from "../packages/language/dist/syntax/parse.js";
import { measure, type Timing } from "./measure.js";

const lexer = createLexer();
// Warm the JIT on the largest input first, so the 1x row is not measured cold.
const warm = generatePolicy(20_000);
for (let i = 0; i < 10; i++) parse(warm, "file:///warm.diffuse");
const rows: { lines: number; tokens: number; lex: Timing; parse: Timing }[] = [];
for (const size of [5_000, 10_000, 20_000]) {
  const text = generatePolicy(size);
  const lines = text.split("\n").length;
  const probe = parse(text, "file:///bench.diffuse");
  if (probe.diagnostics.length > 0) throw new Error(`generated policy has syntax errors: ${probe.diagnostics[0]?.message}`);
  const tokens = lexer.tokenize(text).tokens.length;
  rows.push({
    lines,
    tokens,
    lex: measure(() => lexer.tokenize(text), { minRuns: 7 }).median,
    parse: measure(() => parse(text, "file:///bench.diffuse"), { minRuns: 7 }).median,
  });
}

const fmt = (t: Timing): string => `${t.cpu.toFixed(1)} [${t.wall.toFixed(1)}]`;
console.log("CPU ms per run (median), wall ms in brackets");
console.log(" lines   tokens     lex ms (base)        parse ms    parse lines/s   parse/lex   time vs 1x");
const base = rows[0];
for (const r of rows) {
  const perSec = Math.round((r.lines / r.parse.cpu) * 1000);
  console.log(
    `${String(r.lines).padStart(6)} ${String(r.tokens).padStart(8)} ${fmt(r.lex).padStart(17)} ${fmt(r.parse).padStart(15)} ${String(perSec).padStart(15)} ${(r.parse.cpu / r.lex.cpu).toFixed(2).padStart(10)}x ${(base ? r.parse.cpu / base.parse.cpu : 1).toFixed(2).padStart(11)}x`,
  );
}
const big = rows.at(-1);
if (base && big) {
  const sizeRatio = big.lines / base.lines;
  const timeRatio = big.parse.cpu / base.parse.cpu;
  const slowest = Math.min(...rows.map((r) => (r.lines / r.parse.cpu) * 1000));
  console.log(
    `\n${sizeRatio.toFixed(2)}x lines took ${timeRatio.toFixed(2)}x parse time (linear: <= ${(sizeRatio * 1.125).toFixed(2)}x); slowest ${Math.round(slowest)} lines/s parse only`,
  );
}
