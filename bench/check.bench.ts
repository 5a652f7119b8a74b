/**
 * Parse + check throughput on generated policies of about 5k, 10k and 20k lines.
 * Baseline in the same run: parse alone. Goal: >= 200k lines/s parse+check on one core,
 * and linear growth (4x the lines in at most 4.5x the time).
 *
 *   pnpm bench check
 */
import { parse } from "../packages/language/src/syntax/parse.js";
import { checkText } from "../packages/language/src/check/load.js";

const COUNTRIES = ["US", "GB", "DE", "FR", "JP", "KR", "MY", "AE", "SA", "IN", "CN", "RU", "KH", "CY", "MO", "BR", "MX", "SG"];

/** One self-contained chunk of a realistic policy (about 75 lines), names suffixed with `i`. */
function chunk(i: number): string {
  const c = (k: number) => COUNTRIES[(i + k) % COUNTRIES.length];
  return `
// ---- chunk ${i}
group t1_${i} "Tier 1 (${i})" cite "15 CFR 740 Supp. 5(a)" = {
  ${c(0)} ${c(1)} ${c(2)} ${c(3)}
  ${c(4)} until 2026-02-03 cite "removal"
}
group t3_${i} "Tier 3 (${i})" = { ${c(10)} ${c(11)} } + { ${c(14)} from 2024-05-10 }
group t2_${i} "Tier 2 (${i})" = all - t1_${i} - t3_${i}
disjoint t1_${i}, t2_${i}, t3_${i}

item chip_${i} "Chip ${i}" cite "datasheet" {
  tpp ${4_000 + i} TPP
  density 5.92
  eccn "3A090.a"
  datacenter yes
}

model weights_${i} {
  operations 3e26 ops
  weights closed
}

class ic_${i} "3A090.a" {
  eccn "3A090.a"
  when chip and datacenter
  when tpp >= 4_800 TPP or (tpp >= 1_600 TPP and density >= 5.92)
}

cap lpp_${i} "LPP limit" cite "15 CFR 740.29(a)" {
  limit 26_900_000 TPP
  per consignee
  window calendar year
}

cap alloc_${i} "Allocation" {
  limit 790_000_000 TPP
  per destination
  window 2025-01-01 .. 2027-12-31
  times 2 when destination in t1_${i}
  when destination in t2_${i}
}

cap base_${i} {
  per consignee x destination
  schedule {
    through 2025-12-31 limit 100_000 x chip_${i}
    through 2026-12-31 limit 270_000 x chip_${i}
  }
}

exception lpp_ex_${i} "LPP" cite "15 CFR 740.29" {
  when destination in t2_${i}
  when headquarters not in t3_${i}
  within lpp_${i}
  counts toward nothing
  requires "notify BIS"
}

status veu_${i} {
  when destination not in t3_${i}
  within base_${i}
  counts toward alloc_${i}
}

decide d_${i} "Chips ${i}" for ic_${i} cite "15 CFR 742.6" {
  license review presumption of denial when destination in t3_${i} or headquarters in t3_${i}
  authorize veu_${i}
  authorize lpp_ex_${i} when amount <= 1_700 x chip_${i}
  license charging alloc_${i} when destination in t2_${i} {
    review presumption of approval when within alloc_${i}
    review presumption of denial otherwise
  }
  license review case-by-case
}
`;
}

function policy(targetLines: number): string {
  let text = `policy "Generated" cite "bench" {\n  version "1"\n  effective 2025-01-13\n}\n`;
  let i = 0;
  while (text.split("\n").length < targetLines) text += chunk(i++);
  return text;
}

/**
 * Best (minimum) CPU time (user + system) and wall time of `fn` over repeated runs, in ms.
 * The machine is shared, so medians drift with other load; the best run is the closest
 * to the uncontended cost.
 */
function time(fn: () => void, minMs = 3000): { cpu: number; wall: number } {
  fn(); // warm up
  const cpu: number[] = [];
  const wall: number[] = [];
  const started = performance.now();
  while (performance.now() - started < minMs || cpu.length < 5) {
    (globalThis as { gc?: () => void }).gc?.();
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return { cpu: Math.min(...cpu), wall: Math.min(...wall) };
}

const sizes = [5_000, 10_000, 20_000];
const rows: { lines: number; parse: { cpu: number; wall: number }; both: { cpu: number; wall: number } }[] = [];
for (const size of sizes) {
  const text = policy(size);
  const lines = text.split("\n").length;
  const probe = checkText(text, "file:///bench.diffuse");
  const errors = probe.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`generated policy has errors: ${errors[0]?.code} ${errors[0]?.message}`);
  const parseTime = time(() => parse(text, "file:///bench.diffuse"));
  const bothTime = time(() => checkText(text, "file:///bench.diffuse"));
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
