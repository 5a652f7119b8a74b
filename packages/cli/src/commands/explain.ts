import { resolve } from "node:path";
import { duplicateKeyErrors, MemoryLedger, type EvaluateOptions, type Explanation, type Ledger, type SourceLocation, type TraceStep } from "@diffuse/engine";
import { SqliteLedger } from "@diffuse/ledger-sqlite";
import { isoDateFlag, parseCommand, shortUsage } from "../args.js";
import { explainCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS, UsageError } from "../errors.js";
import { decisionLine, grouped, verdict } from "../format/decisions.js";
import { reportPolicyErrors } from "../format/policy-errors.js";
import { displayPath, parseJsonText, readStdin, readTextFile } from "../io.js";
import { openExistingLedger } from "../ledger-file.js";
import { evaluatorOf, loadPolicy, refuseUnusableAsOf } from "../policy.js";

export async function runExplain(argv: readonly string[], ctx: Context): Promise<number> {
  const { values } = parseCommand(explainCommand, argv);
  const usage = shortUsage(explainCommand);
  if (values.policy === undefined) throw new UsageError("missing `--policy FILE`", usage);
  if (values.order === undefined) throw new UsageError("missing `--order FILE` (use `-` for stdin)", usage);
  const asOf = isoDateFlag("as-of", values["as-of"], usage);

  const policy = await loadPolicy(values.policy, ctx.cwd);
  reportPolicyErrors(policy, ctx);
  const evaluator = evaluatorOf(policy);
  refuseUnusableAsOf(policy, evaluator, asOf, usage);
  if (values.order === "-" && ctx.stdin.isTTY === true)
    throw new CliError("`--order -` reads the order from stdin, which is a terminal", undefined, "pipe an order in or give its path");
  const text = values.order === "-" ? await readStdin(ctx.stdin) : readTextFile(resolve(ctx.cwd, values.order), "order", values.order);
  const where = values.order === "-" ? "<stdin>" : values.order;
  const order = parseOrderText(text, where);
  if (Array.isArray(order)) throw new CliError(`order \`${where}\` is an array`, undefined, "explain takes one order; use `diffuse eval` for a book");
  const repeated = duplicateKeyErrors(text);
  const options: EvaluateOptions = {
    dryRun: true,
    ...(asOf ? { asOf } : {}),
    ...(values["no-charge-licenses"] ? { chargeLicenses: false } : {}),
    ...(repeated.length > 0 ? { orderErrors: repeated } : {}),
  };
  let ledger: Ledger = new MemoryLedger();
  if (values.ledger !== undefined) ledger = openExistingLedger(resolve(ctx.cwd, values.ledger), values.ledger, "read");
  let explanation: Explanation;
  try {
    explanation = evaluator.explain(order, ledger, options);
    // A ledger that could not be read is the run's error, not the order's.
    if (ledger instanceof SqliteLedger) ledger.throwFault();
  } finally {
    if (ledger instanceof SqliteLedger) ledger.close();
  }
  if (values.format === "json") ctx.stdout.write(`${JSON.stringify(explanation, null, 2)}\n`);
  else ctx.stdout.write(explainText(explanation, order, ctx.cwd));
  return explanation.decision.outcome === "invalid" ? EXIT_PROBLEMS : EXIT_OK;
}

/** Parses the order's text; a JSON Lines book given instead (each line an order) gets advice, as eval gives a lone order. */
function parseOrderText(text: string, where: string): unknown {
  try {
    return parseJsonText(text, `order \`${where}\``);
  } catch (e) {
    if (!(e instanceof CliError) || !isJsonLines(text)) throw e;
    const oneLine = where === "<stdin>" ? "give one line of it" : `give one line (\`head -n 1 ${where} | diffuse explain ... --order -\`)`;
    throw new CliError(
      e.message,
      e.exitCode,
      `explain takes one order, and this is a book of them, one a line: ${oneLine}, or use \`diffuse eval\` for the book`,
    );
  }
}

