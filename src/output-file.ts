// Reports and baselines are written where they were asked for, never through a symbolic link. A
// pull request controls the checkout the Action and CI jobs run in: a committed
// `bulkhead.sarif -> ../../.bashrc` would otherwise have the report overwrite a file outside the
// repository. A link in the way is replaced by the file; a missing directory is created.
import { closeSync, constants, lstatSync, mkdirSync, openSync, realpathSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import type { Writable } from "node:stream";
import { UsageError } from "./errors.js";

/**
 * Writes `text` (or its pieces, in order, as they are produced) to `file` as a new regular file. With `within` (the Action's workspace, which the
 * pull request fills): a file named inside it must stay inside it once links are resolved, so a
 * committed directory link out of it is refused. (A path outside it was chosen by the workflow.)
 */
export function writeOutput(file: string, text: string | Iterable<string>, what: string, within?: string): void {
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
      const write = (bytes: Buffer) => {
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      };
      for (const piece of batches(typeof text === "string" ? [text] : text)) write(Buffer.from(piece, "utf8"));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    fail(describeFsError(err));
  }
}

/**
 * Writes a report's pieces to standard output (or another stream) as they are produced, waiting
 * whenever the stream's buffer is full, so a report of hundreds of MB piped to another program is
 * never held whole in memory.
 */
export async function writeStream(stream: NodeJS.WritableStream, pieces: Iterable<string>): Promise<void> {
  for (const piece of batches(pieces)) {
    if ((stream as Writable).destroyed) return; // the reader went away (EPIPE): nothing more to write
    if (!stream.write(piece)) await drained(stream);
  }
}

/** Until the stream takes more, or is closed (a reader that went away must not hang the run). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
  });
}

/** About this many characters per write: fewer system calls than one per piece, little memory. */
const BATCH = 1 << 16;

/** The pieces regrouped into strings of about BATCH characters (a longer piece passes whole). */
function* batches(pieces: Iterable<string>): Generator<string> {
  let buffered: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    buffered.push(piece);
    size += piece.length;
    if (size >= BATCH) {
      yield buffered.join("");
      buffered = [];
      size = 0;
    }
  }
  if (size > 0) yield buffered.join("");
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
