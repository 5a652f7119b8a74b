import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkFixture, hasScope, isAssertionLine, parseAssertions, scopesOf, tokenize } from "./tokenize.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const policies = fileURLToPath(new URL("../../policies/", import.meta.url));

function diffuseFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".diffuse"))
    .sort()
    .map((f) => `${dir}${f}`);
}

describe("fixture assertions", () => {
  const files = diffuseFiles(fixtures);

  it("has fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(file.slice(fixtures.length), async () => {
      const { failures, count } = await checkFixture(readFileSync(file, "utf8"));
      expect(count).toBeGreaterThan(10);
      expect(failures).toEqual([]);
    });
  }
});

describe("whole files", () => {
  // Every word in a real policy gets a scope beyond `source.diffuse`, and nothing is
  // marked invalid: the grammar covers everything the policies use.
  const files = [...diffuseFiles(policies), ...diffuseFiles(fixtures)];
  for (const file of files) {
    const name = file.startsWith(policies) ? `policies/${file.slice(policies.length)}` : `fixtures/${file.slice(fixtures.length)}`;
    it(`scopes every token of ${name}`, async () => {
      const text = readFileSync(file, "utf8");
      const lines = await tokenize(text);
      const unscoped: string[] = [];
      const invalid: string[] = [];
      for (const token of lines.flat()) {
        if (token.text.trim() === "") continue;
        if (token.scopes.length < 2) unscoped.push(`${token.line + 1}:${token.start + 1} \`${token.text}\``);
        if (hasScope(token.scopes, "invalid.illegal")) invalid.push(`${token.line + 1}:${token.start + 1} \`${token.text}\``);
      }
      expect(unscoped).toEqual([]);
      if (file.startsWith(policies)) expect(invalid).toEqual([]);
    });
  }
});

describe("state across lines", () => {
  it("ends an unterminated string at the end of its line", async () => {
    const lines = await tokenize('note "no end\ngroup g = { US }');
    expect(lines[1]?.[0]?.scopes).toContain("storage.type.group.diffuse");
  });

  it("carries a block comment over lines and ends it", async () => {
    const lines = await tokenize("/* one\ngroup two\n*/ group three = {}");
    expect(hasScope(lines[1]?.[0]?.scopes ?? [], "comment.block")).toBe(true);
    const after = lines[2]?.find((t) => t.text === "group");
    expect(after?.scopes).toContain("storage.type.group.diffuse");
  });

  it("keeps a set literal open over lines and closes it", async () => {
    const lines = await tokenize("group g = {\n  US GB\n}\ncap c { limit 1 TPP }");
    expect(lines[1]?.find((t) => t.text === "GB")?.scopes).toContain("constant.language.country.diffuse");
    expect(lines[3]?.[0]?.scopes).toContain("storage.type.cap.diffuse");
  });

  it("does not take a block brace after a name for a set", async () => {
    expect(await scopesOf("license when destination in tier2 { review case-by-case }", "{")).not.toContain("meta.set.diffuse");
  });

  it("does not color two capitals outside a set as a country", async () => {
    expect(await scopesOf("authorize AB", "AB")).not.toContain("constant.language.country.diffuse");
  });
});

describe("assertion syntax", () => {
  it("reads carets and arrows", () => {
    const parsed = parseAssertions("group g = {}\n// <----- storage.type.group\n//    ^ entity.name - variable");
    expect(parsed).toEqual([
      { fixtureLine: 1, testedLine: 0, columns: [0, 1, 2, 3, 4], want: ["storage.type.group"], notWant: [] },
      { fixtureLine: 2, testedLine: 0, columns: [6], want: ["entity.name"], notWant: ["variable"] },
    ]);
    expect(isAssertionLine("// a plain comment")).toBe(false);
  });

  it("reports a wrong scope", async () => {
    const { failures } = await checkFixture("group g = {}\n// <----- entity.name");
    expect(failures).toHaveLength(5);
  });
});
