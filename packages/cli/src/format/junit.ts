/** JUnit XML for CI systems: one testsuite per test file, one testcase per case. */

export interface JunitCase {
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly string[];
  readonly timeMs?: number;
}

export interface JunitSuite {
  readonly name: string;
  readonly file: string;
  readonly cases: readonly JunitCase[];
  /** A problem with the file itself (unreadable, invalid, policy errors): one line, and what `diffuse test` printed under it. */
  readonly error?: { readonly message: string; readonly detail: string };
}

/** Characters XML 1.0 cannot carry at all (tab, LF and CR are allowed; so are lone surrogates, which UTF-8 output turns into U+FFFD). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(CONTROL, "");
}

/**
 * A file that could not be run is a suite of one testcase in error: JUnit readers (the
 * JUnit XSDs, GitLab, Jenkins) take `error` only inside a `testcase`, and would show
 * such a file as an empty, passing suite.
 */
export function toJunit(suites: readonly JunitSuite[]): string {
  const total = suites.reduce((n, s) => n + (s.error === undefined ? s.cases.length : 1), 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => !c.passed).length, 0);
  const errors = suites.filter((s) => s.error !== undefined).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="diffuse" tests="${total}" failures="${failures}" errors="${errors}">`];
  for (const s of suites) {
    const f = s.cases.filter((c) => !c.passed).length;
    const name = escapeXml(s.name);
    if (s.error !== undefined) {
      out.push(`  <testsuite name="${name}" file="${escapeXml(s.file)}" tests="1" failures="0" errors="1">`);
      out.push(`    <testcase name="${escapeXml(s.file)}" classname="${name}">`);
      out.push(`      <error message="${escapeXml(s.error.message)}">${escapeXml(s.error.detail)}</error>`);
      out.push("    </testcase>", "  </testsuite>");
      continue;
    }
    out.push(`  <testsuite name="${name}" file="${escapeXml(s.file)}" tests="${s.cases.length}" failures="${f}" errors="0">`);
    for (const c of s.cases) {
      const time = c.timeMs === undefined ? "" : ` time="${(c.timeMs / 1000).toFixed(3)}"`;
      if (c.passed) out.push(`    <testcase name="${escapeXml(c.name)}" classname="${name}"${time}/>`);
      else {
        out.push(`    <testcase name="${escapeXml(c.name)}" classname="${name}"${time}>`);
        out.push(`      <failure message="${escapeXml(c.failures[0] ?? "failed")}">${escapeXml(c.failures.join("\n"))}</failure>`);
        out.push("    </testcase>");
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return `${out.join("\n")}\n`;
}
