import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { OutputBytes, outputBufferPool } from "../src/book/output-bytes.js";
import { MemorySink, parseJsonText, StreamSink, type Sink } from "../src/io.js";

/** A writable that records each chunk it is handed, as text. */
function recorder(): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback): void {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, chunks };
}

describe("StreamSink", () => {
  it("buffers bytes as it buffers text, counting their characters, and keeps the order", async () => {
    const { stream, chunks } = recorder();
    const sink = new StreamSink(stream, 10);
    const released: string[] = [];
    sink.write("ab");
    sink.writeBytes(Buffer.from("cdé"), 3, () => released.push("cdé"));
    expect(chunks).toEqual([]); // 5 characters: below the chunk size
    sink.write("fgh");
    sink.writeBytes(Buffer.from("ijk"), 3, () => released.push("ijk")); // 11: handed over
    expect(chunks).toEqual(["ab", "cdé", "fgh", "ijk"]);
    await sink.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toEqual(["cdé", "ijk"]);
  });
});

describe("OutputBytes", () => {
  it("writes prefix, texts with separators and suffix as one piece", () => {
    const pool = outputBufferPool();
    const out = new OutputBytes(pool, ",\n");
    out.append('{"a":1}');
    out.append('{"é":2}');
    const sink = new MemorySink();
    let chars = -1;
    const spy: Sink = {
      isTTY: false,
      isClosed: false,
      write: (t) => sink.write(t),
      writeBytes: (b, c, done) => {
        chars = c;
        sink.writeBytes(b, c, done);
      },
      flush: () => sink.flush(),
    };
    out.writeTo(spy, ",\n", "\n");
    expect(sink.text).toBe(',\n{"a":1},\n{"é":2}\n');
    expect(chars).toBe(sink.text.length);
    expect(out.count).toBe(2);
  });
});

describe("parseJsonText", () => {
  it("reads a file saved with a UTF-8 BOM (as order books are read), counting columns after it", () => {
    expect(parseJsonText('\uFEFF{"id": "o-1"}')).toEqual({ id: "o-1" });
    expect(() => parseJsonText('\uFEFF{"id" "o-1"}', "order `o.json`")).toThrow("order `o.json`: invalid JSON at line 1, column 7: ");
  });
});
