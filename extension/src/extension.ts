/**
 * The Diffuse extension: a thin launcher. The language server does the language work
 * (diagnostics, completion, hover, formatting, tests, evaluation of example orders);
 * this file starts it, wires the commands, and shows results in webviews, the test UI
 * and the status bar.
 */
import * as vscode from "vscode";
import { ExecuteCommandRequest } from "vscode-languageclient/node";
import type { LanguageClient } from "vscode-languageclient/node";
import { createClient, SERVER_COMMANDS } from "./client.js";
import { evaluateAll, explainInBook, loadPolicy, orderLabel, parseOrders, type OrderFile } from "./local.js";
import type { Loaded } from "./local.js";
import { PolicyStatus } from "./status.js";
import { isTestSummary } from "./testFiles.js";
import { PolicyTests } from "./tests.js";
import { decisionsPage, explanationPage, utilisationOf, utilisationPage } from "./views.js";
import type { DecisionTable } from "./views.js";

let client: LanguageClient | undefined;
const panels = new Map<string, vscode.WebviewPanel>();

function show(kind: string, title: string, html: string): vscode.WebviewPanel {
  let panel = panels.get(kind);
  if (panel === undefined) {
    panel = vscode.window.createWebviewPanel(
      `diffuse.${kind}`,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: false },
    );
    panels.set(kind, panel);
    panel.onDidDispose(() => panels.delete(kind));
  } else {
    panel.reveal(panel.viewColumn ?? vscode.ViewColumn.Beside);
  }
  panel.title = title;
  panel.webview.html = html;
  return panel;
}

function isDecisionTable(value: unknown): value is DecisionTable {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { decisions?: unknown }).decisions) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

function label(uri: string): string {
  return vscode.workspace.asRelativePath(vscode.Uri.parse(uri));
}

async function read(uri: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  if (open !== undefined) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(uri)));
  } catch {
    return undefined;
  }
}

async function pickPolicy(given: unknown): Promise<string | undefined> {
  if (typeof given === "string") return given;
  if (given instanceof vscode.Uri) return given.toString();
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === "diffuse") return active.uri.toString();
  const files = await vscode.workspace.findFiles("**/*.diffuse", "**/node_modules/**");
  const picked = await vscode.window.showQuickPick(
    files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
    { title: "Diffuse: pick a policy", placeHolder: "policy file" },
  );
  return picked?.uri.toString();
}

async function pickOrders(given: unknown): Promise<string | undefined> {
  if (typeof given === "string") return given;
  if (given instanceof vscode.Uri) return given.toString();
  const folder = vscode.workspace.workspaceFolders?.[0];
  const configured = vscode.workspace.getConfiguration("diffuse", folder).get<string>("examples.orders", "");
  const defaultUri = folder !== undefined && configured !== "" ? vscode.Uri.joinPath(folder.uri, configured) : undefined;
  const files = (await vscode.workspace.findFiles("**/*.{json,jsonl}", "**/node_modules/**")).filter((f) => {
    const name = f.path.slice(f.path.lastIndexOf("/") + 1);
    return !name.endsWith(".test.json") && !name.endsWith(".schema.json") && !/^(package|tsconfig.*|\.eslintrc|settings)\.json$/.test(name);
  });
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [];
  if (defaultUri !== undefined)
    items.push({ label: vscode.workspace.asRelativePath(defaultUri), description: "default (diffuse.examples.orders)", uri: defaultUri });
  for (const f of files) if (f.toString() !== defaultUri?.toString()) items.push({ label: vscode.workspace.asRelativePath(f), uri: f });
  items.push({ label: "$(folder-opened) Browse...", description: "pick an order file (JSON array or JSONL)" });
  const picked = await vscode.window.showQuickPick(items, { title: "Diffuse: pick an order file", placeHolder: "orders (JSON array or JSONL)" });
  if (picked === undefined) return undefined;
  if (picked.uri !== undefined) return picked.uri.toString();
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Orders: ["json", "jsonl"] }, title: "Order file" });
  return chosen?.[0]?.toString();
}

async function loadFor(policy: string): Promise<Loaded> {
  const loaded = await loadPolicy(policy, read);
  if (loaded.errors !== undefined) {
    void vscode.window.showErrorMessage(`the policy \`${label(policy)}\` has errors: ${loaded.errors.slice(0, 3).join("; ")}`);
  }
  return loaded;
}

