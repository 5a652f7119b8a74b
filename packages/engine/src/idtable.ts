/**
 * A string-keyed table for order ids: open addressing over typed arrays of 32-bit hashes,
 * with keys and values in insertion order.
 *
 * Why not a `Map`: the ledger looks up every order id before deciding it, and in a book
 * nearly every id is new. A miss in a `Map` of 10^5..10^6 entries walks a bucket chain
 * through memory that is no longer in cache, comparing against stored keys (each another
 * string elsewhere in memory). Here a miss usually reads one slot of an `Int32Array` and
 * stops at an empty slot or a different hash; a stored key is read only when the full
 * 32-bit hash matches.
 */
export class IdTable<V> {
  /** Per slot: index + 1 into `keys` (0 = empty). */
  private slots = new Int32Array(64);
  /** Per slot: the hash of the key there. */
  private hashes = new Int32Array(64);
  private mask = 63;
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  /** The slot where the last missing key would go, and its key and hash (see `insertAbsent`). */
  private missKey: string | undefined;
  private missSlot = 0;
  private missHash = 0;

  get size(): number {
    return this.keys.length;
  }

  /** The value of `key`, or undefined; remembers where a missing key would go. */
  get(key: string): V | undefined {
    const h = hashOf(key);
    const mask = this.mask;
    const slots = this.slots;
    const hashes = this.hashes;
    let i = h & mask;
    for (;;) {
      const s = slots[i] as number;
      if (s === 0) {
        this.missKey = key;
        this.missSlot = i;
        this.missHash = h;
        return undefined;
      }
      if (hashes[i] === h && this.keys[s - 1] === key) return this.values[s - 1];
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
    this.keys.push(key);
    this.values.push(value);
    this.slots[slot] = this.keys.length;
    this.hashes[slot] = h;
    if (this.keys.length * 2 > this.mask) this.grow();
  }

  /** Keys and values in insertion order. */
  *entries(): IterableIterator<[string, V]> {
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i < keys.length; i++) yield [keys[i] as string, values[i] as V];
  }

  private freeSlot(h: number): number {
    const mask = this.mask;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    this.mask = n - 1;
    this.slots = new Int32Array(n);
    this.hashes = new Int32Array(n);
    this.missKey = undefined;
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const h = hashOf(keys[k] as string);
      const i = this.freeSlot(h);
      this.slots[i] = k + 1;
      this.hashes[i] = h;
    }
  }
}

/** FNV-1a over the UTF-16 code units, 32 bits. */
function hashOf(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}
