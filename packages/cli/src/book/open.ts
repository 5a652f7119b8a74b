/**
 * Pass 1 of a book file the user named (`eval --orders`, `diff --orders`), with every
 * way it can fail said as a CliError naming the path as written: nothing there, a
 * folder, a path that cannot be read, text that is not a book (with `bookHelp`'s advice).
 */
import { CliError } from "../errors.js";
import { errorText, statPath } from "../io.js";
import { BookSyntaxError, bookHelp, scanBook, type BookIndex, type ScanOptions } from "./scan.js";

/** `scanBook(path, options)`; `shown`: the path as the user gave it (`<stdin>` for a spooled stdin). */
export function scanUserBook(path: string, shown: string, options: ScanOptions = {}): BookIndex {
  const stat = statPath(path, "orders", shown);
  if (!stat) throw new CliError(`orders \`${shown}\` does not exist`);
  if (stat.isDirectory()) throw new CliError(`orders \`${shown}\` is a directory`, undefined, "give the path of a JSON or JSONL file");
  try {
    return scanBook(path, options);
  } catch (e) {
    if (e instanceof BookSyntaxError) throw new CliError(`orders \`${shown}\`: ${e.message}`, undefined, bookHelp(path));
    // The file went away or cannot be opened (not readable by this user).
    if (typeof (e as NodeJS.ErrnoException).code === "string") throw new CliError(`cannot read orders \`${shown}\`: ${errorText(e)}`);
    throw e;
  }
}
