import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, hasStackTrace, tempDir } from "./helpers.js";

interface JsonOutput {
  files: {
    path: string;
    diagnostics: {
      code: string;
      severity: string;
      message: string;
      range: { start: { line: number; character: number }; end: { line: number; character: number } };
    }[];
  }[];
}

/** The vendored SARIF 2.1.0 schema (draft-04) adapted for Ajv's default draft. */
function sarifValidator(): (data: unknown) => boolean {
  const schema = JSON.parse(readFileSync(join(ROOT, "schemas/sarif-2.1.0.json"), "utf8")) as Record<string, unknown>;
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  const validate = ajv.compile({ ...rest, $id: String(id) });
  return (data) => {
    const ok = validate(data);
    if (!ok) console.error(JSON.stringify(validate.errors, null, 2));
    return ok;
  };
}

describe("diffuse check", () => {
  it("exits 0 on a clean file (the fixture and the catalog it imports)", async () => {
    const r = await diffuse(["check", fixture("mini.diffuse")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("2 files checked: 0 errors, 0 warnings\n");
    expect(r.stderr).toBe("");
  });

  it("counts every file read, imports included, once", async () => {
    // The 2025 rule imports four files from policies/lib; catalog.diffuse is one of them.
    const r = await diffuse(["check", "policies/ai-diffusion-2025.diffuse", "policies/lib/catalog.diffuse"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("5 files checked: 0 errors, 0 warnings\n");
  });

  it("prints errors as path:line:col, the source line, a caret underline and help; exits 1", async () => {
    const r = await diffuse(["check", fixture("broken.diffuse")]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    const i = lines.indexOf("test/fixtures/cli/broken.diffuse:7:21: error DF2001: unknown group `tier4`");
    expect(i).toBeGreaterThanOrEqual(0);
    expect(lines[i + 1]).toBe("7 | group tier2 = all - tier4");
    expect(lines[i + 2]).toBe("  |                     ^^^^^");
    expect(lines[i + 3]).toBe("help: did you mean `tier1`?");
    expect(r.stdout).toMatch(/^test\/fixtures\/cli\/broken\.diffuse:6:20: error DF2002: unknown country code `XX`$/m);
    expect(r.stdout).toMatch(/1 file checked: \d+ errors, 0 warnings\n$/);
  });

  it("prints where a note points, in the imported file when it is there", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "lib.diffuse"), "group tier1 = { US }\n");
    writeFileSync(join(dir, "p.diffuse"), 'import "lib.diffuse"\ngroup tier1 = { GB }\n');
    const r = await diffuse(["check", "p.diffuse"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("p.diffuse:2:7: error DF2003: `tier1` is already declared in `lib.diffuse`\n");
    expect(r.stdout).toContain("note: lib.diffuse:1:7: first declaration of `tier1`\n");
  });

  it("exits 0 with warnings only", async () => {
    const r = await diffuse(["check", fixture("warning.diffuse")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning DF4010");
  });

  it("writes the JSON contract with 0-based positions", async () => {
    const r = await diffuse(["check", "--format", "json", fixture("broken.diffuse"), fixture("mini.diffuse")]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.files.map((f) => f.path)).toEqual([fixture("broken.diffuse"), fixture("mini.diffuse")]);
    expect(out.files[1]?.diagnostics).toEqual([]);
    const unknown = out.files[0]?.diagnostics.find((d) => d.code === "DF2001");
    expect(unknown).toMatchObject({
      severity: "error",
      message: "unknown group `tier4`",
      range: { start: { line: 6, character: 20 }, end: { line: 6, character: 25 } },
    });
    for (const d of out.files[0]?.diagnostics ?? []) expect(Object.keys(d).sort()).toEqual(expect.arrayContaining(["code", "message", "range", "severity"]));
  });

  it("writes SARIF 2.1.0 that validates against the schema", async () => {
    const r = await diffuse(["check", "--format", "sarif", fixture("broken.diffuse"), fixture("warning.diffuse"), fixture("mini.diffuse")]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    expect(sarifValidator()(sarif)).toBe(true);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run?.tool.driver.name).toBe("diffuse");
    const result = run?.results.find((x) => x.ruleId === "DF2001");
    expect(result?.level).toBe("error");
    expect(result?.locations[0]?.physicalLocation).toMatchObject({
      artifactLocation: { uri: "test/fixtures/cli/broken.diffuse" },
      region: { startLine: 7, startColumn: 21 },
    });
    expect(run?.results.find((x) => x.ruleId === "DF4010")?.level).toBe("warning");
    expect(new Set(run?.tool.driver.rules.map((x) => x.id))).toEqual(new Set(run?.results.map((x) => x.ruleId)));
  });

  it("keeps each note (a related location, in this file or another) in JSON and in schema-valid SARIF", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "lib.diffuse"), "group a = { US }\n");
    writeFileSync(join(dir, "main.diffuse"), 'import "lib.diffuse"\ngroup a = { GB }\n');
    const json = await diffuse(["check", "--format", "json", "main.diffuse"], { cwd: dir });
    const [d] = (JSON.parse(json.stdout) as { files: { diagnostics: { code: string; related?: unknown }[] }[] }).files[0]?.diagnostics ?? [];
    expect(d?.code).toBe("DF2003");
    expect(d?.related).toEqual([
      {
        message: expect.stringContaining("first") as unknown,
        path: "lib.diffuse",
        range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } },
      },
    ]);
    const sarif = await diffuse(["check", "--format", "sarif", "main.diffuse"], { cwd: dir });
    const parsed = JSON.parse(sarif.stdout) as { runs: { results: { relatedLocations?: unknown }[] }[] };
    expect(sarifValidator()(parsed)).toBe(true);
    expect(parsed.runs[0]?.results[0]?.relatedLocations).toEqual([
      {
        id: 0,
        message: { text: expect.stringContaining("first") as unknown },
        physicalLocation: {
          artifactLocation: { uri: "lib.diffuse", uriBaseId: "%SRCROOT%" },
          region: { startLine: 1, startColumn: 7, endLine: 1, endColumn: 8, snippet: { text: "group a = { US }" } },
        },
      },
    ]);
  });

  it("SARIF of a clean file validates too", async () => {
    const r = await diffuse(["check", "--format", "sarif", fixture("mini.diffuse")]);
    expect(r.code).toBe(0);
    expect(sarifValidator()(JSON.parse(r.stdout))).toBe(true);
  });

  it("reports a missing file and a directory with exit 2 and no stack trace", async () => {
    const missing = await diffuse(["check", "nope.diffuse"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: policy `nope.diffuse` does not exist\n");
    const dir = tempDir();
    const directory = await diffuse(["check", dir]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain(`error: policy \`${dir}\` is a directory`);
    expect(hasStackTrace(missing.stderr + directory.stderr)).toBe(false);
  });

  it("still checks the other files when one is missing", async () => {
    const r = await diffuse(["check", "--format", "json", "nope.diffuse", fixture("mini.diffuse")]);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as JsonOutput).files.map((f) => f.path)).toEqual([fixture("mini.diffuse")]);
  });
});
