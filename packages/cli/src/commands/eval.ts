import { resolve } from "node:path";
import { type Decision, type EvaluateOptions, type Evaluator, type Ledger } from "@diffuse/engine";
import { LedgerError, SqliteLedger, decisionJson } from "@diffuse/ledger-sqlite";
import { busyTimeoutFlag, isoDateFlag, parseCommand, positiveInt, shortUsage } from "../args.js";
import { evalCommand } from "./specs.js";
import { keepHeapNearLiveSize } from "../book/heap.js";
import { BookLedger } from "../book/ledger.js";
import { InvalidReports, invalidReport } from "../book/invalid-reports.js";
import { OutputBytes, outputBufferPool } from "../book/output-bytes.js";
import { scanUserBook } from "../book/open.js";
import { OrderReader, type BookIndex } from "../book/scan.js";
import type { Context } from "../context.js";
import { CliError, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_TERMINATED, EXIT_USAGE, UsageError } from "../errors.js";
import { decisionLine, Summary, SummaryDelta } from "../format/decisions.js";
import { spoolStdin } from "../io.js";
import { reportPolicyErrors } from "../format/policy-errors.js";
import { evaluatorOf, loadPolicy, refuseUnusableAsOf } from "../policy.js";

export async function runEval(argv: readonly string[], ctx: Context): Promise<number> {
  const { values } = parseCommand(evalCommand, argv);
  const usage = shortUsage(evalCommand);
  if (values.policy === undefined) throw new UsageError("missing `--policy FILE`", usage);
  if (values.orders === undefined) throw new UsageError("missing `--orders FILE` (use `-` for stdin)", usage);
  const asOf = isoDateFlag("as-of", values["as-of"], usage);
  const batchSize = positiveInt("batch-size", values["batch-size"], 1000, usage);
  const busyTimeoutMs = busyTimeoutFlag(values["busy-timeout"], usage);
  const format: Run["format"] = values.format === "json" || values.format === "jsonl" || values.format === "summary" ? values.format : "text";
  const quiet = values.quiet === true;
  const options: EvaluateOptions = {
    ...(asOf ? { asOf } : {}),
    ...(values["no-charge-licenses"] ? { chargeLicenses: false } : {}),
    ...(values["no-hints"] ? { hints: false } : {}),
  };

  const policy = await loadPolicy(values.policy, ctx.cwd);
  reportPolicyErrors(policy, ctx);
  const evaluator = evaluatorOf(policy);
  refuseUnusableAsOf(policy, evaluator, asOf, usage);

  keepHeapNearLiveSize();
  const book = await openBook(values.orders, ctx);
  try {
    const index = scanUserBook(book.path, book.display, { findRepeatedIds: values.ledger === undefined });
    // Not an error (an empty export is a valid book), but rarely what was meant.
    if (index.count === 0) ctx.stderr.write(`warning: orders \`${book.display}\` holds no orders\n`);
    const ledger =
      values.ledger === undefined
        ? new BookLedger(index.repeatedIds)
        : SqliteLedger.open(resolve(ctx.cwd, values.ledger), { busyTimeoutMs, writer: "thread", name: values.ledger });
    try {
      const invalid = await evaluateBook({ evaluator, ledger, index, bookPath: book.path, options, batchSize, format, quiet, ctx });
      return invalid > 0 && values.strict === true ? EXIT_PROBLEMS : EXIT_OK;
    } finally {
      if (ledger instanceof SqliteLedger) ledger.close();
    }
  } finally {
    book.cleanup();
  }
}

interface Book {
  readonly path: string;
  readonly display: string;
  cleanup(): void;
}

/** A file as is (scanUserBook says what is wrong with it); stdin spooled to a temporary file (the book is read twice). */
async function openBook(orders: string, ctx: Context): Promise<Book> {
  if (orders !== "-") return { path: resolve(ctx.cwd, orders), display: orders, cleanup: () => undefined };
  if (ctx.stdin.isTTY === true)
    throw new CliError(
      "`--orders -` reads the book from stdin, which is a terminal",
      undefined,
      "pipe a book in (`cat book.jsonl | diffuse eval ...`) or give its path",
    );
  const spooled = await spoolStdin(ctx.stdin);
  return { path: spooled.path, display: "<stdin>", cleanup: () => spooled.cleanup() };
}

