// Reports and baselines are written where they were asked for, never through a symbolic link. A
// pull request controls the checkout the Action and CI jobs run in: a committed
// `bulkhead.sarif -> ../../.bashrc` would otherwise have the report overwrite a file outside the
// repository. A link in the way is replaced by the file; a missing directory is created.
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";

/** What is written: the text, or a function that hands it over in pieces (a large report is never one string). */
export type OutputText = string | ((write: (chunk: string) => void) => void);

/**
 * Writes `text` to `file` as a new regular file. With `within` (the Action's workspace, which the
 * pull request fills): a file named inside it must stay inside it once links are resolved, so a
 * committed directory link out of it is refused. (A path outside it was chosen by the workflow.)
 */
export function writeOutput(file: string, text: OutputText, what: string, within?: string): void {
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
      const write = (chunk: string) => {
        const bytes = Buffer.from(chunk, "utf8");
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      };
      if (typeof text === "string") write(text);
      else text(write);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    fail((err as NodeJS.ErrnoException).code ?? String(err));
  }
}
