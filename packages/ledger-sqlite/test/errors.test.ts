/**
 * The SQLite errors a user can act on, as LedgerErrors: by primary result code and by
 * every extended code under it (better-sqlite3 reports extended codes).
 */
import { truncateSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LedgerError, SqliteLedger } from "../src/index.js";
import { translate } from "../src/errors.js";
import { entry, errorOf, tempDb } from "./helpers.js";

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function translated(code: string, message = "detail"): LedgerError {
  const e = translate(sqliteError(code, message), "l.db");
  if (!(e instanceof LedgerError)) throw new Error(`${code} was not translated`);
  return e;
}

describe("translate", () => {
  it("takes extended result codes as their primary code", () => {
    expect(translated("SQLITE_BUSY_SNAPSHOT").kind).toBe("busy");
    expect(translated("SQLITE_LOCKED_SHAREDCACHE").kind).toBe("busy");
    expect(translated("SQLITE_IOERR_WRITE", "disk I/O error").message).toBe("cannot write ledger `l.db`: disk I/O error");
    expect(translated("SQLITE_CANTOPEN_ISDIR").kind).toBe("io");
    expect(translated("SQLITE_READONLY_DBMOVED").kind).toBe("io");
    expect(translated("SQLITE_CORRUPT_INDEX").kind).toBe("not-a-ledger");
  });

  it("says what to do about a ledger SQLite cannot write", () => {
    const file = translated("SQLITE_READONLY_CANTINIT", "attempt to write a readonly database");
    expect([file.message, file.help]).toEqual([
      "cannot write ledger `l.db`: attempt to write a readonly database",
      "make the ledger file (and its `-wal` and `-shm` files, if there are any) writable, or give another ledger file",
    ]);
    const folder = translated("SQLITE_READONLY_DIRECTORY");
    expect([folder.message, folder.help]).toEqual([
      "ledger `l.db` is in a folder that cannot be written: SQLite keeps its `-wal` and `-shm` files beside it, even to read it",
      "make the folder writable, or move the ledger to a folder that is",
    ]);
    const full = translated("SQLITE_FULL", "database or disk is full");
    expect([full.message, full.help]).toEqual(["cannot write ledger `l.db`: the disk is full", "free space on its disk"]);
  });

  it("calls a malformed database damaged, not a file to replace with a new ledger", () => {
    const e = translated("SQLITE_CORRUPT", "database disk image is malformed");
    expect([e.message, e.help]).toEqual(["ledger `l.db` is damaged: database disk image is malformed", "restore it from a backup"]);
    expect(translated("SQLITE_NOTADB").help).toBe("give a new file name to start a ledger");
  });

  it("passes other errors through", () => {
    const e = sqliteError("SQLITE_CONSTRAINT_UNIQUE", "UNIQUE constraint failed");
    expect(translate(e, "l.db")).toBe(e);
    const plain = new Error("a bug");
    expect(translate(plain, "l.db")).toBe(plain);
  });

  it("reports a ledger cut short on disk as damaged", () => {
    const path = tempDb();
    const l = SqliteLedger.open(path);
    l.batch(() => {
      for (let i = 0; i < 3000; i++) l.record(entry(`o-${i}`, "2025-01-01", "1", [["cap", `k-${i}`]]));
    });
    l.close();
    truncateSync(path, 4096 * 8);
    const e = errorOf(() => {
      const again = SqliteLedger.open(path);
      try {
        again.usage("cap", "k-2999", undefined, "2025-12-31");
      } finally {
        again.close();
      }
    });
    expect(e.message).toBe(`ledger \`${path}\` is damaged: database disk image is malformed`);
    expect(e.help).toBe("restore it from a backup");
  });
});

describe("a ledger path that cannot be looked at", () => {
  it("is a LedgerError naming the path, when opened to record or to read: a part of it is a file, or its name is too long", () => {
    const file = tempDb("file.db");
    SqliteLedger.open(file).close();
    for (const path of [`${file}/ledger.db`, `${file.slice(0, -"file.db".length)}${"x".repeat(300)}.db`]) {
      for (const open of [() => SqliteLedger.open(path, { name: "l.db" }), () => SqliteLedger.openReadOnly(path, { name: "l.db" })]) {
        const e = errorOf(open);
        expect(e.kind).toBe("io");
        expect(e.message).toMatch(/^cannot open ledger `l\.db`: (ENOTDIR|ENAMETOOLONG)/);
      }
    }
  });
});
