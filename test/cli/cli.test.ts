import { describe, expect, it } from "vitest";
import { diffuse, hasStackTrace } from "./helpers.js";

const COMMANDS = ["check", "eval", "explain", "test", "diff", "fmt", "lsp", "ledger"];

describe("diffuse", () => {
  it("prints its version", async () => {
    const r = await diffuse(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists the commands with --help, and exits 2 with usage when given none", async () => {
    const help = await diffuse(["--help"]);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(`  ${c}`);
    const none = await diffuse([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain("usage: diffuse COMMAND");
  });

  it.each(COMMANDS)("`%s --help` shows usage, options and examples", async (command) => {
    const r = await diffuse([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: diffuse ${command}`));
    expect(r.stdout).toContain("options:");
    expect(r.stdout).toContain("examples:");
    expect(r.stdout).toContain(`diffuse ${command}`);
  });

  it("rejects an unknown command and an unknown flag with exit 2, usage and no stack trace", async () => {
    const cmd = await diffuse(["frobnicate"]);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("error: unknown command `frobnicate`");
    const flag = await diffuse(["check", "--colour", "x.diffuse"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr.split("\n")[0]).toBe("error: unknown flag `--colour`");
    expect(flag.stderr).toContain("usage: diffuse check FILE...");
    expect(hasStackTrace(flag.stderr)).toBe(false);
  });

  it("--debug adds the stack trace to an error", async () => {
    const r = await diffuse(["check", "nope.diffuse", "--debug"]);
    expect(r.code).toBe(2);
    const plain = await diffuse(["eval", "-p", "nope.diffuse", "-o", "x"]);
    expect(hasStackTrace(plain.stderr)).toBe(false);
    const debug = await diffuse(["eval", "-p", "nope.diffuse", "-o", "x", "--debug"]);
    expect(debug.stderr.split("\n")[0]).toBe("error: policy `nope.diffuse` does not exist");
    expect(hasStackTrace(debug.stderr)).toBe(true);
  });

  it("takes --debug before the command too, as the main help lists it", async () => {
    const r = await diffuse(["--debug", "eval", "-p", "nope.diffuse", "-o", "x"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("error: policy `nope.diffuse` does not exist");
    expect(hasStackTrace(r.stderr)).toBe(true);
    const version = await diffuse(["--debug", "--version"]);
    expect(version.code).toBe(0);
  });

  it("`help COMMAND` shows the command's help; an unknown command is a usage error", async () => {
    const known = await diffuse(["help", "eval"]);
    expect(known.code).toBe(0);
    expect(known.stdout).toMatch(/^usage: diffuse eval/);
    const unknown = await diffuse(["help", "evaluate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr.split("\n")[0]).toBe("error: unknown command `evaluate`");
  });

  it("rejects a bad flag value with the allowed choices", async () => {
    const r = await diffuse(["check", "--format", "xml", "x.diffuse"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: `--format` must be one of `text`, `json`, `sarif`, not `xml`");
  });
});
