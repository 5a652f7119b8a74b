/**
 * A compact set of order ids by 64-bit hash (open addressing over a Uint32Array, 8 bytes
 * a slot, at most half full). `has` may answer true for an id never added (a hash
 * collision, about one in 2^64 per pair): callers confirm a hit against the database,
 * so the filter only saves the lookup for ids that were never decided. A million ids
 * take 16 MB instead of the ~150 MB a Set of strings needs.
 */
export class IdFilter {
  private slots = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(id: string): void {
    if (2 * (this.count + 1) > this.slots.length / 2) this.grow();
    const [a, b] = hash(id);
    if (this.insert(this.slots, a, b)) this.count++;
  }

  has(id: string): boolean {
    const [a, b] = hash(id);
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const x = slots[2 * i] as number;
      const y = slots[2 * i + 1] as number;
      if (x === 0 && y === 0) return false;
      if (x === a && y === b) return true;
    }
  }

  clear(): void {
    this.slots = new Uint32Array(2 * 1024);
    this.count = 0;
  }

  /** Returns true when the pair was not there yet. */
  private insert(slots: Uint32Array, a: number, b: number): boolean {
    const mask = slots.length / 2 - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const x = slots[2 * i] as number;
      const y = slots[2 * i + 1] as number;
      if (x === 0 && y === 0) {
        slots[2 * i] = a;
        slots[2 * i + 1] = b;
        return true;
      }
      if (x === a && y === b) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    const next = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      const x = old[i] as number;
      const y = old[i + 1] as number;
      if (x !== 0 || y !== 0) this.insert(next, x, y);
    }
    this.slots = next;
  }
}

/** Two independent 32-bit FNV-1a hashes; the second is never 0, so (0, 0) marks an empty slot. */
function hash(id: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    b ^= b >>> 15;
  }
  return [a, (b | 1) >>> 0];
}
