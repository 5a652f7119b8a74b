import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { codeActions } from "../../src/features/codeActions.js";
import { toLspDiagnostic } from "../../src/diagnostics.js";
import { FIXTURES, ROOT, analyzeText, fixture } from "../helpers.js";

const conversion = { documentFor: () => undefined };

/** `// key: value` header lines; `//   more` continues the previous value on a new line. */
function header(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split("\n")) {
    const m = /^\/\/ (\w+): (.*)$/.exec(line);
    if (m) {
      last = m[1] ?? "";
      out.set(last, m[2] ?? "");
    } else if (line.startsWith("//   ") && last !== undefined) out.set(last, `${out.get(last) ?? ""}\n${line.slice(3)}`);
    else break;
  }
  return out;
}

describe("quick fixes from the checker's fix data", () => {
  const dir = join(FIXTURES, "fixes");
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".diffuse"))
    .sort()) {
    it(name, async () => {
      const text = fixture(join("fixes", name));
      const h = header(text);
      const analysis = await analyzeText(text, `${ROOT}${name}`);
      const diagnostic = analysis.diagnostics.find((d) => d.code === h.get("code"));
      expect(diagnostic, `no ${h.get("code")} diagnostic`).toBeDefined();
      if (diagnostic === undefined) return;
      const lsp = toLspDiagnostic(analysis.document, diagnostic, conversion);
      const actions = codeActions(analysis, lsp.range, [lsp], conversion);
      const action = actions.find((a) => a.title === h.get("fix"));
      expect(action, `no action \`${h.get("fix")}\` among ${actions.map((a) => a.title).join(", ")}`).toBeDefined();
      expect(action?.kind).toBe("quickfix");
      expect(action?.diagnostics?.[0]).toBe(lsp);
      const edits = action?.edit?.changes?.[analysis.uri] ?? [];
      const fixed = TextDocument.applyEdits(analysis.document, edits);
      // Compare without the header, which quotes the expected text itself.
      const body = (t: string): string =>
        t
          .split("\n")
          .filter((l) => !l.startsWith("//"))
          .join("\n");
      expect(body(text), "the fixture already holds the expected text").not.toContain(h.get("after"));
      expect(body(fixed)).toContain(h.get("after"));
      // The fix resolves the diagnostic.
      const again = await analyzeText(fixed, `${ROOT}${name}`);
      expect(again.diagnostics.filter((d) => d.code === h.get("code"))).toEqual([]);
    });
  }

  it("offers nothing outside the diagnostic's range or for other kinds", async () => {
    const text = "group g = { US UK }\n\n\ngroup h = { MY }\n";
    const analysis = await analyzeText(text);
    const far = { start: { line: 3, character: 0 }, end: { line: 3, character: 5 } };
    expect(codeActions(analysis, far, [], conversion)).toEqual([]);
    const near = { start: { line: 0, character: 15 }, end: { line: 0, character: 15 } };
    expect(codeActions(analysis, near, [], conversion).length).toBeGreaterThan(0);
    expect(codeActions(analysis, near, [], conversion, ["refactor"])).toEqual([]);
  });
});
