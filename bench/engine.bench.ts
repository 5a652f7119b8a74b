/**
 * Engine throughput on a realistic order mix, with the in-memory ledger on, against two
 * peers measured in the same run:
 *
 *   - baseline: a hand-written TypeScript function implementing the same rule (tiers,
 *     3A090.a classification, LPP, country allocation, UVEU 7 %, NVEU schedule, model
 *     weights) with plain numbers and Maps, recording a decision per order;
 *   - cedar: @cedar-policy/cedar-wasm deciding the stateless part (tier and item
 *     classification, with cap usage passed in as context) on an equivalent Cedar policy.
 *
 * The engine's policy is test/conformance/_shared/diffusion.diffuse, parsed and checked.
 * Goal: >= 2M orders/s with the ledger on one core; the engine within 2x of the baseline.
 *
 *   node --import tsx bench/engine.bench.ts [orders]      (or: pnpm bench engine)
 *
 * Timings are reported as wall-clock and as process CPU time (user + system), because
 * the machine is shared; the ratios use CPU time.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

// Workspace packages resolve to their TypeScript sources under the "source" condition.
if (!process.execArgv.some((a) => a.includes("conditions=source"))) {
  const r = spawnSync(process.execPath, ["--conditions=source", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}

const { machineLine, referenceLoopMs } = await import("./measure.js");
const machineBefore = referenceLoopMs();
const { check, loadSync } = await import("@diffuse/language");
const { compile, MemoryLedger } = await import("@diffuse/engine");
const cedar = await import("@cedar-policy/cedar-wasm/nodejs");

const here = dirname(fileURLToPath(import.meta.url));
const N = Number(process.argv[2] ?? 200_000);

// ---------------------------------------------------------------------------
// The policy

const entryText = `policy "Framework for Artificial Intelligence Diffusion (bench)" {
  version "2025-01"
  effective 2025-01-13
}
import "diffusion.diffuse"
`;
const shared = join(here, "../test/conformance/_shared/diffusion.diffuse");
const entry = pathToFileURL(join(here, "../test/conformance/_shared/bench-entry.diffuse")).href;
const checked = check(loadSync(entry, (uri) => (uri === entry ? entryText : uri.endsWith("/diffusion.diffuse") ? readFileSync(shared, "utf8") : undefined)));
const errors = checked.diagnostics.filter((d) => d.severity === "error");
if (errors.length > 0) throw new Error(`bench policy does not check: ${errors.map((e) => e.message).join("; ")}`);
const evaluator = compile(checked.model);

// ---------------------------------------------------------------------------
// The order mix (deterministic)

const TIER1 = ["AU", "BE", "CA", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "JP", "KR", "NL", "NO", "NZ", "SE", "TW", "US"];
const TIER3 = [
  "AF",
  "BY",
  "CD",
  "CF",
  "CN",
  "CU",
  "ER",
  "HK",
  "HT",
  "IQ",
  "IR",
  "KP",
  "LB",
  "LY",
  "MM",
  "NI",
  "RU",
  "SD",
  "SO",
  "SS",
  "SY",
  "VE",
  "ZW",
  "KH",
  "MO",
];
const TIER2 = ["AE", "BR", "CH", "ID", "IL", "IN", "MX", "MY", "PL", "PT", "SA", "SG", "TR", "VN", "TH", "EG"];
const G2G = new Set(["AE"]);

// mulberry32: a small PRNG with well-mixed low bits (an LCG's low bits repeat and skew the mix).
let seed = 42;
function rand(n: number): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) % n;
}
function pick<T>(xs: readonly T[]): T {
  return xs[rand(xs.length)] as T;
}

type Item =
  | { item: string; quantity: number }
  | { tppPerUnit: number; performanceDensity: string; quantity: number }
  | { modelWeights: { trainingOps: string; openWeights: boolean } };
interface BenchOrder {
  id: string;
  date: string;
  destination: string;
  consignee: { id: string; headquarters?: string; statuses?: string[]; capacityTpp?: string };
  items: Item[];
}

function makeOrders(n: number): BenchOrder[] {
  const out: BenchOrder[] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor((i * 364) / n);
    const date = new Date(Date.UTC(2025, 0, day)).toISOString().slice(0, 10);
    const r = rand(100);
    const id = `o-${i}`;
    if (r < 30) {
      const c = pick(TIER1);
      out.push({
        id,
        date,
        destination: c,
        consignee: { id: `t1-${rand(2_000)}`, headquarters: c },
        items: [{ item: pick(["H100", "B200", "A100"]), quantity: 1 + rand(2_000) }],
      });
    } else if (r < 55) {
      out.push({
        id,
        date,
        destination: pick(TIER2),
        consignee: { id: `t2-${rand(20_000)}` },
        items: [{ item: pick(["H100", "A100"]), quantity: 1 + rand(60) }],
      });
    } else if (r < 70) {
      out.push({ id, date, destination: pick(TIER2), consignee: { id: `big-${rand(200)}` }, items: [{ item: "B200", quantity: 300 + rand(1_500) }] });
    } else if (r < 80) {
      out.push({ id, date, destination: pick(TIER3), consignee: { id: `t3-${rand(500)}` }, items: [{ item: "H100", quantity: 1 + rand(100) }] });
    } else if (r < 85) {
      out.push({
        id,
        date,
        destination: pick(TIER2),
        consignee: { id: `uveu-${rand(20)}`, headquarters: "US", statuses: ["UVEU"], capacityTpp: "50000000000" },
        items: [{ item: "B200", quantity: 100 + rand(2_000) }],
      });
    } else if (r < 90) {
      const d = pick(TIER2);
      out.push({ id, date, destination: d, consignee: { id: `nveu-${rand(20)}`, statuses: ["NVEU"] }, items: [{ item: "H100", quantity: 100 + rand(5_000) }] });
    } else if (r < 95) {
      const c = rand(2) === 0 ? pick(TIER1) : pick(TIER2);
      out.push({
        id,
        date,
        destination: c,
        consignee: { id: `lab-${rand(100)}`, headquarters: c },
        items: [{ modelWeights: { trainingOps: pick(["3e26", "8e25", "1e26"]), openWeights: rand(4) === 0 } }],
      });
    } else {
      out.push({
        id,
        date,
        destination: pick(TIER2),
        consignee: { id: `misc-${rand(1_000)}` },
        items: [
          rand(2) === 0
            ? { item: "H20", quantity: 1 + rand(500) }
            : { tppPerUnit: 1_000 + rand(6_000), performanceDensity: pick(["2.5", "5.92", "8"]), quantity: 1 + rand(100) },
        ],
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Baseline: the same rule by hand, numbers and Maps

const T1 = new Set(TIER1);
const T3 = new Set(TIER3);
const CATALOG: Record<string, { tpp: number; density: number; dc: boolean }> = {
  H100: { tpp: 15_832, density: 19.45, dc: true },
  B200: { tpp: 36_000, density: 22.11, dc: true },
  A100: { tpp: 4_992, density: 6.04, dc: true },
  H20: { tpp: 2_368, density: 2.91, dc: true },
};
interface BaseDecision {
  order: string;
  outcome: string;
  basis?: string;
  review?: string;
  charges: { cap: string; key: string; amount: string; before: string; after: string; limit: string }[];
}
class BaseLedger {
  readonly lpp = new Map<string, number>();
  readonly allocation = new Map<string, number>();
  readonly uveu = new Map<string, number>();
  readonly nveu = new Map<string, number>();
  readonly decided = new Map<string, BaseDecision>();
}
const NVEU_STEPS: [string, number][] = [
  ["2025-12-31", 100_000 * 15_832],
  ["2026-12-31", 270_000 * 15_832],
  ["2027-12-31", 320_000 * 15_832],
];
function charge(m: Map<string, number>, cap: string, key: string, amount: number, limit: number, slot = key): BaseDecision["charges"][number] {
  const before = m.get(slot) ?? 0;
  m.set(slot, before + amount);
  return { cap, key, amount: String(amount), before: String(before), after: String(before + amount), limit: String(limit) };
}
function baseline(o: BenchOrder, l: BaseLedger): BaseDecision {
  const seen = l.decided.get(o.id);
  if (seen) return seen;
  const dest = o.destination;
  const hq = o.consignee.headquarters ?? dest;
  const line = o.items[0] as Item;
  let d: BaseDecision;
  if ("modelWeights" in line) {
    const controlled = !line.modelWeights.openWeights && Number(line.modelWeights.trainingOps) >= 1e26;
    if (!controlled) d = { order: o.id, outcome: "authorized", basis: "NLR", charges: [] };
    else if (T3.has(dest) || T3.has(hq)) d = { order: o.id, outcome: "license-required", review: "presumption-of-denial", charges: [] };
    else if (T1.has(dest) && T1.has(hq)) d = { order: o.id, outcome: "authorized", basis: "AIA", charges: [] };
    else d = { order: o.id, outcome: "license-required", review: "presumption-of-denial", charges: [] };
  } else {
    const spec = "item" in line ? CATALOG[line.item] : { tpp: line.tppPerUnit, density: Number(line.performanceDensity), dc: true };
    if (spec === undefined) throw new Error("unknown item");
    const advanced = spec.dc && (spec.tpp >= 4_800 || (spec.tpp >= 1_600 && spec.density >= 5.92));
    const amount = spec.tpp * line.quantity;
    const statuses = o.consignee.statuses ?? [];
    const tier2 = !T1.has(dest) && !T3.has(dest);
    if (!advanced) d = { order: o.id, outcome: "authorized", basis: "NLR", charges: [] };
    else if (T3.has(dest) || T3.has(hq)) d = { order: o.id, outcome: "license-required", review: "presumption-of-denial", charges: [] };
    else if (T1.has(dest) && T1.has(hq)) d = { order: o.id, outcome: "authorized", basis: "AIA", charges: [] };
    else {
      d = { order: o.id, outcome: "", charges: [] };
      const ckey = `${o.consignee.id}|${dest}`;
      if (statuses.includes("UVEU") && T1.has(hq)) {
        const cap = o.consignee.capacityTpp === undefined ? undefined : Number(o.consignee.capacityTpp);
        const used = l.uveu.get(ckey) ?? 0;
        if (!tier2) d = { order: o.id, outcome: "authorized", basis: "UVEU", charges: [] };
        else if (cap !== undefined && (used + amount) * 100 <= 7 * (cap + amount))
          d = { order: o.id, outcome: "authorized", basis: "UVEU", charges: [charge(l.uveu, "UVEU_country_share", ckey, amount, (7 * (cap + amount)) / 100)] };
      }
      if (d.outcome === "" && statuses.includes("NVEU")) {
        const step = NVEU_STEPS.find(([through]) => through >= o.date) ?? NVEU_STEPS[NVEU_STEPS.length - 1];
        const limit = step ? step[1] : 0;
        if ((l.nveu.get(ckey) ?? 0) + amount <= limit)
          d = { order: o.id, outcome: "authorized", basis: "NVEU", charges: [charge(l.nveu, "NVEU_installed_base", ckey, amount, limit)] };
      }
      if (d.outcome === "" && tier2) {
        const key = `${o.consignee.id}|${o.date.slice(0, 4)}`;
        if ((l.lpp.get(key) ?? 0) + amount <= 26_900_000)
          d = { order: o.id, outcome: "authorized", basis: "LPP", charges: [charge(l.lpp, "LPP_limit", o.consignee.id, amount, 26_900_000, key)] };
      }
      if (d.outcome === "") {
        if (tier2) {
          const limit = G2G.has(dest) ? 1_580_000_000 : 790_000_000;
          const inWindow = o.date >= "2025-01-01" && o.date <= "2027-12-31";
          const within = !inWindow || (l.allocation.get(dest) ?? 0) + amount <= limit;
          d = within
            ? {
                order: o.id,
                outcome: "license-required",
                review: "presumption-of-approval",
                charges: inWindow ? [charge(l.allocation, "country_allocation", dest, amount, limit)] : [],
              }
            : { order: o.id, outcome: "license-required", review: "presumption-of-denial", charges: [] };
        } else d = { order: o.id, outcome: "license-required", review: "presumption-of-approval", charges: [] };
      }
    }
  }
  l.decided.set(o.id, d);
  return d;
}

// ---------------------------------------------------------------------------
// Cedar: the stateless part, with usage passed in as context

const set = (xs: readonly string[]): string => `[${xs.map((x) => `"${x}"`).join(", ")}]`;
const cedarPolicies: Record<string, string> = {
  "advanced-tier3": `forbid(principal, action == Action::"export", resource)
    when { context.advanced && (${set(TIER3)}.contains(context.destination) || ${set(TIER3)}.contains(context.headquarters)) };`,
  NLR: `permit(principal, action == Action::"export", resource) when { !context.advanced };`,
  AIA: `permit(principal, action == Action::"export", resource)
    when { ${set(TIER1)}.contains(context.destination) && ${set(TIER1)}.contains(context.headquarters) };`,
  UVEU: `permit(principal, action == Action::"export", resource)
    when { context.statuses.contains("UVEU") && ${set(TIER1)}.contains(context.headquarters) && context.hasCapacity
           && (context.uveuUsed + context.amount) * 100 <= 7 * (context.capacity + context.amount) };`,
  NVEU: `permit(principal, action == Action::"export", resource)
    when { context.statuses.contains("NVEU") && context.nveuUsed + context.amount <= context.nveuLimit };`,
  LPP: `permit(principal, action == Action::"export", resource)
    when { !${set(TIER1)}.contains(context.destination) && context.lppUsed + context.amount <= 26900000 };`,
};
const PSET = "diffusion";
{
  const r = cedar.preparsePolicySet(PSET, { staticPolicies: cedarPolicies });
  if (r.type !== "success") throw new Error(`cedar policy: ${JSON.stringify(r.errors)}`);
}
const principal = { type: "Exporter", id: "acme" };
const action = { type: "Action", id: "export" };
function cedarDecide(o: BenchOrder, l: BaseLedger): string {
  const line = o.items[0] as Item;
  const hq = o.consignee.headquarters ?? o.destination;
  let advanced = false;
  let amount = 0;
  if ("modelWeights" in line) advanced = !line.modelWeights.openWeights && Number(line.modelWeights.trainingOps) >= 1e26;
  else {
    const spec = "item" in line ? CATALOG[line.item] : { tpp: line.tppPerUnit, density: Number(line.performanceDensity), dc: true };
    if (spec === undefined) throw new Error("unknown item");
    advanced = spec.dc && (spec.tpp >= 4_800 || (spec.tpp >= 1_600 && spec.density >= 5.92));
    amount = spec.tpp * line.quantity;
  }
  const ckey = `${o.consignee.id}|${o.destination}`;
  const step = NVEU_STEPS.find(([through]) => through >= o.date) ?? NVEU_STEPS[NVEU_STEPS.length - 1];
  const answer = cedar.statefulIsAuthorized({
    principal,
    action,
    resource: { type: "Order", id: o.id },
    context: {
      advanced,
      destination: o.destination,
      headquarters: hq,
      statuses: o.consignee.statuses ?? [],
      amount,
      hasCapacity: o.consignee.capacityTpp !== undefined,
      capacity: Number(o.consignee.capacityTpp ?? 0),
      uveuUsed: l.uveu.get(ckey) ?? 0,
      nveuUsed: l.nveu.get(ckey) ?? 0,
      nveuLimit: step ? step[1] : 0,
      lppUsed: l.lpp.get(`${o.consignee.id}|${o.date.slice(0, 4)}`) ?? 0,
    },
    preparsedPolicySetId: PSET,
    entities: [],
  });
  if (answer.type !== "success") throw new Error(JSON.stringify(answer.errors));
  return answer.response.decision === "allow" ? (answer.response.diagnostics.reason[0] ?? "allow") : "deny";
}

// ---------------------------------------------------------------------------
// Timing

interface Timing {
  wall: number;
  cpu: number;
}
function time(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}
const gc = (globalThis as { gc?: () => void }).gc;
function measure(name: string, n: number, round: () => void, rounds = 4, collect = true): { name: string; perSecWall: number; perSecCpu: number } {
  round(); // warm-up
  const runs: Timing[] = [];
  for (let i = 0; i < rounds; i++) {
    if (collect) gc?.();
    runs.push(time(round));
  }
  const best = (k: keyof Timing): number => Math.min(...runs.map((r) => r[k]));
  const r = { name, perSecWall: (n / best("wall")) * 1000, perSecCpu: (n / best("cpu")) * 1000 };
  console.log(
    `${name.padEnd(34)} ${Math.round(r.perSecWall).toLocaleString("en-US").padStart(12)} orders/s wall  ${Math.round(r.perSecCpu).toLocaleString("en-US").padStart(12)} orders/s cpu`,
  );
  return r;
}

const orders = makeOrders(N);
// Cedar runs in its own process: wasm after the engine's long runs has crashed V8 here
// (a Deoptimizer fatal in Node 20), and a separate heap is the fairer measurement anyway.
if (process.env["CEDAR_MEASURE"] !== undefined) {
  const cedarOrders = orders.slice(0, Number(process.env["CEDAR_MEASURE"]));
  const cedarLedger = new BaseLedger();
  for (const o of cedarOrders) baseline(o, cedarLedger); // usage figures for the context
  const r = measure(
    "cedar-wasm (stateless part)",
    cedarOrders.length,
    () => {
      for (const o of cedarOrders) cedarDecide(o, cedarLedger);
    },
    2,
    false,
  ); // an explicit gc() with the wasm instance live crashes V8 (Node 20 Deoptimizer fatal)
  console.log(JSON.stringify(r));
  process.exit(0);
}
// Agreement check: the engine and the baseline reach the same outcome and basis on the mix.
{
  const el = new MemoryLedger();
  const bl = new BaseLedger();
  let disagree = 0;
  for (const o of orders) {
    const a = evaluator.evaluate(o, el);
    const b = baseline(o, bl);
    if (a.outcome !== b.outcome || (a.basis ?? a.review) !== (b.basis ?? b.review)) {
      if (disagree < 3) console.log("disagreement:", JSON.stringify(o), a.outcome, a.basis ?? a.review, "vs", b.outcome, b.basis ?? b.review);
      disagree++;
    }
  }
  const mix = new Map<string, number>();
  const mixLedger = new MemoryLedger();
  for (const o of orders) {
    const d = evaluator.evaluate(o, mixLedger);
    const k = `${d.outcome} ${d.basis ?? d.review ?? ""}`;
    mix.set(k, (mix.get(k) ?? 0) + 1);
  }
  console.log(`orders: ${N.toLocaleString("en-US")}; engine and baseline disagree on ${disagree}`);
  console.log(
    `mix: ${[...mix]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${((v / N) * 100).toFixed(1)}%`)
      .join(", ")}`,
  );
}

// The engine variants and the baseline take turns, round by round, so a burst of load
// from other processes hits all of them alike; each ratio is taken within one round, and
// the median over rounds is reported beside the best-of figures.
const variants: { name: string; round: () => void }[] = [
  {
    name: "engine (hints on, default)",
    round: () => {
      const l = new MemoryLedger();
      for (const o of orders) evaluator.evaluate(o, l);
    },
  },
  {
    name: "engine (hints off)",
    round: () => {
      const l = new MemoryLedger();
      for (const o of orders) evaluator.evaluate(o, l, { hints: false });
    },
  },
  {
    name: "engine (hints off, dryRun)",
    round: () => {
      const l = new MemoryLedger();
      for (const o of orders) evaluator.evaluate(o, l, { hints: false, dryRun: true });
    },
  },
  {
    name: "hand-written baseline",
    round: () => {
      const l = new BaseLedger();
      for (const o of orders) baseline(o, l);
    },
  },
];
const ROUNDS = Number(process.env["ENGINE_BENCH_ROUNDS"] ?? 5);
for (const v of variants) v.round(); // warm-up
const timings: Timing[][] = variants.map(() => []);
for (let r = 0; r < ROUNDS; r++)
  variants.forEach((v, i) => {
    gc?.();
    timings[i]?.push(time(v.round));
  });
const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const rates = variants.map((v, i) => {
  const runs = timings[i] ?? [];
  const r = {
    name: v.name,
    perSecWall: (N / Math.min(...runs.map((t) => t.wall))) * 1000,
    perSecCpu: (N / Math.min(...runs.map((t) => t.cpu))) * 1000,
    medianCpu: (N / median(runs.map((t) => t.cpu))) * 1000,
  };
  console.log(
    `${r.name.padEnd(34)} ${Math.round(r.perSecWall).toLocaleString("en-US").padStart(12)} orders/s wall  ${Math.round(r.perSecCpu).toLocaleString("en-US").padStart(12)} orders/s cpu  (median ${Math.round(r.medianCpu).toLocaleString("en-US")})`,
  );
  return r;
});
/** Median over rounds of (variant i's rate / the baseline's rate in the same round). */
const roundRatio = (i: number): number => median((timings[i] ?? []).map((t, r) => (timings[3]?.[r]?.cpu ?? NaN) / t.cpu));
const [engine, engineNoHints, engineDry, base] = rates as [(typeof rates)[number], (typeof rates)[number], (typeof rates)[number], (typeof rates)[number]];
const cedarN = Math.min(N, 20_000);
const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(N)], {
  env: { ...process.env, CEDAR_MEASURE: String(cedarN) },
  encoding: "utf8",
});
if (child.status !== 0) process.stderr.write(`cedar process: status ${String(child.status)} ${child.error?.message ?? ""}\n${child.stderr}`);
const cedarLine = child.stdout.trim().split("\n");
process.stdout.write(`${cedarLine.slice(0, -1).join("\n")}\n`);
const ced = JSON.parse(cedarLine.at(-1) ?? "{}") as { perSecCpu: number };

console.log(`\nratios (cpu time; best of ${ROUNDS} rounds each, and the median of the per-round ratios):`);
console.log(
  `  engine / baseline             ${(engine.perSecCpu / base.perSecCpu).toFixed(3)}  median ${roundRatio(0).toFixed(3)}  (baseline is ${(base.perSecCpu / engine.perSecCpu).toFixed(1)}x faster; goal >= 0.5)`,
);
console.log(`  engine (hints off) / baseline ${(engineNoHints.perSecCpu / base.perSecCpu).toFixed(3)}  median ${roundRatio(1).toFixed(3)}`);
console.log(`  engine dryRun / baseline      ${(engineDry.perSecCpu / base.perSecCpu).toFixed(3)}  median ${roundRatio(2).toFixed(3)}`);
console.log(`  engine / cedar                ${(engine.perSecCpu / ced.perSecCpu).toFixed(1)}x`);
console.log(`  goal 2,000,000 orders/s: engine at ${((engine.perSecCpu / 2_000_000) * 100).toFixed(0)} %`);
console.log(machineLine(machineBefore, referenceLoopMs()));
