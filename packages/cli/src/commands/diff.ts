import { resolve } from "node:path";
import type { Decision, Evaluator } from "@diffuse/engine";
import { BookLedger } from "../book/ledger.js";
import { parseCommand } from "../args.js";
import { diffCommand } from "./specs.js";
import { BookSyntaxError, bookHelp, readOrders, scanBook } from "../book/scan.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS } from "../errors.js";
import { changeLine, diffModels, type Change } from "../diff/model-diff.js";
import { verdict } from "../format/decisions.js";
import { reportPolicyErrors } from "../format/policy-errors.js";
import { spoolStdin } from "../io.js";
import { evaluatorOf, loadPolicy, refuseErrors, type LoadedPolicy } from "../policy.js";


export interface ChangedOrder {
  readonly order: string;
  readonly before: { readonly outcome: string; readonly basis?: string; readonly review?: string };
  readonly after: { readonly outcome: string; readonly basis?: string; readonly review?: string };
}

function brief(d: Decision): ChangedOrder["before"] {
  return { outcome: d.outcome, ...(d.basis !== undefined ? { basis: d.basis } : {}), ...(d.review !== undefined ? { review: d.review } : {}) };
}

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
    throw new CliError(`\`--orders\` replays a book under two policies, and \`${policy.path}\` has no \`policy\` header`, undefined, "drop `--orders` to compare the libraries, or compare the policy files that import them");
  }
  return evaluatorOf(policy);
}

export async function runDiff(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(diffCommand, argv);
  const [oldPath, newPath] = positionals as [string, string];
  const a = await loadChecked(oldPath, ctx);
  const b = await loadChecked(newPath, ctx);
  const changes = diffModels(a.result.model, b.result.model);
  let replay: { evaluated: number; changed: ChangedOrder[] } | undefined;
  if (values.orders !== undefined) {
    const before = replayEvaluator(a);
    const after = replayEvaluator(b);
    if (values.orders === "-") {
      if (ctx.stdin.isTTY === true) throw new CliError("`--orders -` reads the book from stdin, which is a terminal", undefined, "pipe a book in or give its path");
      const spooled = await spoolStdin(ctx.stdin);
      try {
        replay = replayBook(spooled.path, "<stdin>", before, after);
      } finally {
        spooled.cleanup();
      }
    } else replay = replayBook(resolve(ctx.cwd, values.orders), values.orders, before, after);
  }
  if (values.format === "json") {
    ctx.stdout.write(`${JSON.stringify({ old: oldPath, new: newPath, changes, ...(replay ? { orders: replay } : {}) }, null, 2)}\n`);
  } else {
    ctx.stdout.write(textOutput(oldPath, newPath, changes, replay));
  }
  return changes.length > 0 || (replay?.changed.length ?? 0) > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

function replayBook(path: string, shown: string, before: Evaluator, after: Evaluator): { evaluated: number; changed: ChangedOrder[] } {
  let index;
  try {
    index = scanBook(path);
  } catch (e) {
    if (e instanceof BookSyntaxError) throw new CliError(`orders \`${shown}\`: ${e.message}`, undefined, bookHelp(path));
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new CliError(`orders \`${shown}\` does not exist`);
    if ((e as NodeJS.ErrnoException).code === "EISDIR") throw new CliError(`orders \`${shown}\` is a directory`, undefined, "give the path of a JSON or JSONL file");
    throw e;
  }
  const la = new BookLedger(index.repeatedIds);
  const lb = new BookLedger(index.repeatedIds);
  const changed: ChangedOrder[] = [];
  let evaluated = 0;
  for (const { position, text } of readOrders(path, index)) {
    const order = JSON.parse(text) as unknown;
    const options = index.optionsFor(position, text, {});
    const x = before.evaluate(order, la, options);
    const y = after.evaluate(order, lb, options);
    evaluated++;
    if (x.outcome !== y.outcome || x.basis !== y.basis || x.review !== y.review) changed.push({ order: y.order || x.order, before: brief(x), after: brief(y) });
  }
  return { evaluated, changed };
}

function textOutput(oldPath: string, newPath: string, changes: readonly Change[], replay: { evaluated: number; changed: ChangedOrder[] } | undefined): string {
  const lines = [`--- ${oldPath}`, `+++ ${newPath}`];
  if (changes.length === 0) lines.push("no semantic differences");
  for (const c of changes) lines.push(changeLine(c));
  if (replay) {
    lines.push("", `${replay.evaluated} orders replayed, ${replay.changed.length} decision${replay.changed.length === 1 ? "" : "s"} changed${replay.changed.length > 0 ? ":" : ""}`);
    const v = (s: ChangedOrder["before"]): string => verdict({ order: "", outcome: s.outcome as Decision["outcome"], ...(s.basis ? { basis: s.basis } : {}), ...(s.review ? { review: s.review as NonNullable<Decision["review"]> } : {}), reasons: [], charges: [], policy: { name: "", version: "", sha256: "" } });
    for (const o of replay.changed) lines.push(`  ${o.order}: ${v(o.before)} -> ${v(o.after)}`);
  }
  return `${lines.join("\n")}\n`;
}

export { diffCommand };
