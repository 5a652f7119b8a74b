/**
 * The first pass's look at one order, without building it: a JSON validator over the
 * record's UTF-8 bytes that also finds the top-level `date` and `id` strings and whether
 * some object gives a key twice.
 *
 * Pass 1 must reject invalid JSON before anything is charged and needs each order's date
 * (to decide in date order) and id (to find repeated ids), but not the order itself:
 * pass 2 parses every order anyway. Parsing twice with `JSON.parse` was the first pass's
 * whole cost. This scanner accepts exactly the texts `JSON.parse` accepts (a property
 * test holds it to that); on anything it rejects, the caller runs `JSON.parse` on the
 * record for the error message (and uses its value, should the two ever disagree).
 */

import { duplicateKeys } from "@diffuse/engine";

/** What the scan found: the last top-level `date` and `id` when the record is an object. */
export interface RecordFacts {
  /** The date as yyyymmdd, or undefined when it is missing, not a string or not `YYYY-MM-DD`. */
  date: number | undefined;
  /** The id when it is a string. */
  id: string | undefined;
  /** Whether some object in the record gives a key twice (`duplicateKeys` of @diffuse/engine says which). */
  duplicateKey: boolean;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** yyyymmdd of a `YYYY-MM-DD` string, else undefined. */
export function dayNumber(d: string): number | undefined {
  if (!DATE_PATTERN.test(d)) return undefined;
  return Number(d.slice(0, 4)) * 10_000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
}

// Scanner state (module level: one scan at a time, no allocation per record).
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
/** Whether the last string scanned had a backslash escape or a byte above 0x7f. */
let stringPlain = true;
/**
 * Whether some object of this record may give a key twice: two of its keys fell on the
 * same bit of `keyBit`, or one was written with an escape. `scanRecord` then looks at the
 * record exactly (`duplicateKeys`); the weights of `keyBit` keep the field names of
 * each object of an order (DESIGN.md) on distinct bits, so a valid order never needs it.
 */
let maybeDuplicate = false;

const enum Ch {
  Tab = 0x09,
  Lf = 0x0a,
  Cr = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

/**
 * Scans `bytes[from, to)` as one JSON text. Returns the facts, or undefined when the text
 * is not valid JSON (or nests too deeply to scan): ask `JSON.parse` then.
 */
export function scanRecord(bytes: Uint8Array, from: number, to: number): RecordFacts | undefined {
  buf = bytes;
  pos = from;
  end = to;
  maybeDuplicate = false;
  try {
    skipSpace();
    let facts: RecordFacts;
    if (pos < end && buf[pos] === Ch.OpenBrace) {
      facts = topObject();
    } else {
      if (!value()) return undefined;
      facts = { date: undefined, id: undefined, duplicateKey: false };
    }
    skipSpace();
    if (pos !== end) return undefined; // `facts` may be the frozen NOT_JSON
    if (maybeDuplicate) facts.duplicateKey = duplicateKeys(Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString("utf8")).length > 0;
    return facts;
  } catch (e) {
    if (e instanceof RangeError) return undefined; // too deep for the stack
    throw e;
  } finally {
    buf = EMPTY;
  }
}

const EMPTY = new Uint8Array(0);
const NOT_JSON: RecordFacts = Object.freeze({ date: undefined, id: undefined, duplicateKey: false }) as RecordFacts;

function skipSpace(): void {
  while (pos < end) {
    const b = buf[pos];
    if (b !== Ch.Space && b !== Ch.Lf && b !== Ch.Cr && b !== Ch.Tab) return;
    pos++;
  }
}

/** The top-level object; `pos` is at `{`. Returns NOT_JSON (pos unchanged past end) on an error. */
function topObject(): RecordFacts {
  const facts: RecordFacts = { date: undefined, id: undefined, duplicateKey: false };
  let keys = 0;
  pos++;
  skipSpace();
  if (pos < end && buf[pos] === Ch.CloseBrace) {
    pos++;
    return facts;
  }
  for (;;) {
    if (pos >= end || buf[pos] !== Ch.Quote) return fail();
    const keyStart = pos + 1;
    if (!string()) return fail();
    keys = noteKey(keys, keyStart, pos - 1);
    const key = keyOf(keyStart, pos - 1);
    skipSpace();
    if (pos >= end || buf[pos] !== Ch.Colon) return fail();
    pos++;
    skipSpace();
    if (key === "date" || key === "id") {
      const isString = pos < end && buf[pos] === Ch.Quote;
      const valueStart = pos + 1;
      if (!value()) return fail();
      if (!isString) {
        if (key === "date") facts.date = undefined;
        else facts.id = undefined;
      } else if (key === "date") facts.date = stringPlain ? dayOfBytes(valueStart, pos - 1) : dayNumber(stringAt(valueStart, pos - 1));
      else facts.id = stringAt(valueStart, pos - 1);
    } else if (!value()) return fail();
    skipSpace();
    if (pos >= end) return fail();
    const b = buf[pos];
    pos++;
    if (b === Ch.CloseBrace) return facts;
    if (b !== Ch.Comma) return fail();
    skipSpace();
  }
}

/**
 * Adds the key just scanned (`buf[from, to)`) to `keys`, the bits of the keys of its
 * object so far, noting when it may repeat one of them.
 */
function noteKey(keys: number, from: number, to: number): number {
  // By length, first and last byte; the weights are the smallest that put the fields of
  // each object of an order (top level, consignee, item line, model weights) on distinct bits.
  const bit = 1 << ((to - from + (buf[from] as number) + 5 * (buf[to - 1] as number)) & 31);
  if ((keys & bit) !== 0 || !stringPlain) maybeDuplicate = true;
  return keys | bit;
}

/** Marks the scan failed: the caller's end check sees `pos !== end`. */
function fail(): RecordFacts {
  pos = end + 1;
  return NOT_JSON;
}

/** The key's text when it may be `date` or `id` (plain bytes), else a string that is neither. */
function keyOf(from: number, to: number): string {
  if (stringPlain) {
    const n = to - from;
    if (n === 2 && buf[from] === 0x69 && buf[from + 1] === 0x64) return "id";
    if (n === 4 && buf[from] === 0x64 && buf[from + 1] === 0x61 && buf[from + 2] === 0x74 && buf[from + 3] === 0x65) return "date";
    return "";
  }
  return stringAt(from, to);
}

/** yyyymmdd of the plain string `YYYY-MM-DD` in `buf[from, to)`, else undefined. */
function dayOfBytes(from: number, to: number): number | undefined {
  if (to - from !== 10 || buf[from + 4] !== Ch.Minus || buf[from + 7] !== Ch.Minus) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (i === from + 4 || i === from + 7) continue;
    const d = (buf[i] as number) - Ch.Zero;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return n;
}

/** The string value between the quotes at `from - 1` and `to` (scanned already). */
function stringAt(from: number, to: number): string {
  let plain = true;
  for (let i = from; i < to; i++) {
    const b = buf[i] as number;
    if (b === Ch.Backslash || b > 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return latin1(from, to);
  return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + from - 1, to - from + 2).toString("utf8")) as string;
}

function latin1(from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += String.fromCharCode(buf[i] as number);
  return s;
}

/** One JSON value at `pos` (after whitespace). */
function value(): boolean {
  if (pos >= end) return false;
  const b = buf[pos] as number;
  if (b === Ch.Quote) return string();
  if (b === Ch.OpenBrace) return object();
  if (b === Ch.OpenBracket) return array();
  if (b === Ch.Minus || (b >= Ch.Zero && b <= Ch.Nine)) return number();
  if (b === 0x74) return literal(TRUE);
  if (b === 0x66) return literal(FALSE);
  if (b === 0x6e) return literal(NULL);
  return false;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function literal(word: readonly number[]): boolean {
  if (pos + word.length > end) return false;
  for (let k = 0; k < word.length; k++) if (buf[pos + k] !== word[k]) return false;
  pos += word.length;
  return true;
}

function object(): boolean {
  let keys = 0;
  pos++;
  skipSpace();
  if (pos < end && buf[pos] === Ch.CloseBrace) {
    pos++;
    return true;
  }
  for (;;) {
    const keyStart = pos + 1;
    if (pos >= end || buf[pos] !== Ch.Quote || !string()) return false;
    keys = noteKey(keys, keyStart, pos - 1);
    skipSpace();
    if (pos >= end || buf[pos] !== Ch.Colon) return false;
    pos++;
    skipSpace();
    if (!value()) return false;
    skipSpace();
    if (pos >= end) return false;
    const b = buf[pos];
    pos++;
    if (b === Ch.CloseBrace) return true;
    if (b !== Ch.Comma) return false;
    skipSpace();
  }
}

function array(): boolean {
  pos++;
  skipSpace();
  if (pos < end && buf[pos] === Ch.CloseBracket) {
    pos++;
    return true;
  }
  for (;;) {
    if (!value()) return false;
    skipSpace();
    if (pos >= end) return false;
    const b = buf[pos];
    pos++;
    if (b === Ch.CloseBracket) return true;
    if (b !== Ch.Comma) return false;
    skipSpace();
  }
}

/** A string; `pos` is at the opening quote and ends past the closing one. */
function string(): boolean {
  pos++;
  stringPlain = true;
  while (pos < end) {
    const b = buf[pos] as number;
    if (b === Ch.Quote) {
      pos++;
      return true;
    }
    if (b < 0x20) return false;
    if (b === Ch.Backslash) {
      stringPlain = false;
      pos++;
      if (pos >= end) return false;
      const e = buf[pos] as number;
      if (e === 0x75 /* u */) {
        if (pos + 4 >= end) return false;
        for (let k = 1; k <= 4; k++) if (!isHex(buf[pos + k] as number)) return false;
        pos += 5;
        continue;
      }
      // " \ / b f n r t
      if (e !== Ch.Quote && e !== Ch.Backslash && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return false;
      pos++;
      continue;
    }
    if (b > 0x7f) stringPlain = false;
    pos++;
  }
  return false;
}

function isHex(b: number): boolean {
  return (b >= Ch.Zero && b <= Ch.Nine) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

function digits(): number {
  const start = pos;
  while (pos < end) {
    const b = buf[pos] as number;
    if (b < Ch.Zero || b > Ch.Nine) break;
    pos++;
  }
  return pos - start;
}

function number(): boolean {
  if (buf[pos] === Ch.Minus) pos++;
  if (pos >= end) return false;
  if (buf[pos] === Ch.Zero) pos++;
  else if (digits() === 0) return false;
  if (pos < end && buf[pos] === Ch.Dot) {
    pos++;
    if (digits() === 0) return false;
  }
  if (pos < end && (buf[pos] === Ch.LowerE || buf[pos] === Ch.UpperE)) {
    pos++;
    if (pos < end && (buf[pos] === Ch.Plus || buf[pos] === Ch.Minus)) pos++;
    if (digits() === 0) return false;
  }
  return true;
}
