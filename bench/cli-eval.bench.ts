/**
 * `diffuse eval` end to end on a generated 1,000,000-order JSONL book against the 2025
 * AI Diffusion policy: the real binary (packages/cli/dist/bin.js; run `pnpm build`
 * first), once with the durable SQLite ledger and once with the in-memory ledger (the
 * baseline). Reports orders/s and peak RSS (VmHWM, sampled from /proc) for each, and
 * the CPU time of the whole process and of its main thread (the SQLite ledger writes on
 * a second thread).
 *
 *   pnpm bench cli-eval            # 1M orders
 *   BENCH_ORDERS=200000 pnpm bench cli-eval
 *
 * Goal (issue 5): at least 200,000 orders/s and under 300 MB with the SQLite ledger.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { machineLine, referenceLoopMs } from "./measure.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "packages/cli/dist/bin.js");
const policy = join(root, "policies/ai-diffusion-2025.diffuse");
const count = Number(process.env["BENCH_ORDERS"] ?? 1_000_000);

// A seeded generator (mulberry32) so every run evaluates the same book.
let seed = 20250113;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}
function between(lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

const tier1 = ["DE", "FR", "GB", "JP", "KR", "NL", "CA", "AU", "SE", "TW"];
const tier2 = ["MY", "IN", "AE", "SA", "SG", "BR", "MX", "IL", "PL", "CH", "ID", "VN", "TH", "TR"];
const tier3 = ["CN", "RU", "IR", "MO"];
const chips = ["H100", "H200", "B200", "A100", "MI300X"];

/** One order; `day` is days since 2025-01-13 (the book is written in date order). */
function order(i: number, date: string): unknown {
  const id = `ord-${i}`;
  const r = random();
  if (r < 0.3) {
    const c = pick(tier1);
    return {
      id,
      date,
      destination: c,
      exporter: "acme-us",
      consignee: { id: `cloud-${c.toLowerCase()}-${between(1, 50)}`, headquarters: c },
      items: [{ item: pick(chips), quantity: between(100, 20000) }],
    };
  }
  if (r < 0.7) {
    const c = pick(tier2);
    return {
      id,
      date,
      destination: c,
      exporter: "acme-us",
      consignee: { id: `lab-${c.toLowerCase()}-${between(1, 2000)}` },
      items: [{ item: pick(chips), quantity: between(1, 60) }],
    };
  }
  if (r < 0.85) {
    const c = pick(tier2);
    return {
      id,
      date,
      destination: c,
      exporter: "chipco-us",
      consignee: { id: `dc-${c.toLowerCase()}-${between(1, 20)}` },
      items: [{ item: pick(["H100", "B200"]), quantity: between(10, 400) }],
    };
  }
  if (r < 0.95) {
    const c = pick(tier3);
    return {
      id,
      date,
      destination: c,
      consignee: { id: `buyer-${c.toLowerCase()}-${between(1, 100)}` },
      items: [{ item: pick(chips), quantity: between(1, 50) }],
    };
  }
  const c = pick(tier2);
  return {
    id,
    date,
    destination: c,
    consignee: { id: `retail-${c.toLowerCase()}` },
    items: [{ tppPerUnit: between(4800, 6000), performanceDensity: "4.1", quantity: between(5, 300), dataCenter: false }],
  };
}

function generate(path: string): void {
  const fd = openSync(path, "w");
  const start = Date.parse("2025-01-13");
  const days = 2 * 365;
  let buf: string[] = [];
  for (let i = 1; i <= count; i++) {
    const day = Math.floor(((i - 1) * days) / count);
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    buf.push(JSON.stringify(order(i, date)));
    if (buf.length === 10_000) {
      writeSync(fd, `${buf.join("\n")}\n`);
      buf = [];
    }
  }
  if (buf.length > 0) writeSync(fd, `${buf.join("\n")}\n`);
  closeSync(fd);
}

interface Measured {
  readonly seconds: number;
  /** User + system CPU seconds of the child (undefined without /usr/bin/time). */
  readonly cpuSeconds: number | undefined;
  /**
   * CPU seconds of the diffuse process's main thread (sampled from /proc; undefined where
   * there is no /proc). On a shared machine the wall time depends on the other load; the
   * main thread's CPU time does much less, and it bounds the throughput on an idle one.
   */
  readonly mainCpuSeconds: number | undefined;
  readonly peakMb: number;
  readonly code: number | null;
  readonly stderr: string;
}

