/**
 * Deferred durability (`durability: "deferred"`): each batch is committed with the WAL
 * not synced (synchronous = NORMAL); `durable()` syncs the WAL file (and, the first time,
 * its folder, so a new WAL file's entry survives too) on libuv's thread pool.
 */
import { closeSync, existsSync, fsync, openSync } from "node:fs";
import { dirname } from "node:path";
import { LedgerError } from "./errors.js";

/** The WAL file of the ledger at `path` (`name`: the file as messages call it), synced on demand. */
export class WalSync {
  /** The WAL file, opened for fsync, and whether its folder was synced. */
  private fd: number | undefined;
  private folderSynced = false;

  constructor(
    private readonly path: string,
    private readonly name: string,
  ) {}

  /** Resolves once every batch committed so far is on disk. */
  async sync(): Promise<void> {
    if (this.fd === undefined) {
      if (!existsSync(`${this.path}-wal`)) return; // nothing written yet
      this.fd = openSync(`${this.path}-wal`, "r");
    }
    const fd = this.fd;
    try {
      await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      if (!this.folderSynced) {
        this.folderSynced = true;
        await syncFolder(dirname(this.path));
      }
    } catch (e) {
      throw new LedgerError("io", `cannot write ledger \`${this.name}\` to disk: ${(e as Error).message}`, undefined, { cause: e });
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Best effort, as SQLite's own: some platforms cannot open or sync a folder. */
async function syncFolder(folder: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(folder, "r");
  } catch {
    return;
  }
  try {
    await new Promise<void>((resolve) => fsync(fd, () => resolve()));
  } finally {
    closeSync(fd);
  }
}
