/**
 * Policy test files (`*.test.json`) in VS Code's test UI. Discovery reads each file's
 * case names; running sends the file to the server's `diffuse.runTests` command and
 * reports its per-case results.
 */
import * as vscode from "vscode";
import { caseNames, isTestSummary } from "./testFiles.js";
import type { TestSummary } from "./testFiles.js";

export type RunTests = (uris: readonly string[]) => Promise<unknown>;

export class PolicyTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController("diffuse.policyTests", "Diffuse policy tests");
  private readonly watcher = vscode.workspace.createFileSystemWatcher("**/*.test.json");

  constructor(private readonly run: RunTests) {
    this.controller.resolveHandler = async (item) => {
      if (item === undefined) await this.discover();
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile(
      "Run",
      vscode.TestRunProfileKind.Run,
      async (request, token) => {
        await this.execute(request, token);
      },
      true,
    );
    this.watcher.onDidCreate((uri) => void this.add(uri));
    this.watcher.onDidChange((uri) => void this.add(uri));
    this.watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString()));
  }

  async discover(): Promise<void> {
    const files = await vscode.workspace.findFiles("**/*.test.json", "**/node_modules/**");
    await Promise.all(files.map((f) => this.add(f)));
  }

  private async add(uri: vscode.Uri): Promise<vscode.TestItem> {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const item = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    // Case names are ids under the file; a repeated name (the runner allows it) gets a suffix.
    const seen = new Map<string, number>();
    const children = caseNames(text).map((name) => {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      return this.controller.createTestItem(`${uri.toString()}#${name}${n > 1 ? `#${n}` : ""}`, name, uri);
    });
    item.children.replace(children);
    this.controller.items.add(item);
    return item;
  }

  /** Runs every discovered test file (the "Diffuse: Run policy tests" command). */
  async runAll(): Promise<TestSummary | undefined> {
    await this.discover();
    const source = new vscode.CancellationTokenSource();
    try {
      return await this.execute(new vscode.TestRunRequest(), source.token);
    } finally {
      source.dispose();
    }
  }

  private async execute(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<TestSummary | undefined> {
    const files = new Map<string, vscode.TestItem>();
    const requested = request.include ?? [...this.topLevel()];
    for (const item of requested) {
      const file = item.parent ?? item;
      if (!request.exclude?.includes(file)) files.set(file.id, file);
    }
    const run = this.controller.createTestRun(request, "Diffuse policy tests", true);
    let last: TestSummary | undefined;
    try {
      for (const file of files.values()) {
        if (token.isCancellationRequested) break;
        run.started(file);
        file.children.forEach((c) => run.started(c));
        const result = await this.run([file.id]);
        if (isTestSummary(result)) {
          this.report(result, run);
          last =
            last === undefined
              ? result
              : {
                  ...result,
                  passed: last.passed + result.passed,
                  failed: last.failed + result.failed,
                  files: [...last.files, ...result.files],
                  message: `${last.passed + result.passed} passed, ${last.failed + result.failed} failed`,
                };
        } else {
          run.errored(file, new vscode.TestMessage("the language server did not run the tests"));
        }
      }
    } finally {
      run.end();
    }
    return last;
  }

  /** Marks the results of a `diffuse.runTests` result (also for runs started from a code lens). */
  report(summary: TestSummary, run?: vscode.TestRun): void {
    const own = run ?? this.controller.createTestRun(new vscode.TestRunRequest(), "Diffuse policy tests", false);
    for (const file of summary.files) {
      const item = this.controller.items.get(file.uri);
      if (item === undefined) continue;
      run?.appendOutput(`${file.uri}\r\n`);
      if (file.error !== undefined) own.errored(item, new vscode.TestMessage(file.error));
      for (const c of file.cases) {
        const child = item.children.get(`${file.uri}#${c.name}`);
        if (child === undefined) continue;
        if (c.passed) own.passed(child);
        else own.failed(child, new vscode.TestMessage(c.failures.join("\n")));
      }
      const allPassed = file.error === undefined && file.cases.every((c) => c.passed);
      if (allPassed) own.passed(item);
      else if (file.error === undefined) own.failed(item, new vscode.TestMessage(`${file.cases.filter((c) => !c.passed).length} failed`));
    }
    if (run === undefined) own.end();
  }

  private *topLevel(): Iterable<vscode.TestItem> {
    const items: vscode.TestItem[] = [];
    this.controller.items.forEach((i) => items.push(i));
    yield* items;
  }

  dispose(): void {
    this.watcher.dispose();
    this.controller.dispose();
  }
}
