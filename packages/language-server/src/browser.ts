/**
 * Browser entry: the server inside a web worker, talking to the client over the
 * worker's message port. Files that are not open are read through the client (see
 * ./clientHost.ts for the two requests it must answer).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from "vscode-languageserver/browser.js";
import { clientHost } from "./clientHost.js";
import { createServer, type ServerHandle } from "./server.js";

export { READ_FILE_REQUEST, FIND_FILES_REQUEST } from "./clientHost.js";

declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

export function startBrowserServer(scope = self): ServerHandle {
  const connection = createConnection(new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
  const handle = createServer(connection, clientHost(connection));
  connection.listen();
  return handle;
}

startBrowserServer();
