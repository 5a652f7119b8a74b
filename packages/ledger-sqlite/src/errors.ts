/**
 * The ledger's errors: `LedgerError`, a problem with the ledger file the user can act on,
 * and the translation of the SQLite errors behind such problems into `LedgerError`s.
 */
export type LedgerErrorKind = "newer-schema" | "busy" | "not-a-ledger" | "io" | "conflict";

/** A problem with the ledger file the user can act on (the CLI prints message and help). */
export class LedgerError extends Error {
  override readonly name = "LedgerError";
  constructor(
    readonly kind: LedgerErrorKind,
    message: string,
    readonly help?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface SqliteError {
  readonly code?: unknown;
}

export function sqliteCode(e: unknown): string | undefined {
  const code = (e as SqliteError | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether `code` is the SQLite primary result code `primary` or one of its extended codes
 * (better-sqlite3 reports extended codes: `SQLITE_READONLY_DIRECTORY`, `SQLITE_IOERR_WRITE`, ...).
 */
function isCode(code: string, primary: string): boolean {
  return code === primary || code.startsWith(`${primary}_`);
}

/** Turns SQLite errors the user can act on into `LedgerError`s (naming the file `name`); passes others through. */
export function translate(e: unknown, name: string): unknown {
  if (e instanceof LedgerError) return e;
  const code = sqliteCode(e);
  if (code === undefined) return e;
  const detail = (e as Error).message;
  if (isCode(code, "SQLITE_BUSY") || isCode(code, "SQLITE_LOCKED")) {
    return new LedgerError(
      "busy",
      `ledger \`${name}\` is locked by another process`,
      "wait for the other process to finish, or raise the wait with --busy-timeout",
      { cause: e },
    );
  }
  if (isCode(code, "SQLITE_NOTADB")) {
    return new LedgerError("not-a-ledger", `ledger \`${name}\` is not a Diffuse ledger (not an SQLite database)`, "give a new file name to start a ledger", {
      cause: e,
    });
  }
  // An SQLite database whose pages do not hold together: a ledger damaged on disk, whose
  // charges a new ledger would not know of.
  if (isCode(code, "SQLITE_CORRUPT")) {
    return new LedgerError("not-a-ledger", `ledger \`${name}\` is damaged: ${detail}`, "restore it from a backup", { cause: e });
  }
  if (code === "SQLITE_READONLY_DIRECTORY") {
    return new LedgerError(
      "io",
      `ledger \`${name}\` is in a folder that cannot be written: SQLite keeps its \`-wal\` and \`-shm\` files beside it, even to read it`,
      "make the folder writable, or move the ledger to a folder that is",
      { cause: e },
    );
  }
  if (isCode(code, "SQLITE_READONLY")) {
    return new LedgerError("io", `cannot write ledger \`${name}\`: ${detail}`, READ_ONLY_HELP, { cause: e });
  }
  if (isCode(code, "SQLITE_FULL")) {
    return new LedgerError("io", `cannot write ledger \`${name}\`: the disk is full`, "free space on its disk", { cause: e });
  }
  if (isCode(code, "SQLITE_IOERR") || isCode(code, "SQLITE_CANTOPEN")) {
    return new LedgerError("io", `cannot write ledger \`${name}\`: ${detail}`, undefined, { cause: e });
  }
  return e;
}

/** The advice for a ledger SQLite cannot write (its files' permissions). */
export const READ_ONLY_HELP = "make the ledger file (and its `-wal` and `-shm` files, if there are any) writable, or give another ledger file";
