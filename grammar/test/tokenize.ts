/**
 * Test helpers: tokenize Diffuse text with the real TextMate engine VS Code uses
 * (vscode-textmate over the Oniguruma WebAssembly build), and check fixture files
 * that carry their own scope assertions.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import type { IGrammar } from "vscode-textmate";

export const grammarPath = fileURLToPath(new URL("../diffuse.tmLanguage.json", import.meta.url));

export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Scope stack, outermost first (always starts with `source.diffuse`). */
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<IGrammar> | undefined;

async function loadGrammar(): Promise<IGrammar> {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName: string) =>
      Promise.resolve(scopeName === "source.diffuse" ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  const grammar = await registry.loadGrammar("source.diffuse");
  if (grammar === null) throw new Error("grammar source.diffuse did not load");
  return grammar;
}

export function grammar(): Promise<IGrammar> {
  grammarPromise ??= loadGrammar();
  return grammarPromise;
}

/** Tokenizes a whole text, line by line, carrying the rule stack across lines as VS Code does. */
export async function tokenize(text: string): Promise<Token[][]> {
  const g = await grammar();
  let stack = textmate.INITIAL;
  const lines = text.split(/\r?\n/);
  return lines.map((lineText, line) => {
    const result = g.tokenizeLine(lineText, stack);
    stack = result.ruleStack;
    return result.tokens.map((t) => ({
      line,
      start: t.startIndex,
      end: Math.min(t.endIndex, lineText.length),
      text: lineText.slice(t.startIndex, t.endIndex),
      scopes: t.scopes,
    }));
  });
}

/** Scopes of the first token that covers `needle` (its first occurrence) in a one-line text. */
export async function scopesOf(text: string, needle: string, occurrence = 0): Promise<readonly string[]> {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`\`${needle}\` not found in \`${text}\``);
  }
  const lines = await tokenize(text);
  const token = lines[0]?.find((t) => t.start <= at && at < t.end);
  if (token === undefined) throw new Error(`no token at ${at}`);
  return token.scopes;
}

/**
 * One assertion written in a fixture, in the style of VS Code's grammar tests:
 *
 *     group tier1 = { AU }
 *   //^^^^^ storage.type.group.diffuse
 *   //      ^^^^^ entity.name.type.group.diffuse
 *   // <----- storage.type.group.diffuse     (columns 0..4: `<` plus one `-` per column)
 *   //              ^^ constant.language.country.diffuse - invalid.illegal
 *
 * Each caret column of the tested line (the nearest line above that is not an
 * assertion) must carry every listed scope (a prefix match on the dotted parts)
 * and none of the scopes after ` - `.
 */
export interface Assertion {
  readonly fixtureLine: number;
  readonly testedLine: number;
  readonly columns: readonly number[];
  readonly want: readonly string[];
  readonly notWant: readonly string[];
}

const assertionLine = /^\s*\/\/(?:\s*(<-+)|(\s*)(\^+))\s+(.+)$/;

export function isAssertionLine(text: string): boolean {
  return assertionLine.test(text);
}

export function parseAssertions(source: string): Assertion[] {
  const lines = source.split(/\r?\n/);
  const out: Assertion[] = [];
  let tested = -1;
  lines.forEach((text, index) => {
    const m = assertionLine.exec(text);
    if (m === null) {
      tested = index;
      return;
    }
    if (tested < 0) throw new Error(`assertion on line ${index + 1} has no line above it to test`);
    const arrow = m[1];
    let columns: number[];
    if (arrow !== undefined) {
      columns = Array.from({ length: arrow.length - 1 }, (_, i) => i);
    } else {
      const carets = m[3] ?? "";
      const first = text.indexOf("^");
      columns = Array.from({ length: carets.length }, (_, i) => first + i);
    }
    const [wantText = "", notText = ""] = (m[4] ?? "").split(/\s+-\s+/);
    out.push({
      fixtureLine: index,
      testedLine: tested,
      columns,
      want: wantText
        .trim()
        .split(/\s+/)
        .filter((s) => s !== ""),
      notWant: notText
        .trim()
        .split(/\s+/)
        .filter((s) => s !== ""),
    });
  });
  return out;
}

/** Does a token's scope stack contain `scope` (equal, or `scope` followed by more dotted parts)? */
export function hasScope(scopes: readonly string[], scope: string): boolean {
  return scopes.some((s) => s.split(" ").some((part) => part === scope || part.startsWith(`${scope}.`)));
}

/** Checks a fixture's assertions; returns one readable line per failure. */
export async function checkFixture(source: string): Promise<{ failures: string[]; count: number }> {
  const assertions = parseAssertions(source);
  const tokens = await tokenize(source);
  const failures: string[] = [];
  const lines = source.split(/\r?\n/);
  for (const a of assertions) {
    const lineTokens = tokens[a.testedLine] ?? [];
    for (const col of a.columns) {
      const token = lineTokens.find((t) => t.start <= col && col < t.end);
      const where = `line ${a.fixtureLine + 1}, column ${col} of \`${(lines[a.testedLine] ?? "").trim()}\``;
      if (token === undefined) {
        failures.push(`${where}: no token`);
        continue;
      }
      for (const w of a.want) {
        if (!hasScope(token.scopes, w)) failures.push(`${where}: \`${token.text}\` has [${token.scopes.join(", ")}], not ${w}`);
      }
      for (const n of a.notWant) {
        if (hasScope(token.scopes, n)) failures.push(`${where}: \`${token.text}\` has ${n}`);
      }
    }
  }
  return { failures, count: assertions.length };
}
