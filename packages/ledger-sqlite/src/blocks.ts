/**
 * Decision blocks: the decisions of one batch, stored together as one row.
 *
 * A decision is ~800 bytes of JSON, most of it the same rule texts, sources and policy
 * identity again and again; a batch of them compresses about 25 to 1 with the fastest
 * deflate level, which makes the ledger file and its write cost small. The lines of a
 * block are the decisions' JSON texts (`JSON.stringify` of the stored decision), joined
 * by newlines (JSON text never contains a raw newline), so a block reads back as exactly
 * the decisions that were written.
 *
 * Codecs: `deflate` (raw deflate of the UTF-8 lines), and `json` (one decision as plain
 * text: the rows of ledgers written before blocks existed, carried over as they were).
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";

export type BlockCodec = "deflate" | "json";

export function encodeBlock(lines: readonly string[]): { readonly codec: BlockCodec; readonly data: Buffer } {
  return { codec: "deflate", data: deflateRawSync(Buffer.from(lines.join("\n"), "utf8"), { level: 1 }) };
}

/** The block's lines. Throws on an unknown codec or damaged data (the caller reports the file). */
export function decodeBlock(codec: string, data: Buffer | string): string[] {
  switch (codec) {
    case "deflate":
      return inflateRawSync(typeof data === "string" ? Buffer.from(data, "utf8") : data)
        .toString("utf8")
        .split("\n");
    case "json":
      return [typeof data === "string" ? data : data.toString("utf8")];
    default:
      throw new Error(`unknown decision block codec \`${codec}\``);
  }
}
