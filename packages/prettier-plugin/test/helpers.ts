import { parse } from "@diffuse/language";
import { expect } from "vitest";
import { firstAstDifference } from "../src/equal.js";
import { type FormatOptions, formatDiffuse } from "../src/format.js";

/** Parses text that must be free of syntax errors. */
export function parseClean(text: string): ReturnType<typeof parse> {
  const result = parse(text, "test.diffuse");
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return result;
}

/** Comment texts of a file, sorted: the multiset the formatter must keep. */
export function commentTexts(text: string): string[] {
  return parse(text, "test.diffuse")
    .comments.map((c) => c.text.replace(/\r\n/g, "\n").trimEnd())
    .sort();
}

/**
 * Formats and asserts the three properties of every case: the output re-parses to the
 * same tree (soundness), keeps every comment, and formats to itself (idempotency).
 */
export async function formatChecked(input: string, options: FormatOptions = {}): Promise<string> {
  const output = await formatDiffuse(input, { ...options, verify: true });
  const before = parseClean(input);
  const after = parseClean(output);
  expect(firstAstDifference(before.ast, after.ast)).toBeUndefined();
  expect(commentTexts(output)).toEqual(commentTexts(input));
  const again = await formatDiffuse(output, options);
  expect(again).toBe(output);
  return output;
}
