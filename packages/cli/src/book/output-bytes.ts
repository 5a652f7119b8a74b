/**
 * A batch's output (decisions in the chosen format), encoded as UTF-8 as each decision is
 * decided, and written to stdout as bytes once the batch is on disk.
 *
 * Why bytes: kept as strings until the batch was durable, the decisions' texts were
 * joined, joined again by the sink and then encoded by the stream: three copies of
 * ~800 bytes an order, and a batch of strings that outlived the young generation.
 * Encoding each text as it is made is one copy, and the string dies young. Buffers go
 * back to a small pool once the stream has written them.
 */
import { BufferPool } from "@diffuse/ledger-sqlite";
import type { Sink } from "../io.js";

/**
 * The pool of output buffers. They start at 64 KB and grow to fit: that measured ~10 MB
 * less peak RSS on a rerun than starting at 1 MB.
 */
export function outputBufferPool(): BufferPool {
  return new BufferPool((size) => Buffer.allocUnsafeSlow(size), 1 << 16);
}

/** Room kept before the first text for a prefix given when writing (json's `,\n`). */
const HEAD = 2;

export class OutputBytes {
  private bytes: Buffer | undefined;
  private length = HEAD;
  /** The texts' length in UTF-16 code units, separators included (see Sink.writeBytes). */
  private chars = 0;
  /** Texts appended. */
  count = 0;

  /** `separator`: written between two texts (ASCII). */
  constructor(
    private readonly pool: BufferPool,
    private readonly separator: string,
  ) {}

  append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const bytes = this.reserve(this.length + this.separator.length + text.length * 3);
    if (this.count > 0) {
      this.length += bytes.write(this.separator, this.length, "latin1");
      this.chars += this.separator.length;
    }
    this.length += bytes.write(text, this.length, "utf8");
    this.chars += text.length;
    this.count++;
  }

  /**
   * Writes `prefix`, the texts and `suffix` (ASCII; the prefix at most two characters) to
   * `sink` as one piece, as one string was written before; the buffer goes back to the
   * pool once the sink is done with it.
   */
  writeTo(sink: Sink, prefix: string, suffix: string): void {
    const bytes = this.reserve(this.length + suffix.length);
    this.bytes = undefined;
    const start = HEAD - prefix.length;
    bytes.write(prefix, start, "latin1");
    const end = this.length + bytes.write(suffix, this.length, "latin1");
    sink.writeBytes(bytes.subarray(start, end), prefix.length + this.chars + suffix.length, () => this.pool.give(bytes));
  }

  private reserve(size: number): Buffer {
    const bytes = this.pool.grow(this.bytes, this.length, size);
    this.bytes = bytes;
    return bytes;
  }
}
