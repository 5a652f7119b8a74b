import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND, ROOT, UNPRIVILEGED, diffuse, fixture, openRawDb, tempDir } from "./helpers.js";

describe("diffuse fmt", () => {
  it("--check lists unformatted files (exit 1); --write formats them; then --check passes", async () => {
    const dir = tempDir();
    const file = join(dir, "mini.diffuse");
    copyFileSync(fixture("broken.diffuse").replace("broken", "warning"), file);
    const printed = await diffuse(["fmt", file]);
    expect(printed.code).toBe(0);
    const check = await diffuse(["fmt", "--check", file]);
    if (printed.stdout === readFileSync(file, "utf8")) {
      expect(check.code).toBe(0);
    } else {
      expect(check.code).toBe(1);
      expect(check.stdout).toBe(`${file}\n`);
      const write = await diffuse(["fmt", "--write", file]);
      expect(write.code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe(printed.stdout);
      expect((await diffuse(["fmt", "--check", file])).code).toBe(0);
    }
  });

  it("says so on stderr when every file is formatted (--check) or none needed rewriting (--write); --quiet says only what is wrong", async () => {
    const dir = tempDir();
    const tidy = "group tier1 = { US GB }\n";
    const messy = "group   tier1 =   { US  GB }\n";
    writeFileSync(join(dir, "a.diffuse"), tidy);
    writeFileSync(join(dir, "b.diffuse"), tidy);
    const all = await diffuse(["fmt", "--check", "a.diffuse", "b.diffuse"], { cwd: dir });
    expect([all.code, all.stdout, all.stderr]).toEqual([0, "", "all 2 files are formatted\n"]);
    const one = await diffuse(["fmt", "--check", "a.diffuse"], { cwd: dir });
    expect([one.code, one.stdout, one.stderr]).toEqual([0, "", "a.diffuse is formatted\n"]);
    const stdin = await diffuse(["fmt", "--check", "-"], { stdin: tidy });
    expect([stdin.code, stdin.stdout, stdin.stderr]).toEqual([0, "", "the text on stdin is formatted\n"]);
    const unchanged = await diffuse(["fmt", "--write", "."], { cwd: dir });
    expect([unchanged.code, unchanged.stdout, unchanged.stderr]).toEqual([0, "", "all 2 files are already formatted\n"]);
    const quiet = await diffuse(["fmt", "--check", "--quiet", "."], { cwd: dir });
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, "", ""]);

    writeFileSync(join(dir, "b.diffuse"), messy);
    const some = await diffuse(["fmt", "--check", "-q", "."], { cwd: dir });
    expect([some.code, some.stdout, some.stderr]).toEqual([1, "b.diffuse\n", ""]);
    const loud = await diffuse(["fmt", "--check", "."], { cwd: dir });
    expect([loud.code, loud.stdout, loud.stderr]).toEqual([1, "b.diffuse\n", "1 file is not formatted; run `diffuse fmt --write` on it\n"]);
    const written = await diffuse(["fmt", "--write", "--quiet", "."], { cwd: dir });
    expect([written.code, written.stdout, written.stderr]).toEqual([0, "", ""]);
    expect(readFileSync(join(dir, "b.diffuse"), "utf8")).toBe(tidy);
    // A file that cannot be formatted is not "formatted": no confirmation.
    writeFileSync(join(dir, "c.diffuse"), "cap {{{ \n");
    const broken = await diffuse(["fmt", "--check", "."], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^c\.diffuse:\d+:\d+: error: cannot format: [^\n]*\n$/);
  }, 90_000); // several runs of the CLI, each loading prettier: slow on a loaded machine

  it("formats every .diffuse file under a folder with the options of .prettierrc and its overrides", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const dir = tempDir();
    mkdirSync(join(dir, "lib"));
    const cap = "cap c {\nlimit 5 TPP\nper consignee\nwindow calendar year\n}\n";
    writeFileSync(join(dir, "a.diffuse"), cap);
    writeFileSync(join(dir, "lib", "b.diffuse"), cap);
    writeFileSync(join(dir, "notes.txt"), "not a policy\n");
    writeFileSync(join(dir, ".prettierrc"), JSON.stringify({ tabWidth: 4, overrides: [{ files: "lib/*.diffuse", options: { useTabs: true } }] }));
    const check = await diffuse(["fmt", "--check", "."], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(`a.diffuse\n${join("lib", "b.diffuse")}\n`);
    expect((await diffuse(["fmt", "--write", "."], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, "a.diffuse"), "utf8")).toBe("cap c {\n    limit 5 TPP\n    per consignee\n    window calendar year\n}\n");
    expect(readFileSync(join(dir, "lib", "b.diffuse"), "utf8")).toBe("cap c {\n\tlimit 5 TPP\n\tper consignee\n\twindow calendar year\n}\n");
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("not a policy\n");
    const width = await diffuse(["fmt", "--print-width", "20", "a.diffuse"], { cwd: dir });
    expect(width.code).toBe(0);
  }, 90_000); // four runs of the CLI, each loading prettier: slow on a loaded machine

  it("writes what the language server's formatting fixtures expect, under a .prettierrc and under an .editorconfig", async () => {
    // The same folders packages/language-server/test/formattingConfig.test.ts formats through the server.
    const cases = join(ROOT, "packages", "language-server", "test", "fixtures", "formatting");
    const dir = tempDir();
    for (const name of ["prettierrc", "editorconfig"]) cpSync(join(cases, name), join(dir, name), { recursive: true });
    const write = await diffuse(["fmt", "--write", "prettierrc", "editorconfig"], { cwd: dir });
    expect(write.stderr).toContain("formatted ");
    expect(write.code).toBe(0);
    for (const file of ["prettierrc/policy.diffuse", "prettierrc/lib/tabs.diffuse", "editorconfig/policy.diffuse"]) {
      expect(readFileSync(join(dir, file), "utf8"), file).toBe(readFileSync(join(cases, "expected", file), "utf8"));
    }
  });

  it("reports a file that does not parse and a missing file", async () => {
    const dir = tempDir();
    const file = join(dir, "bad.diffuse");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(file, "cap {{{ \n");
    const r = await diffuse(["fmt", "--check", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.diffuse(:\d+:\d+)?: error: cannot format: /);
    expect(r.stderr).not.toMatch(/\(\d+:\d+\)$/m); // the position is given once, in front
    const missing = await diffuse(["fmt", "nope.diffuse"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: file `nope.diffuse` does not exist\n");
    const both = await diffuse(["fmt", "--check", "--write", file]);
    expect(both.code).toBe(2);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "empty"));
    const none = await diffuse(["fmt", "--check", join(dir, "empty")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`error: no \`.diffuse\` files under \`${join(dir, "empty")}\`\n`);
  });

  it.skipIf(UNPRIVILEGED === undefined)("--write reports a file it cannot write (exit 2), leaves it as it was and still formats the others", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777); // --write puts a new file beside the old one
    const messy = "group   tier1 =   { US  GB }\n";
    writeFileSync(join(dir, "a-locked.diffuse"), messy);
    chmodSync(join(dir, "a-locked.diffuse"), 0o444);
    writeFileSync(join(dir, "b-open.diffuse"), messy);
    chmodSync(join(dir, "b-open.diffuse"), 0o666);
    const r = await diffuse(["fmt", "--write", "a-locked.diffuse", "b-open.diffuse"], { cwd: dir, user: UNPRIVILEGED ?? {} });
    expect(r.stderr).toBe(
      "error: cannot write file `a-locked.diffuse`: eacces\nhelp: make it writable, then run `diffuse fmt --write` on it again\nformatted b-open.diffuse\n",
    );
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "a-locked.diffuse"), "utf8")).toBe(messy);
    expect(readFileSync(join(dir, "b-open.diffuse"), "utf8")).toBe("group tier1 = { US GB }\n");
  });

  it("--write keeps each file's permissions, writes a symlink's target, and leaves no temporary file", async () => {
    const dir = tempDir();
    const messy = "group   tier1 =   { US  GB }\n";
    for (const [name, mode] of [
      ["private.diffuse", 0o600],
      ["shared.diffuse", 0o664],
      ["script.diffuse", 0o750],
    ] as const) {
      writeFileSync(join(dir, name), messy);
      chmodSync(join(dir, name), mode);
    }
    // Root formats a file another user owns: it stays theirs.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(join(dir, "shared.diffuse"), 65534, 65534);
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real", "linked.diffuse"), messy);
    symlinkSync(join("real", "linked.diffuse"), join(dir, "link.diffuse"));
    // A file with another hard link is written in place: both names keep showing one text.
    writeFileSync(join(dir, "real", "hard.diffuse"), messy);
    linkSync(join(dir, "real", "hard.diffuse"), join(dir, "real", "hard-copy.txt"));
    const r = await diffuse(["fmt", "--write", "private.diffuse", "shared.diffuse", "script.diffuse", "link.diffuse", "real/hard.diffuse"], { cwd: dir });
    expect(r.stderr).toBe(
      "formatted private.diffuse\nformatted shared.diffuse\nformatted script.diffuse\nformatted link.diffuse\nformatted real/hard.diffuse\n",
    );
    expect(r.code).toBe(0);
    const formatted = "group tier1 = { US GB }\n";
    for (const [name, mode] of [
      ["private.diffuse", 0o600],
      ["shared.diffuse", 0o664],
      ["script.diffuse", 0o750],
    ] as const) {
      expect(readFileSync(join(dir, name), "utf8"), name).toBe(formatted);
      expect(statSync(join(dir, name)).mode & 0o777, name).toBe(mode);
    }
    if (asRoot) expect(statSync(join(dir, "shared.diffuse"))).toMatchObject({ uid: 65534, gid: 65534 });
    expect(lstatSync(join(dir, "link.diffuse")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "real", "linked.diffuse"), "utf8")).toBe(formatted);
    expect(readFileSync(join(dir, "real", "hard-copy.txt"), "utf8")).toBe(formatted);
    expect(readdirSync(dir).sort()).toEqual(["link.diffuse", "private.diffuse", "real", "script.diffuse", "shared.diffuse"]);
    expect(readdirSync(join(dir, "real")).sort()).toEqual(["hard-copy.txt", "hard.diffuse", "linked.diffuse"]);
  });

  it.skipIf(process.platform === "win32")(
    "--write that fails midway (a file size limit, as a full disk would) leaves the file as it was, with no temporary file",
    () => {
      const dir = tempDir();
      const messy = Array.from({ length: 300 }, (_, i) => `group   g${i} =   { US  GB }`).join("\n") + "\n";
      writeFileSync(join(dir, "big.diffuse"), messy);
      // `ulimit -f 4`: no file may grow past 4 KiB (Node ignores SIGXFSZ: the write fails with EFBIG).
      const r = spawnSync("bash", ["-c", 'ulimit -f 4 && exec "$@"', "bash", process.execPath, ...COMMAND, "fmt", "--write", "big.diffuse"], {
        cwd: dir,
        encoding: "utf8",
      });
      expect(r.stderr).toBe("error: cannot write file `big.diffuse`: efbig; it is left as it was\n");
      expect(r.status).toBe(2);
      expect(readFileSync(join(dir, "big.diffuse"), "utf8")).toBe(messy);
      expect(readdirSync(dir)).toEqual(["big.diffuse"]);
    },
  );

  it.skipIf(UNPRIVILEGED === undefined)("--write reports a writable file in a folder it cannot write (exit 2), and leaves it as it was", async () => {
    const dir = tempDir();
    const messy = "group   tier1 =   { US  GB }\n";
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked", "a.diffuse"), messy);
    chmodSync(join(dir, "locked", "a.diffuse"), 0o666);
    chmodSync(join(dir, "locked"), 0o555);
    chmodSync(dir, 0o755);
    const r = await diffuse(["fmt", "--write", "locked/a.diffuse"], { cwd: dir, user: UNPRIVILEGED ?? {} });
    expect(r.stderr).toBe(
      "error: cannot write file `locked/a.diffuse`: its folder cannot be written: eacces\nhelp: `fmt --write` replaces a file through a new file beside it: make the folder writable, then run `diffuse fmt --write` on it again\n",
    );
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, "locked", "a.diffuse"), "utf8")).toBe(messy);
    expect(readdirSync(join(dir, "locked"))).toEqual(["a.diffuse"]);
  });

  it("refuses a file that is not UTF-8, naming the first byte that is not, and leaves it as it was", async () => {
    const dir = tempDir();
    // Latin-1 "Müller": decoded as UTF-8 it would be written back as U+FFFD.
    const latin1 = Buffer.from("group   g = { US }\n// M\xfcller\n", "latin1");
    writeFileSync(join(dir, "latin1.diffuse"), latin1);
    const error = "error: file `latin1.diffuse` is not UTF-8: byte 0xfc at line 2, column 5\nhelp: Diffuse files are UTF-8: save it as UTF-8, then format it\n";
    for (const flag of ["--write", "--check"]) {
      const r = await diffuse(["fmt", flag, "latin1.diffuse"], { cwd: dir });
      expect(r.stderr, flag).toBe(error);
      expect(r.code, flag).toBe(2);
      expect(readFileSync(join(dir, "latin1.diffuse")).equals(latin1), flag).toBe(true);
    }
    const stdin = await diffuse(["fmt", "-"], { stdin: "group g = { US }\n// caf\u00e9\n" });
    expect(stdin.code).toBe(0); // UTF-8, with a character past ASCII
  });

  it("formats stdin with `-`: to stdout, or checked with --check; never rewritten", async () => {
    const messy = "group   tier1 =   { US  GB }\n";
    const out = await diffuse(["fmt", "-"], { stdin: messy });
    expect(out.code).toBe(0);
    expect(out.stdout).toBe("group tier1 = { US GB }\n");
    const check = await diffuse(["fmt", "--check", "-"], { stdin: messy });
    expect(check.code).toBe(1);
    expect(check.stdout).toBe("<stdin>\n");
    expect(check.stderr).toBe("the text on stdin is not formatted; `diffuse fmt -` prints it formatted\n");
    expect((await diffuse(["fmt", "--check", "-"], { stdin: out.stdout })).code).toBe(0);
    const broken = await diffuse(["fmt", "-"], { stdin: "group a = { US \n" });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^<stdin>:1:\d+: error: cannot format: /);
    const write = await diffuse(["fmt", "--write", "-"], { stdin: messy });
    expect(write.code).toBe(2);
    expect(write.stderr).toMatch(/^error: `--write` cannot rewrite stdin\nhelp: without --write the formatted text goes to stdout\n/);
    expect((await diffuse(["fmt", "-", "-"], { stdin: messy })).code).toBe(2);
  });
});

