import { readdirSync, readFileSync, statSync } from "node:fs";
import type { MembershipInterval } from "../../src/model.js";

/** Reads every `.diffuse` file under a fixture folder into a map keyed by `file:///<folder>/<relative path>`. */
export function readFixture(kind: "valid" | "diagnostics", folder: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: URL, rel: string): void => {
    for (const name of readdirSync(dir)) {
      const url = new URL(name, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${rel}${name}/`);
      else if (name.endsWith(".diffuse")) files.set(`file:///${folder}/${rel}${name}`, readFileSync(url, "utf8"));
    }
  };
  walk(new URL(`../fixtures/${kind}/${folder}/`, import.meta.url), "");
  return files;
}

export function fixtureFolders(kind: "valid" | "diagnostics"): string[] {
  return readdirSync(new URL(`../fixtures/${kind}/`, import.meta.url)).sort();
}

/** Countries that are members on `date`, sorted. */
export function membersOn(members: readonly MembershipInterval[], date: string): string[] {
  return members.filter((m) => (m.from === undefined || m.from <= date) && (m.until === undefined || date < m.until)).map((m) => m.country);
}
