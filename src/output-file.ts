// Reports and baselines are written where they were asked for, never through a symbolic link. A
// pull request controls the checkout the Action and CI jobs run in: a committed
// `bulkhead.sarif -> ../../.bashrc` would otherwise have the report overwrite a file outside the
// repository. A link in the way is replaced by the file; a missing directory is created.
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

/**
 * Writes `text` to `file` as a new regular file. With `within` (the Action's workspace, which the
 * pull request fills): a file named inside it must stay inside it once links are resolved, so a
 * committed directory link out of it is refused. (A path outside it was chosen by the workflow.)
 */
export function writeOutput(file: string, text: string, what: string, within?: string): void {
  const fail = (why: string): never => {
    throw new UsageError(`cannot write the ${what} "${file}": ${why}`);
  };
  try {
    const dir = path.dirname(path.resolve(file));
    mkdirSync(dir, { recursive: true });
    const inside = (d: string, root: string) => d === root || d.startsWith(root + path.sep);
    if (within !== undefined && inside(dir, path.resolve(within)) && !inside(realpathSync(dir), realpathSync(within))) {
      fail(`its directory leads out of ${within} through a symbolic link`);
    }
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(file);
    // O_NOFOLLOW: a link created after the check above makes the open fail rather than be followed.
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
    try {
      const bytes = Buffer.from(text, "utf8");
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    fail(describeFsError(err));
  }
}

const FS_ERRORS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is a file, not a directory",
  EEXIST: "a part of the path is a file, not a directory",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  ENOENT: "no such file or directory",
};

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code ? `${FS_ERRORS[code] ?? "error"} (${code})` : String(err);
}
