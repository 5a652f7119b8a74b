/**
 * `diffuse eval --ledger` when the ledger file fails during a run: the run stops (exit 2)
 * with the ledger's message and what became of the book, the batches committed before
 * stay committed, nothing after them is charged, and no order is decided `invalid`
 * because of the file.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffuse, fixture, hasStackTrace, ledgerContent, openRawDb, ROOT, tempDir, UNPRIVILEGED, writeBook, type RawDb } from "./helpers.js";

const POLICY = fixture("mini.diffuse");
const BOOK = fixture("books/orders.jsonl");
const READ_ONLY_HELP = "make the ledger file (and its `-wal` and `-shm` files, if there are any) writable, or give another ledger file";

/** The order ids a ledger file holds, in recording order (read raw: the file may be damaged). */
function recordedIds(db: string): string[] {
  const raw = openRawDb(db, true);
  try {
    return raw
      .prepare("SELECT order_id FROM decisions ORDER BY id")
      .raw()
      .all()
      .map((r) => (r as [string])[0]);
  } finally {
    raw.close();
  }
}

describe("a damaged ledger found during a run", () => {
  it("stops the run (exit 2) after the batches committed, with no order decided invalid", async () => {
    const dir = tempDir();
    const db = join(dir, "ledger.db");
    expect((await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"])).code).toBe(0);
    const raw = openRawDb(db);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff' WHERE id = 1").run();
    raw.close();

    // Eight new orders dated before the recorded ones (two batches of 4 that never read
    // the damaged block), then the recorded ones: the third batch looks o-1 up.
    const recorded = readFileSync(BOOK, "utf8");
    const fresh = recorded
      .trimEnd()
      .split("\n")
      .map((line, i) => line.replace(/"id":"o-(\d)","date":"[^"]*"/, `"id":"n-$1","date":"2025-01-0${i + 1}"`))
      .join("\n");
    const book = join(dir, "book.jsonl");
    writeFileSync(book, `${fresh}\n${recorded}`);

    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--ledger", db, "--format", "jsonl", "--batch-size", "4"]);
    expect(r.code).toBe(2);
    const decided = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { order: string; outcome: string });
    expect(decided.map((d) => d.order)).toEqual(["n-1", "n-2", "n-3", "n-4", "n-5", "n-6", "n-7", "n-8"]);
    expect(decided.some((d) => d.outcome === "invalid")).toBe(false);
    expect(r.stderr).toMatch(
      /^error: ledger `.*ledger\.db` is damaged: decision block 1 cannot be read: .* \(stopped after 8 of 16 orders\)\nhelp: restore it from a backup; the batches committed before the stop are on the ledger \(nothing after them was charged\), and running the book again on it decides only the rest\n$/,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(recordedIds(db)).toEqual(["o-1", "o-2", "o-3", "o-4", "o-5", "o-6", "o-7", "o-8", "n-1", "n-2", "n-3", "n-4", "n-5", "n-6", "n-7", "n-8"]);
  });
});

describe("a ledger locked by another process during a run", () => {
  it("stops the run (exit 2) once the lock outlasts --busy-timeout; a rerun ends with the ledger of an uninterrupted run", async () => {
    const dir = tempDir();
    const book = join(dir, "book.jsonl");
    writeBook(book, 3000);
    const args = (db: string): string[] => [
      "eval",
      "-p",
      POLICY,
      "-o",
      book,
      "--ledger",
      db,
      "--format",
      "jsonl",
      "--batch-size",
      "100",
      "--no-hints",
      "--busy-timeout",
      "200",
    ];
    const reference = join(dir, "reference.db");
    expect((await diffuse([...args(reference), "-q"])).code).toBe(0);

    const db = join(dir, "ledger.db");
    let holder: RawDb | undefined;
    let written = 0;
    try {
      const locked = await diffuse(args(db), {
        onLines: (lines) => {
          if (lines < 300 || holder !== undefined) return;
          holder = openRawDb(db);
          holder.prepare("BEGIN IMMEDIATE").run();
        },
      });
      expect(locked.code).toBe(2);
      written = locked.stdout.trimEnd().split("\n").length;
      expect(written).toBeGreaterThanOrEqual(300);
      expect(written).toBeLessThan(3000);
      expect(locked.stderr).toMatch(
        new RegExp(
          `^error: ledger \`.*ledger\\.db\` is locked by another process \\(stopped after ${written.toLocaleString("en-US")} of 3,000 orders\\)\n` +
            "help: wait for the other process to finish, or raise the wait with --busy-timeout; the batches committed before the stop are on the ledger",
        ),
      );
    } finally {
      holder?.prepare("ROLLBACK").run();
      holder?.close();
    }
    // The batches written out are those committed: whole batches.
    expect((await ledgerContent(db)).decisions).toHaveLength(written);
    expect((await diffuse([...args(db), "-q"])).code).toBe(0);
    expect(await ledgerContent(db)).toEqual(await ledgerContent(reference));
  });
});

describe("a damaged ledger given to explain", () => {
  it("is the command's error (exit 2), not an invalid order", async () => {
    const db = join(tempDir(), "ledger.db");
    expect((await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"])).code).toBe(0);
    const raw = openRawDb(db);
    raw.prepare("UPDATE blocks SET data = x'00ff00ff' WHERE id = 1").run();
    raw.close();
    const order = readFileSync(BOOK, "utf8").split("\n")[0] ?? "";
    const r = await diffuse(["explain", "-p", POLICY, "--order", "-", "--ledger", db], { stdin: order });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: ledger `.*ledger\.db` is damaged: decision block 1 cannot be read: .*\nhelp: restore it from a backup\n$/);
  });
});

describe("a ledger file or folder that cannot be written", () => {
  const user = UNPRIVILEGED ?? {};
  /** A folder the user can write, holding a ledger of BOOK the user wrote. */
  async function ledgerOfUser(): Promise<{ dir: string; db: string }> {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const db = join(dir, "ledger.db");
    expect((await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"], { user })).code).toBe(0);
    return { dir, db };
  }
  const NEW_ORDERS = (dir: string): string => {
    const book = join(dir, "new.jsonl");
    writeFileSync(book, readFileSync(BOOK, "utf8").replaceAll('"id":"o-', '"id":"n-'));
    chmodSync(book, 0o644);
    return book;
  };

  it.skipIf(UNPRIVILEGED === undefined)("refuses a read-only ledger before SQLite leaves read-only -wal and -shm files beside it", async () => {
    const { dir, db } = await ledgerOfUser();
    const book = NEW_ORDERS(dir);
    chmodSync(db, 0o444);
    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--ledger", db, "-q"], { user });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: cannot write ledger \`${db}\`: \`${db}\` is read-only\nhelp: ${READ_ONLY_HELP}\n`);
    expect(readdirSync(dir).sort()).toEqual(["ledger.db", "new.jsonl"]);

    // Made writable again, it is recorded on.
    chmodSync(db, 0o644);
    expect((await diffuse(["eval", "-p", POLICY, "-o", book, "--ledger", db, "-q"], { user })).code).toBe(0);
    expect(recordedIds(db)).toHaveLength(16);
  });

  it.skipIf(UNPRIVILEGED === undefined)("names the -wal file a reader of a read-only ledger left read-only", async () => {
    const { dir, db } = await ledgerOfUser();
    chmodSync(db, 0o444);
    // SQLite needs the -wal and -shm files even to read, and a reader never removes them.
    expect((await diffuse(["ledger", "show", "--ledger", db], { user })).code).toBe(0);
    chmodSync(db, 0o644);
    const r = await diffuse(["eval", "-p", POLICY, "-o", NEW_ORDERS(dir), "--ledger", db, "-q"], { user });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: cannot write ledger \`${db}\`: \`${db}-wal\` is read-only\nhelp: ${READ_ONLY_HELP}\n`);
  });

  it.skipIf(UNPRIVILEGED === undefined)("refuses a ledger in a folder that cannot be written (exit 2, no internal error), to record or to read", async () => {
    const { dir, db } = await ledgerOfUser();
    chmodSync(dir, 0o555);
    try {
      const folder = `error: ledger \`${db}\` is in a folder that cannot be written: SQLite keeps its \`-wal\` and \`-shm\` files beside it, even to read it\nhelp: make the folder writable, or move the ledger to a folder that is\n`;
      for (const args of [
        ["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"],
        ["ledger", "show", "--ledger", db],
        ["ledger", "export", "--ledger", db],
        ["explain", "-p", POLICY, "--order", fixture("order-my.json"), "--ledger", db],
      ]) {
        const r = await diffuse(args, { user });
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.stderr, args.join(" ")).toBe(folder);
      }
      const fresh = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", join(dir, "new.db"), "-q"], { user });
      expect(fresh.code).toBe(2);
      expect(fresh.stderr).toBe(
        `error: cannot create ledger \`${join(dir, "new.db")}\`: folder \`${dir}\` cannot be written\nhelp: make the folder writable, or give a ledger path in a folder that is\n`,
      );
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("refuses a ledger path whose folder does not exist, naming the folder as given", async () => {
    const dir = tempDir();
    const r = await diffuse(["eval", "-p", join(ROOT, POLICY), "-o", join(ROOT, BOOK), "--ledger", "no-such-folder/ledger.db", "-q"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "error: cannot create ledger `no-such-folder/ledger.db`: folder `no-such-folder` does not exist\nhelp: create the folder first, or give another ledger path\n",
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

/**
 * A small filesystem to fill: a tmpfs mounted in a temporary folder, which only root
 * (with the capability to mount) can make; undefined where it cannot be made.
 */
function smallDisk(kilobytes: number): { readonly dir: string; grow(kilobytes: number): void; remove(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = tempDir();
  if (spawnSync("mount", ["-t", "tmpfs", "-o", `size=${kilobytes}k`, "tmpfs", dir], { stdio: "ignore" }).status !== 0) return undefined;
  return {
    dir,
    grow: (k) => void spawnSync("mount", ["-o", `remount,size=${k}k`, dir], { stdio: "ignore" }),
    remove: () => void spawnSync("umount", [dir], { stdio: "ignore" }),
  };
}

describe("a disk that fills up during a run", () => {
  it("stops the run (exit 2) with the batch rolled back; once there is space, a rerun ends with the ledger of an uninterrupted run", async (context) => {
    const disk = smallDisk(192);
    if (disk === undefined) return context.skip();
    try {
      const dir = tempDir();
      const book = join(dir, "book.jsonl");
      writeBook(book, 3000);
      const args = (db: string): string[] => ["eval", "-p", POLICY, "-o", book, "--ledger", db, "--format", "jsonl", "--batch-size", "100", "--no-hints"];
      const reference = join(dir, "reference.db");
      expect((await diffuse([...args(reference), "-q"])).code).toBe(0);

      const db = join(disk.dir, "ledger.db");
      const full = await diffuse(args(db));
      expect(full.code).toBe(2);
      const written = full.stdout === "" ? 0 : full.stdout.trimEnd().split("\n").length;
      expect(written % 100).toBe(0);
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(3000);
      expect(full.stderr).toBe(
        `error: cannot write ledger \`${db}\`: the disk is full (stopped after ${written.toLocaleString("en-US")} of 3,000 orders)\n` +
          "help: free space on its disk; the batches committed before the stop are on the ledger (nothing after them was charged), and running the book again on it decides only the rest\n",
      );
      // Whole batches: the orders written out, each with all its charges.
      const partial = await ledgerContent(db);
      expect(partial.decisions).toHaveLength(written);
      const expected = await ledgerContent(reference);
      const decided = new Set(partial.decisions.map((d) => (JSON.parse(d) as { order: string }).order));
      expect(partial.charges).toEqual(expected.charges.filter((c) => decided.has(c.split(" ")[0] ?? "")));

      disk.grow(65536);
      expect((await diffuse(args(db))).code).toBe(0);
      expect(await ledgerContent(db)).toEqual(expected);
    } finally {
      disk.remove();
    }
  });
});
