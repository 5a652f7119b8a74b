import { join, relative, resolve } from "node:path";
import { formatDiffuse } from "prettier-plugin-diffuse";
import { configuredFormatOptions } from "prettier-plugin-diffuse/config";
import { parseCommand, positiveInt, shortUsage } from "../args.js";
import { fmtCommand } from "./specs.js";
import type { Context } from "../context.js";
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError } from "../errors.js";
import { collectFiles, expandPattern } from "../files.js";
import { errorText, readStdin, readTextFile } from "../io.js";
import { ReplaceFileError, replaceFile } from "../replace-file.js";

interface SyntaxErrorWithLoc {
  readonly message: string;
  readonly loc?: { readonly start?: { readonly line: number; readonly column: number } };
}

export async function runFmt(argv: readonly string[], ctx: Context): Promise<number> {
  const { values, positionals } = parseCommand(fmtCommand, argv);
  if (values.check && values.write) throw new UsageError("`--check` and `--write` cannot be used together", shortUsage(fmtCommand));
  const width = values["print-width"] === undefined ? undefined : positiveInt("print-width", values["print-width"], 80, shortUsage(fmtCommand));
  const quiet = values.quiet === true;
  let unformatted = 0;
  let rewritten = 0;
  let stdinUnformatted = false;
  let failed = 0;
  let ioError = false;
  /** Files to format; `path` undefined: stdin. */
  const files: { readonly path: string | undefined; readonly shown: string }[] = [];
  if (positionals.filter((p) => p === "-").length > 1) throw new UsageError("`-` (stdin) can be given once", shortUsage(fmtCommand));
  for (const p of positionals) {
    if (p === "-") {
      if (values.write) throw new UsageError("`--write` cannot rewrite stdin", shortUsage(fmtCommand), "without --write the formatted text goes to stdout");
      if (ctx.stdin.isTTY === true) throw new CliError("`-` reads the policy from stdin, which is a terminal", undefined, "pipe a policy in, or give its path");
      files.push({ path: undefined, shown: "<stdin>" });
      continue;
    }
    try {
      for (const arg of expandPattern(p, ctx.cwd)) {
        const root = resolve(ctx.cwd, arg);
        const found: string[] = [];
        collectFiles(root, ".diffuse", found, arg, "file");
        if (found.length === 0) throw new CliError(`no \`.diffuse\` files under \`${arg}\``);
        for (const path of found) files.push({ path, shown: path === root ? arg : join(arg, relative(root, path)) });
      }
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      reportFileError(e, ctx);
      ioError = true;
    }
  }
  for (const { path, shown: file } of files) {
    let text: string;
    try {
      // Strictly UTF-8: text decoded leniently would be written back with U+FFFD in it.
      text = path === undefined ? await readStdin(ctx.stdin, true) : readTextFile(path, "file", file, true);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      reportFileError(e, ctx);
      ioError = true;
      continue;
    }
    let formatted: string;
    try {
      // .prettierrc (with its overrides) and .editorconfig, as Prettier's CLI reads them (the
      // language server reads them with the same function). Line endings follow the file
      // unless the configuration says otherwise. Stdin takes the configuration of a policy
      // file in the current directory.
      const config = await configuredFormatOptions(path ?? join(ctx.cwd, "stdin.diffuse"));
      formatted = await formatDiffuse(text, { endOfLine: "auto", ...(config ?? {}), filepath: file, ...(width === undefined ? {} : { printWidth: width }) });
    } catch (e) {
      const err = e as SyntaxErrorWithLoc;
      const at = err.loc?.start ? `:${err.loc.start.line}:${err.loc.start.column}` : "";
      // Prettier ends the message with the position too (" (1:11)"): it is already in front.
      const first = String(err.message).split("\n")[0] ?? "";
      const message = at === "" ? first : first.replace(/ \(\d+:\d+\)$/, "");
      ctx.stderr.write(`${file}${at}: error: cannot format: ${message}\n`);
      failed++;
      continue;
    }
    if (values.check) {
      if (formatted !== text) {
        ctx.stdout.write(`${file}\n`);
        if (path === undefined) stdinUnformatted = true;
        else unformatted++;
      }
    } else if (values.write) {
      if (formatted !== text && path !== undefined) {
        try {
          replaceFile(path, formatted);
        } catch (e) {
          if (!(e instanceof ReplaceFileError)) throw e;
          // Reported as `readTextFile` reports a file it cannot read; the other files still go.
          reportFileError(cannotWrite(file, e), ctx);
          ioError = true;
          continue;
        }
        rewritten++;
        if (!quiet) ctx.stderr.write(`formatted ${file}\n`);
      }
    } else ctx.stdout.write(formatted);
  }
  if (!quiet) {
    if (values.check && unformatted > 0)
      ctx.stderr.write(
        `${unformatted} file${unformatted === 1 ? " is" : "s are"} not formatted; run \`diffuse fmt --write\` on ${unformatted === 1 ? "it" : "them"}\n`,
      );
    if (stdinUnformatted) ctx.stderr.write("the text on stdin is not formatted; `diffuse fmt -` prints it formatted\n");
    // Silence after --check would leave a user unsure it ran at all (Prettier confirms too); only when every file was read and formatted.
    const allFormatted = unformatted === 0 && !stdinUnformatted && failed === 0 && !ioError && files.length > 0;
    if (allFormatted && (values.check || (values.write && rewritten === 0))) ctx.stderr.write(`${allFormattedLine(files, values.write === true)}\n`);
  }
  if (ioError) return EXIT_USAGE;
  return unformatted > 0 || stdinUnformatted || failed > 0 ? EXIT_PROBLEMS : EXIT_OK;
}

/** The confirmation that every file checked (or, with --write, left alone) is formatted: the file by name when there is one. */
function allFormattedLine(files: readonly { readonly path: string | undefined; readonly shown: string }[], write: boolean): string {
  const already = write ? "already " : "";
  const only = files.length === 1 ? files[0] : undefined;
  if (only === undefined) return `all ${files.length} files are ${already}formatted`;
  return only.path === undefined ? "the text on stdin is formatted" : `${only.shown} is ${already}formatted`;
}

/** What `fmt --write` says about a file it could not rewrite, and what to do. */
function cannotWrite(file: string, e: ReplaceFileError): CliError {
  const why = errorText(e.cause);
  const again = "then run `diffuse fmt --write` on it again";
  switch (e.reason) {
    case "file":
      return new CliError(`cannot write file \`${file}\`: ${why}`, undefined, `make it writable, ${again}`);
    case "folder":
      return new CliError(
        `cannot write file \`${file}\`: its folder cannot be written: ${why}`,
        undefined,
        `\`fmt --write\` replaces a file through a new file beside it: make the folder writable, ${again}`,
      );
    case "write":
      return new CliError(`cannot write file \`${file}\`: ${why}${e.intact ? "; it is left as it was" : ""}`);
  }
}

/** A problem with one path, reported as `main` reports a CliError (message, then help): the other files still go. */
function reportFileError(e: CliError, ctx: Context): void {
  ctx.stderr.write(`error: ${e.message}\n${e.help === undefined ? "" : `help: ${e.help}\n`}`);
}

export { fmtCommand };
