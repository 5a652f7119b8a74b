/**
 * File and stream I/O for the commands: reading files with clear errors, and buffered
 * output that respects back-pressure and ends quietly when the reader goes away
 * (`diffuse eval ... | head`).
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, type Stats } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { CliError } from "./errors.js";
import { jsonErrorAt } from "./json-error.js";

/**
 * `statSync` of a path the user gave (`shown`: as written; `what`: what it names, for
 * the message): its Stats, or undefined when nothing is there. Node throws for a path
 * that cannot be looked at, even when told not to throw for a missing file: a part of it
 * is a file, its name is too long, a folder on the way may not be entered. That is a
 * CliError, `cannot read orders \`x\`: enotdir` (`cannot write` for an output).
 */
export function statPath(path: string, what: string, shown: string, access: "read" | "write" = "read"): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw new CliError(`cannot ${access} ${what} \`${shown}\`: ${errorText(e)}`);
  }
}

/**
 * Reads a UTF-8 text file, or throws a CliError saying what is wrong with the path.
 * `strict`: a file that is not UTF-8 is an error too (for a reader that writes the text
 * back: decoded leniently, each such byte would become U+FFFD).
 */
export function readTextFile(path: string, what = "file", shown = path, strict = false): string {
  const cannotRead = (e: unknown): CliError => new CliError(`cannot read ${what} \`${shown}\`: ${errorText(e)}`);
  const stat = statPath(path, what, shown);
  if (!stat) throw new CliError(`${what} \`${shown}\` does not exist`);
  if (stat.isDirectory()) throw new CliError(`${what} \`${shown}\` is a directory`, undefined, "give the path of a file");
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw cannotRead(e);
  }
  return strict ? utf8Text(bytes, `${what} \`${shown}\``) : bytes.toString("utf8");
}

/** A fatal decoder that keeps a BOM (the formatter writes back what it read). */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `bytes` decoded as UTF-8, or a CliError saying where in `what` the first byte that is not UTF-8 is. */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    const before = bytes.subarray(0, at);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    const line = before.reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
    const column = STRICT_UTF8.decode(before.subarray(lineStart)).length + 1;
    throw new CliError(
      `${what} is not UTF-8: byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, "0")} at line ${line}, column ${column}`,
      undefined,
      "Diffuse files are UTF-8: save it as UTF-8, then format it",
    );
  }
}

/** Offset of the first byte that makes `bytes` invalid UTF-8: the shortest prefix a streaming decode refuses (an incomplete tail is not refused), found by bisection. */
function firstInvalidByte(bytes: Uint8Array): number {
  const refuses = (n: number): boolean => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (refuses(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  // A file that ends inside a character is refused only as a whole: its last byte.
  return Math.min(lo, bytes.length - 1);
}

/**
 * Parses a whole JSON document, or throws a CliError naming `what` (when given) with the
 * line and column of the first syntax error and what was expected there. A leading BOM
 * (Windows editors save one) is skipped, as the order book scanner skips it.
 */
export function parseJsonText(withBom: string, what?: string): unknown {
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  try {
    return JSON.parse(text);
  } catch (e) {
    const prefix = what === undefined ? "" : `${what}: `;
    const at = jsonErrorAt(text, e);
    throw new CliError(`${prefix}invalid JSON${at.column === undefined ? "" : ` at line ${at.line}, column ${at.column}`}: ${at.message}`);
  }
}

/** Reads all of stdin as UTF-8 text; `strict`: text that is not UTF-8 is an error, as in `readTextFile`. */
export async function readStdin(stdin: NodeJS.ReadableStream, strict = false): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  const bytes = Buffer.concat(chunks);
  return strict ? utf8Text(bytes, "stdin") : bytes.toString("utf8");
}

/** Copies stdin to a temporary file (for readers that need a file); `cleanup` removes it. */
export async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<{ readonly path: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "diffuse-stdin-"));
  const path = join(dir, "stdin");
  try {
    await pipeline(stdin, createWriteStream(path));
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new CliError(`cannot read stdin: ${errorText(e)}`);
  }
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The path as shown to the user: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === "" || rel.startsWith("..") || resolve(cwd, rel) !== path) return path;
  return rel.split(sep).join("/");
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    return code ? `${code.toLowerCase()}` : e.message;
  }
  return String(e);
}

