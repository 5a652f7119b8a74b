/**
 * The status bar item: the name and version of the policy in the active editor, read
 * from its header with the language package's parser.
 */
import * as vscode from "vscode";
import { parse } from "@diffuse/language";
import { identityOf, statusText } from "./identity.js";

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
