// The policy's own files (the configuration, the baseline): read from the work tree or given as
// text (read from a commit, see src/policy-ref.ts). A pull request controls the work tree, so a
// file there must not lead out of it through a symbolic link.
import { realpathSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";

/** A policy file's text, from the work tree or from a commit. */
export interface PolicyText {
  text: string;
  /**
   * The file's path, relative to the run's base directory or absolute. Messages name it, and a
   * configuration's globs are relative to its directory (so text read from a commit behaves as
   * the same file in the work tree would).
   */
  path: string;
  /** Where the text came from when not the work tree ("base commit 1a2b3c4"): messages say so. */
  origin?: string;
  /**
   * The full id of the commit the text was read from (with `origin`): the files a configuration
   * names (`policies:`) are read from that commit too, never from the work tree.
   */
  commit?: string;
}

/**
 * Refuses a file that lies inside one of `roots` (the base directory, the scanned paths) but whose
 * real path, once symbolic links are resolved (of the file or of any directory above it), is
 * outside that root: a `.bulkhead.yml` committed as a link to `/etc/shadow` or to `../../x`. A
 * file named outside every root is the user's own choice and is not checked.
 */
export function assertNoEscape(file: string, roots: string[], what: string): void {
  const lexical = path.resolve(file);
  const containing = roots.map((r) => path.resolve(r)).filter((r) => isInside(lexical, r));
  if (containing.length === 0) return;
  const root = containing.reduce((a, b) => (a.length <= b.length ? a : b)); // the outermost
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    return; // missing or unreadable: reading it says so
  }
  if (!isInside(real, realpathOr(root))) {
    throw new UsageError(`${what} "${file}" is a symbolic link, or lies below one, that leads out of ${root}; it is not read`);
  }
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}
