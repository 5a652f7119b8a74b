/**
 * Order books on disk, read in two passes without holding the orders in memory.
 *
 * Pass 1 (`scanBook`) reads the file once in large chunks: it finds each order's bytes
 * (a JSONL line, or an element of a top-level JSON array, found by an incremental
 * splitter that tracks strings and nesting), parses it to check the JSON and read its
 * date, and keeps only (offset, length, line, date) per order in typed arrays. Invalid
 * JSON stops here, before anything is evaluated or charged.
 *
 * Pass 2 (`readOrders`) yields the orders in date order, ties in input order: a book
 * already in date order is read straight through again; otherwise the index is sorted by
 * (date, position) and each order is read at its offset.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { IdFilter } from "@diffuse/ledger-sqlite";
import { jsonErrorAt } from "../json-error.js";
import { duplicateKeyErrors, duplicateKeys, type EvaluateOptions } from "@diffuse/engine";
import { dayNumber, scanRecord, type RecordFacts } from "./record-scan.js";

export type BookFormat = "json-array" | "jsonl";

export class BookSyntaxError extends Error {
  override readonly name = "BookSyntaxError";
  constructor(
    readonly line: number,
    readonly detail: string,
    /** 1-based, in UTF-16 code units as editors count them; undefined when not known. */
    readonly column?: number,
    /** For a JSON array, the 1-based number of the order (element) the error is in. */
    readonly element?: number,
  ) {
    super(
      `invalid JSON at line ${line}${column === undefined ? "" : `, column ${column}`}${element === undefined ? "" : ` (order ${element} of the array)`}: ${detail}`,
    );
  }
}

/** A whole file this size or smaller is read again to tell a single order from a broken book (`bookHelp`). */
const SINGLE_ORDER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The help for a book that failed with a BookSyntaxError. A file holding one order written
 * over several lines (a pretty-printed order file, as `explain` takes) is the likely
 * mistake behind an error on its first line, so it gets advice of its own.
 */
export function bookHelp(path: string): string {
  const format = "a book is a JSON array of orders (`[...]`) or JSON Lines (one order per line)";
  try {
    if (statSync(path).size > SINGLE_ORDER_MAX_BYTES) return format;
    const text = readFileSync(path, "utf8");
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return `the file is one order written over several lines; ${format}: put it in \`[\` \`]\`, or write it on one line (\`diffuse explain --order FILE\` explains a single order)`;
    }
  } catch {
    // Not JSON as a whole either: the error above says where.
  }
  return format;
}

/** Undated orders sort after all dated ones (the engine reports them invalid). */
const UNDATED = 99_999_999;

export class BookIndex {
  count = 0;
  offsets = new Float64Array(1024);
  lengths = new Uint32Array(1024);
  lines = new Uint32Array(1024);
  dates = new Uint32Array(1024);
  sorted = true;
  format: BookFormat = "jsonl";
  /** Order ids that occur more than once (a hash filter finds the candidates); empty when not looked for. */
  readonly repeatedIds = new Set<string>();
  /** Positions of the orders in which some object gives a key twice (`duplicateKeys`). */
  readonly duplicateKeys = new Set<number>();
  private readonly ids: IdFilter | undefined;

  /** `findRepeatedIds: false` skips the id filter (16 bytes an order) when the caller has no use for it. */
  constructor(findRepeatedIds = true) {
    this.ids = findRepeatedIds ? new IdFilter() : undefined;
  }

  /** Adds the order at `offset` with what pass 1 found in it. */
  addRecord(offset: number, length: number, line: number, facts: RecordFacts): void {
    this.add(offset, length, line, facts.date ?? UNDATED);
    this.noteId(facts.id);
    if (facts.duplicateKey) this.duplicateKeys.add(this.count - 1);
  }

  /**
   * The options to decide the order at `position` (read as `text`) with: `options`, plus
   * the errors of the keys it gives twice, if it does.
   */
  optionsFor(position: number, text: string, options: EvaluateOptions): EvaluateOptions {
    if (this.duplicateKeys.size === 0 || !this.duplicateKeys.has(position)) return options;
    return { ...options, orderErrors: duplicateKeyErrors(text) };
  }

