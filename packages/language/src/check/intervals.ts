/**
 * Dated country sets: for each country, the sorted, non-overlapping half-open date
 * intervals [from, until) in which it is a member. Dates are ISO strings, so they
 * compare as strings; the sentinels BEGIN ("") and END ("~") stand for "since always"
 * and "for ever". Values are immutable.
 *
 * Representation. Almost every member of a real set is a member on every date (`all`,
 * `all - tier1`, a literal without `from`/`until`), so those members are bits over the
 * accepted country codes (`always`), and only the few dated members sit in a map
 * (`dated`). Set algebra is then a handful of word operations plus work on the dated
 * members: `all - tier1 - tier3` costs the same as `{ US } + { GB }`, and a group's value
 * holds 8 numbers instead of a map of 200+ countries. A code outside the accepted list (only
 * hand-built sets have one) lives in `dated`, whatever its spans.
 */
import type { MembershipInterval } from "../model.js";
import { COUNTRY_CODES } from "../countries.js";

export const BEGIN = "";
export const END = "~";

export type Span = readonly [from: string, until: string];

export interface DatedSet {
  /** Bit i of word i >> 5 set: `CODES[i]` is a member on every date (and then not in `dated`). */
  readonly always: readonly number[];
  /** Members on some dates only: normalized, non-empty spans. */
  readonly dated: ReadonlyMap<string, readonly Span[]>;
}

/** The accepted codes in code-point order: bit i of a set stands for `CODES[i]`. */
const CODES: readonly string[] = [...COUNTRY_CODES].sort();
const INDEX: ReadonlyMap<string, number> = new Map(CODES.map((c, i) => [c, i]));
const WORDS = (CODES.length + 31) >> 5;

const NO_DATED: ReadonlyMap<string, readonly Span[]> = new Map();
const ALWAYS: readonly Span[] = Object.freeze([Object.freeze([BEGIN, END] as const)]);

function noBits(): number[] {
  return new Array<number>(WORDS).fill(0);
}

export const EMPTY: DatedSet = { always: Object.freeze(noBits()), dated: NO_DATED };

function hasBit(bits: readonly number[], i: number): boolean {
  return i >= 0 && (((bits[i >> 5] as number) >>> (i & 31)) & 1) === 1;
}

function bitOf(country: string): number {
  return INDEX.get(country) ?? -1;
}

function isAlways(spans: readonly Span[]): boolean {
  const only = spans[0];
  return spans.length === 1 && only !== undefined && only[0] === BEGIN && only[1] === END;
}

/** Sorts, drops empty spans and merges overlapping or touching ones. */
export function normalize(spans: readonly Span[]): Span[] {
  const live = spans.filter(([f, u]) => f < u);
  if (live.length <= 1) return live;
  live.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [string, string][] = [];
  for (const [f, u] of live) {
    const last = out[out.length - 1];
    if (last && f <= last[1]) {
      if (u > last[1]) last[1] = u;
    } else out.push([f, u]);
  }
  return out;
}

/**
 * Collects a set's members: a member on every date becomes a bit where its code has
 * one, so equal sets have one representation.
 */
class Builder {
  readonly always: number[];
  private dated: Map<string, readonly Span[]> | undefined;

  constructor(always: number[]) {
    this.always = always;
  }

  /** Adds `country` with `spans` (normalized; empty means not a member). */
  put(country: string, spans: readonly Span[]): void {
    if (spans.length === 0) return;
    const i = bitOf(country);
    if (i >= 0 && isAlways(spans)) {
      this.always[i >> 5] = (this.always[i >> 5] as number) | (1 << (i & 31));
      return;
    }
    (this.dated ??= new Map()).set(country, spans);
  }

  /** Removes `country`'s bit (it is then re-added with `put` if still a member on some dates). */
  clear(i: number): void {
    this.always[i >> 5] = (this.always[i >> 5] as number) & ~(1 << (i & 31));
  }

