/**
 * Code lenses: "run tests" and "evaluate example orders" over a policy header, and
 * "run test" at the top of a policy test file (`*.test.json`). Each lens carries a
 * command the server itself executes (workspace/executeCommand).
 */
import type { CodeLens } from "vscode-languageserver";
import type { Analysis } from "../analysis.js";
import { toLspRange } from "../positions.js";

export const COMMANDS = {
  runTests: "diffuse.runTests",
  evaluateExamples: "diffuse.evaluateExamples",
} as const;

export const TEST_FILE_SUFFIX = ".test.json";

export function isTestFile(uri: string): boolean {
  return uri.endsWith(TEST_FILE_SUFFIX);
}

/** Lenses over the policy header of a `.diffuse` document. `tests` are the test files that reference it. */
export function policyCodeLenses(analysis: Analysis, tests: readonly string[]): CodeLens[] {
  const header = analysis.ast.declarations.find((d) => d.kind === "PolicyDecl" || d.kind === "PolicySetDecl");
  if (header === undefined) return [];
  const start = toLspRange(analysis.document, { start: header.range.start, end: header.range.start });
  const lenses: CodeLens[] = [];
  if (tests.length > 0) {
    lenses.push({
      range: start,
      command: {
        title: `run ${tests.length} test ${tests.length === 1 ? "file" : "files"}`,
        command: COMMANDS.runTests,
        arguments: [...tests],
      },
    });
  }
  lenses.push({
    range: start,
    command: { title: "evaluate example orders", command: COMMANDS.evaluateExamples, arguments: [analysis.uri] },
  });
  return lenses;
}

/** The lens at the top of a test file. */
export function testFileCodeLenses(uri: string): CodeLens[] {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [{ range, command: { title: "run test", command: COMMANDS.runTests, arguments: [uri] } }];
}