  /** Notes an order's id, to find the ids a book repeats. */
  noteId(id: string | undefined): void {
    if (id === undefined || this.ids === undefined) return;
    if (this.ids.has(id)) this.repeatedIds.add(id);
    else this.ids.add(id);
  }

  add(offset: number, length: number, line: number, date: number): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.lines[i] = line;
    this.dates[i] = date;
    if (i > 0 && date < (this.dates[i - 1] as number)) this.sorted = false;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    const f = new Float64Array(n);
    f.set(this.offsets);
    this.offsets = f;
    for (const k of ["lengths", "lines", "dates"] as const) {
      const a = new Uint32Array(n);
      a.set(this[k]);
      this[k] = a;
    }
  }

  private order: Uint32Array | undefined;

  /** Positions (input indexes) in evaluation order. */
  evaluationOrder(): Uint32Array {
    if (this.order?.length === this.count) return this.order;
    this.order = this.sortedOrder();
    return this.order;
  }

  private sortedOrder(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    if (this.sorted) return order;
    const dates = this.dates;
    return order.sort((a, b) => (dates[a] as number) - (dates[b] as number) || a - b);
  }
}

/** The facts of a record `JSON.parse` accepted as `value` (when the byte scanner did not). */
function factsOf(value: unknown, text: string): RecordFacts {
  const duplicateKey = duplicateKeys(text).length > 0;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { date: undefined, id: undefined, duplicateKey };
  const { date, id } = value as { date?: unknown; id?: unknown };
  return { date: typeof date === "string" ? dayNumber(date) : undefined, id: typeof id === "string" ? id : undefined, duplicateKey };
}

/** A syntax error inside one record: at line `line` of the record (1: its first) and `column` on that line. */
class RecordSyntaxError {
  constructor(
    readonly line: number,
    readonly column: number | undefined,
    readonly detail: string,
  ) {}
}

/**
 * An order's date and id, checking its JSON: the byte scanner, or `JSON.parse` for the
 * error (a RecordSyntaxError, placed in the book by `inBook`) when the scanner rejects it.
 */
function recordFacts(bytes: Buffer, from: number, to: number): RecordFacts {
  const facts = scanRecord(bytes, from, to);
  if (facts !== undefined) return facts;
  const text = bytes.toString("utf8", from, to);
  return factsOf(parseRecord(text), text);
}

/** `JSON.parse` with the error turned into a RecordSyntaxError at the line and column of its first syntax error. */
function parseRecord(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const at = jsonErrorAt(text, e);
    throw new RecordSyntaxError(at.line, at.column, at.message);
  }
}

/**
 * `e` placed in the book, when it is a record's syntax error: the record starts at line
 * `line`, column `column()` (asked for only here: it can mean reading the file), and is
 * order `element` of an array. Other errors pass through.
 */
function inBook(e: unknown, line: number, column: () => number, element: number | undefined): unknown {
  if (!(e instanceof RecordSyntaxError)) return e;
  const at = e.column === undefined ? undefined : e.line === 1 ? column() + e.column - 1 : e.column;
  return new BookSyntaxError(line + e.line - 1, e.detail, at, element);
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let i = buf.indexOf(10, from);
  while (i !== -1 && i < to) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/** The 1-based column (UTF-16 code units) of byte `offset` of the file, whose line starts at byte `lineStart`. */
function columnOf(fd: number, lineStart: number, offset: number): number {
  const prefix = Buffer.allocUnsafe(offset - lineStart);
  readSync(fd, prefix, 0, prefix.length, lineStart);
  return prefix.toString("utf8").length + 1;
}

const CHUNK = 1 << 20;

export interface ScanOptions {
  /**
   * Collect the ids the book repeats (default true): the in-memory ledger needs them; a
   * durable ledger answers repeats itself, and the filter costs 16 bytes an order.
   */
  readonly findRepeatedIds?: boolean;
}

/** Pass 1. */
export function scanBook(path: string, options: ScanOptions = {}): BookIndex {
  const fd = openSync(path, "r");
  try {
    const index = new BookIndex(options.findRepeatedIds !== false);
    const first = firstByte(fd);
    if (first === undefined) return index;
    index.format = first.byte === 0x5b /* [ */ ? "json-array" : "jsonl";
    if (index.format === "jsonl") scanJsonl(fd, index, first.offset);
    else scanArray(fd, index, first.offset);
    return index;
  } finally {
    closeSync(fd);
  }
}

/** The first byte that is not whitespace or a BOM, and its offset. */
function firstByte(fd: number): { byte: number; offset: number } | undefined {
  const buf = Buffer.allocUnsafe(4096);
  let pos = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) return undefined;
    for (let i = 0; i < n; i++) {
      const b = buf[i] as number;
      if (pos + i < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return { byte: b, offset: pos + i };
    }
    pos += n;
  }
}