  done(): DatedSet {
    return { always: this.always, dated: this.dated ?? NO_DATED };
  }
}

/** Builds a set member by member, as a set literal lists them. */
export class SetBuilder {
  private readonly bits = noBits();
  private spans: Map<string, Span[]> | undefined;
  /** Every code added so far, even for an empty span (bits, and a set for codes without one). */
  private readonly seen = noBits();
  private seenOther: Set<string> | undefined;

  /** Adds `country` for the dates of `span` (an empty span adds no dates, but the country counts as listed). */
  add(country: string, span: Span): void {
    const i = bitOf(country);
    if (i >= 0) this.seen[i >> 5] = (this.seen[i >> 5] as number) | (1 << (i & 31));
    else (this.seenOther ??= new Set()).add(country);
    if (i >= 0 && span[0] === BEGIN && span[1] === END) {
      this.bits[i >> 5] = (this.bits[i >> 5] as number) | (1 << (i & 31));
      return;
    }
    if (span[0] >= span[1]) return;
    this.spans ??= new Map();
    const spans = this.spans.get(country);
    if (spans) spans.push(span);
    else this.spans.set(country, [span]);
  }

  /** Has `country` been added before, with any span (even an empty one)? */
  listed(country: string): boolean {
    const i = bitOf(country);
    return i >= 0 ? hasBit(this.seen, i) : (this.seenOther?.has(country) ?? false);
  }

  done(): DatedSet {
    if (!this.spans) return { always: this.bits, dated: NO_DATED };
    const out = new Builder(this.bits);
    this.spans.forEach((spans, country) => {
      if (!hasBit(this.bits, bitOf(country))) out.put(country, spans.length > 1 ? normalize(spans) : spans);
    });
    return out.done();
  }
}

/** Every accepted country, always. */
export function everything(): DatedSet {
  const out = new Builder(noBits());
  for (const code of CODES) out.put(code, ALWAYS);
  return out.done();
}

/** The spans in which `country` is a member (empty when it never is). */
export function spansOf(set: DatedSet, country: string): readonly Span[] {
  return hasBit(set.always, bitOf(country)) ? ALWAYS : (set.dated.get(country) ?? []);
}

/** Is `country` a member on `date`? */
export function contains(set: DatedSet, country: string, date: string): boolean {
  return spansOf(set, country).some(([f, u]) => f <= date && date < u);
}

/** The countries that are members on some date, sorted. */
export function countries(set: DatedSet): string[] {
  const out: string[] = [];
  for (let i = 0; i < CODES.length; i++) if (hasBit(set.always, i)) out.push(CODES[i] as string);
  set.dated.forEach((_, country) => out.push(country));
  return out.sort();
}

export function isEmpty(set: DatedSet): boolean {
  return set.dated.size === 0 && set.always.every((w) => w === 0);
}

export function union(a: DatedSet, b: DatedSet): DatedSet {
  const bits = noBits();
  for (let w = 0; w < WORDS; w++) bits[w] = (a.always[w] as number) | (b.always[w] as number);
  if (a.dated.size === 0 && b.dated.size === 0) return { always: bits, dated: NO_DATED };
  const out = new Builder(bits);
  a.dated.forEach((spans, country) => {
    if (hasBit(bits, bitOf(country))) return;
    const other = b.dated.get(country);
    out.put(country, other ? normalize([...spans, ...other]) : spans);
  });
  b.dated.forEach((spans, country) => {
    if (!hasBit(bits, bitOf(country)) && !a.dated.has(country)) out.put(country, spans);
  });
  return out.done();
}

function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [af, au] of a) {
    for (const [bf, bu] of b) {
      const f = af > bf ? af : bf;
      const u = au < bu ? au : bu;
      if (f < u) out.push([f, u]);
    }
  }
  return normalize(out);
}

