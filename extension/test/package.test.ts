import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver-protocol/node.js";
import type { MessageConnection } from "vscode-languageserver-protocol/node.js";
import { buildVsix } from "./vsix.js";
import type { Vsix } from "./vsix.js";

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  main: string;
  engines: { vscode: string };
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string; icon: { light: string; dark: string } }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown }> };
  };
}

let vsix: Vsix;
let manifest: Manifest;

function entry(path: string): Buffer {
  const file = vsix.entries.get(`extension/${path.replace(/^\.\//, "")}`);
  if (file === undefined) throw new Error(`${path} is not in the .vsix`);
  return file;
}

beforeAll(
  () =>
    buildVsix().then((v) => {
      vsix = v;
      manifest = JSON.parse(entry("package.json").toString("utf8")) as Manifest;
    }),
  300_000,
);

describe("the .vsix", () => {
  it("is named after the version and is under 5 MB", () => {
    expect(vsix.path).toMatch(new RegExp(`diffuse-${manifest.version.replace(/\./g, "\\.")}\\.vsix$`));
    expect(vsix.size).toBeLessThan(5 * 1024 * 1024);
  });

  it("identifies the extension", () => {
    const xml = vsix.entries.get("extension.vsixmanifest")?.toString("utf8") ?? "";
    expect(xml).toContain(`Id="${manifest.name}"`);
    expect(xml).toContain(`Publisher="${manifest.publisher}"`);
    expect(manifest.publisher).toBe("diffuse");
    expect(manifest.engines.vscode).toBe("^1.91.0");
  });

  it("contributes the language with its configuration and file icon", () => {
    const language = manifest.contributes.languages.find((l) => l.id === "diffuse");
    expect(language?.extensions).toEqual([".diffuse"]);
    const config = JSON.parse(entry(language?.configuration ?? "").toString("utf8")) as { comments: { lineComment: string } };
    expect(config.comments.lineComment).toBe("//");
    expect(entry(language?.icon.light ?? "").toString("utf8")).toContain("<svg");
  });

  it("contributes the grammar", () => {
    const grammar = manifest.contributes.grammars.find((g) => g.language === "diffuse");
    expect(grammar?.scopeName).toBe("source.diffuse");
    const raw = JSON.parse(entry(grammar?.path ?? "").toString("utf8")) as { scopeName: string };
    expect(raw.scopeName).toBe("source.diffuse");
  });

  it("contributes snippets for every declaration", () => {
    const snippets = manifest.contributes.snippets.find((s) => s.language === "diffuse");
    const body = JSON.parse(entry(snippets?.path ?? "").toString("utf8")) as Record<string, { prefix: string }>;
    const prefixes = Object.values(body).map((s) => s.prefix);
    for (const p of [
      "policy",
      "policyset",
      "import",
      "group",
      "disjoint",
      "item",
      "model",
      "class",
      "cap",
      "exception",
      "status",
      "decide",
      "license",
      "cite",
    ]) {
      expect(prefixes).toContain(p);
    }
  });

  it("contributes the commands and settings", () => {
    const commands = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    expect(commands).toEqual(["Diffuse: Evaluate orders...", "Diffuse: Explain order...", "Diffuse: Run policy tests", "Diffuse: Show cap utilisation"]);
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual([
      "diffuse.diagnostics.debounceMs",
      "diffuse.diagnostics.docsUrl",
      "diffuse.examples.orders",
      "diffuse.format.printWidth",
      "diffuse.trace.server",
    ]);
  });

  it("carries its README with every image it shows, and its icon", () => {
    // vsce stores the README as extension/readme.md.
    const readme = entry("readme.md").toString("utf8");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] ?? "");
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) expect(entry(image).subarray(1, 4).toString("latin1"), image).toBe("PNG");
    expect(
      entry((manifest as unknown as { icon: string }).icon)
        .subarray(1, 4)
        .toString("latin1"),
    ).toBe("PNG");
  });

  it("bundles the client and the server", () => {
    expect(entry(manifest.main).length).toBeGreaterThan(1000);
    expect(entry("dist/server.js").length).toBeGreaterThan(1000);
  });

  it("has no node_modules and no sources", () => {
    const names = [...vsix.entries.keys()];
    expect(names.filter((n) => n.includes("node_modules/"))).toEqual([]);
    expect(names.filter((n) => /\.(ts|map)$/.test(n) || n.includes("/src/") || n.includes("/test/"))).toEqual([]);
  });

  it("requires nothing at run time but vscode and Node's own modules", () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), "vscode"]);
    for (const file of [manifest.main, "dist/server.js"]) {
      const text = entry(file).toString("utf8");
      const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1] ?? "");
      expect(
        required.filter((r) => !builtins.has(r)),
        file,
      ).toEqual([]);
    }
  });
});

