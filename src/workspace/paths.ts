import path from "node:path";

/** The directory of a relative posix path ("." for a file at the base). */
export function posixDir(p: string): string {
  const i = p.lastIndexOf("/");
  return i === -1 ? "." : p.slice(0, i);
}

/** A path relative to a directory, normalised ("." for the base itself, no trailing slash). */
export function joinPosix(dir: string, rel: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, rel));
  return joined === "" ? "." : joined.replace(/\/$/, "");
}
