/**
 * Rewriting a user's file (`fmt --write`) so that a failure cannot cost them its text:
 * the new text goes to a temporary file in the same folder, synced, which then takes the
 * file's place in one rename. A crash, a full disk or a killed process leaves the old text
 * or the new one, never a truncated file; a failure that is caught removes the temporary file.
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Why a file was not rewritten: it is not writable, its folder is not (no temporary file
 * can go there), or the write failed. `intact`: the file is as it was (false only when
 * writing in place failed: see `sameFile`).
 */
export class ReplaceFileError extends Error {
  override readonly name = "ReplaceFileError";
  constructor(
    readonly reason: "file" | "folder" | "write",
    readonly intact: boolean,
    options: { cause: unknown },
  ) {
    super(`cannot replace the file (${reason})`, options);
  }
}

/**
 * Replaces the text of the file at `path` with `text`, keeping its permissions (and its
 * owner and group, where the process may set them). A symlink's target is rewritten, the
 * link kept. Throws ReplaceFileError, with the file as it was.
 */
export function replaceFile(path: string, text: string): void {
  let target: string;
  let mode: number;
  try {
    target = realpathSync(path);
    mode = statSync(target).mode & 0o7777;
    // A rename would replace a file its permissions keep from being written: they stand.
    accessSync(target, constants.W_OK);
  } catch (e) {
    throw new ReplaceFileError("file", true, { cause: e });
  }
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, "wx", mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReplaceFileError(code === "EACCES" || code === "EPERM" || code === "EROFS" ? "folder" : "write", true, { cause: e });
  }
  let renamed = false;
  let inPlace = false;
  try {
    if (!sameFile(fd, target)) {
      // Another link to the file would keep the old text, or a file of another owner
      // would become ours: such a file is written in place, as it always was.
      closeSync(fd);
      fd = -1;
      rmSync(temporary, { force: true });
      inPlace = true;
      writeFileSync(target, text);
      return;
    }
    writeFileSync(fd, text);
    fchmodSync(fd, mode); // the umask narrowed what `openSync` was given
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temporary, target);
    renamed = true;
  } catch (e) {
    throw new ReplaceFileError("write", !inPlace, { cause: e });
  } finally {
    if (fd !== -1) closeSync(fd);
    if (!renamed) rmSync(temporary, { force: true });
  }
}

/**
 * Whether the new file (`fd`) can stand for `target` once renamed over it: `target` has
 * no other hard link, and the new file has its owner and group (set here when they differ
 * and the process may set them: root, or a group the user belongs to).
 */
function sameFile(fd: number, target: string): boolean {
  const old = statSync(target);
  if (old.nlink > 1) return false;
  const created = fstatSync(fd);
  if (created.uid === old.uid && created.gid === old.gid) return true;
  try {
    fchownSync(fd, old.uid, old.gid);
    return true;
  } catch {
    return false;
  }
}