function scanJsonl(fd: number, index: BookIndex, start: number): void {
  let line = 1;
  // Count the lines skipped before `start` (blank lines at the top).
  if (start > 0) {
    const head = Buffer.allocUnsafe(start);
    readSync(fd, head, 0, start, 0);
    line += countNewlines(head, 0, start);
  }
  // One buffer for the whole file: a line cut at the end of a read is read again at the
  // start of the next one (no copying or allocation per chunk; a line longer than the
  // buffer doubles it).
  let buf = Buffer.allocUnsafe(CHUNK);
  let pos = start;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    const eof = n < buf.length;
    let from = 0;
    for (;;) {
      let nl = buf.indexOf(10, from);
      if (nl === -1 || nl >= n) {
        if (!eof || from >= n) break;
        nl = n;
      }
      let end = nl;
      if (end > from && buf[end - 1] === 13) end--;
      let s = from;
      while (s < end && (buf[s] === 0x20 || buf[s] === 0x09)) s++;
      if (s < end) {
        let facts: RecordFacts;
        try {
          facts = recordFacts(buf, s, end);
        } catch (e) {
          // The text before `s` on its line is spaces and tabs: its column is its byte count.
          throw inBook(e, line, () => s - from + 1, undefined);
        }
        index.addRecord(pos + s, end - s, line, facts);
      }
      line++;
      from = nl + 1;
    }
    if (eof) return;
    if (from === 0) buf = Buffer.allocUnsafe(buf.length * 2);
    pos += from;
  }
}

/** Splitter states. */
const BEFORE_VALUE = 0;
const IN_VALUE = 1;
const DONE = 2;

function scanArray(fd: number, index: BookIndex, start: number): void {
  // Offsets are absolute; `start` is the `[`.
  let state: number = BEFORE_VALUE;
  let depth = 0;
  let inString = false;
  let escape = false;
  let valueStart = -1;
  let valueLine = 0;
  let valueLineStart = 0;
  let line = 1;
  /** Byte offset where the current line starts (for columns, computed only on an error). */
  let lineStart = 0;
  let lastNonSpace = -1;
  let sawComma = false;
  let elements = 0;
  let pos = start + 1;
  if (start > 0) {
    const head = Buffer.allocUnsafe(start);
    readSync(fd, head, 0, start, 0);
    line += countNewlines(head, 0, start);
    lineStart = head.lastIndexOf(10) + 1;
  }
  const chunk = Buffer.allocUnsafe(CHUNK);
  /** A syntax error of the array itself at byte `offset`. */
  const arrayError = (detail: string, offset: number): BookSyntaxError => new BookSyntaxError(line, detail, columnOf(fd, lineStart, offset));
  // Bytes of the value being scanned that started in an earlier chunk.
  const pieces: Buffer[] = [];

  const finish = (endAbs: number): void => {
    const length = endAbs - valueStart;
    const bytes = pieces.length > 0 ? Buffer.concat(pieces) : Buffer.alloc(0);
    pieces.length = 0;
    let facts: RecordFacts;
    try {
      facts = recordFacts(bytes, 0, length);
    } catch (e) {
      throw inBook(e, valueLine, () => columnOf(fd, valueLineStart, valueStart), elements + 1);
    }
    index.addRecord(valueStart, length, valueLine, facts);
    elements++;
  };

  for (;;) {
    const n = readSync(fd, chunk, 0, CHUNK, pos);
    if (n === 0) break;
    let segStart = 0;
    for (let i = 0; i < n; i++) {
      const b = chunk[i] as number;
      if (b === 10) {
        line++;
        lineStart = pos + i + 1;
      }
      switch (state) {
        case BEFORE_VALUE:
          if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
          if (b === 0x5d /* ] */) {
            if (sawComma) throw arrayError("expected an order after `,`", pos + i);
            state = DONE;
            continue;
          }
          if (b === 0x2c) throw arrayError("unexpected `,`", pos + i);
          state = IN_VALUE;
          valueStart = pos + i;
          valueLine = line;
          valueLineStart = lineStart;
          segStart = i;
          depth = 0;
          inString = false;
          escape = false;
          i--; // rescan this byte as part of the value
          continue;
        case IN_VALUE:
          if (inString) {
            if (escape) escape = false;
            else if (b === 0x5c) escape = true;
            else if (b === 0x22) inString = false;
            lastNonSpace = pos + i;
            continue;
          }
          if (b === 0x22) {
            inString = true;
            lastNonSpace = pos + i;
          } else if (b === 0x7b || b === 0x5b) {
            depth++;
            lastNonSpace = pos + i;
          } else if (b === 0x7d || b === 0x5d) {
            if (depth === 0) {
              // `]` closing the top-level array right after a value.
              pieces.push(Buffer.from(chunk.subarray(segStart, i)));
              finish(lastNonSpace + 1);
              state = DONE;
              continue;
            }
            depth--;
            lastNonSpace = pos + i;
          } else if (b === 0x2c && depth === 0) {
            pieces.push(Buffer.from(chunk.subarray(segStart, i)));
            finish(lastNonSpace + 1);
            state = BEFORE_VALUE;
            sawComma = true;
          } else if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) lastNonSpace = pos + i;
          continue;
        case DONE:
          if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) throw arrayError("unexpected text after the closing `]`", pos + i);
          continue;
        default:
          throw new Error(`unreachable splitter state ${state}`);
      }
    }
    if (state === IN_VALUE) pieces.push(Buffer.from(chunk.subarray(segStart, n)));
    pos += n;
  }
  if (state !== DONE) {
    throw new BookSyntaxError(
      line,
      elements === 0 && state === BEFORE_VALUE && !sawComma ? "the array is not closed with `]`" : "unexpected end of file: the array is not closed with `]`",
    );
  }
}

