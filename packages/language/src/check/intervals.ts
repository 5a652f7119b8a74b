/**
 * Dated country sets: for each country, the sorted, non-overlapping half-open date
 * intervals [from, until) in which it is a member. Dates are ISO strings, so they
 * compare as strings; the sentinels BEGIN ("") and END ("~") stand for "since always"
 * and "for ever". Values are treated as immutable.
 */
import type { MembershipInterval } from "../model.js";

export const BEGIN = "";
export const END = "~";

export type Span = readonly [from: string, until: string];
export type DatedSet = ReadonlyMap<string, readonly Span[]>;

export const EMPTY: DatedSet = new Map();

/**
 * A mutable copy. `forEach`, not `new Map(a)`: the constructor goes through the iterator
 * protocol and allocates a [key, value] pair per entry (a third of the checker's garbage
 * on policies with many `all - ...` groups).
 */
function copy(a: DatedSet): Map<string, readonly Span[]> {
  const out = new Map<string, readonly Span[]>();
  a.forEach((spans, country) => out.set(country, spans));
  return out;
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

export function union(a: DatedSet, b: DatedSet, inPlace = false): DatedSet {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const out = inPlace && a instanceof Map ? (a as Map<string, readonly Span[]>) : copy(a);
  b.forEach((spans, country) => {
    const mine = out.get(country);
    out.set(country, mine ? normalize([...mine, ...spans]) : spans);
  });
  return out;
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
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Map<string, readonly Span[]>();
  small.forEach((spans, country) => {
    const other = large.get(country);
    if (!other) return;
    if (spans === other || isAlways(other)) out.set(country, spans);
    else if (isAlways(spans)) out.set(country, other);
    else {
      const both = intersectSpans(spans, other);
      if (both.length > 0) out.set(country, both);
    }
  });
  return out;
}

function isAlways(spans: readonly Span[]): boolean {
  const only = spans[0];
  return spans.length === 1 && only !== undefined && only[0] === BEGIN && only[1] === END;
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

export function difference(a: DatedSet, b: DatedSet, inPlace = false): DatedSet {
  if (b.size === 0) return a;
  // Copying the map and patching the (usually few) countries of `b` is much cheaper than
  // rebuilding it when `a` is large (`all - tier1`). With `inPlace`, the caller owns `a`
  // (an intermediate result) and it is patched directly.
  const out = inPlace && a instanceof Map ? (a as Map<string, readonly Span[]>) : copy(a);
  b.forEach((other, country) => {
    const spans = out.get(country);
    if (!spans) return;
    if (isAlways(other)) {
      out.delete(country);
      return;
    }
    const rest = subtractSpans(spans, other);
    if (rest.length > 0) out.set(country, rest);
    else out.delete(country);
  });
  return out;
}

const ALWAYS: readonly Span[] = [[BEGIN, END]];

/** Every country, always, in sorted order. */
export function everything(codes: readonly string[]): DatedSet {
  return new Map([...codes].sort().map((c) => [c, ALWAYS]));
}

/** Is `country` a member on `date`? */
export function contains(set: DatedSet, country: string, date: string): boolean {
  const spans = set.get(country);
  return spans !== undefined && spans.some(([f, u]) => f <= date && date < u);
}

/** One shared interval object per always-member country (sets of 200+ countries are common). */
const alwaysIntervals = new Map<string, MembershipInterval>();

/** Membership intervals for the model: sorted by country, then by `from`. */
export function toMembership(set: DatedSet): MembershipInterval[] {
  const out: MembershipInterval[] = [];
  let previous = "";
  let sorted = true;
  // forEach, not for-of over entries: no [key, value] array per country.
  set.forEach((spans, country) => {
    if (country < previous) sorted = false;
    previous = country;
    if (isAlways(spans)) {
      let shared = alwaysIntervals.get(country);
      if (!shared) {
        shared = Object.freeze({ country });
        alwaysIntervals.set(country, shared);
      }
      out.push(shared);
      return;
    }
    for (const [f, u] of spans) {
      // Four literal shapes, no spreads: optional properties stay absent.
      out.push(f === BEGIN ? (u === END ? { country } : { country, until: u }) : u === END ? { country, from: f } : { country, from: f, until: u });
    }
  });
  // Spans of one country are already in `from` order, and the sort is stable.
  if (!sorted) out.sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
  return out;
}
