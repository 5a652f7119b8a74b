/**
 * A host that reads files through the client (for the browser worker, which has no file
 * system): `diffuse/readFile` (`{ uri }` -> `string | null`) and `diffuse/findFiles`
 * (`{ folders, suffix }` -> `string[]`). A client that does not answer gets no
 * cross-file results, never an error.
 */
import type { Connection } from "vscode-languageserver";
import type { ServerHost } from "./server.js";

export const READ_FILE_REQUEST = "diffuse/readFile";
export const FIND_FILES_REQUEST = "diffuse/findFiles";

export function clientHost(connection: Connection): ServerHost {
  return {
    readFile: async (uri) => {
      try {
        const text = await connection.sendRequest<string | null>(READ_FILE_REQUEST, { uri });
        return typeof text === "string" ? text : undefined;
      } catch {
        return undefined;
      }
    },
    findFiles: async (folders, suffix) => {
      try {
        const uris = await connection.sendRequest<string[] | null>(FIND_FILES_REQUEST, { folders, suffix });
        return Array.isArray(uris) ? uris.filter((u): u is string => typeof u === "string") : [];
      } catch {
        return [];
      }
    },
  };
}
