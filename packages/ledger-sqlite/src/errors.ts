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

/** Turns SQLite errors the user can act on into `LedgerError`s (naming the file `name`); passes others through. */
export function translate(e: unknown, name: string): unknown {
  if (e instanceof LedgerError) return e;
  const code = sqliteCode(e);
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || code?.startsWith("SQLITE_BUSY_")) {
    return new LedgerError(
      "busy",
      `ledger \`${name}\` is locked by another process`,
      "wait for the other process to finish, or raise the wait with --busy-timeout",
      { cause: e },
    );
  }
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    return new LedgerError("not-a-ledger", `ledger \`${name}\` is not a Diffuse ledger (not an SQLite database)`, "give a new file name to start a ledger", {
      cause: e,
    });
  }
  if (code === "SQLITE_READONLY" || code === "SQLITE_CANTOPEN" || code === "SQLITE_IOERR" || code === "SQLITE_FULL") {
    return new LedgerError("io", `cannot write ledger \`${name}\`: ${(e as Error).message}`, undefined, { cause: e });
  }
  return e;
}
