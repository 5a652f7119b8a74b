import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { formatDiffuse } from "prettier-plugin-diffuse";
import { parseCommand, shortUsage } from "../args.js";
import { fmtCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError } from "../errors.js";
import { readTextFile } from "../io.js";


interface SyntaxErrorWithLoc {
  readonly message: string;
  readonly loc?: { readonly start?: { readonly line: number; readonly column: number } };
}

export async function runFmt(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(fmtCommand, argv);
  if (values.check && values.write) throw new UsageError("`--check` and `--write` cannot be used together", shortUsage(fmtCommand));
  const width = values["print-width"];
  if (width !== undefined && !/^[1-9]\d*$/.test(width)) throw new UsageError(`\`--print-width\` must be a positive integer, not \`${width}\``, shortUsage(fmtCommand));
  let unformatted = 0;
  let failed = 0;
  let ioError = false;
  for (const file of positionals) {
    let text: string;
    try {
      text = readTextFile(resolve(ctx.cwd, file), "file", file);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      ctx.stderr.write(`error: ${e.message}\n`);
      ioError = true;
      continue;
    }
    let formatted: string;
    try {
      formatted = await formatDiffuse(text, { filepath: file, endOfLine: "auto", ...(width ? { printWidth: Number(width) } : {}) });
    } catch (e) {
      const err = e as SyntaxErrorWithLoc;
      const at = err.loc?.start ? `:${err.loc.start.line}:${err.loc.start.column}` : "";
      ctx.stderr.write(`${file}${at}: error: cannot format: ${String(err.message).split("\n")[0]}\n`);
      failed++;
      continue;
    }
    if (values.check) {
      if (formatted !== text) {
        ctx.stdout.write(`${file}\n`);
        unformatted++;
      }
    } else if (values.write) {
      if (formatted !== text) {
        writeFileSync(resolve(ctx.cwd, file), formatted);
        ctx.stderr.write(`formatted ${file}\n`);
      }
    } else ctx.stdout.write(formatted);
  }
  if (values.check && unformatted > 0) ctx.stderr.write(`${unformatted} file${unformatted === 1 ? " is" : "s are"} not formatted; run \`diffuse fmt --write\` on ${unformatted === 1 ? "it" : "them"}\n`);
  if (ioError) return EXIT_USAGE;
  return unformatted > 0 || failed > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

export { fmtCommand };
