/**
 * Language-server latency over stdio on a generated ~5k-line policy: 100 edits, each
 * timed from didChange to the publishDiagnostics of that version, then a completion and
 * a hover on the edited document. Also: a completion sent right after an edit (it waits
 * for the re-analysis). Baseline in the same run: parse + check of the same text in this
 * process (the floor for didChange -> diagnostics). Debounce is set to 0 so the figures
 * are the server's own work, not its deliberate delay.
 *
 * Goal: medians <= 20 ms (didChange -> diagnostics), 10 ms (completion), 10 ms (hover).
 *
 *   pnpm bench lsp
 *   BENCH_SERVER_PROFILE=/tmp/lsp-profile pnpm bench lsp   # also writes the server's CPU profile there
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from "vscode-languageserver-protocol/node.js";
import { checkText } from "../packages/language/src/check/load.js";
import { SERVER_NODE_FLAGS } from "../packages/language-server/src/runtime.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const SERVER = join(repo, "packages", "language-server", "src", "node.ts");
const EDITS = 100;

const COUNTRIES = ["US", "GB", "DE", "FR", "JP", "KR", "MY", "AE", "SA", "IN", "CN", "RU", "KH", "CY", "MO", "BR", "MX", "SG"];

/** About 60 lines of a realistic policy, names suffixed with `i`. */
function chunk(i: number): string {
  const c = (k: number): string => COUNTRIES[(i + k) % COUNTRIES.length] ?? "US";
  return `
// ---- part ${i}
group t1_${i} "Tier 1 (${i})" cite "15 CFR 740 Supp. 5(a)" = {
  ${c(0)} ${c(1)} ${c(2)} ${c(3)}
  ${c(4)} until 2026-02-03 cite "removal"
}
group t3_${i} "Tier 3 (${i})" = { ${c(10)} ${c(11)} }
group t2_${i} "Tier 2 (${i})" = all - t1_${i} - t3_${i}
disjoint t1_${i}, t2_${i}, t3_${i}

item chip_${i} "Chip ${i}" cite "datasheet" {
  tpp ${4_000 + i} TPP
  density 5.92
  eccn "3A090.a"
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

exception lpp_ex_${i} "LPP" cite "15 CFR 740.29" {
  when destination in t2_${i}
  within lpp_${i}
  counts toward nothing
}

status veu_${i} "VEU" {
  when destination not in t3_${i}
  counts toward alloc_${i}
}

decide chips_${i} "Chips" for ic_${i} {
  prohibit when destination in t3_${i}
  authorize NLR when destination in t1_${i}
  authorize lpp_ex_${i}
  authorize veu_${i} when consignee has veu_${i}
  license charging alloc_${i} when destination in t2_${i} {
    review presumption of approval when within alloc_${i}
    review presumption of denial otherwise
  }
}
`;
}

function generatePolicy(lines: number): string {
  let text = 'policy "Generated" cite "bench" {\n  version "1"\n  effective 2025-01-13\n}\n';
  for (let i = 0; text.split("\n").length < lines; i++) text += chunk(i);
  return text;
}

