/**
 * The server on the repository's real policies (policies/): the 2025 rule checks clean,
 * hover and completion work on it, and its code lens runs the policy tests that name it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodeLensRequest,
  CompletionRequest,
  ExecuteCommandRequest,
  HoverRequest,
  type CompletionList,
  type MarkupContent,
} from "vscode-languageserver-protocol/node.js";
import { REPO, startClient, type Client } from "./client.js";

let client: Client;
const name = "policies/ai-diffusion-2025.diffuse";
const text = readFileSync(join(REPO, name), "utf8");

function positionOf(needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset);
  return { line: before.split("\n").length - 1, character: offset - (before.lastIndexOf("\n") + 1) };
}

beforeAll(async () => {
  client = await startClient({ workspace: REPO });
});

afterAll(async () => {
  await client.stop();
});

describe("the 2025 AI Diffusion policy", () => {
  it("checks clean, answers hover and completion, and runs its tests from the lens", async () => {
    const published = client.diagnostics(name);
    client.open(name, text);
    expect((await published).diagnostics.filter((d) => d.severity === 1)).toEqual([]);

    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: client.uri(name) }, position: positionOf("cap LPP_limit", 5) });
    expect((hover?.contents as MarkupContent).value).toContain("26,900,000 TPP");

    const completion = (await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: client.uri(name) },
      position: positionOf("when destination in tier2", "when destination in ".length),
    })) as CompletionList;
    expect(completion.items.map((i) => i.label)).toEqual(expect.arrayContaining(["tier1", "tier2", "tier3"]));

    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: client.uri(name) } });
    const run = lenses?.find((l) => l.command?.command === "diffuse.runTests")?.command;
    expect(run?.arguments?.length).toBeGreaterThan(0);
    const summary = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: run?.command ?? "", arguments: run?.arguments ?? [] })) as {
      passed: number;
      failed: number;
    };
    expect(summary.failed).toBe(0);
    expect(summary.passed).toBeGreaterThan(10);
  });
});
