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
import { BufferPool } from "./buffer-pool.js";

/** The pool of the buffers over SharedArrayBuffers the writer thread reads (1 MB to start). */
export function sharedBufferPool(): BufferPool {
  return new BufferPool((size) => Buffer.from(new SharedArrayBuffer(size)), 1 << 20);
}

const NO_BYTES = new SharedArrayBuffer(0);

export class BatchText {
  private bytes: Buffer | undefined;
  /** Bytes written. */
  length = 0;
  /** End offset of each line. */
  private readonly ends: number[] = [];

  constructor(private readonly buffers: BufferPool) {}

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
    const bytes = this.buffers.grow(this.bytes, this.length, size);
    this.bytes = bytes;
    return bytes;
  }
}
