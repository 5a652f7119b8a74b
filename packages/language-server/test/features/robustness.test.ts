/**
 * Property: no feature function throws, whatever the text and wherever the cursor: random
 * strings, and random cuts and splices of a valid policy (half-typed files).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYWORDS } from "@diffuse/language";
import { completion } from "../../src/features/completion.js";
import { hover } from "../../src/features/hover.js";
import { definition, documentHighlights, prepareRename, references, rename } from "../../src/features/navigation.js";
import { documentSymbols } from "../../src/features/symbols.js";
import { foldingRanges } from "../../src/features/folding.js";
import { semanticTokens } from "../../src/features/semanticTokens.js";
import { codeActions } from "../../src/features/codeActions.js";
import { formatDocument, formatRange } from "../../src/features/formatting.js";
import { policyCodeLenses } from "../../src/features/codeLens.js";
import { toLspDiagnostic } from "../../src/diagnostics.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { ROOT, analyzeText, fixture, workspaceFiles } from "../helpers.js";

const keywords = new Set(KEYWORDS);
const policy = fixture("workspace/policy.diffuse");

async function exercise(text: string, offsets: readonly number[]): Promise<void> {
  const a = await analyzeText(text, `${ROOT}prop.diffuse`);
  documentSymbols(a);
  foldingRanges(a);
  semanticTokens(a);
  policyCodeLenses(a, []);
  const conversion = { documentFor: () => undefined };
  for (const d of a.diagnostics) toLspDiagnostic(a.document, d, conversion);
  for (const raw of offsets) {
    const offset = Math.min(raw, text.length);
    completion(a, offset);
    hover(a, offset);
    definition(a, offset);
    references(a, offset, true);
    documentHighlights(a, offset);
    prepareRename(a, offset);
    rename(a, offset, "renamed_x", keywords);
    const pos = a.document.positionAt(offset);
    codeActions(a, { start: pos, end: pos }, [], conversion);
  }
}

describe("robustness", () => {
  it("never throws on arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.array(fc.nat(220), { maxLength: 5 }), async (text, offsets) => {
        await expect(exercise(text, offsets)).resolves.toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it("answers on deeply nested and very long input", async () => {
    const deep = `group g = ${"(".repeat(10_000)}{ US }${")".repeat(10_000)}\n`;
    await expect(exercise(deep, [0, 5, 10_000, deep.length])).resolves.toBeUndefined();
    const conditions = `exception E { when ${"not ".repeat(5_000)}true counts toward nothing }\n`;
    await expect(exercise(conditions, [20, conditions.length - 5])).resolves.toBeUndefined();
    const long = `group g = { ${"US ".repeat(20_000)}}\n`;
    await expect(exercise(long, [long.length - 3])).resolves.toBeUndefined();
  });

  it("never throws on cuts and splices of a valid policy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(policy.length),
        fc.nat(60),
        fc.nat(policy.length),
        fc.array(fc.nat(policy.length), { maxLength: 4 }),
        async (at, length, from, offsets) => {
          // Delete `length` characters at `at`, then paste a slice from elsewhere.
          const text = policy.slice(0, at) + policy.slice(from, from + 15) + policy.slice(at + length);
          await expect(exercise(text, offsets)).resolves.toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** A position or range as LSP answers carry them. */
interface Position {
  readonly line: number;
  readonly character: number;
}
const isPosition = (x: unknown): x is Position =>
  typeof x === "object" && x !== null && typeof (x as Position).line === "number" && typeof (x as Position).character === "number";

/**
 * Every LSP range in `answer` (found by shape, at any depth), checked against the text of
 * the document it is in: a `Location`'s or a workspace edit's own URI, else `uri`. A
 * range is in the document when its line exists, its character is at most the line's
 * length, and it does not end before it starts. Returns what is wrong, as text.
 */
