#!/usr/bin/env node
import { createInterface } from "node:readline/promises";
import { StreamSink } from "./io.js";
import { main, version } from "./main.js";

const stdout = new StreamSink(process.stdout);
const stderr = new StreamSink(process.stderr, 1);

const code = await main(process.argv.slice(2), {
  stdout,
  stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  version: version(),
  ...(process.stdin.isTTY
    ? {
        confirm: async (question: string): Promise<boolean> => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            const answer = await rl.question(`${question} [y/N] `);
            return /^y(es)?$/i.test(answer.trim());
          } finally {
            rl.close();
          }
        },
      }
    : {}),
});
process.exitCode = code;
