/**
 * A batch's decision texts as its block stores them: UTF-8, one line each, joined by
 * newlines (see blocks.ts), written as each decision is recorded into a buffer shared
 * with the writer thread.
 *
 * Why: the texts used to be kept as strings, joined when the batch was sent and then
 * encoded into the shared buffer: two copies of ~800 bytes an order on the main thread,
 * on top of the one that built each text. Encoding each text once, where the writer
 * reads it, leaves one; and the strings are no longer held by the batch, so most die
 * young instead of being promoted. A text is decoded again only when `decided` asks
 * for an order still in flight (rare).
 */

/** Buffers over SharedArrayBuffers, reused from batch to batch (a fresh ~1 MB one each time is memory freed late). */
export class SharedBuffers {
  private readonly free: Buffer[] = [];

  /** The largest size handed out: new buffers get it, so a batch seldom has to grow one. */
  private size = 1 << 20;

  /**
   * A buffer of at least `min` bytes: the largest free one (a batch's text is about the
   * size of the last one's), else a new one.
   */
  take(min: number): Buffer {
    const b = this.free.pop();
    if (b !== undefined && b.length >= min) return b;
    this.size = Math.max(this.size, min);
    const size = this.size;
    return Buffer.from(new SharedArrayBuffer(size));
  }

  /** Gives a buffer back once nothing reads it any more; the free list stays sorted by size, the largest last. */
  give(b: Buffer): void {
    if (b.length < this.size) return; // outgrown: let it go
    this.free.push(b);
    this.free.sort((x, y) => x.length - y.length);
    if (this.free.length > 2) this.free.shift();
  }
}

const NO_BYTES = new SharedArrayBuffer(0);

export class BatchText {
  private bytes: Buffer | undefined;
  /** Bytes written. */
  length = 0;
  /** End offset of each line. */
  private readonly ends: number[] = [];

  constructor(private readonly buffers: SharedBuffers) {}

  get lines(): number {
    return this.ends.length;
  }

  /** The shared memory the writer reads `length` bytes of (none taken for a batch with no lines: a rerun). */
  get buffer(): SharedArrayBuffer {
    return this.bytes === undefined ? NO_BYTES : (this.bytes.buffer as SharedArrayBuffer);
  }

  /** Appends one line (JSON text never contains a raw newline). */
  append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; plus the newline.
    const bytes = this.reserve(this.length + 1 + text.length * 3);
    if (this.ends.length > 0) bytes[this.length++] = 10;
    this.length += bytes.write(text, this.length, "utf8");
    this.ends.push(this.length);
  }

  /** Line `i` as text. */
  line(i: number): string | undefined {
    const end = this.ends[i];
    if (end === undefined || this.bytes === undefined) return undefined;
    const start = i === 0 ? 0 : (this.ends[i - 1] as number) + 1;
    return this.bytes.toString("utf8", start, end);
  }

  /** Gives the buffer back to the pool: call only once nothing will read this batch again. */
  release(): void {
    if (this.bytes !== undefined) this.buffers.give(this.bytes);
    this.bytes = undefined;
  }

  private reserve(size: number): Buffer {
    let bytes = this.bytes;
    if (bytes === undefined) this.bytes = bytes = this.buffers.take(size);
    else if (bytes.length < size) {
      const grown = this.buffers.take(Math.max(size, bytes.length * 2));
      bytes.copy(grown, 0, 0, this.length);
      this.buffers.give(bytes);
      this.bytes = bytes = grown;
    }
    return bytes;
  }
}
