/**
 * Errors the CLI reports to the user: one line of message, optional help, an exit code.
 * Anything else that escapes a command is a bug: it is reported as an internal error
 * (with the stack trace under --debug).
 */
export const EXIT_OK = 0;
/** Problems found: policy errors, failed tests, invalid orders, unformatted files. */
export const EXIT_PROBLEMS = 1;
/** Usage or I/O error: bad flags, unreadable files, invalid JSON, ledger problems. */
export const EXIT_USAGE = 2;
/** A run ended by SIGINT (Ctrl-C) or SIGTERM: 128 + the signal's number, as a shell reports a process the signal killed. */
export const EXIT_INTERRUPTED = 130;
export const EXIT_TERMINATED = 143;

export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
    readonly help?: string,
  ) {
    super(message);
  }
}

/** A usage error: the command's usage is printed after the message. */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly usage: string,
    help?: string,
  ) {
    super(message, EXIT_USAGE, help);
  }
}
