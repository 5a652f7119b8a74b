/**
 * Property: whatever the arguments, `diffuse` answers with an exit code of 0, 1 or 2 and,
 * on failure, a message: never an internal error, never a stack trace.
 *
 * The arguments are drawn from the commands' own specs (commands/specs.ts): a command,
 * then flags of that command (long, short, `--flag=value`, misspelt or unknown ones),
 * each string flag followed by a value, and positionals. Values come from a pool of the
 * kinds a user gives: the CLI fixtures (policies that check, warn or do not parse, books,
 * an order, test files, folders), paths that do not exist, a file that is not a ledger,
 * `-` (stdin, fed a random one of those files or nothing), dates and numbers good and bad,
 * format names and odd text. Everything runs in a copy of the fixtures in a temporary
 * folder (so `fmt --write`, `--ledger` and `--junit` write there), in this process
 * through `main` (spawning the binary for each case would be too slow). `lsp` is left
 * out: it would take over this process's stdin and stdout.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandHelp } from "../src/args.js";
import type { Context } from "../src/context.js";
import { MemorySink } from "../src/io.js";
import { COMMANDS, main } from "../src/main.js";

const FIXTURES = resolve(import.meta.dirname, "../../../test/fixtures/cli");
const dir = mkdtempSync(join(tmpdir(), "diffuse-argv-"));
cpSync(FIXTURES, dir, { recursive: true });
writeFileSync(join(dir, "not-a-ledger.db"), "this is not SQLite\n");
writeFileSync(join(dir, "empty.json"), "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  // A ledger to show, export and reset.
  const ctx = context("");
  expect(
    await main(["eval", "-p", "mini.diffuse", "-o", "books/orders.jsonl", "--ledger", "ledger.db", "--format", "summary", "--quiet"], ctx),
    ctx.stderr.text,
  ).toBe(0);
});

const FILES = [
  "mini.diffuse",
  "broken.diffuse",
  "warning.diffuse",
  "diff/v2.diffuse",
  "lib/catalog.diffuse",
  "books/orders.jsonl",
  "books/bad-json.jsonl",
  "books/mixed.jsonl",
  "books/pretty.json",
  "books/reused-id.jsonl",
  "order-my.json",
  "tests/mini.test.json",
  "tests/failing.test.json",
  "empty.json",
];
const VALUES = [
  ...FILES,
  "tests",
  "books",
  ".",
  "missing.diffuse",
  "missing/dir/file.json",
  "mini.diffuse/under-a-file.json",
  "ledger.db",
  "not-a-ledger.db",
  "report.xml",
  "-",
  "",
  "0",
  "-1",
  "1",
  "1000",
  "1e999",
  "99999999999999999999",
  "abc",
  "2025-06-10",
  "2025-13-40",
  "text",
  "json",
  "jsonl",
  "sarif",
  "csv",
  "summary",
  "show",
  "export",
  "reset",
  "*.diffuse",
  "[",
  "--",
  "=",
  " ",
  "é",
  "x".repeat(300),
];
const STDINS = ["", "{", "not json at all\n", ...FILES.filter((f) => f.endsWith(".json") || f.endsWith(".jsonl") || f.endsWith(".diffuse"))];

const value = fc.constantFrom(...VALUES);
const commands = COMMANDS.map((c) => c.help).filter((h) => h.name !== "lsp");

/** One flag of `help` as it may be written, with its value when it takes one. */
function flag(help: CommandHelp): fc.Arbitrary<string[]> {
  const options = [...Object.entries(help.options), ["debug", { type: "boolean" }] as const];
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(fc.constantFrom(...options), value, fc.nat(3)).map(([[name, o], v, form]) => {
        const short = "short" in o && typeof o.short === "string" ? o.short : undefined;
        if (o.type !== "string") return form === 0 && short !== undefined ? [`-${short}`] : form === 1 ? [`--${name}=${v}`] : [`--${name}`];
        if (form === 0 && short !== undefined) return [`-${short}`, v];
        if (form === 1) return [`--${name}=${v}`];
        if (form === 2) return [`--${name}`]; // the value left out
        return [`--${name}`, v];
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom<string[]>(["--bogus"], ["-z"], ["--"], ["--help"], ["--no-hints"], ["--format"], ["-"]) },
  );
}

/**
 * What a command needs before it does anything but report a usage error: its required
 * flags and positionals, each given a path (or `-`). Half the cases start with these, so
 * that most reach the command's work rather than the argument parser.
 */