interface Run {
  readonly evaluator: Evaluator;
  readonly ledger: Ledger;
  readonly index: BookIndex;
  readonly bookPath: string;
  readonly options: EvaluateOptions;
  readonly batchSize: number;
  readonly format: "text" | "json" | "jsonl" | "summary";
  readonly quiet: boolean;
  readonly ctx: Context;
}

const MAX_REPORTED_INVALID = 50;

/** A batch decided, its output waiting for the batch to be committed and on disk. */
interface DecidedBatch {
  /** Index (in evaluation order) of its first order: where to decide it again from. */
  readonly from: number;
  /** The decisions' texts in the chosen format, with separators between them (none for `summary`). */
  readonly out: OutputBytes | undefined;
  /** The stderr report of each invalid order, with its 0-based position in the book. */
  readonly invalid: readonly { readonly position: number; readonly text: string }[];
  /** What the batch adds to the run's summary. */
  readonly summary: SummaryDelta;
  /** Resolves when the batch is on disk: to undefined, or to the error that kept it off. */
  readonly durable: Promise<unknown>;
}

const NO_WAIT: Promise<unknown> = Promise.resolve(undefined);
const noError = (): undefined => undefined;

function isConflict(e: unknown): boolean {
  return e instanceof LedgerError && e.kind === "conflict";
}

/**
 * Evaluates the book, writing decisions and the summary; returns the number of invalid
 * orders. Each batch's output is written once the batch is on disk. With the SQLite
 * ledger a writer thread commits one batch while the next is decided; a batch another
 * process got in ahead of is decided again (with the one after it) from its first order,
 * so its output and summary are only counted once it is committed.
 */
