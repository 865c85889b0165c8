import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";

export interface GitInfo {
  /** Absolute path of the work tree's top level. */
  topLevel: string;
  /** Tracked files, relative to topLevel, forward slashes. */
  tracked: Set<string>;
  /**
   * The repository's own exclude files, lowest precedence first: core.excludesFile (default
   * $XDG_CONFIG_HOME/git/ignore), then $GIT_DIR/info/exclude. Their patterns are relative to
   * topLevel, and any .gitignore overrides them. They may not exist.
   */
  excludeFiles: string[];
}

/** Asks git once which files are tracked; undefined outside a git work tree or without git. */
export function gitInfo(dir: string): GitInfo | undefined {
  try {
    // --git-path: .git may be a file (worktrees, submodules); the path is relative to `dir`.
    const [topLevel, infoExclude] = execFileSync("git", ["-C", dir, "rev-parse", "--show-toplevel", "--git-path", "info/exclude"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    })
      .split("\n")
      .map((line) => line.trim());
    const out = execFileSync("git", ["-C", topLevel, "ls-files", "-z"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return { topLevel, tracked: new Set(out.split("\0").filter(Boolean)), excludeFiles: [globalExcludesFile(topLevel), path.resolve(dir, infoExclude)].filter((f) => f !== undefined) };
  } catch {
    return undefined;
  }
}

/** core.excludesFile as git resolves it (`~` expanded), or its default; undefined if neither can be found. */
function globalExcludesFile(topLevel: string): string | undefined {
  try {
    const configured = execFileSync("git", ["-C", topLevel, "config", "--path", "--get", "core.excludesFile"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (configured) return path.resolve(topLevel, configured);
  } catch {
    // Not set (git exits 1): the default below.
  }
  const config = process.env.XDG_CONFIG_HOME || (os.homedir() ? path.join(os.homedir(), ".config") : "");
  return config ? path.join(config, "git", "ignore") : undefined;
}
