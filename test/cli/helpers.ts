/**
 * Runs the real `diffuse` binary: packages/cli/dist/bin.js when the build is up to date
 * (CI builds first), otherwise the sources through tsx, so a stale build never hides a
 * change.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";

// Each test spawns the binary a few times; on a busy machine that takes a while.
vi.setConfig({ testTimeout: 180_000 });

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = "test/fixtures/cli";
const DIST_BIN = join(ROOT, "packages/cli/dist/bin.js");
const SRC_BIN = join(ROOT, "packages/cli/src/bin.ts");

function newest(dir: string, suffix = ""): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, suffix));
    else if (e.name.endsWith(suffix)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * True when every package's emitted JavaScript is newer than its sources. (The
 * .tsbuildinfo is not a reliable witness: a `tsc --noEmit` check rewrites it.)
 */
function buildIsFresh(): boolean {
  if (!existsSync(DIST_BIN)) return false;
  for (const pkg of readdirSync(join(ROOT, "packages"))) {
    const src = join(ROOT, "packages", pkg, "src");
    const dist = join(ROOT, "packages", pkg, "dist");
    if (!existsSync(src)) continue;
    if (!existsSync(dist) || newest(dist, ".js") < newest(src)) return false;
  }
  return true;
}

/**
 * Builds the workspace when the build is stale (test files run in parallel processes: a
 * lock directory makes one build and the others wait). A failing build (a package being
 * edited) falls back to running the sources.
 */
function ensureBuild(): boolean {
  if (buildIsFresh()) return true;
  const lock = join(ROOT, "packages/cli/dist-e2e.lock");
  mkdirSync(join(ROOT, "packages/cli/dist"), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
      if (!existsSync(lock)) return buildIsFresh();
    }
  }
  try {
    if (buildIsFresh()) return true;
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.build.json", "--force"], {
      cwd: ROOT,
      stdio: "ignore",
    });
    return r.status === 0 && buildIsFresh();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export const USING_BUILD = process.env["DIFFUSE_E2E_SOURCE"] !== "1" && ensureBuild();
export const COMMAND: readonly string[] = USING_BUILD ? [DIST_BIN] : ["--conditions=source", "--import", "tsx", SRC_BIN];

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly stdin?: string;
  readonly cwd?: string;
  /** Signal the process (SIGKILL unless `killSignal` says otherwise) once stdout has printed this many lines (crash tests). */
  readonly killAfterLines?: number;
  readonly killSignal?: NodeJS.Signals;
  /** Called as stdout prints, with the number of lines printed so far (to act on a run in progress). */
  readonly onLines?: (lines: number) => void;
  /** Run as this user (see UNPRIVILEGED). */
  readonly user?: Partial<User>;
}

export interface User {
  readonly uid: number;
  readonly gid: number;
}

export function diffuse(args: readonly string[], options: RunOptions = {}): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...COMMAND, ...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, FORCE_COLOR: "0" },
      ...options.user,
    });
    let stdout = "";
    let stderr = "";
    let lines = 0;
    child.stdout.on("data", (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      lines += text.split("\n").length - 1;
      options.onLines?.(lines);
      if (options.killAfterLines !== undefined && lines >= options.killAfterLines && child.exitCode === null && !child.killed)
        child.kill(options.killSignal ?? "SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    child.stdin.on("error", () => undefined);
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}

/**
 * A user that file permissions apply to, for the tests of files Diffuse cannot write:
 * root passes every permission check, so as root they run the binary as `nobody`
 * (65534), when that user can run it from this checkout (undefined otherwise: the tests
 * are skipped); anyone else runs it as themselves (an empty object).
 */
export const UNPRIVILEGED: Partial<User> | undefined = (() => {
  if (process.getuid?.() !== 0) return {};
  const nobody = { uid: 65534, gid: 65534 };
  return spawnSync(process.execPath, [...COMMAND, "--version"], { cwd: tmpdir(), stdio: "ignore", ...nobody }).status === 0 ? nobody : undefined;
})();

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "diffuse-e2e-"));
}

export function fixture(...parts: string[]): string {
  return [FIXTURES, ...parts].join("/");
}

/** No stack trace lines (`    at f (file:1:2)`) in a user-facing message. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(text);
}

/** The few better-sqlite3 calls the tests make on a ledger file directly. */
export interface RawDb {
  prepare(sql: string): { run(...params: unknown[]): unknown; raw(): { all(): unknown[] } };
  close(): void;
}

/** What a ledger file holds, through the ledger's own API (any schema version): decisions as JSON text sorted by order id, and charges without recording times, in recording order. */
export async function ledgerContent(path: string): Promise<{ decisions: string[]; charges: string[] }> {
  const { SqliteLedger } = await import("../../packages/ledger-sqlite/src/index.js");
  const ledger = SqliteLedger.openReadOnly(path);
  try {
    const decisions = [...ledger.decisions()].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)).map((d) => JSON.stringify(d));
    const charges = [...ledger.charges()].map((c) =>
      [c.orderId, c.outcome, c.policySha256, c.cap, c.key, c.window, c.amount, c.limit ?? "", c.orderDate].join(" "),
    );
    return { decisions, charges };
  } finally {
    ledger.close();
  }
}

/** Opens a ledger file with better-sqlite3 (a dependency of packages/ledger-sqlite). */
export function openRawDb(path: string, readonly = false): RawDb {
  const require = createRequire(join(ROOT, "packages/ledger-sqlite/package.json"));
  const Database = require("better-sqlite3") as new (path: string, options?: { readonly?: boolean }) => RawDb;
  return new Database(path, { readonly });
}

/** Writes a JSONL book of `count` orders for test/fixtures/cli/mini.diffuse (ids `k-0`...), in date order, the same every time. */
export function writeBook(path: string, count: number): void {
  let seed = 7;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const day = 1 + Math.floor((i * 28) / count);
    const dest = ["MY", "AE", "SG", "US", "CN"][Math.floor(random() * 5)] as string;
    lines.push(
      JSON.stringify({
        id: `k-${i}`,
        date: `2025-02-${String(day).padStart(2, "0")}`,
        destination: dest,
        consignee: { id: `c-${Math.floor(random() * 30)}` },
        items: [{ item: "H100", quantity: 1 + Math.floor(random() * 8) }],
      }),
    );
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}
