#!/usr/bin/env node
import { askOnTerminal } from "./confirm.js";
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
  ...(process.stdin.isTTY ? { confirm: (question: string) => askOnTerminal(question, process.stdin, process.stderr) } : {}),
});
process.exitCode = code;
