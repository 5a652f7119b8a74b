/**
 * Every command's usage, options and examples: loaded by `diffuse --help` and the
 * dispatcher without loading the commands themselves (which pull in the parser, the
 * formatter or the language server).
 */
import type { CommandHelp } from "../args.js";

/** `--busy-timeout MS`, for every command that records on a ledger (parsed by `busyTimeoutFlag`). */
const BUSY_TIMEOUT = { type: "string", value: "MS", description: "wait this long for another process's lock on the ledger (default 5000)" } as const;

export const checkCommand = {
  name: "check",
  synopsis: "check FILE... [--format text|json|sarif] [--quiet]",
  summary: "Check policy files: syntax, names, units, caps, rules and imports.",
  description:
    "Exit code 0 when no file has errors (warnings allowed), 1 when some file has errors,\n2 on a usage or I/O error (a missing file, a directory). Diagnostics in imported files\nare reported under the imported file's path. A quoted glob pattern is expanded here.",
  options: {
    format: {
      type: "string",
      value: "FORMAT",
      description: "text (default), json, or sarif (SARIF 2.1.0 for code scanning)",
      choices: ["text", "json", "sarif"],
    },
    quiet: { type: "boolean", short: "q", description: "text format: no closing summary line" },
  },
  positionals: { min: 1, name: "FILE" },
  examples: [
    "diffuse check policies/ai-diffusion-2025.diffuse",
    "diffuse check 'policies/*.diffuse' --format json",
    "diffuse check policies/us-advanced-computing.diffuse --format sarif > diffuse.sarif",
  ],
} as const satisfies CommandHelp;

export const evalCommand = {
  name: "eval",
  synopsis:
    "eval --policy FILE|SET --orders FILE|- [--ledger DB] [--format text|json|jsonl|summary] [--as-of DATE] [--no-charge-licenses] [--no-hints] [--batch-size N] [--busy-timeout MS] [--strict] [--quiet]",
  summary: "Evaluate an order book in date order, charging caps on a ledger.",
  description: [
    "Orders are a JSON array or JSON Lines (detected), read from a file or stdin (`-`), and",
    "decided in date order (ties keep input order), each seeing the charges of those before.",
    "Without --ledger the caps are charged on an in-memory ledger that ends with the run; with",
    "--ledger they are recorded durably, and orders already on the ledger are not charged twice;",
    "an order id given again with other content is an invalid order (field `id`), not a repeat.",
    "Invalid JSON stops the run before anything is charged (exit 2). An invalid order is",
    "reported on stderr with its position, id and field; the others are still evaluated",
    "(exit 0, or 1 with --strict). Interrupted (Ctrl-C), a run lists the invalid orders found",
    "so far and exits 130; with --ledger the committed batches stay, and a rerun decides the rest.",
    'Formats: text (a line per decision, then a summary), json ({"decisions": [...],',
    '"summary": {...}}), jsonl (a decision per line; the summary goes to stderr), summary',
    "(only the summary).",
  ].join("\n"),
  options: {
    policy: { type: "string", short: "p", value: "FILE", description: "policy file or policy set" },
    orders: { type: "string", short: "o", value: "FILE", description: "order book (JSON array or JSONL); `-` reads stdin" },
    ledger: { type: "string", short: "l", value: "DB", description: "SQLite ledger file (created if missing)" },
    format: { type: "string", value: "FORMAT", description: "text (default), json, jsonl or summary", choices: ["text", "json", "jsonl", "summary"] },
    "as-of": { type: "string", value: "DATE", description: "decide every order under the version in force on DATE (policy sets)" },
    strict: { type: "boolean", description: "exit 1 when any order is invalid" },
    "no-charge-licenses": { type: "boolean", description: "do not charge licenses under presumption of approval to caps" },
    "no-hints": { type: "boolean", description: "skip the counterfactual hints on decisions that are not authorized (faster)" },
    "batch-size": { type: "string", value: "N", description: "orders per ledger transaction (default 1000)" },
    "busy-timeout": BUSY_TIMEOUT,
    quiet: { type: "boolean", short: "q", description: "no progress bar and no summary" },
  },
  positionals: { min: 0, max: 0, name: "" },
  examples: [
    "diffuse eval --policy policies/ai-diffusion-2025.diffuse --orders policies/examples/orders.json --ledger ledger.db --format summary",
    "diffuse eval --policy policies/us-advanced-computing.diffuse --orders book.jsonl --ledger ledger.db --format jsonl > decisions.jsonl",
    "cat book.jsonl | diffuse eval -p policies/ai-diffusion-2025.diffuse -o - --format json --quiet",
  ],
} as const satisfies CommandHelp;

