/**
 * Timing for the benchmarks: CPU time (user + system) and wall time of a function over
 * repeated runs, in ms, after a warm-up, with a GC before each run when `--expose-gc`
 * is on (bench/run.ts passes it). The machine is shared, so both the best run (closest
 * to the uncontended cost) and the median are reported.
 */
export interface Timing {
  readonly cpu: number;
  readonly wall: number;
}

export interface Measured {
  readonly best: Timing;
  readonly median: Timing;
}

export interface MeasureOptions {
  readonly minMs?: number;
  readonly minRuns?: number;
  readonly warmups?: number;
}

export function measure(fn: () => void, options: MeasureOptions = {}): Measured {
  const { minMs = 1500, minRuns = 5, warmups = 3 } = options;
  for (let i = 0; i < warmups; i++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  const started = performance.now();
  while (performance.now() - started < minMs || cpu.length < minRuns) {
    (globalThis as { gc?: () => void }).gc?.();
    const c = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return summarize(cpu, wall);
}

/** `measure` for asynchronous work (each run is awaited before the next starts). */
export async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measured> {
  const { minMs = 1500, minRuns = 5, warmups = 3 } = options;
  for (let i = 0; i < warmups; i++) await fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  const started = performance.now();
  while (performance.now() - started < minMs || cpu.length < minRuns) {
    (globalThis as { gc?: () => void }).gc?.();
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return summarize(cpu, wall);
}

function summarize(cpu: readonly number[], wall: readonly number[]): Measured {
  const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { best: { cpu: Math.min(...cpu), wall: Math.min(...wall) }, median: { cpu: median(cpu), wall: median(wall) } };
}

export interface Steady {
  /** Total CPU and wall time over all runs, divided by the number of runs. */
  readonly mean: Timing;
  /** The median over batches of back-to-back runs of the per-run time within a batch. */
  readonly medianBatch: Timing;
  readonly runs: number;
}

/**
 * Steady-state cost of `fn`: runs back to back for at least `minMs`, with no forced GC, so
 * each run pays for the garbage collection its allocations cause, whatever its size.
 * (`measure` collects before every run: a run that allocates less than the young
 * generation holds is then timed without any GC, and one that allocates more pays a
 * scavenge, which makes small inputs look cheaper per line than large ones.) Runs are
 * grouped into batches of at least `batchMs`; a noisy neighbour spoils a batch, not the
 * median.
 */
export function measureSteady(fn: () => void, options: { minMs?: number; batchMs?: number; warmups?: number } = {}): Steady {
  const { minMs = 4000, batchMs = 400, warmups = 3 } = options;
  for (let i = 0; i < warmups; i++) fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  let runs = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || cpu.length < 5) {
    const c = process.cpuUsage();
    const t = performance.now();
    let k = 0;
    do {
      fn();
      k++;
    } while (performance.now() - t < batchMs);
    wall.push((performance.now() - t) / k);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000 / k);
    runs += k;
  }
  const total = process.cpuUsage(c0);
  const middle = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    mean: { cpu: (total.user + total.system) / 1000 / runs, wall: (performance.now() - t0) / runs },
    medianBatch: { cpu: middle(cpu), wall: middle(wall) },
    runs,
  };
}

/**
 * The machine's speed right now: CPU ms of a fixed integer loop, best of three (about 63
 * ms on the 2-core development machine when nothing else runs on its host). The
 * development machines share their host, which at times runs them several times slower;
 * the benchmarks print this before and after, so that figures taken on a slowed machine
 * can be told apart (ratios within one run are unaffected; absolute rates are not).
 */
export function referenceLoopMs(): number {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const c = process.cpuUsage();
    let x = 0;
    for (let i = 0; i < 1e8; i++) x = (x + i * 7) | 0;
    const u = process.cpuUsage(c);
    if (x === 1) console.log(""); // keeps the loop from being optimised away
    best = Math.min(best, (u.user + u.system) / 1000);
  }
  return best;
}

/** "machine: reference loop 63 ms before, 64 ms after (about 63 ms when its host is quiet)". */
export function machineLine(before: number, after: number): string {
  return `machine: reference loop ${before.toFixed(0)} ms before, ${after.toFixed(0)} ms after (about 63 ms when its host is quiet; slower means the figures above are too)`;
}
