/**
 * A string-keyed table for order ids and cap keys: open addressing over one typed array
 * of (32-bit hash, entry) pairs, with keys and values in insertion order.
 *
 * Why not a `Map`: the ledger looks up every order id before deciding it, and in a book
 * nearly every id is new. A miss in a `Map` of 10^5..10^6 entries walks a bucket chain
 * through memory that is no longer in cache, comparing against stored keys (each another
 * string elsewhere in memory). Here a miss usually reads one slot pair and stops at an
 * empty slot or a different hash; a stored key is read only when the full 32-bit hash
 * matches, and it sits next to its value.
 */
export class IdTable<V> {
  /** Per slot, two numbers: the hash of the key there, and its entry number + 1 (0 = empty). */
  private slots = new Int32Array(128);
  /** Slots - 1 (a power of two minus one). */
  private mask = 63;
  /** Keys and values, interleaved, in insertion order. */
  private readonly entries_: (string | V)[] = [];
  private count = 0;
  /** The slot where the last missing key would go, and its key and hash (see `insertAbsent`). */
  private missKey: string | undefined;
  private missSlot = 0;
  private missHash = 0;

  get size(): number {
    return this.count;
  }

  /** The value of `key`, or undefined; remembers where a missing key would go. */
  get(key: string): V | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : (this.entries_[2 * i + 1] as V);
  }

  /** The position of `key` in insertion order (0 for the first key inserted), or -1; remembers where a missing key would go. */
  indexOf(key: string): number {
    const h = hashOf(key);
    const mask = this.mask;
    const slots = this.slots;
    let i = h & mask;
    for (;;) {
      const e = slots[2 * i + 1] as number;
      if (e === 0) {
        this.missKey = key;
        this.missSlot = i;
        this.missHash = h;
        return -1;
      }
      if (slots[2 * i] === h && this.entries_[2 * (e - 1)] === key) return e - 1;
      i = (i + 1) & mask;
    }
  }

  has(key: string): boolean {
    return this.missKey === key ? false : this.get(key) !== undefined;
  }

  /** Adds `key`, which must be absent (check with `get` or `has` first). */
  insertAbsent(key: string, value: V): void {
    let slot: number;
    let h: number;
    if (this.missKey === key) {
      slot = this.missSlot;
      h = this.missHash;
    } else {
      h = hashOf(key);
      slot = this.freeSlot(h);
    }
    this.missKey = undefined;
    this.entries_.push(key, value);
    this.count++;
    this.slots[2 * slot] = h;
    this.slots[2 * slot + 1] = this.count;
    if (this.count * 2 > this.mask) this.grow();
  }

  /** Keys and values in insertion order. */
  *entries(): IterableIterator<[string, V]> {
    const es = this.entries_;
    for (let i = 0; i < es.length; i += 2) yield [es[i] as string, es[i + 1] as V];
  }

  private freeSlot(h: number): number {
    const mask = this.mask;
    let i = h & mask;
    while (this.slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    return i;
  }

  /** Doubles the slots, moving each (hash, entry) pair: the keys themselves are not read again. */
  private grow(): void {
    const old = this.slots;
    const n = (this.mask + 1) * 2;
    this.mask = n - 1;
    this.slots = new Int32Array(2 * n);
    this.missKey = undefined;
    for (let j = 0; j < old.length; j += 2) {
      const e = old[j + 1] as number;
      if (e === 0) continue;
      const h = old[j] as number;
      const i = this.freeSlot(h);
      this.slots[2 * i] = h;
      this.slots[2 * i + 1] = e;
    }
  }
}

/** FNV-1a over the UTF-16 code units, 32 bits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}