const TIME = "/usr/bin/time";

/**
 * Runs the binary. With /usr/bin/time: its wall time, CPU time and max RSS; otherwise the
 * peak RSS is sampled from /proc (VmHWM) until the child exits.
 */
function run(args: readonly string[]): Promise<Measured> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const timed = existsSync(TIME);
    const child = timed
      ? spawn(TIME, ["-f", "TIME %e %U %S %M", process.execPath, bin, ...args], { stdio: ["ignore", "ignore", "pipe"] })
      : spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let peakKb = 0;
    let mainCpu: number | undefined;
    const sample = (): void => {
      try {
        // With /usr/bin/time, node is its child.
        const pid = timed ? readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(" ")[0] : String(child.pid);
        if (!pid) return;
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
        const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        mainCpu = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
      } catch {
        /* not started or exited */
      }
    };
    const timer = setInterval(sample, 20);
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const t = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (t) {
        resolvePromise({ seconds: Number(t[1]), cpuSeconds: Number(t[2]) + Number(t[3]), mainCpuSeconds: mainCpu, peakMb: Number(t[4]) / 1024, code, stderr });
      } else resolvePromise({ seconds, cpuSeconds: undefined, mainCpuSeconds: mainCpu, peakMb: peakKb / 1024, code, stderr });
    });
  });
}

async function main(): Promise<void> {
  const only = process.env["BENCH_BOOK_ONLY"];
  if (only) {
    // Just write the book (for profiling): BENCH_BOOK_ONLY=/tmp/book.jsonl
    generate(only);
    return;
  }
  if (!existsSync(bin)) {
    console.error("packages/cli/dist/bin.js is missing: run `pnpm build` first");
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), "diffuse-bench-"));
  try {
    const book = join(dir, "book.jsonl");
    const machineBefore = referenceLoopMs();
    const t0 = Date.now();
    generate(book);
    console.log(
      `generated ${count.toLocaleString("en-US")} orders (${(statSync(book).size / 1e6).toFixed(0)} MB JSONL) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const base = ["eval", "--policy", policy, "--orders", book, "--format", "jsonl", "--quiet", ...(process.env["BENCH_HINTS"] === "0" ? ["--no-hints"] : [])];
    const rows: [string, Measured][] = [];
    rows.push(["in-memory ledger", await run(base)]);
    rows.push(["SQLite ledger", await run([...base, "--ledger", join(dir, "ledger.db")])]);
    rows.push(["SQLite ledger, rerun (all already decided)", await run([...base, "--ledger", join(dir, "ledger.db")])]);
    for (const [name, m] of rows) {
      if (m.code !== 0) console.log(`${name}: exit ${m.code}\n${m.stderr}`);
      const rate = Math.round(count / m.seconds).toLocaleString("en-US");
      const cpu =
        m.cpuSeconds === undefined
          ? ""
          : `  (CPU ${m.cpuSeconds.toFixed(1)} s: ${Math.round(count / m.cpuSeconds).toLocaleString("en-US")} orders per CPU-second)`;
      const main = m.mainCpuSeconds === undefined ? "" : `  (main thread CPU ${m.mainCpuSeconds.toFixed(1)} s)`;
      console.log(
        `${name.padEnd(44)} ${m.seconds.toFixed(2).padStart(7)} s  ${rate.padStart(9)} orders/s  peak RSS ${m.peakMb.toFixed(0).padStart(4)} MB${cpu}${main}`,
      );
    }
    const [memory, sqlite] = [rows[0]?.[1], rows[1]?.[1]];
    if (memory && sqlite) {
      const ratio =
        sqlite.cpuSeconds !== undefined && memory.cpuSeconds !== undefined ? sqlite.cpuSeconds / memory.cpuSeconds : sqlite.seconds / memory.seconds;
      console.log(`SQLite / in-memory ratio: ${ratio.toFixed(2)}x (goal: >= 200,000 orders/s and < 300 MB with SQLite)`);
    }
    const db = join(dir, "ledger.db");
    if (existsSync(db)) console.log(`ledger file: ${(statSync(db).size / 1e6).toFixed(0)} MB`);
    console.log(machineLine(machineBefore, referenceLoopMs()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