function stats(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p95: at(0.95), min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

const fmt = (n: number): string => `${n.toFixed(1)} ms`;

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

async function main(): Promise<void> {
  const text = generatePolicy(5_000);
  const lineCount = text.split("\n").length;
  const uri = "file:///bench/generated.diffuse";

  // Baseline: parse + check in this process.
  const baseline: number[] = [];
  for (let i = 0; i < 5; i++) checkText(text, uri); // warm up the JIT, as the server is after a few edits
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    checkText(text, uri);
    baseline.push(performance.now() - t0);
  }
  const checkErrors = checkText(text, uri).diagnostics.filter((d) => d.severity === "error");
  if (checkErrors.length > 0) console.log(`note: the generated policy has ${checkErrors.length} errors, first: ${checkErrors[0]?.message ?? ""}`);

  // Started the way the VS Code client and `diffuse lsp` start it: with the server's Node flags.
  const child = spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      ...(process.env["BENCH_SERVER_PROFILE"] ? ["--cpu-prof", `--cpu-prof-dir=${process.env["BENCH_SERVER_PROFILE"]}`] : []),
      "--conditions=source",
      "--import",
      "tsx",
      SERVER,
      "--stdio",
    ],
    { cwd: repo, stdio: ["pipe", "pipe", "inherit"] },
  );
  if (child.stdout === null || child.stdin === null) throw new Error("no stdio");
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<number, (p: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri || p.version === undefined) return;
    waiting.get(p.version)?.(p);
    waiting.delete(p.version);
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ diagnostics: { debounceMs: 0 } })));
  connection.onRequest(RegistrationRequest.type, () => null);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await connection.sendNotification(InitializedNotification.type, {});
  // Let the server pull its configuration (debounce 0) before the first edit.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const diagnosticsOf = (version: number): Promise<PublishDiagnosticsParams> => new Promise((resolve) => waiting.set(version, resolve));

  let current = text;
  let version = 1;
  const opened = diagnosticsOf(1);
  const tOpen = performance.now();
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "diffuse", version, text } });
  await opened;
  const openMs = performance.now() - tOpen;

  // Edit inside the middle chunk: type and delete a character in a reference to a group.
  const target = current.indexOf("destination in t2_", Math.floor(current.length / 2)) + "destination in t2_".length;
  const completionAt = current.indexOf("destination in ", Math.floor(current.length / 3)) + "destination in ".length;
  const hoverAt = current.indexOf("group t1_", Math.floor(current.length / 4)) + "group t".length;

  const change: number[] = [];
  const completion: number[] = [];
  const hover: number[] = [];
  const completionAfterEdit: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    version++;
    const insert = i % 2 === 0;
    const start = position(current, target);
    const end = insert ? start : position(current, target + 1);
    current = insert ? current.slice(0, target) + "9" + current.slice(target) : current.slice(0, target) + current.slice(target + 1);
    const published = diagnosticsOf(version);
    const t0 = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range: { start, end }, text: insert ? "9" : "" }],
    });
    if (i % 10 === 5) {
      // A completion straight after the edit: waits for the new analysis.
      const t1 = performance.now();
      await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: position(current, completionAt) });
      completionAfterEdit.push(performance.now() - t1);
    }
    await published;
    change.push(performance.now() - t0);

    const t2 = performance.now();
    const items = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: position(current, completionAt) });
    completion.push(performance.now() - t2);
    if (i === 0 && (Array.isArray(items) ? items.length : (items?.items.length ?? 0)) === 0) console.log("warning: completion returned nothing");

    const t3 = performance.now();
    const h = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: position(current, hoverAt) });
    hover.push(performance.now() - t3);
    if (i === 0 && h === null) console.log("warning: hover returned nothing");
  }

  await connection.sendRequest(ShutdownRequest.type);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await connection.sendNotification(ExitNotification.type);
  // Let the server exit on its own (a profile asked for with BENCH_SERVER_PROFILE is written then).
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  connection.dispose();
  child.kill();

  const b = stats(baseline);
  const rows: [string, number[], number | undefined][] = [
    ["didChange -> publishDiagnostics", change, 20],
    ["completion (after diagnostics)", completion, 10],
    ["hover (after diagnostics)", hover, 10],
    ["completion straight after an edit", completionAfterEdit, undefined],
  ];
  console.log(`LSP over stdio, generated policy of ${lineCount} lines (${(text.length / 1024).toFixed(0)} KiB), ${EDITS} edits, debounce 0 ms`);
  console.log(`open -> first diagnostics: ${fmt(openMs)}`);
  console.log(`baseline parse + check in process: median ${fmt(b.median)}, p95 ${fmt(b.p95)}`);
  for (const [name, samples, goal] of rows) {
    const s = stats(samples);
    const verdict = goal === undefined ? "" : s.median <= goal ? `  (goal <= ${goal} ms: met)` : `  (goal <= ${goal} ms: NOT met)`;
    console.log(
      `${name.padEnd(36)} median ${fmt(s.median).padStart(9)}  p95 ${fmt(s.p95).padStart(9)}  max ${fmt(s.max).padStart(9)}  n=${samples.length}${verdict}`,
    );
  }
  console.log(`ratio didChange->diagnostics median / baseline median: ${(stats(change).median / b.median).toFixed(2)}x`);
}

await main();
