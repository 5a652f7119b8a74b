/**
 * What a user sees in a real VS Code (code-server's workbench, the desktop app's own UI
 * and extension host) with the built .vsix installed: highlighting, diagnostics and the
 * Problems panel, formatting, hover, completion, and the commands. Screenshots go to
 * docs/images/ for the READMEs.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { editorText, openFile, prerequisitesMissing, runCommand, screenshot, start, tidy, webview } from "./harness.js";
import type { Session } from "./harness.js";

const missing = prerequisitesMissing();
const editor = ".editor-group-container.active .monaco-editor";

describe.skipIf(missing !== undefined)("the Diffuse extension in VS Code", () => {
  let s: Session;

  beforeAll(async () => {
    s = await start();
    // Warm up: the first policy opened activates the extension and starts the server.
    await openFile(s.page, "policies/ai-diffusion-2025.diffuse");
    await s.page.locator(".statusbar-item", { hasText: "·" }).first().waitFor({ timeout: 120_000 });
    await s.page
      .locator(`${editor} .codelens-decoration`)
      .first()
      .waitFor({ timeout: 120_000 })
      .catch(() => undefined);
  });

  afterAll(async () => {
    await s?.close();
  });

  afterEach(async (context) => {
    // A failed step leaves a picture of the workbench behind (not in docs/).
    if (context.task.result?.state === "fail") {
      await s?.page.screenshot({ path: join(tmpdir(), `diffuse-e2e-${context.task.name.replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
    }
  });

  async function pickInQuickInput(text: string): Promise<void> {
    const input = s.page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 20_000 });
    await input.fill(text);
    await s.page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: text }).first().waitFor({ timeout: 20_000 });
    await s.page.waitForTimeout(200);
    await input.press("Enter");
  }

  it("highlights a policy and shows its name and version in the status bar", async () => {
    const { page } = s;
    await openFile(page, "policies/ai-diffusion-2025.diffuse");
    const spans = page.locator(`${editor} .view-lines span span`);
    await expect.poll(async () => new Set(await spans.evaluateAll((els) => els.map((e) => e.className))).size, { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    const colorOf = (text: string) =>
      page
        .locator(`${editor} .view-lines span span`, { hasText: new RegExp(`^${text}$`) })
        .first()
        .evaluate((e) => (globalThis as unknown as { getComputedStyle(el: unknown): { color: string } }).getComputedStyle(e).color);
    // A keyword, a name and a date are each coloured differently.
    const colors = new Set([await colorOf("group"), await colorOf("tier1"), await colorOf("2025-01-13")]);
    expect(colors.size).toBe(3);
    const source = readFileSync(join(s.workspace, "policies", "ai-diffusion-2025.diffuse"), "utf8");
    const title = /policy "([^"]+)"/.exec(source)?.[1] ?? "";
    const version = /version "([^"]+)"/.exec(source)?.[1] ?? "";
    const status = page.locator(".statusbar-item", { hasText: title });
    await status.waitFor({ timeout: 60_000 });
    expect(await status.innerText()).toContain(version);
    await screenshot(page, "highlighting");
  });

  it("underlines an error in a broken policy and lists it in Problems", async () => {
    const { page } = s;
    writeFileSync(join(s.workspace, "broken.diffuse"), '// An unknown country code\ngroup tier1 "Tier 1" = { US ZZ }\n');
    await openFile(page, "broken.diffuse");
    await page.locator(`${editor} .squiggly-error`).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press("Control+Shift+M");
    const problems = page.locator(".markers-panel");
    await problems.waitFor({ timeout: 20_000 });
    await expect.poll(() => problems.innerText(), { timeout: 30_000 }).toMatch(/ZZ/);
    expect(await problems.innerText()).toMatch(/DF\d{4}/);
    await screenshot(page, "diagnostics");
  });

  it("clears the squiggle and the Problems entry once the policy is fixed", async () => {
    const { page } = s;
    await page.locator(`${editor} .view-lines`).first().click();
    await page.keyboard.press("Control+A");
    await page.keyboard.type('// An unknown country code\ngroup tier1 "Tier 1" = { US GB }\n');
    await expect.poll(() => page.locator(`${editor} .squiggly-error`).count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => page.locator(".markers-panel").innerText(), { timeout: 30_000 }).not.toMatch(/broken\.diffuse/);
  });

  it("formats a document", async () => {
    const { page } = s;
    await openFile(page, "unformatted.diffuse");
    // A retry finds the buffer the failed attempt formatted: start again from the file.
    await runCommand(page, "File: Revert File");
    // The editor renders its lines a few at a time: wait for the last one before formatting,
    // then for the formatted text (not merely for a change, which a late line also is).
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toMatch(/group {3}asia[\s\S]*cap {2}small/);
    await runCommand(page, "Format Document");
    await expect.poll(() => editorText(page), { timeout: 30_000 }).toMatch(/group asia "Some of Asia" = \{[\s\S]*window calendar year/);
    const after = await editorText(page);
    const code = after.split("\n").filter((l) => !l.trim().startsWith("//"));
    expect(code.filter((l) => /\S {2,}\S/.test(l))).toEqual([]);
    expect(after).toContain("JP");
    expect(after).toContain("SG");
  });

  it("shows a tier's countries on hover", async () => {
    const { page } = s;
    await tidy(page);
    await openFile(page, "hover.diffuse");
    const word = page.locator(`${editor} .view-lines span span`, { hasText: /^nordics$/ }).last();
    const hover = page.locator(".monaco-hover:not(.hidden) .monaco-hover-content, .monaco-hover:not(.hidden) .hover-contents").first();
    await expect
      .poll(
        async () => {
          await page.mouse.move(0, 0);
          await word.hover();
          return hover.innerText({ timeout: 3_000 }).catch(() => "");
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toMatch(/Denmark|DK/);
    const text = await hover.innerText();
    for (const code of ["FI", "IS", "NO", "SE"]) expect(text).toMatch(new RegExp(code));
    await page.waitForTimeout(600); // let the hover finish fading in
    await screenshot(page, "hover");
  });

  it("offers country codes as completions in a set", async () => {
    const { page } = s;
    writeFileSync(join(s.workspace, "completion.diffuse"), "// Country codes complete inside a set\ngroup nordics = { DK FI IS NO SE }\n");
    await tidy(page);
    await openFile(page, "completion.diffuse");
    await page.locator(`${editor} .view-lines`).first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type("group more = { G");
    await page.keyboard.press("Control+Space");
    const suggest = page.locator(".suggest-widget .monaco-list-row");
    await suggest.first().waitFor({ timeout: 30_000 });
    const rows = await suggest.allInnerTexts();
    expect(rows.some((r) => /^GB\b/.test(r))).toBe(true);
    // The focused suggestion shows the country's name, inline or in the details beside the list.
    await expect
      .poll(async () => (await page.locator(".suggest-widget .monaco-list-row.focused, .suggest-details").allInnerTexts()).join("\n"), { timeout: 15_000 })
      .toMatch(/[A-Z][a-z]{3,}/);
    await screenshot(page, "completion");
    await page.keyboard.press("Escape");
    await page.keyboard.type("B }");
  });

  it("evaluates orders and shows the decisions in a table", async () => {
    const { page } = s;
    await tidy(page);
    await openFile(page, "policies/ai-diffusion-2025.diffuse");
    await runCommand(page, "Diffuse: Evaluate orders...");
    await pickInQuickInput("orders.json");
    const rows = webview(page).locator("table.decisions tbody tr");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(5);
    const text = await webview(page).locator("table.decisions").innerText();
    expect(text).toContain("lpp-my-1");
    expect(text, text).toMatch(/authorized/);
    expect(text).toMatch(/prohibited|license-required/);
    await screenshot(page, "decisions");
  });

  it("explains one order", async () => {
    const { page } = s;
    await tidy(page);
    await openFile(page, "policies/ai-diffusion-2025.diffuse");
    await runCommand(page, "Diffuse: Explain order...");
    await pickInQuickInput("orders.json");
    await pickInQuickInput("lpp-my-2");
    const body = webview(page).locator("body");
    await expect.poll(() => body.innerText().catch(() => ""), { timeout: 60_000 }).toMatch(/Rules consulted/);
    expect(await body.innerText()).toMatch(/lpp-my-2/);
    await screenshot(page, "explain");
  });

  it("charts cap utilisation", async () => {
    const { page } = s;
    await tidy(page);
    await openFile(page, "policies/ai-diffusion-2025.diffuse");
    await runCommand(page, "Diffuse: Show cap utilisation");
    await pickInQuickInput("orders.json");
    const bars = webview(page).locator("svg.chart g.row");
    await expect.poll(() => bars.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await webview(page).locator("table.utilisation").innerText()).toMatch(/LPP_limit|country_allocation/);
    await screenshot(page, "utilisation");
  });

  it("runs the policy tests in the Testing view", async () => {
    const { page } = s;
    await tidy(page);
    await runCommand(page, "Diffuse: Run policy tests");
    // The Testing view lists every test file with its result and a passed/total count.
    const sidebar = page.locator(".part.sidebar");
    await expect.poll(() => sidebar.innerText(), { timeout: 110_000 }).toMatch(/\b\d+\/\d+\b/);
    const text = await sidebar.innerText();
    expect(text).toMatch(/lpp\.test\.json/);
    expect(text).toMatch(/veu\.test\.json/);
    await screenshot(page, "tests");
  });
});

it.skipIf(missing === undefined)("has its prerequisites", () => {
  throw new Error(missing);
});
