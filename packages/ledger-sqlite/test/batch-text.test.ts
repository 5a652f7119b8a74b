import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BatchText, sharedBufferPool } from "../src/batch-text.js";

describe("BatchText", () => {
  it("holds its lines as UTF-8 joined by newlines, and reads each back (property)", () => {
    const line = fc.string({ unit: "grapheme", maxLength: 40 }).map((s) => s.replace(/\n/g, " "));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const t = new BatchText(sharedBufferPool());
        for (const l of lines) t.append(l);
        const bytes = Buffer.from(t.buffer, 0, t.length);
        expect(bytes.toString("utf8")).toBe(lines.join("\n"));
        lines.forEach((l, i) => expect(t.line(i)).toBe(l));
        expect(t.lines).toBe(lines.length);
      }),
    );
  });

  it("grows past its buffer, and reuses buffers given back", () => {
    const buffers = sharedBufferPool();
    const t = new BatchText(buffers);
    const long = "é".repeat(400_000); // 1.2 MB of UTF-8 at worst: more than the first buffer
    t.append("a");
    t.append(long);
    expect(t.line(0)).toBe("a");
    expect(t.line(1)).toBe(long);
    const shared = t.buffer;
    t.release();
    expect(t.line(0)).toBeUndefined(); // nothing read once released
    const next = new BatchText(buffers);
    next.append("b");
    expect(next.buffer).toBe(shared);
  });
});
