import { execFileSync } from "node:child_process";

export interface GitInfo {
  /** Absolute path of the work tree's top level. */
  topLevel: string;
  /** Tracked files, relative to topLevel, forward slashes. */
  tracked: Set<string>;
}

/** Asks git once which files are tracked; undefined outside a git work tree or without git. */
export function gitInfo(dir: string): GitInfo | undefined {
  try {
    const topLevel = execFileSync("git", ["-C", dir, "rev-parse", "--show-toplevel"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const out = execFileSync("git", ["-C", topLevel, "ls-files", "-z"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return { topLevel, tracked: new Set(out.split("\0").filter(Boolean)) };
  } catch {
    return undefined;
  }
}
