import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { formatDiffuse } from "prettier-plugin-diffuse";
import { editsOf, formatDocument, formatOptions, formatRange, isFormatConfigFile, minimalEdit, notFormattedMessage } from "../../src/features/formatting.js";

const messy = 'group   tier1 "Tier 1"= {US GB}\ncap c {limit 1 TPP\nper consignee window calendar year}\n';

describe("formatting", () => {
  it("formats the whole document through the prettier plugin, as one minimal edit", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, messy);
    const edits = editsOf(await formatDocument(doc, formatOptions({ tabSize: 2, insertSpaces: true }, 80)));
    const after = TextDocument.applyEdits(doc, edits);
    expect(after).toBe(await formatDiffuse(messy, { printWidth: 80 }));
    expect(edits).toHaveLength(1);
  });

  it("honours printWidth and tab options", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, "cap c {\nlimit 1 TPP\nper consignee\nwindow calendar year\n}\n");
    const edits = editsOf(await formatDocument(doc, formatOptions({ tabSize: 4, insertSpaces: false }, 80)));
    expect(TextDocument.applyEdits(doc, edits)).toContain("\n\tlimit 1 TPP");
  });

  it("formats only the declarations a range touches", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, messy);
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } };
    const edits = editsOf(await formatRange(doc, range, formatOptions({ tabSize: 2, insertSpaces: true }, 80)));
    const after = TextDocument.applyEdits(doc, edits);
    expect(after.startsWith('group   tier1 "Tier 1"= {US GB}\n')).toBe(true);
    expect(after).toContain("cap c {\n  limit 1 TPP\n");
  });

  it("returns no edits for text that is already formatted", async () => {
    const clean = TextDocument.create("file:///a.diffuse", "diffuse", 1, await formatDiffuse(messy));
    expect(await formatDocument(clean, formatOptions({ tabSize: 2, insertSpaces: true }, 80))).toEqual({ kind: "formatted", edits: [] });
    expect(notFormattedMessage({ kind: "formatted", edits: [] })).toBeUndefined();
  });

  it("refuses text with syntax errors, saying how many and where the first is (1-based)", async () => {
    const broken = TextDocument.create(
      "file:///a.diffuse",
      "diffuse",
      1,
      "group g = { US }\n\ncap c {\n  limit 1 TPP\n  per consignee\n  window calendar year\n  x y\n}\ngroup = {",
    );
    const result = await formatDocument(broken, formatOptions({ tabSize: 2, insertSpaces: true }, 80));
    expect(result).toEqual({ kind: "syntaxErrors", count: 3, first: { line: 7, column: 3, message: "unexpected keyword `x` in a cap block" } });
    expect(editsOf(result)).toEqual([]);
    expect(notFormattedMessage(result)).toBe(
      "Not formatted: the file has 3 syntax errors (first at line 7, column 3: unexpected keyword `x` in a cap block). Fix them and format again.",
    );
    const one = await formatDocument(
      TextDocument.create("file:///b.diffuse", "diffuse", 1, "group g = { US GB\n"),
      formatOptions({ tabSize: 2, insertSpaces: true }, 80),
    );
    // The parser puts this error on the set's `{`, as `diffuse fmt` reports it.
    expect(notFormattedMessage(one)).toBe(
      "Not formatted: the file has 1 syntax error (at line 1, column 11: expected `}` to close the set, found end of file). Fix it and format again.",
    );
  });

  it("refuses a range in a file with syntax errors the same way, and says when a range touches no declaration", async () => {
    const broken = TextDocument.create("file:///a.diffuse", "diffuse", 1, "group g = { US }\ngroup = {");
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };
    const result = await formatRange(broken, range, formatOptions({ tabSize: 2, insertSpaces: true }, 80));
    expect(result.kind).toBe("syntaxErrors");
    expect(notFormattedMessage(result)).toMatch(/^Not formatted: the file has 2 syntax errors \(first at line 2, column 7: /);
    const comment = TextDocument.create("file:///a.diffuse", "diffuse", 1, "// a note\n\ngroup g = { US }\n");
    const onComment = await formatRange(
      comment,
      { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } },
      formatOptions({ tabSize: 2, insertSpaces: true }, 80),
    );
    expect(onComment).toEqual({ kind: "nothingToFormat" });
    expect(notFormattedMessage(onComment)).toBeUndefined();
  });

  it("reports a failure that is not a syntax error as failed, with the error", async () => {
    const doc = TextDocument.create("file:///a.diffuse", "diffuse", 1, messy);
    // An invalid option makes Prettier throw: not the user's text.
    const result = await formatDocument(doc, { ...formatOptions({ tabSize: 2, insertSpaces: true }, 80), endOfLine: "nope" as "lf" });
    expect(result.kind).toBe("failed");
    expect(result.kind === "failed" ? result.error : undefined).toBeInstanceOf(Error);
    expect(notFormattedMessage(result)).toBeUndefined();
  });

  it("takes the options from the file's configuration when it has one (as diffuse fmt), else from the client", () => {
    const request = { tabSize: 8, insertSpaces: false };
    expect(formatOptions(request, 100, "file:///a.diffuse")).toEqual({
      printWidth: 100,
      tabWidth: 8,
      useTabs: true,
      endOfLine: "auto",
      filepath: "file:///a.diffuse",
    });
    // What the configuration does not set is Prettier's default, as in `diffuse fmt`: not the client's.
    expect(formatOptions(request, 100, "file:///a.diffuse", { printWidth: 40 })).toEqual({ printWidth: 40, endOfLine: "auto", filepath: "file:///a.diffuse" });
    expect(formatOptions(request, 100, undefined, {})).toEqual({ endOfLine: "auto" });
    expect(formatOptions(request, 100, undefined, { tabWidth: 3, endOfLine: "lf" })).toEqual({ tabWidth: 3, endOfLine: "lf" });
  });

  it("recognises the files formatting configuration is read from", () => {
    for (const name of [".prettierrc", ".prettierrc.json", ".prettierrc.yaml", "prettier.config.mjs", ".editorconfig", "package.json"]) {
      expect(isFormatConfigFile(`file:///ws/sub/${name}`), name).toBe(true);
    }
    for (const name of ["policy.diffuse", "orders.json", "prettierrc", "x.editorconfig"]) expect(isFormatConfigFile(`file:///ws/${name}`), name).toBe(false);
  });

  it("minimalEdit replaces only the changed middle", () => {
    const doc = TextDocument.create("file:///a", "diffuse", 1, "abcXYZdef");
    expect(minimalEdit(doc, "abc123def")).toEqual([{ range: { start: { line: 0, character: 3 }, end: { line: 0, character: 6 } }, newText: "123" }]);
    expect(minimalEdit(doc, "abcXYZdef")).toEqual([]);
  });

  it("minimalEdit never ends inside a CRLF: a document in CRLF formatted to LF becomes LF to its last line", async () => {
    // The edit's end fell between the last `\r` and `\n`; a position cannot point there
    // (it stands before the `\r`), so the last `\r` stayed, and every later formatting
    // produced the same empty edit: `diffuse fmt --check` never passed.
    const doc = TextDocument.create("file:///a", "diffuse", 1, "a\r\nb\r\n");
    expect(TextDocument.applyEdits(doc, minimalEdit(doc, "a\nb\n"))).toBe("a\nb\n");
    const crlf = TextDocument.create("file:///a.diffuse", "diffuse", 1, "group g = {   US }\r\n");
    expect(TextDocument.applyEdits(crlf, editsOf(await formatDocument(crlf, { endOfLine: "lf" })))).toBe("group g = { US }\n");
  });

  it("minimalEdit's edit turns the document into the text asked for (property)", () => {
    // Texts over a few characters that pair up: CRLF and LF line ends, and the two
    // halves of a surrogate pair (each alone too), so that the common prefix and suffix
    // end inside a pair in every way.
    const text = fc
      .array(fc.constantFrom("a", "b", "\r", "\n", "\r\n", "\ud83d", "\ude00", "\ud83d\ude00", "\ud83d\ude03"), { maxLength: 12 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const doc = TextDocument.create("file:///a", "diffuse", 1, before);
        expect(TextDocument.applyEdits(doc, minimalEdit(doc, after))).toBe(after);
      }),
      { numRuns: 2_000 },
    );
  });
});
