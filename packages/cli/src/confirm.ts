/**
 * The yes/no question `ledger reset` asks on a terminal. Ctrl-D and Ctrl-C at the prompt
 * are answers too (no, and an interrupt), not errors: readline aborts the pending
 * question on either.
 */
import { createInterface } from "node:readline/promises";

/** `yes` only for y or yes; `interrupted` for Ctrl-C; anything else (Enter, Ctrl-D) is `no`. */
export type Answer = "yes" | "no" | "interrupted";

/** Asks `question` on `output` (stderr) and reads the answer from `input` (a terminal). */
export async function askOnTerminal(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<Answer> {
  const rl = createInterface({ input, output });
  // With a listener, readline reports Ctrl-C here instead of closing on its own (which
  // would leave the question pending); aborting the question settles it.
  const interrupt = new AbortController();
  rl.on("SIGINT", () => interrupt.abort());
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: interrupt.signal });
    return /^y(es)?$/i.test(answer.trim()) ? "yes" : "no";
  } catch (e) {
    // The question was aborted: by the Ctrl-C above, or by end of input (Ctrl-D).
    if ((e as Error).name !== "AbortError") throw e;
    if (interrupt.signal.aborted) return "interrupted";
    // readline ends the line itself on Ctrl-C, not on Ctrl-D.
    output.write("\n");
    return "no";
  } finally {
    rl.close();
  }
}
