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
import type { Sink } from "../io.js";

export class BufferPool {
  private readonly free: Buffer[] = [];

  /**
   * The largest size handed out: new buffers get it, so a batch seldom has to grow one.
   * Starting small and growing to fit measured ~10 MB less peak RSS on a rerun than
   * starting at 1 MB (the buffers are outside V8's heap).
   */
  private size = 1 << 16;

  /**
   * A buffer of at least `min` bytes: the largest free one (a batch's text is about the
   * size of the last one's), else a new one.
   */
  take(min: number): Buffer {
    const b = this.free.pop();
    if (b !== undefined && b.length >= min) return b;
    this.size = Math.max(this.size, min);
    const size = this.size;
    return Buffer.allocUnsafeSlow(size);
  }

  /** Gives a buffer back once nothing reads it any more; the free list stays sorted by size, the largest last. */
  give(b: Buffer): void {
    if (b.length < this.size) return; // outgrown: let it go
    this.free.push(b);
    this.free.sort((x, y) => x.length - y.length);
    if (this.free.length > 2) this.free.shift();
  }
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
    let bytes = this.bytes;
    if (bytes === undefined) this.bytes = bytes = this.pool.take(size);
    else if (bytes.length < size) {
      const grown = this.pool.take(Math.max(size, bytes.length * 2));
      bytes.copy(grown, 0, 0, this.length);
      this.pool.give(bytes);
      this.bytes = bytes = grown;
    }
    return bytes;
  }
}
