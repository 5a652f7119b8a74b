/**
 * The decisions recorded in a ledger file, looked up by order id: the order's row says
 * which block and line hold its decision's text. A rerun asks for a book's orders in the
 * order they were recorded, so rows are read ahead in runs (LOOKAHEAD in read-sql.ts)
 * and the last few blocks decoded are kept.
 */
import { decodeBlock } from "./blocks.js";
import type { LedgerError } from "./errors.js";
import type { ReadStatements } from "./read-sql.js";
import type { Recorded } from "./thread-batch.js";

/** Decoded blocks kept (reruns read the blocks of a book in order). */
const CACHED_BLOCKS = 4;

/** Where an order's decision is: its row id, block and line; and its order's content digest (null: none recorded). */
type DecisionPlace = readonly [row: number, block: number, slot: number, digest: number | null];

/** How the ledger reports what it finds wrong. */
export interface FileProblems {
  /** The error for a damaged file. */
  damaged(detail: string): LedgerError;
  /**
   * Whether another process reset the file since the ledger's index was last brought up
   * to date: a row or block that is missing then is no damage, and the order reads as
   * not decided.
   */
  resetSinceSync(): boolean;
}

export class FileDecisions {
  private blocks = new Map<number, string[]>();
  /** Rows read ahead, and the row a sequential lookup would ask for next. */
  private ahead = new Map<string, DecisionPlace>();
  private nextRow = -1;

  constructor(
    private readonly reads: ReadStatements,
    private readonly problems: FileProblems,
  ) {}

  /** What is recorded for `orderId`; undefined when the file has no row for it. Throws the `damaged` error for a block or line missing. */
  recorded(orderId: string): Recorded | undefined {
    const place = this.placeOf(orderId);
    if (place === undefined) return undefined;
    const [, blockId, line, digest] = place;
    let lines = this.blocks.get(blockId);
    if (lines === undefined) {
      const block = this.reads.blockById.get(blockId) as [string, Buffer | string] | undefined;
      if (block === undefined) {
        if (this.problems.resetSinceSync()) return undefined;
        throw this.problems.damaged(`decision block ${blockId} of order \`${orderId}\` is missing`);
      }
      lines = this.decode(blockId, block[0], block[1]);
      if (this.blocks.size >= CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value as number);
      this.blocks.set(blockId, lines);
    }
    const text = lines[line];
    if (text === undefined) {
      if (this.problems.resetSinceSync()) return undefined;
      throw this.problems.damaged(`decision block ${blockId} has no line ${line} for order \`${orderId}\``);
    }
    return { text, digest };
  }

  /** The lines of block `blockId` as stored (`codec`, `data`); a block that cannot be read is damage. */
  decode(blockId: number, codec: string, data: Buffer | string): string[] {
    try {
      return decodeBlock(codec, data);
    } catch (e) {
      throw this.problems.damaged(`decision block ${blockId} cannot be read: ${(e as Error).message}`);
    }
  }

  /** Drops what was read (the file was reset, or the index reloaded). */
  forget(): void {
    this.blocks = new Map();
    this.ahead = new Map();
    this.nextRow = -1;
  }

  /** The row of a recorded order; once two lookups in a row hit consecutive rows, the next LOOKAHEAD rows are read in one query. */
  private placeOf(orderId: string): DecisionPlace | undefined {
    let place = this.ahead.get(orderId);
    if (place === undefined) {
      place = this.reads.decisionById.get(orderId) as DecisionPlace | undefined;
      if (place === undefined) return undefined;
      if (place[0] === this.nextRow) {
        this.ahead = new Map();
        for (const [id, row, block, slot, digest] of this.reads.decisionsFrom.all(place[0]) as [string, number, number, number, number | null][])
          this.ahead.set(id, [row, block, slot, digest]);
      }
    }
    this.nextRow = place[0] + 1;
    return place;
  }
}