describe.skipIf(UNPRIVILEGED === undefined)("a path the user may not read", () => {
  it("is an error naming it (exit 2) for fmt, test and check, not an internal error", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked", "a.diffuse"), "group g = { US }\n");
    writeFileSync(join(dir, "locked", "a.test.json"), "{}");
    writeFileSync(join(dir, "open.diffuse"), "group g = { US }\n");
    chmodSync(join(dir, "open.diffuse"), 0o644);
    chmodSync(join(dir, "locked"), 0o700);
    const user = UNPRIVILEGED ?? {};
    const fmtFolder = await diffuse(["fmt", "--check", "."], { cwd: dir, user });
    expect(fmtFolder.stderr).toBe("error: cannot read folder `locked`: eacces\n");
    expect(fmtFolder.code).toBe(2);
    const fmtFiles = await diffuse(["fmt", "--check", "locked/a.diffuse", "open.diffuse"], { cwd: dir, user });
    expect(fmtFiles.stderr).toBe("error: cannot read file `locked/a.diffuse`: eacces\n");
    expect(fmtFiles.code).toBe(2);
    const test = await diffuse(["test", "."], { cwd: dir, user });
    expect(test.stderr).toBe("error: cannot read folder `locked`: eacces\n");
    expect(test.code).toBe(2);
    const check = await diffuse(["check", "locked/a.diffuse"], { cwd: dir, user });
    expect(check.stderr).toContain("error: cannot read policy `locked/a.diffuse`: eacces\n");
    expect(check.stderr).not.toContain("internal error");
    expect(check.code).toBe(2);
  });
});

