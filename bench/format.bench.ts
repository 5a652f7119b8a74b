/**
 * Formatting a generated policy of about 20k lines (bench/generate-policy.ts) with the
 * Prettier plugin, against parsing the same text alone (the baseline, in the same run):
 * the ratio is what the printer and Prettier's document printer cost on top of the
 * parse every format pays. Also: formatting already formatted text (what `diffuse fmt
 * --check` does on a clean tree) and formatting with the soundness check on.
 * Goal: formatting the 20k-line file in under 1 s.
 *
 *   pnpm bench format      (or, after pnpm build: node --expose-gc --import tsx bench/format.bench.ts)
 */
import { generatePolicy } from "./generate-policy.js";
// The built code (what `diffuse fmt` and Prettier run; `pnpm bench` builds first).
import { parse } from "../packages/language/dist/index.js";
import { formatDiffuse } from "../packages/prettier-plugin/dist/index.js";
import { measureAsync, type Timing } from "./measure.js";

const OPTIONS = { minMs: 3000, minRuns: 5, warmups: 2 };
const time = async (fn: () => unknown): Promise<Timing> => (await measureAsync(async () => fn(), OPTIONS)).median;

const text = generatePolicy(20_000);
const lines = text.split("\n").length;
const probe = parse(text, "file:///bench.diffuse");
if (probe.diagnostics.some((d) => d.severity === "error")) throw new Error("the generated policy has syntax errors");
const formatted = await formatDiffuse(text);

const parseOnly = await time(() => parse(text, "file:///bench.diffuse"));
const format = await time(() => formatDiffuse(text));
const formatClean = await time(() => formatDiffuse(formatted));
const formatVerified = await time(() => formatDiffuse(text, { verify: true }));

const ms = (t: Timing): string => `${t.cpu.toFixed(0).padStart(6)} ms cpu ${t.wall.toFixed(0).padStart(6)} ms wall`;
const ratio = (t: Timing): string => `${(t.cpu / parseOnly.cpu).toFixed(1)}x parse`;
console.log(`generated policy: ${lines} lines, ${probe.comments.length} comments, ${text.length} characters`);
console.log(`parse alone (baseline)      ${ms(parseOnly)}`);
console.log(`format                      ${ms(format)}  ${ratio(format)}`);
console.log(`format (already formatted)  ${ms(formatClean)}  ${ratio(formatClean)}`);
console.log(`format + soundness check    ${ms(formatVerified)}  ${ratio(formatVerified)}`);
// CPU time is the measure: the machine is shared, so wall time depends on its load.
console.log(`goal: format under 1000 ms (cpu): ${format.cpu < 1000 ? "met" : "NOT met"}`);
