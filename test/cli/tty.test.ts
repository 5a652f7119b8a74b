/**
 * Behaviour that depends on a terminal: the progress bar and the reset confirmation.
 * Runs the binary under a pseudo-terminal (python3's pty module); skipped without python3.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND, ROOT, diffuse, fixture, tempDir } from "./helpers.js";

const python = spawnSync("python3", ["--version"]).status === 0;

function inTerminal(answer: string, args: readonly string[]): { code: number | null; output: string } {
  const r = spawnSync("python3", [join(ROOT, fixture("pty-run.py")), answer, process.execPath, ...COMMAND, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, output: r.stdout };
}

describe.skipIf(!python)("in a terminal", () => {
  it("draws a progress bar on stderr, and not with --quiet", () => {
    const args = ["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/orders.jsonl"), "--format", "summary"];
    const r = inTerminal("", args);
    expect(r.code).toBe(0);
    expect(r.output).toMatch(/\r\[#{30}\] 100% 8\/8 orders/);
    const quiet = inTerminal("", [...args.slice(0, -2), "--format", "jsonl", "--quiet"]);
    expect(quiet.output).not.toContain("[#");
  });

  it("asks before resetting a ledger", async () => {
    const db = join(tempDir(), "ledger.db");
    await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/orders.jsonl"), "--ledger", db, "-q"]);
    const no = inTerminal("n", ["ledger", "reset", "--ledger", db]);
    expect(no.output).toContain("delete 8 decisions and 4 charges from");
    expect(no.output).toContain("reset cancelled");
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("8 decisions");
    const yes = inTerminal("y", ["ledger", "reset", "--ledger", db]);
    expect(yes.code).toBe(0);
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("0 decisions");
  });

  it("takes Ctrl-D at the reset question for no, and Ctrl-C for an interrupt (exit 130): nothing deleted, no internal error", async () => {
    const db = join(tempDir(), "ledger.db");
    await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/orders.jsonl"), "--ledger", db, "-q"]);
    const eof = inTerminal("\x04", ["ledger", "reset", "--ledger", db]);
    expect(eof.output).not.toContain("error");
    expect(eof.output).toContain("reset cancelled");
    expect(eof.code).toBe(0);
    const interrupt = inTerminal("\x03", ["ledger", "reset", "--ledger", db]);
    expect(interrupt.output).not.toContain("error");
    expect(interrupt.output).toContain("reset cancelled");
    expect(interrupt.code).toBe(130);
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("8 decisions");
  });
});