/** Where a command writes: a sink with `write`, plus whether it is a terminal. */
export interface Sink {
  write(text: string): void;
  /**
   * Writes UTF-8 bytes after everything written before, as `write` would their text
   * (`chars`: its length in UTF-16 code units, for the same buffering); calls `done`
   * once the sink no longer reads them (the caller may then reuse the buffer).
   */
  writeBytes(bytes: Uint8Array, chars: number, done: () => void): void;
  /** Resolves when buffered output has been handed to the stream (back-pressure). */
  flush(): Promise<void>;
  readonly isTTY: boolean;
  /** True once the reader has gone away (EPIPE): what is written is dropped, and a command that only writes out may stop. */
  readonly isClosed: boolean;
}

/** Bytes waiting in a StreamSink, and who to tell when the stream is done with them. */
interface PendingBytes {
  readonly bytes: Uint8Array;
  readonly done: () => void;
}

/**
 * Buffers writes into large chunks; `flush` waits for the stream to drain. Text and bytes
 * are buffered alike (the chunk size counts UTF-16 code units of both), so when output
 * reaches the stream, relative to an unbuffered stderr, does not depend on which was used.
 */
export class StreamSink implements Sink {
  private pending: (string | PendingBytes)[] = [];
  private size = 0;
  private hasBytes = false;
  private needsDrain = false;
  private closed = false;
  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; readonly writableLength?: number },
    private readonly chunkSize = 1 << 16,
  ) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") this.closed = true;
      else throw e;
    });
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= this.chunkSize) this.push();
  }

  writeBytes(bytes: Uint8Array, chars: number, done: () => void): void {
    if (this.closed) {
      done();
      return;
    }
    this.pending.push({ bytes, done });
    this.hasBytes = true;
    this.size += chars;
    if (this.size >= this.chunkSize) this.push();
  }

  async flush(): Promise<void> {
    this.push();
    if (this.needsDrain && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off("drain", done);
          this.stream.off("close", done);
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("close", done);
      });
      this.needsDrain = false;
    }
  }

  private push(): void {
    if ((this.size === 0 && !this.hasBytes) || this.closed) return;
    const pending = this.pending;
    this.pending = [];
    this.size = 0;
    this.hasBytes = false;
    // Consecutive texts go out as one string, bytes as they are, in order.
    let texts: string[] = [];
    for (const p of pending) {
      if (typeof p === "string") texts.push(p);
      else {
        if (texts.length > 0) this.send(texts.join(""));
        texts = [];
        let done = false;
        const finish = (): void => {
          if (!done) p.done();
          done = true;
        };
        if (!this.stream.write(p.bytes, finish)) this.needsDrain = true;
        // Nothing left queued in the stream: the bytes were handed to the system during the
        // write (files, and pipes on Linux). Release them now: the callback comes only on a
        // later tick, and a book run can go for many batches without one.
        if (this.stream.writableLength === 0) finish();
      }
    }
    if (texts.length > 0) this.send(texts.join(""));
  }

  private send(text: string): void {
    if (text.length > 0 && !this.stream.write(text)) this.needsDrain = true;
  }
}

/** Collects output in memory (tests, and commands that need the text first). */
export class MemorySink implements Sink {
  text = "";
  readonly isClosed = false;
  constructor(readonly isTTY = false) {}
  write(text: string): void {
    this.text += text;
  }
  writeBytes(bytes: Uint8Array, _chars: number, done: () => void): void {
    this.text += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    done();
  }
  async flush(): Promise<void> {}
}
