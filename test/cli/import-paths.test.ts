/**
 * Policies and imports whose file names hold characters that mean something in a URI
 * (`#`, `?`, `%`) or that URIs encode (spaces, parentheses, non-ASCII), in a directory
 * named so too. The files are written at run time rather than committed as fixtures:
 * such names break checkouts on some systems.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, tempDir } from "./helpers.js";

const DIR = "rules #1 (draft)?";
const CATALOG = "catalog (copy) 100%.diffuse";
const TIERS = "tiers-ä?#.diffuse";
const POLICY = `${DIR}/policy #1.diffuse`;
let cwd: string;

beforeAll(() => {
  cwd = tempDir();
  mkdirSync(join(cwd, DIR));
  const mini = readFileSync(join(ROOT, fixture("mini.diffuse")), "utf8");
  const policy = mini.replace('import "lib/catalog.diffuse"', `import "${CATALOG}"\nimport "${TIERS}"`).replace(/^group tier1 .*\n/m, "");
  writeFileSync(join(cwd, POLICY), policy);
  writeFileSync(join(cwd, DIR, CATALOG), readFileSync(join(ROOT, fixture("lib/catalog.diffuse")), "utf8"));
  writeFileSync(join(cwd, DIR, TIERS), 'group tier1 "Tier 1" = { US GB JP }\n');
  writeFileSync(join(cwd, "orders.json"), `[${readFileSync(join(ROOT, fixture("order-my.json")), "utf8")}]`);
});

describe("file names with a colon (legal on POSIX)", () => {
  it("are files, as a policy given by path and as an import, not URIs with a scheme", async () => {
    const mini = readFileSync(join(ROOT, fixture("mini.diffuse")), "utf8");
    writeFileSync(join(cwd, "v2:rules.diffuse"), mini.replace('import "lib/catalog.diffuse"', 'import "lib:catalog.diffuse"'));
    writeFileSync(join(cwd, "lib:catalog.diffuse"), readFileSync(join(ROOT, fixture("lib/catalog.diffuse")), "utf8"));
    const r = await diffuse(["check", "v2:rules.diffuse"], { cwd });
    expect(r.stdout).toBe("2 files checked: 0 errors, 0 warnings\n");
    expect(r.code).toBe(0);
  });
});

describe("import paths with #, ?, %, spaces, parentheses and non-ASCII", () => {
  it("diffuse check reads every file", async () => {
    const r = await diffuse(["check", POLICY], { cwd });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("3 files checked: 0 errors, 0 warnings\n");
    expect(r.code).toBe(0);
  });

  it("diffuse eval decides with the imported catalog and cites the files by path", async () => {
    const r = await diffuse(["eval", "--policy", POLICY, "--orders", "orders.json", "--format", "json"], { cwd });
    expect(r.code).toBe(0);
    const {
      decisions: [decision],
    } = JSON.parse(r.stdout) as {
      decisions: { outcome: string; review?: string; charges: { cap: string; amount: string }[]; reasons: { source: { path: string } }[] }[];
    };
    // 7 H100 at the catalog's 15,832 TPP each: over the small exception's 100,000.
    expect(decision).toMatchObject({ outcome: "license-required", review: "presumption-of-approval", charges: [{ cap: "country_cap", amount: "110824" }] });
    expect(decision?.reasons.map((x) => x.source.path)).toContain(POLICY);
  });

  it("names a broken import by its path, in text, JSON and SARIF (percent-encoded there)", async () => {
    const broken = `${DIR}/broken #2.diffuse`;
    writeFileSync(join(cwd, broken), `import "${TIERS}"\nimport "missing #3?.diffuse"\ngroup g = tier1 + tier9\n`);
    const text = await diffuse(["check", broken], { cwd });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${DIR}/broken #2.diffuse:2:8: error DF2005: cannot read \`missing #3?.diffuse\``);
    expect(text.stdout).toContain(`help: the path is relative to this file and resolves to \`${DIR}/missing #3?.diffuse\``);
    // `tier9` may be declared in the file that cannot be read: no DF2001 until it can (docs/diagnostics.md).
    expect(text.stdout).not.toContain("DF2001");

    const json = JSON.parse((await diffuse(["check", "--format", "json", broken], { cwd })).stdout) as { files: { path: string }[] };
    expect(json.files.map((f) => f.path)).toEqual([broken]);

    const sarif = JSON.parse((await diffuse(["check", "--format", "sarif", broken], { cwd })).stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = new Set(sarif.runs[0]?.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri));
    expect([...uris]).toEqual(["rules%20%231%20%28draft%29%3F/broken%20%232.diffuse"]);
  });
});
