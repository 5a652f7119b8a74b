/**
 * Glob patterns the shell did not expand (quoted, cmd.exe, PowerShell, an npm script on
 * Windows): `check`, `fmt` and `test` expand them alike.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, tempDir } from "./helpers.js";

const MESSY = "group   g =   { US  GB }\n";
const FORMATTED = "group g = { US GB }\n";

/** a.diffuse (unformatted), b.diffuse, lib/c.diffuse (unformatted), a file not matched, one under node_modules, a dot file, a test file. */
function workspace(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "a.diffuse"), MESSY);
  writeFileSync(join(dir, "b.diffuse"), FORMATTED);
  writeFileSync(join(dir, ".hidden.diffuse"), MESSY);
  writeFileSync(join(dir, "notes.txt"), "not a policy\n");
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "lib", "c.diffuse"), MESSY);
  mkdirSync(join(dir, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(dir, "node_modules", "dep", "d.diffuse"), MESSY);
  mkdirSync(join(dir, "tests"));
  const order = { id: "g-1", date: "2025-01-10", destination: "US", consignee: { id: "c-us" }, items: [{ item: "H100", quantity: 1 }] };
  writeFileSync(
    join(dir, "tests", "mini.test.json"),
    JSON.stringify({ policy: join(ROOT, fixture("mini.diffuse")), cases: [{ order, expect: { outcome: "authorized" } }] }),
  );
  return dir;
}

describe("a glob pattern given as one argument", () => {
  it("fmt: expanded as a shell would, in sorted order, `**` across folders but not into node_modules, no dot files", async () => {
    const dir = workspace();
    const one = await diffuse(["fmt", "--check", "*.diffuse"], { cwd: dir });
    expect(one.stdout).toBe("a.diffuse\n");
    expect(one.code).toBe(1);
    const deep = await diffuse(["fmt", "--check", "**/*.diffuse", "{lib,nowhere}/*.diffuse"], { cwd: dir });
    expect(deep.stdout).toBe("a.diffuse\nlib/c.diffuse\nlib/c.diffuse\n");
    expect(deep.code).toBe(1);
    expect((await diffuse(["fmt", "--write", "**/*.diffuse"], { cwd: dir })).stderr).toBe("formatted a.diffuse\nformatted lib/c.diffuse\n");
    expect(readFileSync(join(dir, "node_modules", "dep", "d.diffuse"), "utf8")).toBe(MESSY);
    expect(readFileSync(join(dir, ".hidden.diffuse"), "utf8")).toBe(MESSY);
    // A pattern that spells the dot matches dot files; one naming node_modules searches it.
    expect((await diffuse(["fmt", "--check", ".*.diffuse"], { cwd: dir })).stdout).toBe(".hidden.diffuse\n");
    expect((await diffuse(["fmt", "--check", "node_modules/**/*.diffuse"], { cwd: dir })).stdout).toBe("node_modules/dep/d.diffuse\n");
  });

  it("check and test expand it too", async () => {
    const dir = workspace();
    const check = await diffuse(["check", "*.diffuse", "lib/*.diffuse"], { cwd: dir });
    expect(check.stdout).toBe("3 files checked: 0 errors, 0 warnings\n");
    expect(check.code).toBe(0);
    const test = await diffuse(["test", "tests/*.test.json"], { cwd: dir });
    expect(test.stdout).toBe("tests/mini.test.json\n  PASS g-1\n1 passed, 0 failed\n");
    expect(test.code).toBe(0);
  });

  it("matching nothing is an error naming it (exit 2), as a missing file is; a file whose name has glob characters is itself", async () => {
    const dir = workspace();
    for (const command of [["fmt", "--check"], ["check"], ["test"]]) {
      const r = await diffuse([...command, "nowhere/*.diffuse"], { cwd: dir });
      expect(r.stderr, command[0]).toBe("error: no file matches `nowhere/*.diffuse`\n");
      expect(r.code, command[0]).toBe(2);
    }
    writeFileSync(join(dir, "v[1].diffuse"), MESSY);
    const literal = await diffuse(["fmt", "--check", "v[1].diffuse"], { cwd: dir });
    expect(literal.stdout).toBe("v[1].diffuse\n");
  });
});