async function evaluateBook(run: Run): Promise<number> {
  const { evaluator, ledger, index, options, batchSize, format, ctx } = run;
  const sqlite = ledger instanceof SqliteLedger ? ledger : undefined;
  const summary = new Summary();
  const policies = new Set(evaluator.policies.map((p) => p.sha256));
  const progress = run.quiet || !ctx.stderr.isTTY ? undefined : new Progress(index.count, ctx);
  const json = sqlite ? (d: Decision): string => sqlite.json(d) : decisionJson;
  const invalidReports = new InvalidReports(MAX_REPORTED_INVALID, index.sorted);
  if (format === "json") ctx.stdout.write('{\n"decisions": [');
  let first = true;
  /** Evaluation index of the next order to decide, and the reader positioned there. */
  let next = 0;
  let orders = new OrderReader(run.bookPath, index);
  const buffers = outputBufferPool();

  const decide = (): DecidedBatch => {
    const from = next;
    const out = format === "summary" ? undefined : new OutputBytes(buffers, format === "json" ? ",\n" : "\n");
    const invalid: { position: number; text: string }[] = [];
    const delta = new SummaryDelta(policies);
    ledger.batch(() => {
      for (let k = 0; k < batchSize && next < index.count; k++) {
        if (!orders.next()) throw new Error(`the book has fewer than ${index.count} orders`);
        next++;
        const decision = evaluator.evaluate(JSON.parse(orders.text) as unknown, ledger, index.optionsFor(orders.position, orders.text, options));
        delta.add(decision);
        if (decision.outcome === "invalid") invalid.push({ position: orders.position, text: invalidReport(decision, orders.position, orders.line) });
        switch (format) {
          case "json":
          case "jsonl":
            out?.append(json(decision));
            break;
          case "text":
            out?.append(decisionLine(decision));
            break;
          case "summary":
            break;
          default: {
            const never: never = format;
            throw new Error(`unknown format ${String(never)}`);
          }
        }
      }
    });
    const durable = sqlite ? sqlite.durable().then(noError, (e: unknown) => e) : NO_WAIT;
    return { from, out, invalid, summary: delta, durable };
  };

  const write = async (b: DecidedBatch): Promise<void> => {
    summary.merge(b.summary);
    if (b.out !== undefined && b.out.count > 0) {
      switch (format) {
        case "json":
          b.out.writeTo(ctx.stdout, first ? "\n" : ",\n", "");
          first = false;
          break;
        case "jsonl":
        case "text":
          b.out.writeTo(ctx.stdout, "", "\n");
          break;
        case "summary":
          break;
        default: {
          const never: never = format;
          throw new Error(`unknown format ${String(never)}`);
        }
      }
    }
    for (const r of b.invalid) invalidReports.add(r.position, r.text);
    const listed = invalidReports.ready();
    if (listed !== "") {
      progress?.clear();
      ctx.stderr.write(listed);
    }
    progress?.update(summary.count);
    await ctx.stdout.flush();
  };

  // Interrupted (Ctrl-C, a kill): what the committed batches said about invalid orders is
  // still listed, then the process ends as a signal would end it. A batch not committed
  // is not on the ledger (SQLite rolls it back), as when the process is killed outright.
  const interrupted = (signal: NodeJS.Signals): void => {
    progress?.clear();
    ctx.stderr.write(invalidReports.rest());
    ctx.stderr.write(
      `error: interrupted (${signal}) after ${summary.count.toLocaleString("en-US")} of ${index.count.toLocaleString("en-US")} orders` +
        (sqlite ? "; the batches committed are on the ledger, and running the book again on it decides only the rest\n" : "\n"),
    );
    process.exit(signal === "SIGINT" ? EXIT_INTERRUPTED : EXIT_TERMINATED);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    let waiting: DecidedBatch | undefined;
    for (;;) {
      let current: DecidedBatch | undefined;
      if (next < index.count) {
        try {
          if (sqlite) await sqlite.ready();
          current = decide();
        } catch (e) {
          // The ledger failed (nothing of this batch is kept): the batch before it may
          // still be committed, and then its decisions are written out before the run stops.
          if (waiting !== undefined && (await waiting.durable) === undefined) await write(waiting);
          throw e;
        }
      }
      if (waiting) {
        const failure = await waiting.durable;
        if (sqlite && isConflict(failure)) {
          // Another process committed first: decide `waiting` (and `current`, decided on top
          // of it) again, from the file as it is now, under the write lock.
          if (current) await current.durable;
          await sqlite.recover();
          next = waiting.from;
          orders.close();
          orders = new OrderReader(run.bookPath, index, next);
          waiting = undefined;
          continue;
        }
        if (failure !== undefined) throw failure;
        await write(waiting);
      }
      waiting = current;
      if (waiting === undefined) break;
    }
  } catch (e) {
    throw stopped(e, summary.count, index.count);
  } finally {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    orders.close();
    // In book order: a book in date order has had its reports listed as batches committed;
    // any other book's are listed now (also when the run fails: those of the batches committed).
    progress?.clear();
    ctx.stderr.write(invalidReports.rest());
  }
  switch (format) {
    case "json":
      ctx.stdout.write(`${first ? "" : "\n"}],\n"summary": ${JSON.stringify(summary.toJson())}\n}\n`);
      if (!run.quiet) ctx.stderr.write(summary.toText(progress?.rate()));
      break;
    case "jsonl":
      if (!run.quiet) ctx.stderr.write(summary.toText(progress?.rate()));
      break;
    case "text":
      if (!run.quiet) ctx.stdout.write(`\n${summary.toText(progress?.rate())}`);
      break;
    case "summary":
      ctx.stdout.write(summary.toText(progress?.rate()));
      break;
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
  return summary.invalid;
}

/**
 * A ledger failure that ends a run (a damaged ledger, a full disk, a lock held too long):
 * the ledger's message and advice, and what became of the book.
 */
function stopped(e: unknown, done: number, total: number): unknown {
  if (!(e instanceof LedgerError)) return e;
  const rest =
    "the batches committed before the stop are on the ledger (nothing after them was charged), and running the book again on it decides only the rest";
  return new CliError(
    `${e.message} (stopped after ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} orders)`,
    EXIT_USAGE,
    e.help === undefined ? rest : `${e.help}; ${rest}`,
  );
}

/** A progress bar on stderr, redrawn at most ten times a second. */
class Progress {
  private last = 0;
  private readonly started = Date.now();
  private shown = false;
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly ctx: Context,
  ) {}

  update(done: number): void {
    this.done = done;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = 30;
    const fraction = this.total === 0 ? 1 : done / this.total;
    const filled = Math.round(fraction * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    const rate = this.rate();
    this.ctx.stderr.write(
      `\r[${bar}] ${Math.floor(fraction * 100)}% ${done.toLocaleString("en-US")}/${this.total.toLocaleString("en-US")} orders${rate ? `, ${rate.toLocaleString("en-US")}/s` : ""}\u001b[K`,
    );
    this.shown = true;
  }

  rate(): number | undefined {
    const seconds = (Date.now() - this.started) / 1000;
    return seconds > 0 ? Math.round(this.done / seconds) : undefined;
  }

  clear(): void {
    if (this.shown) this.ctx.stderr.write("\r\u001b[K");
    this.shown = false;
  }
}

export { evalCommand };
