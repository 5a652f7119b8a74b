/**
 * Decision blocks: the decisions of one batch, stored together as one row.
 *
 * A decision is ~800 bytes of JSON, most of it the same rule texts, sources and policy
 * identity again and again; a batch of them compresses about 35 to 1 with Brotli at
 * quality 1 (about 0.5 us a decision, three times faster than deflate's fastest level
 * and smaller), which makes the ledger file and its write cost small. The lines of a
 * block are the decisions' JSON texts (`JSON.stringify` of the stored decision), joined
 * by newlines (JSON text never contains a raw newline), so a block reads back as exactly
 * the decisions that were written.
 *
 * Codecs: `brotli` (the UTF-8 lines, Brotli-compressed), and `json` (one decision as plain
 * text: the rows of ledgers written before blocks existed, carried over as they were).
 */
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";

export type BlockCodec = "brotli" | "json";

/**
 * The UTF-8 text of a block is written into one reused buffer: a fresh ~1 MB buffer per
 * batch is external memory the garbage collector frees late, and it showed as a third
 * of the peak RSS on a million-order book.
 */
let scratch = Buffer.allocUnsafe(1 << 20);

export function encodeBlock(lines: readonly string[]): { readonly codec: BlockCodec; readonly data: Buffer } {
  return encodeBlockText(lines.join("\n"));
}

/** `encodeBlock` of lines already joined by newlines and encoded as UTF-8. */
export function encodeBlockBytes(bytes: Uint8Array): { readonly codec: BlockCodec; readonly data: Buffer } {
  // A window just large enough for the block (Brotli's default is 4 MB, allocated per call).
  const window = Math.min(24, Math.max(16, Math.ceil(Math.log2(bytes.length + 1))));
  const params = { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length, [constants.BROTLI_PARAM_LGWIN]: window };
  return { codec: "brotli", data: brotliCompressSync(bytes, { params }) };
}

/** `encodeBlock` of lines already joined by newlines. */
export function encodeBlockText(text: string): { readonly codec: BlockCodec; readonly data: Buffer } {
  // UTF-8 needs at most 3 bytes per UTF-16 code unit.
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafe(Math.max(text.length * 3, scratch.length * 2));
  const length = scratch.write(text, 0, "utf8");
  const params = { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: length };
  return { codec: "brotli", data: brotliCompressSync(scratch.subarray(0, length), { params }) };
}

/** The block's lines. Throws on an unknown codec or damaged data (the caller reports the file). */
export function decodeBlock(codec: string, data: Buffer | string): string[] {
  switch (codec) {
    case "brotli":
      return brotliDecompressSync(typeof data === "string" ? Buffer.from(data, "utf8") : data)
        .toString("utf8")
        .split("\n");
    case "json":
      return [typeof data === "string" ? data : data.toString("utf8")];
    default:
      throw new Error(`unknown decision block codec \`${codec}\``);
  }
}
