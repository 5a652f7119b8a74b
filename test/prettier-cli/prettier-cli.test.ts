/**
 * The plugin through Prettier's own CLI: the built plugin (dist), the root's prettier,
 * a project with a .prettierrc and overrides, copied to a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const prettierBin = join(root, "node_modules", "prettier", "bin", "prettier.cjs");
const pluginDist = join(root, "packages", "prettier-plugin", "dist", "index.js");
const fixtures = join(import.meta.dirname, "fixtures");

function prettier(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [prettierBin, `--plugin=${pluginDist}`, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

let work: string | undefined;
function project(name: string): string {
  work = mkdtempSync(join(tmpdir(), "diffuse-prettier-cli-"));
  cpSync(join(fixtures, name), work, { recursive: true });
  return work;
}

afterEach(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  work = undefined;
});

beforeAll(() => {
  // The CLI loads the built plugin: build it (incremental; a no-op when up to date).
  const build = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "packages/prettier-plugin"], {
    cwd: root,
    encoding: "utf8",
  });
  expect(build.stdout + build.stderr).toBe("");
  expect(existsSync(pluginDist)).toBe(true);
}, 120_000);

describe("prettier CLI with prettier-plugin-diffuse", () => {
  it("formats policies/**/*.diffuse with .prettierrc and its overrides", () => {
    const dir = project("project");
    const result = prettier(dir, "--write", "policies/**/*.diffuse");
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const expected = join(fixtures, "expected");
    const files = listFiles(join(expected, "policies"));
    expect(files).toEqual(listFiles(join(dir, "policies")));
    for (const file of files) {
      expect(readFileSync(join(dir, "policies", file), "utf8"), file).toBe(readFileSync(join(expected, "policies", file), "utf8"));
    }
  });

  it("--check fails on unformatted files and passes once they are formatted", () => {
    const dir = project("project");
    const before = prettier(dir, "--check", "policies/**/*.diffuse");
    expect(before.status).toBe(1);
    expect(before.stdout + before.stderr).toContain("policies/tiers.diffuse");
    expect(before.stdout + before.stderr).not.toContain("formatted.diffuse");
    expect(prettier(dir, "--write", "policies/**/*.diffuse").status).toBe(0);
    const after = prettier(dir, "--check", "policies/**/*.diffuse");
    expect(after.status).toBe(0);
  });

  it("refuses a file with a syntax error: a located error, the file untouched", () => {
    const dir = project("broken");
    const original = readFileSync(join(dir, "broken.diffuse"), "utf8");
    const result = prettier(dir, "--write", "broken.diffuse");
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/broken\.diffuse: SyntaxError: .*after `per`.* \([45]:\d+\)/);
    expect(result.stderr).toContain("> ");
    expect(readFileSync(join(dir, "broken.diffuse"), "utf8")).toBe(original);
  });

  it("takes the plugin's option --diffuse-verify and prints to stdout", () => {
    const dir = project("project");
    const result = prettier(dir, "--diffuse-verify", "policies/formatted.diffuse");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("group g = { US }\n");
  });

  it("formats stdin given a .diffuse file path", () => {
    const dir = project("project");
    const result = spawnSync(process.execPath, [prettierBin, `--plugin=${pluginDist}`, "--stdin-filepath", "x.diffuse"], {
      cwd: dir,
      input: "group   g={US}",
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("group g = { US }\n");
  });
});
