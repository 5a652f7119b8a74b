/**
 * Opening a ledger that must already exist (`ledger show|export|reset`, `explain
 * --ledger`): these commands never create one, so a missing or empty file is an error
 * rather than a new ledger written into it. The commands that only read it (all but
 * `reset`) open it read-only: a ledger of an older schema is read without being
 * upgraded, so the Diffuse that writes it can still open it.
 */
import { LedgerError, SqliteLedger } from "@diffuse/ledger-sqlite";
import { CliError } from "./errors.js";
import { statPath } from "./io.js";

/**
 * Opens the ledger at `path` (`shown`: as the user wrote it) to `read` it (never written)
 * or to `write` it (migrated to the current schema first), or throws a CliError when
 * there is none there. `busyTimeoutMs`: how long to wait for another process's lock.
 */
export function openExistingLedger(path: string, shown: string, access: "read" | "write", busyTimeoutMs?: number): SqliteLedger {
  const stat = statPath(path, "ledger", shown);
  if (!stat) throw new CliError(`ledger \`${shown}\` does not exist`);
  // An empty file opens as an empty SQLite database: opening it as a ledger would write
  // a ledger's tables into it. (A directory is reported by the ledger itself.)
  try {
    if (stat.isFile() && SqliteLedger.schemaVersionOf(path, shown) === 0) {
      throw new CliError(`ledger \`${shown}\` is empty: it holds no Diffuse ledger`, undefined, WRITTEN_BY_EVAL);
    }
    const options = { name: shown, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) };
    return access === "read" ? SqliteLedger.openReadOnly(path, options) : SqliteLedger.open(path, options);
  } catch (e) {
    // The ledger's own advice for a file that is not a ledger is to start a new one,
    // which these commands do not do.
    if (e instanceof LedgerError && e.kind === "not-a-ledger" && e.help?.includes("start a ledger") === true)
      throw new CliError(e.message, undefined, WRITTEN_BY_EVAL);
    throw e;
  }
}

const WRITTEN_BY_EVAL = "give the path of a ledger that `diffuse eval --ledger` wrote";
