/**
 * Browser entry: the server inside a web worker, talking to the client over the
 * worker's message port. There is no file system: files that are not open are read
 * from the client with the `diffuse/readFile` request (`{ uri }` -> `string | null`),
 * and test files are listed with `diffuse/findFiles` (`{ folders, suffix }` -> `string[]`);
 * a client that does not answer them just gets no cross-file results.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, type Connection } from "vscode-languageserver/browser.js";
import { createServer, type ServerHandle } from "./server.js";

export const READ_FILE_REQUEST = "diffuse/readFile";
export const FIND_FILES_REQUEST = "diffuse/findFiles";

declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

export function startBrowserServer(scope = self): ServerHandle {
  const connection: Connection = createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
  const handle = createServer(connection, {
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
  });
  connection.listen();
  return handle;
}

startBrowserServer();