export const explainCommand = {
  name: "explain",
  synopsis: "explain --policy FILE|SET --order FILE|- [--ledger DB] [--format text|json] [--as-of DATE] [--no-charge-licenses]",
  summary: "Explain one order's decision: every rule consulted, with citations and hints.",
  description: [
    "The order is decided without recording anything (a dry run). With --ledger, caps start",
    "from the ledger's usage; otherwise from zero. Exit 0 for a decided order, 1 when the",
    "order is invalid, 2 on a usage or I/O error.",
  ].join("\n"),
  options: {
    policy: { type: "string", short: "p", value: "FILE", description: "policy file or policy set" },
    order: { type: "string", value: "FILE", description: "one order as JSON; `-` reads stdin" },
    ledger: { type: "string", short: "l", value: "DB", description: "read cap usage from this SQLite ledger (not modified)" },
    format: { type: "string", value: "FORMAT", description: "text (default) or json ({decision, trace})", choices: ["text", "json"] },
    "as-of": { type: "string", value: "DATE", description: "decide under the version in force on DATE (policy sets)" },
    "no-charge-licenses": { type: "boolean", description: "do not count licenses under presumption of approval against caps" },
  },
  positionals: { min: 0, max: 0, name: "" },
  examples: [
    "diffuse explain --policy policies/ai-diffusion-2025.diffuse --order order.json",
    'echo \'{"id":"o-1","date":"2025-06-10","destination":"MY","consignee":{"id":"uni-my"},"items":[{"item":"H100","quantity":2000}]}\' | diffuse explain -p policies/ai-diffusion-2025.diffuse --order -',
    "diffuse explain -p policies/us-advanced-computing.diffuse --order order.json --ledger ledger.db --format json",
  ],
} as const satisfies CommandHelp;

export const testCommand = {
  name: "test",
  synopsis: "test [PATH...] [--junit FILE] [--quiet]",
  summary: "Run policy test files (*.test.json): orders and the decisions expected.",
  description: [
    "PATH is a test file or a folder searched recursively for *.test.json (default: the",
    "working directory). Prints a line per case and a closing `N passed, N failed`. Exit 0",
    "when every case passes, 1 when a case fails or a test file is invalid, 2 on a usage or",
    "I/O error. A quoted glob pattern is expanded here. The file format is described in",
    "docs/testing.md.",
  ].join("\n"),
  options: {
    junit: { type: "string", value: "FILE", description: "also write a JUnit XML report to FILE" },
    quiet: { type: "boolean", short: "q", description: "print only failures and the closing line" },
  },
  positionals: { min: 0, name: "PATH" },
  examples: [
    "diffuse test policies/tests",
    "diffuse test policies/tests/lpp.test.json --junit reports/policy-tests.xml",
    "diffuse test 'policies/tests/*.test.json'",
  ],
} as const satisfies CommandHelp;

export const diffCommand = {
  name: "diff",
  synopsis: "diff OLD NEW [--format text|json] [--orders BOOK]",
  summary: "Semantic differences between two versions of a policy; optionally replay a book under both.",
  description: [
    "Reports countries moved between groups, limits, keys and windows changed, items, classes,",
    "caps, exceptions and statuses added, removed or changed, and rules added, removed or",
    "reordered. With --orders, the book is evaluated under both versions (each on its own",
    "in-memory ledger) and the orders whose decision changed are listed. OLD and NEW may be",
    "libraries (files without a policy header, such as a catalog) when no book is replayed.",
    "Exit 0 when nothing differs, 1 when something does (or a side has errors), 2 on a usage or I/O error.",
  ].join("\n"),
  options: {
    format: { type: "string", value: "FORMAT", description: "text (default) or json", choices: ["text", "json"] },
    orders: { type: "string", short: "o", value: "BOOK", description: "replay this order book (JSON array or JSONL) under both versions; `-` reads stdin" },
  },
  positionals: { min: 2, max: 2, name: "OLD NEW" },
  examples: [
    "diffuse diff policies/advanced-computing-2023.diffuse policies/ai-diffusion-2025.diffuse",
    "diffuse diff old.diffuse new.diffuse --format json",
    "diffuse diff old.diffuse new.diffuse --orders policies/examples/orders.json",
  ],
} as const satisfies CommandHelp;

