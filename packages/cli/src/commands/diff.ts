import { resolve } from "node:path";
import type { Evaluator } from "@diffuse/engine";
import { parseCommand } from "../args.js";
import { diffCommand } from "./specs.js";
import { InvalidReports, invalidReport } from "../book/invalid-reports.js";
import { scanUserBook } from "../book/open.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS } from "../errors.js";
import { changeLine, diffModels, type Change } from "../diff/model-diff.js";
import { replayBook, type Replay, type Verdict } from "../diff/replay.js";
import { errorsText, verdict } from "../format/decisions.js";
import { reportPolicyErrors } from "../format/policy-errors.js";
import { spoolStdin } from "../io.js";
import { evaluatorOf, loadPolicy, refuseErrors, type LoadedPolicy } from "../policy.js";

/** As many invalid orders as `eval` lists on stderr. */
const MAX_REPORTED_INVALID = 50;

/** Loads and checks one side; its errors are printed (exit 1). A library (no `policy` header) is fine: only a replay needs a policy. */
async function loadChecked(path: string, ctx: Context): Promise<LoadedPolicy> {
  const policy = await loadPolicy(path, ctx.cwd);
  reportPolicyErrors(policy, ctx);
  refuseErrors(policy);
  if (policy.result.policySet) throw new CliError(`\`${path}\` is a policy set`, undefined, "diff compares two policy files; give the versions inside the set");
  return policy;
}

/** The evaluator a replay needs: a library decides nothing, so it cannot replay a book. */
function replayEvaluator(policy: LoadedPolicy): Evaluator {
  if (!policy.result.model.header) {
    throw new CliError(
      `\`--orders\` replays a book under two policies, and \`${policy.path}\` has no \`policy\` header`,
      undefined,
      "drop `--orders` to compare the libraries, or compare the policy files that import them",
    );
  }
  return evaluatorOf(policy);
}

export async function runDiff(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(diffCommand, argv);
  const [oldPath, newPath] = positionals as [string, string];
  const a = await loadChecked(oldPath, ctx);
  const b = await loadChecked(newPath, ctx);
  const changes = diffModels(a.result.model, b.result.model);
  let replay: Replay | undefined;
  if (values.orders !== undefined) {
    const before = replayEvaluator(a);
    const after = replayEvaluator(b);
    if (values.orders === "-") {
      if (ctx.stdin.isTTY === true)
        throw new CliError("`--orders -` reads the book from stdin, which is a terminal", undefined, "pipe a book in or give its path");
      const spooled = await spoolStdin(ctx.stdin);
      try {
        replay = replayOrders(spooled.path, "<stdin>", before, after, ctx);
      } finally {
        spooled.cleanup();
      }
    } else replay = replayOrders(resolve(ctx.cwd, values.orders), values.orders, before, after, ctx);
  }
  if (values.format === "json") {
    ctx.stdout.write(`${JSON.stringify({ old: oldPath, new: newPath, changes, ...(replay ? { orders: replay } : {}) }, null, 2)}\n`);
  } else {
    ctx.stdout.write(textOutput(oldPath, newPath, changes, replay));
  }
  return changes.length > 0 || (replay?.changed.length ?? 0) > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** Replays the book at `path` (shown as `shown`), listing the orders invalid under both versions on stderr as `eval` does. */
function replayOrders(path: string, shown: string, before: Evaluator, after: Evaluator, ctx: Context): Replay {
  const index = scanUserBook(path, shown);
  const reports = new InvalidReports(MAX_REPORTED_INVALID, index.sorted);
  const result = replayBook(path, index, before, after, (d, position, line) => reports.add(position, invalidReport(d, position, line)));
  ctx.stderr.write(reports.rest());
  return result;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function verdictText(v: Verdict): string {
  return v.outcome === "invalid" && v.errors !== undefined ? `invalid (${errorsText(v.errors)})` : verdict(v);
}

function textOutput(oldPath: string, newPath: string, changes: readonly Change[], replay: Replay | undefined): string {
  const lines = [`--- ${oldPath}`, `+++ ${newPath}`];
  if (changes.length === 0) lines.push("no semantic differences");
  for (const c of changes) lines.push(changeLine(c));
  if (replay) {
    const invalid = replay.invalid > 0 ? ` (${replay.invalid} invalid under both versions, listed on stderr)` : "";
    lines.push(
      "",
      `${plural(replay.evaluated, "order")} replayed${invalid}, ${plural(replay.changed.length, "decision")} changed${replay.changed.length > 0 ? ":" : ""}`,
    );
    for (const o of replay.changed) lines.push(`  ${o.order === "" ? "(no id)" : o.order}: ${verdictText(o.before)} -> ${verdictText(o.after)}`);
  }
  return `${lines.join("\n")}\n`;
}

export { diffCommand };