const path = fc.constantFrom(...FILES, "-", "ledger.db", "not-a-ledger.db", "missing.diffuse");
const NEEDS: Readonly<Record<string, fc.Arbitrary<string[]>>> = {
  check: fc.array(path, { minLength: 1, maxLength: 2 }),
  eval: fc.tuple(path, path).map(([p, o]) => ["--policy", p, "--orders", o]),
  explain: fc.tuple(path, path).map(([p, o]) => ["--policy", p, "--order", o]),
  test: fc.array(path, { maxLength: 2 }),
  diff: fc.tuple(path, path),
  fmt: fc.array(path, { minLength: 1, maxLength: 2 }),
  ledger: fc.tuple(fc.constantFrom("show", "export", "reset"), path).map(([action, db]) => [action, "--ledger", db]),
};

const argv: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc
      .constantFrom(...commands)
      .chain((help) =>
        fc
          .tuple(
            fc.option(NEEDS[help.name] ?? fc.constant<string[]>([]), { nil: [] as string[] }),
            fc.array(flag(help), { maxLength: 4 }),
            fc.array(value, { maxLength: 2 }),
            fc.boolean(),
          )
          .map(([needs, flags, positionals, first]) => [
            help.name,
            ...needs,
            ...(first ? [...positionals, ...flags.flat()] : [...flags.flat(), ...positionals]),
          ]),
      ),
  },
  { weight: 1, arbitrary: fc.array(value, { maxLength: 3 }) },
);

function context(stdin: string): Context & { stdout: MemorySink; stderr: MemorySink } {
  const text = stdin === "" || !FILES.includes(stdin) ? stdin : readFileSync(join(dir, stdin), "utf8");
  return { stdout: new MemorySink(), stderr: new MemorySink(), stdin: Readable.from([Buffer.from(text)]), cwd: dir, version: "test" };
}

describe("paths that cannot be looked at", () => {
  // Node's stat throws for a path through a file (ENOTDIR) and for a name too long
  // (ENAMETOOLONG), even when told not to throw for a missing file: each of these was an
  // internal error. (A folder that may not be entered, EACCES, takes the same way.)
  const long = "x".repeat(300);
  it.each([
    [
      "eval: orders under a file",
      ["eval", "-p", "mini.diffuse", "-o", "mini.diffuse/book.jsonl"],
      "error: cannot read orders `mini.diffuse/book.jsonl`: enotdir",
    ],
    ["eval: orders with a name too long", ["eval", "-p", "mini.diffuse", "-o", long], `error: cannot read orders \`${long}\`: enametoolong`],
    [
      "eval: a ledger under a file",
      ["eval", "-p", "mini.diffuse", "-o", "books/orders.jsonl", "--ledger", "mini.diffuse/l.db"],
      "error: cannot open ledger `mini.diffuse/l.db`: ENOTDIR: not a directory",
    ],
    [
      "explain: a ledger under a file",
      ["explain", "-p", "mini.diffuse", "--order", "order-my.json", "--ledger", "mini.diffuse/l.db"],
      "error: cannot read ledger `mini.diffuse/l.db`: enotdir",
    ],
    ["ledger show: a ledger under a file", ["ledger", "show", "--ledger", "mini.diffuse/l.db"], "error: cannot read ledger `mini.diffuse/l.db`: enotdir"],
    ["ledger export: a ledger with a name too long", ["ledger", "export", "--ledger", long], `error: cannot read ledger \`${long}\`: enametoolong`],
    [
      "test: a JUnit report under a file",
      ["test", "tests", "--junit", "mini.diffuse/report.xml"],
      "error: cannot write JUnit report `mini.diffuse/report.xml`: enotdir",
    ],
    ["test: a JUnit report with a name too long", ["test", "tests", "--junit", long], `error: cannot write JUnit report \`${long}\`: enametoolong`],
    [
      "diff: orders under a file",
      ["diff", "mini.diffuse", "mini.diffuse", "--orders", "mini.diffuse/book.jsonl"],
      "error: cannot read orders `mini.diffuse/book.jsonl`: enotdir",
    ],
    ["diff: orders with a name too long", ["diff", "mini.diffuse", "mini.diffuse", "--orders", long], `error: cannot read orders \`${long}\`: enametoolong`],
  ])("%s", async (_name, args, message) => {
    const ctx = context("");
    expect(await main(args, ctx)).toBe(2);
    expect(ctx.stderr.text.split("\n").find((l) => l.startsWith("error: "))).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });
});

describe("diffuse with arguments drawn from its flags", () => {
  it("exits 0, 1 or 2 and never reports an internal error or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(argv, fc.constantFrom(...STDINS), async (args, stdin) => {
        const ctx = context(stdin);
        const code = await main(args, ctx);
        const stderr = ctx.stderr.text;
        expect([0, 1, 2], stderr).toContain(code);
        expect(stderr).not.toMatch(/internal error/);
        if (!args.includes("--debug")) expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        // a failure says what went wrong (`diffuse` alone prints its usage)
        if (code === 2) expect(args.length === 0 ? ctx.stdout.text : stderr).toMatch(/^(error|usage): /m);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
