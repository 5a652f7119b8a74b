/**
 * After `reset` deletes every row: removing what is left of them in the file. A delete
 * only marks pages free, so the deleted rows stay readable in the file until the pages
 * are reused, and in the WAL until it is checkpointed and emptied, while whoever resets a
 * ledger expects them gone.
 */
import type { Database as Db } from "better-sqlite3";
import { translate } from "./errors.js";

/**
 * What `reset` did besides deleting: whether the deleted rows are gone from the file and
 * its WAL too, or why they may still be read there (the reset itself stands either way).
 */
export type ResetResult = { readonly reclaimed: true } | { readonly reclaimed: false; readonly why: string };

/**
 * VACUUM (which cannot run inside a transaction) rewrites the file from its live rows,
 * through the WAL; a TRUNCATE checkpoint then copies that into the file and empties the
 * WAL. The checkpoint cannot finish while another connection reads a snapshot the WAL
 * holds. `name`: the file as messages call it.
 */
export function scrub(db: Db, name: string): ResetResult {
  try {
    db.exec("VACUUM");
    const [checkpoint] = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    if (checkpoint !== undefined && checkpoint.busy !== 0) {
      return { reclaimed: false, why: `another process is reading the ledger: \`${name}-wal\` keeps the deleted rows until it stops` };
    }
    return { reclaimed: true };
  } catch (e) {
    const error = translate(e, name);
    return { reclaimed: false, why: `the file could not be rewritten without them: ${error instanceof Error ? error.message : String(error)}` };
  }
}
