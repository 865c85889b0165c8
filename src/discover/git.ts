import os from "node:os";
import path from "node:path";
import { firstLine, runGit, type GitProblem, type Repository } from "../git.js";

export interface GitInfo {
  /** Absolute path of the work tree's top level. */
  topLevel: string;
  /** Tracked files, relative to topLevel, forward slashes (gitlinks of submodules included). */
  tracked: Set<string>;
  /**
   * The repository's own exclude files, lowest precedence first: core.excludesFile (default
   * $XDG_CONFIG_HOME/git/ignore), then $GIT_DIR/info/exclude. Their patterns are relative to
   * topLevel, and any .gitignore overrides them. They may not exist.
   */
  excludeFiles: string[];
}

/** Asks git once which files are tracked (one `git ls-files`), and where the exclude files are. */
export function gitInfo(repo: Repository): GitInfo | GitProblem {
  const r = runGit(repo, ["ls-files", "-z"]);
  if (r.error || r.status !== 0) {
    return { topLevel: repo.topLevel, problem: `git ls-files failed: ${firstLine(r.stderr) || r.error?.message || `status ${r.status}`}`, hint: "check the repository with git status" };
  }
  return { topLevel: repo.topLevel, tracked: new Set(r.stdout.split("\0").filter(Boolean)), excludeFiles: [globalExcludesFile(repo), repo.infoExclude].filter((f) => f !== undefined) };
}

/** core.excludesFile as git resolves it (`~` expanded), or its default; undefined if neither can be found. */
function globalExcludesFile(repo: Repository): string | undefined {
  // Exit 1: not set; the default below.
  const configured = runGit(repo, ["config", "--path", "--get", "core.excludesFile"], { systemConfig: true });
  if (configured.status === 0 && configured.stdout.trim()) return path.resolve(repo.topLevel, configured.stdout.trim());
  const config = process.env.XDG_CONFIG_HOME || (os.homedir() ? path.join(os.homedir(), ".config") : "");
  return config ? path.join(config, "git", "ignore") : undefined;
}