/** Whether text that is not one JSON document starts with a line that is an object of its own, followed by more lines. */
function isJsonLines(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length < 2) return false;
  try {
    const first: unknown = JSON.parse((lines[0] ?? "").replace(/^\uFEFF/, ""));
    return typeof first === "object" && first !== null && !Array.isArray(first);
  } catch {
    return false;
  }
}

function where(source: SourceLocation | undefined, cwd: string): string {
  if (!source) return "";
  return `${displayPath(resolve(cwd, source.path), cwd)}:${source.range.start.line + 1}:${source.range.start.character + 1}`;
}

/** The explanation as an indented, readable trace. */
export function explainText(e: Explanation, order: unknown, cwd: string): string {
  const d = e.decision;
  const lines: string[] = [];
  const o = (typeof order === "object" && order !== null ? order : {}) as Record<string, unknown>;
  const consignee = typeof o["consignee"] === "object" && o["consignee"] !== null ? (o["consignee"] as Record<string, unknown>)["id"] : undefined;
  const facts = [o["date"], o["destination"] ? `to ${String(o["destination"])}` : undefined, consignee ? `consignee ${String(consignee)}` : undefined].filter(
    (x) => x !== undefined,
  );
  lines.push(`order ${d.order === "" ? "(no id)" : d.order}${facts.length > 0 ? ` (${facts.map(String).join(", ")})` : ""}`);
  // No hash: no version of a set was in force on the order's date, so no policy text decided it.
  if (d.policy.sha256 === "") lines.push("policy: no version is in force on this order's date");
  else lines.push(`policy ${d.policy.name}, version ${d.policy.version} (sha256 ${d.policy.sha256.slice(0, 12)})`);
  lines.push(`decision: ${verdict(d)}`);
  lines.push("", "trace:");
  const walk = (steps: readonly TraceStep[], depth: number): void => {
    for (const s of steps) {
      const indent = "  ".repeat(depth + 1);
      // Steps that are not a named rule (the outcome, the order, the policy) carry their kind as their name: say it once.
      // A rule with nothing after its name (`authorize AIA`) has an empty detail.
      const heading = s.rule === s.kind ? s.kind : `${s.kind} ${s.rule}`;
      lines.push(`${indent}${s.applied ? "+" : "-"} ${heading}${s.detail === "" ? "" : `: ${s.detail}`}`);
      const meta = [s.cite ? `cite: ${s.cite}` : "", where(s.source, cwd)].filter((x) => x !== "");
      if (meta.length > 0) lines.push(`${indent}    ${meta.join("  ")}`);
      if (s.children) walk(s.children, depth + 1);
    }
  };
  walk(e.trace, 0);
  if (d.reasons.length > 0) {
    lines.push("", "reasons:");
    for (const r of d.reasons) lines.push(`  ${r.rule}: ${r.message}${r.cite ? ` (${r.cite})` : ""}  ${where(r.source, cwd)}`);
  }
  if (d.charges.length > 0) {
    lines.push("", d.outcome === "authorized" ? "charges:" : "charges (if granted):");
    for (const c of d.charges)
      lines.push(`  ${c.cap} [${c.key}, ${c.window}]: ${grouped(c.before)} + ${grouped(c.amount)} = ${grouped(c.after)} of ${grouped(c.limit)}`);
  }
  if (d.obligations && d.obligations.length > 0) {
    lines.push("", "obligations:");
    for (const ob of d.obligations) lines.push(`  ${ob}`);
  }
  if (d.hints && d.hints.length > 0) {
    lines.push("", "what would change the decision:");
    for (const h of d.hints) lines.push(`  ${h}`);
  }
  if (d.errors && d.errors.length > 0) {
    lines.push("", "errors:");
    for (const er of d.errors) {
      lines.push(`  ${er.field === "" ? "order" : er.field}: ${er.message}`);
      if (er.help !== undefined) lines.push(`    help: ${er.help}`);
    }
  }
  if (d.alreadyDecided === true) lines.push("", decisionLine(d));
  return `${lines.join("\n")}\n`;
}

export { explainCommand };