async function readOrders(orders: string): Promise<OrderFile | undefined> {
  const text = await read(orders);
  if (text === undefined) {
    void vscode.window.showErrorMessage(`cannot read the order file \`${label(orders)}\``);
    return undefined;
  }
  const parsed = parseOrders(text);
  if ("error" in parsed) {
    void vscode.window.showErrorMessage(parsed.error);
    return undefined;
  }
  return parsed;
}

/** Evaluate orders: through the server's `diffuse.evaluateExamples`, or the engine here if the server cannot. */
async function evaluateOrders(policyArg?: unknown, ordersArg?: unknown): Promise<DecisionTable | undefined> {
  const policy = await pickPolicy(policyArg);
  if (policy === undefined) return undefined;
  const orders = await pickOrders(ordersArg);
  if (orders === undefined) return undefined;
  let table: DecisionTable | undefined;
  if (client?.isRunning() === true) {
    const result: unknown = await client
      .sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.evaluateExamples, arguments: [policy, orders] })
      .catch(() => undefined);
    if (isDecisionTable(result)) table = result;
  }
  if (table === undefined) {
    const loaded = await loadFor(policy);
    const list = await readOrders(orders);
    if (loaded.evaluator === undefined || list === undefined) return undefined;
    const decisions = evaluateAll(loaded.evaluator, list);
    table = { policy, orders, message: `${decisions.length} orders`, decisions };
  }
  const shown = { ...table, policy: label(table.policy), orders: label(table.orders) };
  show("decisions", "Diffuse: Decisions", decisionsPage(shown));
  return table;
}

async function explainOrder(policyArg?: unknown, ordersArg?: unknown, orderArg?: unknown): Promise<unknown> {
  const policy = await pickPolicy(policyArg);
  if (policy === undefined) return undefined;
  const orders = await pickOrders(ordersArg);
  if (orders === undefined) return undefined;
  const list = await readOrders(orders);
  if (list === undefined) return undefined;
  let index = typeof orderArg === "string" ? list.orders.findIndex((o, i) => orderLabel(o, i).label === orderArg) : -1;
  if (index < 0) {
    const picked = await vscode.window.showQuickPick(
      list.orders.map((o, i) => ({ ...orderLabel(o, i), index: i })),
      { title: "Diffuse: pick an order to explain", placeHolder: "order id" },
    );
    if (picked === undefined) return undefined;
    index = picked.index;
  }
  const loaded = await loadFor(policy);
  if (loaded.evaluator === undefined) return undefined;
  const explanation = explainInBook(loaded.evaluator, list, index);
  show("explanation", `Diffuse: Explain ${explanation.decision.order}`, explanationPage(explanation));
  return explanation;
}

async function showCapUtilisation(policyArg?: unknown, ordersArg?: unknown): Promise<unknown> {
  const policy = await pickPolicy(policyArg);
  if (policy === undefined) return undefined;
  const orders = await pickOrders(ordersArg);
  if (orders === undefined) return undefined;
  const list = await readOrders(orders);
  if (list === undefined) return undefined;
  const loaded = await loadFor(policy);
  if (loaded.evaluator === undefined) return undefined;
  const rows = utilisationOf(evaluateAll(loaded.evaluator, list));
  show("utilisation", "Diffuse: Cap utilisation", utilisationPage(`${label(orders)} against ${label(policy)}`, rows));
  return rows;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const runTests = async (uris: readonly string[]): Promise<unknown> =>
    client?.sendRequest(ExecuteCommandRequest.type, { command: SERVER_COMMANDS.runTests, arguments: [...uris] });
  const tests = new PolicyTests(runTests);
  client = createClient(context, {
    tests: (result) => {
      if (isTestSummary(result)) tests.report(result);
    },
    evaluation: (result) => {
      if (isDecisionTable(result))
        show("decisions", "Diffuse: Decisions", decisionsPage({ ...result, policy: label(result.policy), orders: label(result.orders) }));
    },
  });
  context.subscriptions.push(
    tests,
    new PolicyStatus(),
    vscode.commands.registerCommand("diffuse.evaluateOrders", evaluateOrders),
    vscode.commands.registerCommand("diffuse.explainOrder", explainOrder),
    vscode.commands.registerCommand("diffuse.showCapUtilisation", showCapUtilisation),
    vscode.commands.registerCommand("diffuse.runPolicyTests", async () => {
      const summary = await tests.runAll();
      if (summary !== undefined) void vscode.window.showInformationMessage(`Diffuse policy tests: ${summary.message}`);
      await vscode.commands.executeCommand("workbench.view.testing.focus");
      return summary;
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