describe("diffuse ledger", () => {
  async function ledgerWithBook(): Promise<string> {
    const db = join(tempDir(), "ledger.db");
    const r = await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/orders.jsonl"), "--ledger", db, "-q"]);
    expect(r.code).toBe(0);
    return db;
  }

  it("shows decisions per outcome and utilisation by cap and key", async () => {
    const db = await ledgerWithBook();
    const text = await diffuse(["ledger", "show", "--ledger", db]);
    expect(text.code).toBe(0);
    const relative = await diffuse(["ledger", "show", "--ledger", "ledger.db"], { cwd: dirname(db) });
    expect(relative.stdout.split("\n")[0]).toBe("ledger ledger.db (schema 4)");
    expect(text.stdout).toContain("8 decisions, 4 charges");
    expect(text.stdout).toMatch(/used\s+limit\s+used %\s+charges\n/);
    expect(text.stdout).toMatch(/country_cap\s+MY\s+2025-01-01\.\.2027-12-31\s+965,752\s+1,000,000\s+96\.5%\s+2/);
    expect(text.stdout).not.toContain("note:");
    const json = JSON.parse((await diffuse(["ledger", "show", "--ledger", db, "--format", "json"])).stdout) as {
      decisions: number;
      outcomes: Record<string, number>;
      caps: { cap: string; key: string; used: string; limit: string }[];
    };
    expect(json.decisions).toBe(8);
    expect(json.outcomes).toEqual({ authorized: 4, "license-required": 4 });
    expect(json.caps).toContainEqual({ cap: "small_limit", key: "c-my", window: "2025", used: "94992", limit: "100000", charges: 1 });
  });

  it("reads a ledger of an older schema without upgrading it; eval upgrades it", async () => {
    const db = await ledgerWithBook();
    // The ledger as the previous Diffuse (schema 3) wrote it: no order digests.
    const raw = openRawDb(db);
    raw.prepare("ALTER TABLE decisions DROP COLUMN order_digest").run();
    raw.prepare("DELETE FROM schema_version WHERE version = 4").run();
    raw.close();
    const schema = (): number => {
      const r = openRawDb(db, true);
      try {
        return (r.prepare("SELECT MAX(version) FROM schema_version").raw().all()[0] as number[])[0] as number;
      } finally {
        r.close();
      }
    };
    expect(schema()).toBe(3);
    const bytes = readFileSync(db);
    const show = await diffuse(["ledger", "show", "--ledger", db]);
    expect(show.code).toBe(0);
    expect(show.stdout.split("\n")[0]).toBe(
      `ledger ${db} (schema 3; the file is left as it is until \`diffuse eval --ledger\` records on it, upgrading it to schema 4)`,
    );
    expect(show.stdout).toContain("8 decisions, 4 charges");
    expect(JSON.parse((await diffuse(["ledger", "show", "--ledger", db, "--format", "json"])).stdout)).toMatchObject({ schemaVersion: 3, decisions: 8 });
    expect((await diffuse(["ledger", "export", "--ledger", db])).stdout.trim().split("\n")).toHaveLength(5);
    const explain = await diffuse(["explain", "-p", fixture("mini.diffuse"), "--order", "-", "--ledger", db], {
      stdin: JSON.stringify({ id: "o-2", date: "2025-02-01", destination: "MY", consignee: { id: "c-my" }, items: [{ item: "H100", quantity: 6 }] }),
    });
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("already decided");
    expect(schema()).toBe(3);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    // Recording on it upgrades it.
    expect((await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/orders.jsonl"), "--ledger", db, "-q"])).code).toBe(0);
    expect(schema()).toBe(4);
  });

  it("exports every charge as CSV and as JSONL", async () => {
    const db = await ledgerWithBook();
    const csv = await diffuse(["ledger", "export", "--ledger", db]);
    const rows = csv.stdout.trim().split("\n");
    expect(rows[0]).toBe("order_id,outcome,policy_sha256,cap,key,window,amount,limit,order_date,recorded_at");
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^o-2,authorized,[0-9a-f]{64},small_limit,c-my,2025,94992,100000,2025-02-01,\d{4}-\d\d-\d\dT/);
    const jsonl = await diffuse(["ledger", "export", "--ledger", db, "--format", "jsonl"]);
    const first = JSON.parse(jsonl.stdout.split("\n")[0] ?? "") as Record<string, string>;
    expect(first).toMatchObject({ orderId: "o-2", cap: "small_limit", key: "c-my", amount: "94992", orderDate: "2025-02-01" });
  });

  it("exports cells a spreadsheet would take for formulas as recorded, with a warning; --spreadsheet-safe neutralises them, never an amount", async () => {
    const db = join(tempDir(), "ledger.db");
    expect((await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", fixture("books/formula-cells.jsonl"), "--ledger", db, "-q"])).code).toBe(0);
    /** The rows after the header, the policy hash and the recording time left out. */
    const rows = (stdout: string): string[] =>
      stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((r) => r.replace(/,[0-9a-f]{64},/, ",SHA,").replace(/,\d{4}-\d\d-\d\dT[^,]*$/, ""));
    const exact = await diffuse(["ledger", "export", "--ledger", db]);
    expect(exact.code).toBe(0);
    expect(rows(exact.stdout)).toEqual([
      `"=HYPERLINK(""http://example.invalid"",""open"")",authorized,SHA,small_limit,+cmd|' /C calc'!A0,2025,15832,100000,2025-02-01`,
      "-2+3,authorized,SHA,small_limit,@SUM(1),2025,15832,100000,2025-02-02",
      "o-tab,authorized,SHA,small_limit,\tc-tab,2025,15832,100000,2025-02-03",
      `o-cr,authorized,SHA,small_limit,"\rc-cr",2025,15832,100000,2025-02-04`,
      `o-plain,authorized,SHA,small_limit,"c-my,a ""quoted"" name",2025,15832,100000,2025-02-05`,
    ]);
    expect(exact.stderr).toBe(
      "warning: 6 cells start with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet may run as a formula\nhelp: to open the export in a spreadsheet, export it with `--spreadsheet-safe`\n",
    );
    const safe = await diffuse(["ledger", "export", "--ledger", db, "--spreadsheet-safe"]);
    expect(safe.code).toBe(0);
    expect(safe.stderr).toBe("");
    expect(safe.stdout.split("\n")[0]).toBe("order_id,outcome,policy_sha256,cap,key,window,amount,limit,order_date,recorded_at");
    expect(rows(safe.stdout)).toEqual([
      `"'=HYPERLINK(""http://example.invalid"",""open"")",authorized,SHA,small_limit,"'+cmd|' /C calc'!A0",2025,15832,100000,2025-02-01`,
      `"'-2+3",authorized,SHA,small_limit,"'@SUM(1)",2025,15832,100000,2025-02-02`,
      `o-tab,authorized,SHA,small_limit,"'\tc-tab",2025,15832,100000,2025-02-03`,
      `o-cr,authorized,SHA,small_limit,"'\rc-cr",2025,15832,100000,2025-02-04`,
      `o-plain,authorized,SHA,small_limit,"c-my,a ""quoted"" name",2025,15832,100000,2025-02-05`,
    ]);
    for (const misplaced of [["export", "--format", "jsonl"], ["show"]]) {
      const r = await diffuse(["ledger", ...misplaced, "--ledger", db, "--spreadsheet-safe"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: `--spreadsheet-safe` applies only to `ledger export --format csv`\n/);
    }
  });

  it("calls a ledger missing a table only export reads damaged, with nothing on stdout", async () => {
    const db = await ledgerWithBook();
    const raw = openRawDb(db);
    raw.prepare("DROP TABLE policies").run();
    raw.close();
    for (const format of ["csv", "jsonl"]) {
      const r = await diffuse(["ledger", "export", "--ledger", db, "--format", format]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`error: ledger \`${db}\` is damaged: no such table: policies\nhelp: restore it from a backup\n`);
    }
  });

  it("resets only with confirmation (--yes when stdin is not a terminal)", async () => {
    const db = await ledgerWithBook();
    const refused = await diffuse(["ledger", "reset", "--ledger", db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe("error: refusing to reset the ledger without confirmation\nhelp: pass `--yes` to reset without asking\n");
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("8 decisions");
    const reset = await diffuse(["ledger", "reset", "--ledger", db, "--yes"]);
    expect(reset.code).toBe(0);
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("0 decisions, 0 charges");
  });

  it("reset leaves nothing of the deleted decisions readable in the ledger file or its WAL", async () => {
    const dir = tempDir();
    const db = join(dir, "ledger.db");
    const book = join(dir, "book.jsonl");
    writeFileSync(
      book,
      `${JSON.stringify({ id: "zq-secret-order", date: "2025-02-01", destination: "MY", consignee: { id: "zq-secret-consignee" }, items: [{ item: "H100", quantity: 1 }] })}\n`,
    );
    expect((await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", book, "--ledger", db, "-q"])).code).toBe(0);
    const holds = (text: string): boolean =>
      [db, `${db}-wal`].some((f) => statSync(f, { throwIfNoEntry: false }) !== undefined && readFileSync(f).includes(text));
    expect(holds("zq-secret-order")).toBe(true);
    const reset = await diffuse(["ledger", "reset", "--ledger", db, "--yes"]);
    expect(reset.code).toBe(0);
    expect(reset.stderr).toBe(`ledger \`${db}\` reset\n`);
    expect(holds("zq-secret-order")).toBe(false);
    expect(holds("zq-secret-consignee")).toBe(false);
    // Another process in the middle of a read keeps the WAL's pages: the reset says so.
    expect((await diffuse(["eval", "-p", fixture("mini.diffuse"), "-o", book, "--ledger", db, "-q"])).code).toBe(0);
    const reader = openRawDb(db);
    try {
      reader.prepare("BEGIN").run();
      reader.prepare("SELECT COUNT(*) FROM decisions").raw().all();
      const kept = await diffuse(["ledger", "reset", "--ledger", db, "--yes"]);
      expect(kept.code).toBe(0);
      expect(kept.stderr).toBe(
        `ledger \`${db}\` reset\nwarning: the deleted decisions may still be read from the file: another process is reading the ledger: \`${db}-wal\` keeps the deleted rows until it stops\nhelp: run \`diffuse ledger reset\` on it again once no other process has it open\n`,
      );
    } finally {
      reader.prepare("COMMIT").run();
      reader.close();
    }
    expect(holds("zq-secret-order")).toBe(false);
  });

  it("waits --busy-timeout for a lock another process holds, as its advice says, before failing a reset", async () => {
    const db = await ledgerWithBook();
    const holder = openRawDb(db);
    holder.prepare("BEGIN IMMEDIATE").run();
    let waited: ReturnType<typeof diffuse> | undefined;
    try {
      const locked = await diffuse(["ledger", "reset", "--ledger", db, "--yes", "--busy-timeout", "100"]);
      expect(locked.code).toBe(2);
      expect(locked.stderr).toBe(
        `error: ledger \`${db}\` is locked by another process\nhelp: wait for the other process to finish, or raise the wait with --busy-timeout\n`,
      );
      const bad = await diffuse(["ledger", "reset", "--ledger", db, "--yes", "--busy-timeout", "0"]);
      expect(bad.stderr).toMatch(/^error: `--busy-timeout` must be a positive integer, not `0`\n/);
      // Released while the reset waits: it goes through.
      waited = diffuse(["ledger", "reset", "--ledger", db, "--yes", "--busy-timeout", "120000"]);
      await new Promise((done) => setTimeout(done, 1500));
    } finally {
      holder.prepare("ROLLBACK").run();
      holder.close();
    }
    expect((await waited).code).toBe(0);
    expect((await diffuse(["ledger", "show", "--ledger", db])).stdout).toContain("0 decisions, 0 charges");
  });

  it("reports a missing ledger, an unknown action and a misplaced format", async () => {
    const missing = await diffuse(["ledger", "show", "--ledger", "nope.db"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: ledger `nope.db` does not exist\n");
    const action = await diffuse(["ledger", "drop", "--ledger", "x.db"]);
    expect(action.code).toBe(2);
    expect(action.stderr).toMatch(/^error: unknown ledger action `drop`/);
    const format = await diffuse(["ledger", "show", "--ledger", "x.db", "--format", "csv"]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/^error: `--format csv` does not apply to `ledger show`/);
  });
});

describe("diffuse ledger on a file that is not a ledger", () => {
  it("names it as given; show, export and reset advise a ledger eval wrote, eval a new file", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.db"), "these are notes, not an SQLite database; ".repeat(4));
    for (const action of [["show"], ["export"], ["reset", "--yes"]]) {
      const r = await diffuse(["ledger", ...action, "--ledger", "notes.db"], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        "error: ledger `notes.db` is not a Diffuse ledger (not an SQLite database)\nhelp: give the path of a ledger that `diffuse eval --ledger` wrote\n",
      );
    }
    const evalRun = await diffuse(
      ["eval", "-p", join(ROOT, fixture("mini.diffuse")), "-o", join(ROOT, fixture("books/orders.jsonl")), "--ledger", "notes.db", "-q"],
      { cwd: dir },
    );
    expect(evalRun.code).toBe(2);
    expect(evalRun.stderr).toBe("error: ledger `notes.db` is not a Diffuse ledger (not an SQLite database)\nhelp: give a new file name to start a ledger\n");
  });
});

describe("diffuse ledger on an empty file", () => {
  it("refuses it (exit 2) and leaves it empty: show, export and reset never create a ledger", async () => {
    const db = join(tempDir(), "empty.db");
    writeFileSync(db, "");
    for (const action of [["show"], ["export"], ["reset", "--yes"]]) {
      const r = await diffuse(["ledger", ...action, "--ledger", db]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `error: ledger \`${db}\` is empty: it holds no Diffuse ledger\nhelp: give the path of a ledger that \`diffuse eval --ledger\` wrote\n`,
      );
      expect(statSync(db).size).toBe(0);
    }
  });
});

describe("diffuse lsp", () => {
  it("needs --stdio", async () => {
    const r = await diffuse(["lsp"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: `diffuse lsp` needs `--stdio`/);
  });

  it("answers initialize over stdio and exits cleanly on shutdown and exit", async () => {
    const child = spawn(process.execPath, [...COMMAND, "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    const send = (m: unknown): void => {
      const body = JSON.stringify(m);
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    let out = "";
    const waitFor = (text: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${text} in ${out.slice(0, 200)}`)), 20_000);
        const check = (): void => {
          if (out.includes(text)) {
            clearTimeout(timer);
            child.stdout.off("data", check);
            resolve();
          }
        };
        child.stdout.on("data", check);
        check();
      });
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    await waitFor('"id":1');
    expect(out).toContain('"capabilities"');
    send({ jsonrpc: "2.0", method: "initialized", params: {} });
    send({ jsonrpc: "2.0", id: 2, method: "shutdown", params: null });
    await waitFor('"id":2');
    send({ jsonrpc: "2.0", method: "exit" });
    expect(await exited).toBe(0);
  });
});