describe("the server inside the .vsix", () => {
  let dir: string;
  let server: ChildProcess;
  let connection: MessageConnection;

  beforeAll(async () => {
    // Only the server file, alone in an empty folder: proof that the bundle is complete.
    dir = mkdtempSync(join(tmpdir(), "diffuse-vsix-"));
    writeFileSync(join(dir, "server.js"), entry("dist/server.js"));
    server = spawn(process.execPath, [join(dir, "server.js"), "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    if (server.stdout === null || server.stdin === null) throw new Error("no stdio");
    connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onRequest("workspace/configuration", (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.listen();
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(dir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: "vsix" }],
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
    });
    await connection.sendNotification("initialized", {});
  }, 60_000);

  afterAll(async () => {
    await connection.sendRequest("shutdown").catch(() => undefined);
    await connection.sendNotification("exit").catch(() => undefined);
    connection.dispose();
    if (server.exitCode === null) server.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports diagnostics for a broken policy, and clears them once fixed", async () => {
    const uri = pathToFileURL(join(dir, "broken.diffuse")).toString();
    const published = (want: (n: number) => boolean) =>
      new Promise<{ code?: unknown; message: string; severity?: number }[]>((resolve) => {
        const d = connection.onNotification(
          "textDocument/publishDiagnostics",
          (p: { uri: string; diagnostics: { code?: unknown; message: string; severity?: number }[] }) => {
            if (p.uri === uri && want(p.diagnostics.length)) {
              d.dispose();
              resolve(p.diagnostics);
            }
          },
        );
      });
    const broken = published((n) => n > 0);
    await connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "diffuse", version: 1, text: 'group tier1 "Tier 1" = { US ZZ }\ngroup tier2 = all - tier9\n' },
    });
    const diagnostics = await broken;
    expect(diagnostics.every((d) => typeof d.code === "string" && d.code.startsWith("DF"))).toBe(true);
    expect(diagnostics.map((d) => d.message).join("\n")).toMatch(/ZZ/);
    expect(diagnostics.map((d) => d.message).join("\n")).toMatch(/tier9/);

    const fixed = published((n) => n === 0);
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'group tier1 "Tier 1" = { US }\ngroup tier2 = all - tier1\n' }],
    });
    expect(await fixed).toEqual([]);
  }, 60_000);

  it("formats with a .prettierrc (YAML, read through the Prettier parts the bundle keeps)", async () => {
    mkdirSync(join(dir, "formatted"));
    writeFileSync(join(dir, "formatted", ".prettierrc"), "tabWidth: 4\n");
    const uri = pathToFileURL(join(dir, "formatted", "policy.diffuse")).toString();
    await connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "diffuse", version: 1, text: "cap c {\nlimit 1 TPP\nper consignee\nwindow calendar year\n}\n" },
    });
    const edits = await connection.sendRequest<{ newText: string }[]>("textDocument/formatting", {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits.map((e) => e.newText).join("")).toContain("    limit 1 TPP\n    per consignee\n");
  }, 60_000);
});