export const fmtCommand = {
  name: "fmt",
  synopsis: "fmt [--check|--write] [--print-width N] [--quiet] PATH...|-",
  summary: "Format policy files with prettier-plugin-diffuse.",
  description: [
    "Without a flag, prints the formatted files to stdout. --check lists the files that are",
    "not formatted and exits 1 if there are any; --write rewrites them (through a temporary",
    "file in the same folder, renamed over the file: a failure leaves the file as it was).",
    "When every file is formatted, --check says so on stderr, as --write does when it",
    "rewrote none; --quiet leaves that out, and --write's `formatted FILE` lines.",
    "A file that does not parse is reported and left alone (exit 1). A folder stands for",
    "every .diffuse file under it, and a quoted glob pattern for its matches; `-` formats the",
    "text on stdin (to stdout, or checked with --check).",
    "Options come from .prettierrc files (with their overrides) and .editorconfig, as with",
    "Prettier's own CLI (for stdin, those of the current directory); --print-width",
    "overrides them.",
  ].join("\n"),
  options: {
    check: { type: "boolean", short: "c", description: "exit 1 if a file is not formatted" },
    write: { type: "boolean", short: "w", description: "rewrite the files (each replaced at once, keeping its permissions)" },
    "print-width": { type: "string", value: "N", description: "line width (default 80)" },
    quiet: { type: "boolean", short: "q", description: "print only what is wrong: no `formatted FILE` lines and no closing line" },
  },
  positionals: { min: 1, name: "PATH" },
  examples: [
    "diffuse fmt --check policies",
    "diffuse fmt --check 'policies/**/*.diffuse'",
    "diffuse fmt --write policies/ai-diffusion-2025.diffuse",
    "diffuse fmt policies/lib/catalog.diffuse > formatted.diffuse",
    "git show HEAD:policies/ai-diffusion-2025.diffuse | diffuse fmt --check -",
  ],
} as const satisfies CommandHelp;

export const lspCommand = {
  name: "lsp",
  synopsis: "lsp --stdio",
  summary: "Run the Diffuse language server over stdio (for any LSP editor).",
  options: {
    stdio: { type: "boolean", description: "talk LSP over stdin/stdout (required)" },
  },
  positionals: { min: 0, max: 0, name: "" },
  examples: ["diffuse lsp --stdio"],
} as const satisfies CommandHelp;

export const ledgerCommand = {
  name: "ledger",
  synopsis: "ledger show|export|reset --ledger DB [--format ...] [--spreadsheet-safe] [--yes] [--busy-timeout MS]",
  summary: "Inspect, export or reset a SQLite ledger.",
  description: [
    "show    decisions per outcome and utilisation by cap, key and window (--format text|json)",
    "export  every charge, with order, outcome, policy sha256, cap, key, window, amount,",
    "        limit, order date and recording time (--format csv|jsonl; default csv)",
    "        The CSV holds every cell as recorded; a cell starting with = + - @, a tab or a",
    "        carriage return (an order id, a consignee) may run as a formula in a spreadsheet:",
    "        --spreadsheet-safe starts such text cells with ' (amounts are never changed)",
    "reset   delete every decision and charge, and scrub them from the file (VACUUM);",
    "        asks for confirmation unless --yes",
    "",
    "show and export only read the file: a ledger of an older schema is read as it is,",
    "not upgraded (eval --ledger and reset upgrade it).",
  ].join("\n"),
  options: {
    ledger: { type: "string", short: "l", value: "DB", description: "the SQLite ledger file" },
    format: { type: "string", value: "FORMAT", description: "show: text or json; export: csv or jsonl", choices: ["text", "json", "csv", "jsonl"] },
    "spreadsheet-safe": { type: "boolean", description: "csv export for a spreadsheet: a text cell that starts like a formula gets a leading '" },
    yes: { type: "boolean", short: "y", description: "reset without asking" },
    "busy-timeout": BUSY_TIMEOUT,
  },
  positionals: { min: 1, max: 1, name: "ACTION (show, export or reset)" },
  examples: [
    "diffuse ledger show --ledger ledger.db",
    "diffuse ledger export --ledger ledger.db --format jsonl > charges.jsonl",
    "diffuse ledger export --ledger ledger.db --spreadsheet-safe > charges.csv",
    "diffuse ledger reset --ledger ledger.db --yes",
  ],
} as const satisfies CommandHelp;