export function intersection(a: DatedSet, b: DatedSet): DatedSet {
  const bits = noBits();
  for (let w = 0; w < WORDS; w++) bits[w] = (a.always[w] as number) & (b.always[w] as number);
  if (a.dated.size === 0 && b.dated.size === 0) return { always: bits, dated: NO_DATED };
  const out = new Builder(bits);
  a.dated.forEach((spans, country) => {
    if (hasBit(b.always, bitOf(country))) out.put(country, spans);
    else {
      const other = b.dated.get(country);
      if (other) out.put(country, intersectSpans(spans, other));
    }
  });
  b.dated.forEach((spans, country) => {
    if (hasBit(a.always, bitOf(country))) out.put(country, spans);
  });
  return out.done();
}

function subtractSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  let rest: Span[] = [...a];
  for (const [bf, bu] of b) {
    const next: Span[] = [];
    for (const [f, u] of rest) {
      if (bu <= f || bf >= u) {
        next.push([f, u]);
        continue;
      }
      if (f < bf) next.push([f, bf]);
      if (bu < u) next.push([bu, u]);
    }
    rest = next;
  }
  return rest;
}

export function difference(a: DatedSet, b: DatedSet): DatedSet {
  const bits = noBits();
  for (let w = 0; w < WORDS; w++) bits[w] = (a.always[w] as number) & ~(b.always[w] as number);
  if (a.dated.size === 0 && b.dated.size === 0) return { always: bits, dated: NO_DATED };
  const out = new Builder(bits);
  a.dated.forEach((spans, country) => {
    if (hasBit(b.always, bitOf(country))) return;
    const other = b.dated.get(country);
    out.put(country, other ? subtractSpans(spans, other) : spans);
  });
  b.dated.forEach((other, country) => {
    const i = bitOf(country);
    if (!hasBit(bits, i)) return;
    out.clear(i);
    out.put(country, subtractSpans(ALWAYS, other));
  });
  return out.done();
}

/** One shared interval object per always-member country (sets of 200+ countries are common). */
const alwaysIntervals = new Map<string, MembershipInterval>();

function alwaysInterval(country: string): MembershipInterval {
  let shared = alwaysIntervals.get(country);
  if (!shared) {
    shared = Object.freeze({ country });
    alwaysIntervals.set(country, shared);
  }
  return shared;
}

function pushSpans(out: MembershipInterval[], country: string, spans: readonly Span[]): void {
  if (isAlways(spans)) {
    out.push(alwaysInterval(country));
    return;
  }
  for (const [f, u] of spans) {
    // Four literal shapes, no spreads: optional properties stay absent.
    out.push(f === BEGIN ? (u === END ? { country } : { country, until: u }) : u === END ? { country, from: f } : { country, from: f, until: u });
  }
}

/** Membership intervals for the model: sorted by country, then by `from`. */
export function toMembership(set: DatedSet): MembershipInterval[] {
  const out: MembershipInterval[] = [];
  const dated = [...set.dated.keys()].sort();
  let d = 0;
  for (let i = 0; i < CODES.length; i++) {
    if (!hasBit(set.always, i)) continue;
    const code = CODES[i] as string;
    for (; d < dated.length && (dated[d] as string) < code; d++) pushSpans(out, dated[d] as string, set.dated.get(dated[d] as string) ?? []);
    out.push(alwaysInterval(code));
  }
  for (; d < dated.length; d++) pushSpans(out, dated[d] as string, set.dated.get(dated[d] as string) ?? []);
  return out;
}

/**
 * A set's membership intervals, built on first read. Every group and every `in` condition
 * carries them in the model, but few are read: a command-line check reads none, an editor
 * one on hover, the engine each once when it compiles. Converting every set of a large
 * policy up front was about 8 % of the checker's time on the generated bench policy.
 */
export class LazyMembers {
  private members: readonly MembershipInterval[] | undefined;

  constructor(private readonly set: DatedSet) {}

  get(): readonly MembershipInterval[] {
    this.members ??= toMembership(this.set);
    return this.members;
  }
}