/**
 * Pass 2 as a cursor: the orders as text, in evaluation order. `next()` moves to the next
 * order (false at the end) and sets `position` (its input index), `line` and `text`;
 * `from` skips the first orders of the evaluation order (to decide a batch again). No
 * object is made per order. `close()` closes the file (also done at the end).
 */
export class OrderReader {
  position = -1;
  line = 0;
  text = "";
  private fd: number | undefined;
  private k: number;
  private readonly order: Uint32Array | undefined;
  private buf: Buffer;
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    path: string,
    private readonly index: BookIndex,
    from = 0,
  ) {
    this.fd = openSync(path, "r");
    this.k = from;
    // A book in date order is read sequentially, in big chunks the records are sliced from.
    this.order = index.sorted ? undefined : index.evaluationOrder();
    this.buf = Buffer.allocUnsafe(index.sorted ? CHUNK : 64 * 1024);
  }

  next(): boolean {
    const fd = this.fd;
    if (fd === undefined) return false;
    const index = this.index;
    if (this.k >= index.count) {
      this.close();
      return false;
    }
    const i = this.order === undefined ? this.k : (this.order[this.k] as number);
    this.k++;
    const off = index.offsets[i] as number;
    const len = index.lengths[i] as number;
    let buf = this.buf;
    if (this.order === undefined) {
      if (off < this.bufStart || off + len > this.bufStart + this.bufLen) {
        if (len > buf.length) this.buf = buf = Buffer.allocUnsafe(len);
        this.bufStart = off;
        this.bufLen = readSync(fd, buf, 0, buf.length, off);
      }
    } else {
      if (len > buf.length) this.buf = buf = Buffer.allocUnsafe(len);
      this.bufStart = off;
      this.bufLen = readSync(fd, buf, 0, len, off);
    }
    this.position = i;
    this.line = index.lines[i] as number;
    this.text = buf.toString("utf8", off - this.bufStart, off - this.bufStart + len);
    return true;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Pass 2 as a generator (see OrderReader). */
export function* readOrders(path: string, index: BookIndex, from = 0): Generator<{ readonly position: number; readonly line: number; readonly text: string }> {
  const reader = new OrderReader(path, index, from);
  try {
    while (reader.next()) yield { position: reader.position, line: reader.line, text: reader.text };
  } finally {
    reader.close();
  }
}
