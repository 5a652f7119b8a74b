/**
 * End-to-end harness: a real VS Code workbench (code-server, the same workbench and
 * extension host as the desktop app) with the built .vsix installed, driven by headless
 * Chromium through playwright-core. Everything listens on 127.0.0.1 only and is stopped
 * by process id when the test ends.
 */
import { execFileSync, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import type { Browser, FrameLocator, Page } from "playwright-core";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const codeServerDir = process.env["DIFFUSE_CODE_SERVER_DIR"] ?? join(homedir(), ".cache", "diffuse-code-server");
export const codeServerBin = join(codeServerDir, "node_modules", ".bin", "code-server");
export const chromiumPath = process.env["DIFFUSE_CHROMIUM"] ?? "/usr/bin/chromium";

export function prerequisitesMissing(): string | undefined {
  if (!existsSync(codeServerBin)) return `code-server is not installed in ${codeServerDir}: run test/e2e/install-code-server.sh ${codeServerDir}`;
  if (!existsSync(chromiumPath)) return `chromium is not at ${chromiumPath}`;
  return undefined;
}

export function vsixPath(): string {
  const { version } = JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./extension/package.json'))"], { cwd: repo, encoding: "utf8" })) as {
    version: string;
  };
  return join(repo, "extension", `diffuse-${version}.vsix`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Session {
  readonly workspace: string;
  readonly url: string;
  readonly page: Page;
  readonly serverLog: () => string;
  close(): Promise<void>;
}

/** A workspace with the repo's policies and the e2e fixtures; code-server with the .vsix; a browser on it. */
export async function start(): Promise<Session> {
  const root = mkdtempSync(join(tmpdir(), "diffuse-e2e-"));
  const workspace = join(root, "workspace");
  const userData = join(root, "user-data");
  const extensions = join(root, "extensions");
  mkdirSync(join(userData, "User"), { recursive: true });
  cpSync(join(repo, "policies"), join(workspace, "policies"), { recursive: true });
  cpSync(join(repo, "test", "e2e", "workspace"), workspace, { recursive: true });
  writeFileSync(
    join(userData, "User", "settings.json"),
    JSON.stringify({
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "telemetry.telemetryLevel": "off",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "extensions.ignoreRecommendations": true,
      "update.mode": "none",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "editor.hover.delay": 200,
      "files.autoSave": "afterDelay",
      "files.autoSaveDelay": 300,
      "workbench.editor.enablePreview": false,
      "editor.minimap.enabled": false,
      "window.commandCenter": false,
      "chat.commandCenter.enabled": false,
      "workbench.colorTheme": "Default Dark Modern",
      "editor.fontSize": 14,
      "diffuse.examples.orders": "orders.json",
    }),
  );
  execFileSync(codeServerBin, ["--user-data-dir", userData, "--extensions-dir", extensions, "--install-extension", vsixPath()], {
    stdio: "pipe",
    timeout: 120_000,
  });

  const port = await freePort();
  let log = "";
  const server: ChildProcess = spawn(
    codeServerBin,
    [
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--user-data-dir",
      userData,
      "--extensions-dir",
      extensions,
      workspace,
    ],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PASSWORD: "" } },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${log}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes("HTTP server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => reject(new Error(`code-server exited with ${String(code)}:\n${log}`)));
  });

  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--disable-dev-shm-usage",
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await page.goto(url);
  await page.waitForSelector(".monaco-workbench", { timeout: 90_000 });
  // The explorer lists the workspace once the workbench has restored its state.
  await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });

  return {
    workspace,
    url,
    page,
    serverLog: () => log,
    close: async () => {
      await browser.close().catch(() => undefined);
      if (server.pid !== undefined && server.exitCode === null) {
        try {
          process.kill(-server.pid, "SIGTERM");
        } catch {
          // Already gone.
        }
      }
      await new Promise((r) => setTimeout(r, 500));
      if (server.pid !== undefined && server.exitCode === null) {
        try {
          process.kill(-server.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs a command by its title from the command palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press("Escape");
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForTimeout(200);
  await input.press("Enter");
}

/** Closes every editor and the bottom panel: a clean workbench for the next step and its screenshot. */
export async function tidy(page: Page): Promise<void> {
  await runCommand(page, "View: Close All Editor Groups");
  await page.waitForTimeout(300);
  if (await page.locator(".part.panel.bottom").isVisible()) {
    await page.keyboard.press("Control+J");
    await page.waitForTimeout(300);
  }
}

/**
 * Opens a workspace file through Quick Open. A file created a moment ago may not be in
 * the file index yet: Quick Open is retried until it lists the file.
 */
export async function openFile(page: Page, relative: string): Promise<void> {
  const name = relative.slice(relative.lastIndexOf("/") + 1);
  const input = page.locator(".quick-input-widget input");
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: name }).first();
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    await input.waitFor({ state: "visible" });
    await input.fill(relative);
    const listed = await row.waitFor({ timeout: 5_000 }).then(
      () => true,
      () => false,
    );
    if (listed) break;
    if (attempt >= 8) throw new Error(`Quick Open does not list \`${relative}\``);
    await page.waitForTimeout(1_000);
  }
  await page.waitForTimeout(200);
  await input.press("Enter");
  await page.locator(".editor-group-container.active .tab.active", { hasText: name }).first().waitFor({ timeout: 20_000 });
  await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().waitFor();
}

/** The text the active editor shows (visible lines). */
export async function editorText(page: Page): Promise<string> {
  const text = await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().innerText();
  return text.replace(/\u00a0/g, " ");
}

/** A webview's content frame (VS Code nests the page two iframes deep). */
export function webview(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview.ready").last().frameLocator("#active-frame");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(repo, "docs", "images");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
