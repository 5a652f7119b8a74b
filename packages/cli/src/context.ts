import type { Answer } from "./confirm.js";
import type { Sink } from "./io.js";

/** What a command gets from the process: streams, working directory, flags. */
export interface Context {
  readonly stdout: Sink;
  readonly stderr: Sink;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly cwd: string;
  readonly version: string;
  /** Ask a yes/no question on the terminal (ledger reset); undefined when stdin is not a TTY. */
  readonly confirm?: (question: string) => Promise<Answer>;
}
