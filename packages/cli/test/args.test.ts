import { describe, expect, it } from "vitest";
import { parseCommand, positiveInt, usageText, type CommandHelp } from "../src/args.js";
import { UsageError } from "../src/errors.js";

const cmd = {
  name: "demo",
  synopsis: "demo FILE... [--format a|b]",
  summary: "A demo.",
  options: {
    format: { type: "string", value: "F", description: "a or b", choices: ["a", "b"] },
    quiet: { type: "boolean", short: "q", description: "quiet" },
  },
  positionals: { min: 1, max: 2, name: "FILE" },
  examples: ["diffuse demo x"],
} as const satisfies CommandHelp;

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error("expected a usage error");
}

describe("parseCommand", () => {
  it("names the missing positionals when they are named one by one", () => {
    const pair = { ...cmd, synopsis: "demo OLD NEW", positionals: { min: 2, max: 2, name: "OLD NEW" } } as const satisfies CommandHelp;
    expect(usageError(() => parseCommand(pair, ["a"])).message).toBe("missing NEW");
    expect(usageError(() => parseCommand(pair, [])).message).toBe("missing OLD and NEW");
    expect(usageError(() => parseCommand(cmd, [])).message).toBe("missing FILE");
  });

  it("parses flags and positionals", () => {
    const r = parseCommand(cmd, ["x", "--format", "b", "-q"]);
    expect(r.positionals).toEqual(["x"]);
    expect(r.values.format).toBe("b");
    expect(r.values.quiet).toBe(true);
  });

  it("turns every misuse into a usage error with the command's usage", () => {
    expect(usageError(() => parseCommand(cmd, ["x", "--nope"])).message).toBe("unknown flag `--nope`");
    expect(usageError(() => parseCommand(cmd, ["x", "-z"])).message).toBe("unknown flag `-z`");
    expect(usageError(() => parseCommand(cmd, ["x", "--format"])).message).toBe("`--format` needs a value");
    expect(usageError(() => parseCommand(cmd, ["x", "--quiet=yes"])).message).toBe("`--quiet` does not take a value");
    expect(usageError(() => parseCommand(cmd, ["x", "--format", "c"])).message).toBe("`--format` must be one of `a`, `b`, not `c`");
    expect(usageError(() => parseCommand(cmd, [])).message).toBe("missing FILE");
    const extra = usageError(() => parseCommand(cmd, ["x", "y", "z"]));
    expect(extra.message).toBe("unexpected extra argument `z`");
    expect(extra.usage).toContain("usage: diffuse demo FILE...");
    expect(extra.exitCode).toBe(2);
  });

  it("a value that starts with `-` is taken for a flag: the message says so and how to give it", () => {
    const e = usageError(() => parseCommand(cmd, ["x", "--format", "-1"]));
    expect(e.message).toBe("`--format` needs a value, and `-1` looks like a flag");
    expect(e.help).toBe("to give a value that starts with `-`, write `--format=-1`");
    const short = {
      ...cmd,
      options: { ...cmd.options, size: { type: "string", short: "s", value: "N", description: "a size" } },
    } as const satisfies CommandHelp;
    const s = usageError(() => parseCommand(short, ["x", "-s", "-q"]));
    expect(s.message).toBe("`--size` needs a value, and `-q` looks like a flag");
    expect(s.help).toBe("to give a value that starts with `-`, write `--size=-q`");
    expect(parseCommand(cmd, ["x", "--format=a"]).values.format).toBe("a");
  });

  it("refuses a flag that takes a value given twice (the last one silently won)", () => {
    const e = usageError(() => parseCommand(cmd, ["x", "--format", "a", "--format=b"]));
    expect(e.message).toBe("`--format` given twice (`a`, then `b`)");
    expect(e.help).toBe("give it once");
    expect(parseCommand(cmd, ["x", "-q", "--quiet"]).values.quiet).toBe(true);
  });

  it("lets --help through without checking the rest", () => {
    expect(parseCommand(cmd, ["--help"]).values.help).toBe(true);
  });

  it("writes usage with options and examples", () => {
    const text = usageText(cmd);
    expect(text).toMatch(/^usage: diffuse demo FILE\.\.\. \[--format a\|b\]\n/);
    expect(text).toContain("    --format F  a or b");
    expect(text).toContain("-q, --quiet     quiet");
    expect(text).toContain("examples:\n  diffuse demo x");
  });

  it("parses positive integers", () => {
    expect(positiveInt("n", undefined, 7, "")).toBe(7);
    expect(positiveInt("n", "12", 7, "")).toBe(12);
    expect(usageError(() => positiveInt("n", "-1", 7, "")).message).toBe("`--n` must be a positive integer, not `-1`");
    expect(usageError(() => positiveInt("n", "99999999999999999999", 7, "")).message).toBe(
      "`--n` must be at most 9,007,199,254,740,991, not `99999999999999999999`",
    );
    expect(usageError(() => positiveInt("n", "2147483648", 7, "", 2_147_483_647)).message).toBe("`--n` must be at most 2,147,483,647, not `2147483648`");
    expect(positiveInt("n", "2147483647", 7, "", 2_147_483_647)).toBe(2_147_483_647);
  });
});
