/**
 * Test helpers: build the .vsix once per test file (`pnpm run package` in extension/)
 * and read its entries with yauzl.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import yauzl from "yauzl";

export const extensionDir = fileURLToPath(new URL("../", import.meta.url));

export interface Vsix {
  readonly path: string;
  readonly size: number;
  readonly entries: ReadonlyMap<string, Buffer>;
}

function version(): string {
  return (JSON.parse(readFileSync(`${extensionDir}package.json`, "utf8")) as { version: string }).version;
}

/** Runs the package script and returns the path of the .vsix it wrote. */
export function packageVsix(): string {
  execFileSync("pnpm", ["run", "package"], { cwd: extensionDir, stdio: "pipe", timeout: 240_000 });
  return `${extensionDir}diffuse-${version()}.vsix`;
}

export function readZip(path: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err !== null) {
        reject(err);
        return;
      }
      const entries = new Map<string, Buffer>();
      zip.on("error", reject);
      zip.on("end", () => resolve(entries));
      zip.on("entry", (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith("/")) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e !== null) {
            reject(e);
            return;
          }
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export async function buildVsix(): Promise<Vsix> {
  const path = packageVsix();
  return { path, size: statSync(path).size, entries: await readZip(path) };
}
