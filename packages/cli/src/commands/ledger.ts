import { resolve } from "node:path";
import { LATEST_SCHEMA, type ChargeRow, type SqliteLedger } from "@diffuse/ledger-sqlite";
import { busyTimeoutFlag, parseCommand, shortUsage } from "../args.js";
import { ledgerCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_INTERRUPTED, EXIT_OK, UsageError } from "../errors.js";
import { csvField, spreadsheetSafeField, startsLikeFormula } from "../format/csv.js";
import { alignRows, grouped, OVER_LIMIT_NOTE, overLimit, percentCell, utilisationPercent } from "../format/decisions.js";
import { openExistingLedger } from "../ledger-file.js";

const CSV_COLUMNS: readonly (keyof ChargeRow)[] = ["orderId", "outcome", "policySha256", "cap", "key", "window", "amount", "limit", "orderDate", "recordedAt"];
const CSV_HEADER = ["order_id", "outcome", "policy_sha256", "cap", "key", "window", "amount", "limit", "order_date", "recorded_at"];
/** The columns holding amounts (exact decimal text): written as they are, even with --spreadsheet-safe. */
const AMOUNT_COLUMNS: ReadonlySet<keyof ChargeRow> = new Set(["amount", "limit"]);

export async function runLedger(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(ledgerCommand, argv);
  const usage = shortUsage(ledgerCommand);
  const action = positionals[0] as string;
  if (!["show", "export", "reset"].includes(action)) throw new UsageError(`unknown ledger action \`${action}\``, usage, "use `show`, `export` or `reset`");
  if (values.ledger === undefined) throw new UsageError("missing `--ledger DB`", usage);
  const format = values.format;
  const allowed = action === "show" ? ["text", "json"] : action === "export" ? ["csv", "jsonl"] : [];
  if (format !== undefined && !allowed.includes(format)) {
    throw new UsageError(
      `\`--format ${format}\` does not apply to \`ledger ${action}\``,
      usage,
      allowed.length > 0 ? `use ${allowed.map((f) => `\`${f}\``).join(" or ")}` : undefined,
    );
  }
  const spreadsheetSafe = values["spreadsheet-safe"] === true;
  if (spreadsheetSafe && (action !== "export" || format === "jsonl"))
    throw new UsageError("`--spreadsheet-safe` applies only to `ledger export --format csv`", usage);
  const busyTimeoutMs = busyTimeoutFlag(values["busy-timeout"], usage);
  const ledger = openExistingLedger(resolve(ctx.cwd, values.ledger), values.ledger, action === "reset" ? "write" : "read", busyTimeoutMs);
  try {
    switch (action) {
      case "show":
        show(ledger, values.ledger, format === "json", ctx);
        break;
      case "export":
        await exportCharges(ledger, format === "jsonl" ? "jsonl" : spreadsheetSafe ? "spreadsheet-csv" : "csv", ctx);
        break;
      default: {
        if (values.yes !== true) {
          if (!ctx.confirm) throw new CliError("refusing to reset the ledger without confirmation", undefined, "pass `--yes` to reset without asking");
          const s = ledger.summary();
          const answer = await ctx.confirm(`delete ${s.decisions} decisions and ${s.charges} charges from \`${values.ledger}\`?`);
          if (answer !== "yes") {
            ctx.stderr.write("reset cancelled\n");
            return answer === "interrupted" ? EXIT_INTERRUPTED : EXIT_OK;
          }
        }
        const result = ledger.reset();
        ctx.stderr.write(`ledger \`${values.ledger}\` reset\n`);
        if (!result.reclaimed) {
          ctx.stderr.write(`warning: the deleted decisions may still be read from the file: ${result.why}\n`);
          ctx.stderr.write("help: run `diffuse ledger reset` on it again once no other process has it open\n");
        }
      }
    }
  } finally {
    ledger.close();
  }
  return EXIT_OK;
}

function show(ledger: SqliteLedger, shown: string, json: boolean, ctx: Context): void {
  const summary = ledger.summary();
  const rows = ledger.utilisation();
  if (json) {
    ctx.stdout.write(`${JSON.stringify({ ...summary, caps: rows }, null, 2)}\n`);
    return;
  }
  const older =
    summary.schemaVersion < LATEST_SCHEMA
      ? `; the file is left as it is until \`diffuse eval --ledger\` records on it, upgrading it to schema ${LATEST_SCHEMA}`
      : "";
  ctx.stdout.write(`ledger ${shown} (schema ${summary.schemaVersion}${older})\n`);
  ctx.stdout.write(`${summary.decisions} decision${summary.decisions === 1 ? "" : "s"}, ${summary.charges} charge${summary.charges === 1 ? "" : "s"}\n`);
  for (const [outcome, n] of Object.entries(summary.outcomes)) ctx.stdout.write(`  ${outcome.padEnd(17)} ${String(n).padStart(10)}\n`);
  if (rows.length === 0) return;
  ctx.stdout.write("\nutilisation by cap and key:\n");
  const table = rows.map((r) => [
    r.cap,
    r.key,
    r.window,
    grouped(r.used),
    r.limit === null ? "-" : grouped(r.limit),
    r.limit === null ? "-" : percentCell(utilisationPercent(r.used, r.limit)),
    String(r.charges),
  ]);
  const head = ["cap", "key", "window", "used", "limit", "used %", "charges"];
  for (const line of alignRows([head, ...table])) ctx.stdout.write(`${line}\n`);
  if (rows.some((r) => r.limit !== null && overLimit(r.used, r.limit))) ctx.stdout.write(`\n${OVER_LIMIT_NOTE.join("\n")}\n`);
}

/**
 * `csv` is exact (every cell as recorded, quoted as RFC 4180 needs), and warns when a text
 * cell would start a formula in a spreadsheet; `spreadsheet-csv` neutralises such cells
 * (format/csv.ts). Amounts are written as they are in both.
 */
async function exportCharges(ledger: SqliteLedger, format: "csv" | "spreadsheet-csv" | "jsonl", ctx: Context): Promise<void> {
  // Asked for first: a damaged file is reported before anything is written.
  const rows = ledger.charges();
  if (format !== "jsonl") ctx.stdout.write(`${CSV_HEADER.join(",")}\n`);
  let formulaCells = 0;
  const cell = (column: keyof ChargeRow, value: string | null): string => {
    if (AMOUNT_COLUMNS.has(column)) return csvField(value);
    if (format === "spreadsheet-csv") return spreadsheetSafeField(value);
    if (startsLikeFormula(value)) formulaCells++;
    return csvField(value);
  };
  let n = 0;
  for (const row of rows) {
    ctx.stdout.write(format === "jsonl" ? `${JSON.stringify(row)}\n` : `${CSV_COLUMNS.map((c) => cell(c, row[c])).join(",")}\n`);
    if (++n % 10_000 === 0) {
      await ctx.stdout.flush();
      // `ledger export | head`: nobody reads the rest.
      if (ctx.stdout.isClosed) return;
    }
  }
  if (formulaCells > 0) {
    ctx.stderr.write(
      `warning: ${formulaCells} cell${formulaCells === 1 ? " starts" : "s start"} with \`=\`, \`+\`, \`-\`, \`@\`, a tab or a carriage return, which a spreadsheet may run as a formula\n`,
    );
    ctx.stderr.write("help: to open the export in a spreadsheet, export it with `--spreadsheet-safe`\n");
  }
}

export { ledgerCommand };
