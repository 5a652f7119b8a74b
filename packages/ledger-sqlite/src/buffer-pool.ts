/**
 * Byte buffers reused from batch to batch: a batch's text is about the size of the last
 * one's, and a fresh buffer per batch is memory (outside V8's heap) freed late. Used for
 * the decision texts the writer thread reads (shared memory) and for `diffuse eval`'s
 * output (plain buffers).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /**
   * `allocate` makes a buffer of the given size; `size` is the size of the first ones.
   * After that, new buffers get the largest size handed out, so a batch seldom has to grow one.
   */
  constructor(
    private readonly allocate: (size: number) => Buffer,
    private size: number,
  ) {}

  /** A buffer of at least `min` bytes: the largest free one, else a new one. */
  take(min: number): Buffer {
    const b = this.free.pop();
    if (b !== undefined && b.length >= min) return b;
    this.size = Math.max(this.size, min);
    return this.allocate(this.size);
  }

  /**
   * A buffer of at least `min` bytes whose first `used` bytes are those of `current`:
   * `current` itself when it is big enough, else a larger one (at least twice its size)
   * with them copied, `current` going back to the pool; a fresh one when there is none.
   */
  grow(current: Buffer | undefined, used: number, min: number): Buffer {
    if (current === undefined) return this.take(min);
    if (current.length >= min) return current;
    const grown = this.take(Math.max(min, current.length * 2));
    current.copy(grown, 0, 0, used);
    this.give(current);
    return grown;
  }

  /** Gives a buffer back once nothing reads it any more; the free list stays sorted by size, the largest last, and holds two. */
  give(b: Buffer): void {
    if (b.length < this.size) return; // outgrown: let it go
    this.free.push(b);
    this.free.sort((x, y) => x.length - y.length);
    if (this.free.length > 2) this.free.shift();
  }
}