function rangesOutside(answer: unknown, uri: string, texts: ReadonlyMap<string, TextDocument>): string[] {
  const problems: string[] = [];
  const inside = (p: Position, doc: TextDocument): boolean => {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0 || p.line >= doc.lineCount) return false;
    const line = doc.getText({ start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }).replace(/\r?\n$|\r$/, "");
    return p.character <= line.length;
  };
  const visit = (x: unknown, at: string, where: string): void => {
    if (typeof x !== "object" || x === null) return;
    if (Array.isArray(x)) return x.forEach((v, i) => visit(v, at, `${where}[${i}]`));
    const o = x as Record<string, unknown>;
    const own = typeof o["uri"] === "string" ? (o["uri"] as string) : at;
    const start = o["start"];
    const end = o["end"];
    if (isPosition(start) && isPosition(end)) {
      const doc = texts.get(at);
      if (doc === undefined) return;
      const ordered = start.line < end.line || (start.line === end.line && start.character <= end.character);
      if (!inside(start, doc) || !inside(end, doc) || !ordered) problems.push(`${where}: ${JSON.stringify({ start, end })} in ${at}`);
      return;
    }
    for (const [k, v] of Object.entries(o)) {
      // `changes` of a WorkspaceEdit: edits keyed by the URI of the document they apply to
      if (k === "changes" && typeof v === "object" && v !== null) for (const [u, edits] of Object.entries(v)) visit(edits, u, `${where}.changes[${u}]`);
      else visit(v, own, `${where}.${k}`);
    }
  };
  visit(answer, uri, "$");
  return problems;
}

describe("answers stay inside their documents", () => {
  const uri = `${ROOT}prop.diffuse`;
  const workspace = new Map([...workspaceFiles()].map(([u, t]) => [u, TextDocument.create(u, "diffuse", 1, t)]));
  /**
   * The policy fixture broken at random: a piece cut out, a piece of it or of odd text
   * pasted in (CRLF line ends, a tab, a lone surrogate, an emoji, an unclosed string or
   * comment), so that offsets fall inside pairs of code units and line ends too.
   */
  const broken = fc
    .tuple(
      fc.nat(policy.length),
      fc.nat(40),
      fc.oneof(
        fc.nat(policy.length).map((from) => policy.slice(from, from + 12)),
        fc.constantFrom("\r\n", "\t", "\ud800", "🇲🇾", '"open', "/* open", "}", "{", "\r\n  limit 5 TPP\r\n", ""),
      ),
    )
    .map(([at, length, paste]) => policy.slice(0, at) + paste + policy.slice(at + length));

  it("the check finds a position past its line's end or its document's last line, and a range that ends before it starts", () => {
    const doc = TextDocument.create(uri, "diffuse", 1, "ab\r\ncd");
    const docs = new Map([[uri, doc]]);
    const at = (line: number, character: number): Position => ({ line, character });
    expect(rangesOutside({ start: at(0, 0), end: at(1, 2) }, uri, docs)).toEqual([]);
    expect(rangesOutside([{ start: at(0, 3), end: at(0, 3) }], uri, docs)).toHaveLength(1);
    expect(rangesOutside({ uri, range: { start: at(2, 0), end: at(2, 0) } }, "file:///other", docs)).toHaveLength(1);
    expect(rangesOutside({ changes: { [uri]: [{ range: { start: at(1, 1), end: at(1, 0) }, newText: "" }] } }, "file:///other", docs)).toHaveLength(1);
  });

  it("formatting, and hover, completion, definition, references, highlights, rename and code actions at every offset, of a broken policy", async () => {
    await fc.assert(
      fc.asyncProperty(broken, async (text) => {
        const a = await analyzeText(text, uri);
        const docs = new Map([...workspace, [uri, a.document]]);
        const conversion = { documentFor: () => undefined };
        const problems: string[] = [];
        const check = (what: string, answer: unknown): void => {
          for (const p of rangesOutside(answer, uri, docs)) problems.push(`${what} ${p}`);
        };
        check("symbols", documentSymbols(a));
        check("formatting", await formatDocument(a.document, { endOfLine: "auto" }));
        const [from, to] = [a.document.positionAt(text.length >> 2), a.document.positionAt(text.length >> 1)];
        check("range formatting", await formatRange(a.document, { start: from, end: to }, { endOfLine: "auto" }));
        check(
          "diagnostics",
          a.diagnostics.map((d) => toLspDiagnostic(a.document, d, conversion)),
        );
        for (let offset = 0; offset <= text.length; offset++) {
          check(`hover@${offset}`, hover(a, offset));
          check(`completion@${offset}`, completion(a, offset));
          check(`definition@${offset}`, definition(a, offset));
          check(`references@${offset}`, references(a, offset, true));
          check(`highlights@${offset}`, documentHighlights(a, offset));
          check(`prepareRename@${offset}`, prepareRename(a, offset));
          check(`rename@${offset}`, rename(a, offset, "renamed_x", keywords));
          const pos = a.document.positionAt(offset);
          check(`codeActions@${offset}`, codeActions(a, { start: pos, end: pos }, [], conversion));
        }
        expect(problems.slice(0, 5)).toEqual([]);
      }),
      { numRuns: 8 },
    );
  }, 60_000);
});
