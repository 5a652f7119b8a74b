/**
 * The status bar item: the name and version of the policy in the active editor, read
 * from its header with the language package's parser.
 */
import * as vscode from "vscode";
import { parse } from "@diffuse/language";
import type { PolicyDecl, PolicySetDecl, SourceFile } from "@diffuse/language";

export interface PolicyIdentity {
  readonly kind: "policy" | "policyset" | "library";
  readonly name?: string;
  readonly version?: string;
  readonly versions?: number;
}

/** What the header of a parsed file says about it. */
export function identityOf(ast: SourceFile): PolicyIdentity {
  const header = ast.declarations.find((d): d is PolicyDecl | PolicySetDecl => d.kind === "PolicyDecl" || d.kind === "PolicySetDecl");
  if (header === undefined) return { kind: "library" };
  const name = header.title.kind === "StringLiteral" ? header.title.value : undefined;
  if (header.kind === "PolicySetDecl") {
    const versions = header.uses.filter((u) => u.kind === "UseClause").length;
    return name !== undefined ? { kind: "policyset", name, versions } : { kind: "policyset", versions };
  }
  const clause = header.clauses.find((c) => c.kind === "VersionClause");
  const version = clause?.kind === "VersionClause" && clause.value.kind === "StringLiteral" ? clause.value.value : undefined;
  return { kind: "policy", ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}) };
}

/** The status bar text for a file. */
export function statusText(id: PolicyIdentity): string {
  switch (id.kind) {
    case "policy":
      return `$(law) ${id.name ?? "untitled policy"}${id.version !== undefined ? ` · ${id.version}` : ""}`;
    case "policyset":
      return `$(versions) ${id.name ?? "untitled policy set"} · ${id.versions ?? 0} versions`;
    case "library":
      return "$(library) Diffuse library";
    default: {
      const never: never = id.kind;
      return never;
    }
  }
}

export class PolicyStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("diffuse.policy", vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item.name = "Diffuse policy";
    this.item.command = "diffuse.evaluateOrders";
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
    );
    this.update();
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 300);
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== "diffuse") {
      this.item.hide();
      return;
    }
    const id = identityOf(parse(document.getText(), document.uri.toString()).ast);
    this.item.text = statusText(id);
    this.item.tooltip =
      id.kind === "library" ? "A Diffuse file without a policy header (meant to be imported)" : "Diffuse policy: click to evaluate orders against it";
    this.item.show();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
