import type { Diagnostic } from "@diffuse/language";
import { describe, expect, it } from "vitest";
import { formatText, summaryLine, toJson, toSarif } from "../../src/format/diagnostics.js";
import { LineIndex } from "../../src/lines.js";

const text = "group a = { US }\r\ngroup b = all - c\n\tcap x {\n}";
const d = (start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: "DF2001",
  severity: "error",
  message: "unknown group `c`",
  uri: "p.diffuse",
  range: { start, end },
  ...extra,
});
const at = text.indexOf("c\n");

describe("diagnostic formats", () => {
  it("maps offsets to 0-based lines and UTF-16 columns over CRLF and LF", () => {
    const index = new LineIndex(text);
    expect(index.position(at)).toEqual({ line: 1, character: 16 });
    expect(index.position(0)).toEqual({ line: 0, character: 0 });
    expect(index.position(text.length + 5)).toEqual({ line: 3, character: 1 });
    expect(index.lineText(0)).toBe("group a = { US }");
  });

  it("prints path:line:col (1-based), the line, a caret underline and help", () => {
    const out = formatText([{ path: "p.diffuse", text, diagnostics: [d(at, at + 1, { help: "did you mean `a`?" })] }]);
    expect(out).toBe("p.diffuse:2:17: error DF2001: unknown group `c`\n2 | group b = all - c\n  |                 ^\nhelp: did you mean `a`?\n");
  });

  it("underlines at least one column, and to the end of the line for multi-line ranges", () => {
    const empty = formatText([{ path: "p", text, diagnostics: [d(0, 0)] }]);
    expect(empty.split("\n")[2]).toBe("  | ^");
    const multi = formatText([{ path: "p", text, diagnostics: [d(text.indexOf("cap"), text.length)] }]);
    expect(multi.split("\n")[2]).toBe("  |  ^^^^^^^");
  });

  it("gives each note the location it points at, in this file or another", () => {
    const shadowed: Diagnostic = d(at, at + 1, {
      code: "DF2003",
      message: "`c` is already declared",
      related: [
        { uri: "p.diffuse", range: { start: 6, end: 7 }, message: "first declaration of `c`" },
        { uri: "lib.diffuse", range: { start: 4, end: 5 }, message: "also declared here" },
        { uri: "gone.diffuse", range: { start: 0, end: 1 }, message: "a file the caller cannot show" },
      ],
    });
    const files = (uri: string): { path: string; text: string } | undefined =>
      uri === "lib.diffuse" ? { path: "lib/lib.diffuse", text: "\n\ngroup c = all" } : undefined;
    const notes = formatText([{ path: "p.diffuse", text, diagnostics: [shadowed] }], files)
      .split("\n")
      .filter((l) => l.startsWith("note:"));
    expect(notes).toEqual([
      "note: p.diffuse:1:7: first declaration of `c`",
      "note: lib/lib.diffuse:3:3: also declared here",
      "note: a file the caller cannot show",
    ]);
  });

  it("counts files, errors and warnings", () => {
    expect(summaryLine([{ path: "p", text, diagnostics: [d(0, 1), d(0, 1, { severity: "warning" })] }])).toBe("1 file checked: 1 error, 1 warning\n");
  });

  it("writes the JSON contract", () => {
    expect(toJson([{ path: "p", text, diagnostics: [d(at, at + 1)] }])).toEqual({
      files: [
        {
          path: "p",
          diagnostics: [
            { code: "DF2001", severity: "error", message: "unknown group `c`", range: { start: { line: 1, character: 16 }, end: { line: 1, character: 17 } } },
          ],
        },
      ],
    });
  });

  it("adds each note to JSON as `related` (path and range when the file is known) and to SARIF as `relatedLocations`", () => {
    const noted = d(at, at + 1, {
      related: [
        { uri: "p.diffuse", range: { start: 6, end: 7 }, message: "here" },
        { uri: "gone.diffuse", range: { start: 0, end: 1 }, message: "a file the caller cannot show" },
      ],
    });
    const files = [{ path: "p", text, diagnostics: [noted] }];
    const [json] = (toJson(files) as { files: { diagnostics: { related?: unknown }[] }[] }).files[0]?.diagnostics ?? [];
    expect(json?.related).toEqual([
      { message: "here", path: "p", range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } } },
      { message: "a file the caller cannot show" },
    ]);
    const sarif = toSarif(files, { version: "1", rules: () => undefined, srcroot: "file:///repo" }) as {
      runs: { results: { relatedLocations?: unknown }[] }[];
    };
    expect(sarif.runs[0]?.results[0]?.relatedLocations).toEqual([
      {
        id: 0,
        message: { text: "here" },
        physicalLocation: {
          artifactLocation: { uri: "p", uriBaseId: "%SRCROOT%" },
          region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8, snippet: { text: "group a = { US }" } },
        },
      },
      { id: 1, message: { text: "a file the caller cannot show" } },
    ]);
    const plain = toJson([{ path: "p", text, diagnostics: [d(at, at + 1)] }]) as { files: { diagnostics: object[] }[] };
    expect(plain.files[0]?.diagnostics[0]).not.toHaveProperty("related");
  });

  it("writes SARIF results with 1-based regions and one rule per code", () => {
    const sarif = toSarif([{ path: "dir/p q#1.diffuse", text, diagnostics: [d(at, at + 1), d(0, 1, { code: "DF4010", severity: "info", message: "m" })] }], {
      version: "1.2.3",
      rules: (c) => (c === "DF2001" ? { name: "unknown-name", summary: "unknown name", severity: "error" } : undefined),
      srcroot: "file:///repo",
    }) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: unknown } }[] }[];
        originalUriBaseIds: unknown;
      }[];
    };
    const run = sarif.runs[0];
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(["DF2001", "DF4010"]);
    expect(run?.results[0]?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: "dir/p%20q%231.diffuse" },
      region: { startLine: 2, startColumn: 17, endLine: 2, endColumn: 18 },
    });
    expect(run?.results[1]).toMatchObject({ ruleIndex: 1, level: "note" });
    expect(run?.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///repo/" } });
  });
});
