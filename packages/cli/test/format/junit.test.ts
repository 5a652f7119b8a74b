import { describe, expect, it } from "vitest";
import { toJunit } from "../../src/format/junit.js";

/** The elements of an XML text as `parent>child` pairs, for checking what nests where. */
function nesting(xml: string): string[] {
  const pairs: string[] = [];
  const open: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m as unknown as [string, string, string, string];
    if (closing === "/") open.pop();
    else {
      pairs.push(`${open.at(-1) ?? ""}>${name}`);
      if (selfClosing !== "/") open.push(name);
    }
  }
  return pairs;
}

describe("toJunit", () => {
  it("reports a test file that could not be run as a testcase in error, with the details (JUnit has no error outside a testcase)", () => {
    const xml = toJunit([
      {
        name: "bad.test.json",
        file: "bad.test.json",
        cases: [],
        error: { message: "invalid test file", detail: "  policy: expected the policy file's path\n" },
      },
      { name: "good", file: "good.test.json", cases: [{ name: "a", passed: true, failures: [] }] },
    ]);
    expect(xml).toContain('<testsuites name="diffuse" tests="2" failures="0" errors="1">');
    expect(xml).toContain('<testsuite name="bad.test.json" file="bad.test.json" tests="1" failures="0" errors="1">');
    expect(xml).toContain(
      `<testcase name="bad.test.json" classname="bad.test.json">\n      <error message="invalid test file">  policy: expected the policy file&apos;s path\n</error>\n    </testcase>`,
    );
    expect(nesting(xml).filter((p) => p.endsWith(">error") || p.endsWith(">failure"))).toEqual(["testcase>error"]);
  });

  it("drops the characters XML 1.0 cannot carry", () => {
    const xml = toJunit([{ name: "s", file: "s", cases: [{ name: "a\u0001b\uFFFEc\uFFFF", passed: true, failures: [] }] }]);
    expect(xml).toContain('<testcase name="abc" classname="s"/>');
  });
});
