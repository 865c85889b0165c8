// The only module that runs git. A pull request controls the files bulkhead scans, and a scanned
// directory may hold a git directory of its own (a committed bare-repository skeleton: `HEAD`,
// `config`, `objects/`, `refs/`) whose config names commands git runs (`core.fsmonitor`, hooks,
// filters). So git never discovers a repository here: the work tree is found by looking for
// `.git` upwards from the scanned directory, git confirms it (and applies its ownership check)
// from that directory only, and every later command names the git directory and the work tree
// explicitly, with every configurable command that the commands below can reach switched off.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

/** A git work tree and its git directory, both absolute. */
export interface Repository {
  topLevel: string;
  gitDir: string;
  /** `$GIT_DIR/info/exclude` (the common directory's, for a linked worktree). */
  infoExclude: string;
}

/** Why git could not be used for a work tree (git missing, or refusing: dubious ownership …). */
export interface GitProblem {
  topLevel: string;
  problem: string;
  /** What the user can do about it. */
  hint: string;
}

export interface GitOutput {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Set when git could not be started (ENOENT: not installed, or not on PATH). */
  error?: Error;
}

/**
 * Config that names a command, or that would make git reach one, for the commands bulkhead runs
 * (rev-parse, ls-files, config, merge-base, diff --name-only). Command-line `-c` wins over every
 * config file, the repository's own included. Not listed because no command here reaches them:
 * editors, credential prompts for pushes, gpg (nothing verifies signatures), aliases (built-in
 * commands cannot be aliased), `uploadpack.*`, `sendemail.*`, `trace2.*` (system/global only).
 */
const HARDENING = [
  "--no-pager",
  // A committed directory holding HEAD, objects/ and refs/ is never a repository to use.
  "-c", "safe.bareRepository=explicit",
  // Run on every index read (ls-files, diff): the attack this module exists for.
  "-c", "core.fsmonitor=false",
  // post-index-change and any hook a future git runs from a read command.
  "-c", "core.hooksPath=/dev/null",
  "-c", "core.pager=cat",
  "-c", "diff.external=",
  // No network, so no core.sshCommand, core.gitProxy, remote helpers (remote.*.vcs, url.*.insteadOf
  // ext::) or credential helpers: a partial clone fetches missing objects lazily (merge-base,
  // diff), and every transport goes through protocol.allow (GIT_NO_LAZY_FETCH below also stops it).
  "-c", "protocol.allow=never",
  "-c", "credential.helper=",
];

/** Variables that point git at another repository, index or object store, or name a command. */
const DROPPED_ENV = new Set([
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_COMMON_DIR",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_IMPLICIT_WORK_TREE",
  "GIT_GRAFT_FILE",
  "GIT_REPLACE_REF_BASE",
  "GIT_SHALLOW_FILE",
  "GIT_PREFIX",
  "GIT_NAMESPACE",
  "GIT_CONFIG",
  "GIT_DISCOVERY_ACROSS_FILESYSTEM",
  "GIT_EXTERNAL_DIFF",
  "GIT_DIFF_OPTS",
  "GIT_PAGER",
  "GIT_EDITOR",
  "GIT_SEQUENCE_EDITOR",
  "GIT_SSH",
  "GIT_SSH_COMMAND",
  "GIT_ASKPASS",
  "GIT_PROXY_COMMAND",
]);

export interface RunOptions {
  /** Working directory inside the work tree (default: its top level); `--relative` output is relative to it. */
  cwd?: string;
  /**
   * Read the system config (/etc/gitconfig). Off where it cannot change the answer (the index,
   * commits); on where it can: core.excludesFile, core.autocrlf (Git for Windows sets it there).
   */
  systemConfig?: boolean;
  /** Extra `-c` settings, after the hardening. */
  config?: string[];
}

/** Runs `git <args>` in a repository that is named explicitly (no discovery), with the hardening above. */
export function runGit(repo: Repository, args: string[], options: RunOptions = {}): GitOutput {
  const pinned = [`--git-dir=${repo.gitDir}`, `--work-tree=${repo.topLevel}`, ...HARDENING, ...(options.config ?? []).flatMap((c) => ["-c", c])];
  return spawnGit([...pinned, ...args], options.cwd ?? repo.topLevel, repo.topLevel, options.systemConfig ?? false);
}

function spawnGit(args: string[], cwd: string, topLevel: string, systemConfig: boolean): GitOutput {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!DROPPED_ENV.has(k)) env[k] = v;
  Object.assign(env, {
    // Discovery (the ownership probe) stops at the work tree found here.
    GIT_CEILING_DIRECTORIES: path.dirname(topLevel),
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    GIT_NO_LAZY_FETCH: "1",
    // Messages bulkhead reads (dubious ownership) in English.
    LC_ALL: "C",
  });
  if (!systemConfig) env.GIT_CONFIG_NOSYSTEM = "1";
  const r = spawnSync("git", args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(r.error ? { error: r.error } : {}) };
}

/**
 * The repositories of one run: each work tree is found and confirmed once, however many paths
 * of it a run is given.
 */
export class GitRepositories {
  private readonly workTrees = new Map<string, string | undefined>();
  private readonly opened = new Map<string, Repository | GitProblem>();
  private ceilings: Set<string> | undefined;

  /**
   * The top level of the work tree that holds `dir` (absolute, real path): the nearest directory,
   * `dir` itself included, with a `.git` directory or file, as git looks for it (respecting
   * GIT_CEILING_DIRECTORIES). A directory that only looks like a git directory (HEAD, objects/,
   * refs/) is not one here. Undefined outside a work tree.
   */
  workTreeOf(dir: string): string | undefined {
    if (this.workTrees.has(dir)) return this.workTrees.get(dir);
    const visited: string[] = [];
    const ceilings = (this.ceilings ??= ceilingDirectories());
    let found: string | undefined;
    for (let d = dir; ; ) {
      if (this.workTrees.has(d)) {
        found = this.workTrees.get(d);
        break;
      }
      visited.push(d);
      if (hasDotGit(d)) {
        found = d;
        break;
      }
      const parent = path.dirname(d);
      if (parent === d || ceilings.has(parent)) break;
      d = parent;
    }
    for (const d of visited) this.workTrees.set(d, found);
    return found;
  }

  /**
   * The repository of a work tree, confirmed by git from its top level with discovery stopped
   * there (so git's own checks apply: `safe.directory` ownership, repository format), or why
   * git cannot be used for it.
   */
  open(topLevel: string): Repository | GitProblem {
    let r = this.opened.get(topLevel);
    if (!r) {
      r = probe(topLevel);
      this.opened.set(topLevel, r);
    }
    return r;
  }

  /** The repository holding `dir`: undefined outside a work tree. */
  repositoryOf(dir: string): Repository | GitProblem | undefined {
    const top = this.workTreeOf(dir);
    return top === undefined ? undefined : this.open(top);
  }
}

export function isGitProblem<T extends object>(r: T | GitProblem | undefined): r is GitProblem {
  return r !== undefined && "problem" in r;
}

function probe(topLevel: string): Repository | GitProblem {
  // Not pinned: this is the one call where git looks for the repository itself (from the top
  // level, which holds `.git`; GIT_CEILING_DIRECTORIES stops it there), so that its ownership
  // check (safe.directory) applies as it does to any git command the user runs there.
  const r = spawnGit([...HARDENING, "rev-parse", "--absolute-git-dir", "--git-path", "info/exclude"], topLevel, topLevel, true);
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === "ENOENT";
    return {
      topLevel,
      problem: missing ? "git is not installed or not on PATH" : `git could not be started (${r.error.message})`,
      hint: missing ? "install git, or put it on PATH" : "check that git runs in this environment",
    };
  }
  const [gitDir, infoExclude] = r.stdout.split("\n").map((l) => l.trim());
  if (r.status !== 0 || !gitDir || !infoExclude) {
    const stderr = r.stderr.trim();
    const message = firstLine(stderr) || `git exited with status ${r.status}`;
    if (/dubious ownership/i.test(stderr)) {
      return {
        topLevel,
        problem: `git refuses the repository: ${message}`,
        hint: `if you trust the files, mark the directory as safe: git config --global --add safe.directory ${topLevel}`,
      };
    }
    return { topLevel, problem: `git cannot read the repository: ${message}`, hint: "check the repository with git status" };
  }
  return { topLevel, gitDir, infoExclude: path.resolve(topLevel, infoExclude) };
}

/** Whether `dir/.git` is a directory with HEAD or a file (`gitdir: …`), as git's discovery requires. */
function hasDotGit(dir: string): boolean {
  const dotGit = path.join(dir, ".git");
  const st = statSync(dotGit, { throwIfNoEntry: false });
  if (!st) return false;
  if (st.isFile()) return true;
  return st.isDirectory() && statSync(path.join(dotGit, "HEAD"), { throwIfNoEntry: false }) !== undefined;
}

function ceilingDirectories(): Set<string> {
  const value = process.env.GIT_CEILING_DIRECTORIES;
  if (!value) return new Set();
  return new Set(value.split(path.delimiter).filter((d) => path.isAbsolute(d)).map((d) => path.resolve(d)));
}

/** The first line of git's stderr, without its `fatal:`/`error:` prefix. */
export function firstLine(s: string): string {
  return s.trim().split("\n")[0]?.replace(/^(?:fatal|error):\s*/, "") ?? "";
}

/**
 * `-c` settings that switch off every filter driver the config defines (clean, smudge and
 * long-running process filters run on work-tree files when `git diff` compares contents; the
 * scanned tree's `.gitattributes` chooses which files they run on). A driver whose name git's
 * `-c` cannot express (it holds `=`) is refused rather than left on.
 */
export function filterOverrides(repo: Repository): string[] | { refused: string } {
  const r = runGit(repo, ["config", "-z", "--name-only", "--get-regexp", "^filter\\."], { systemConfig: true });
  if (r.error || (r.status !== 0 && r.status !== 1)) return { refused: firstLine(r.stderr) || "git config failed" };
  const drivers = new Set<string>();
  for (const name of r.stdout.split("\0")) {
    const dot = name.lastIndexOf(".");
    if (name.startsWith("filter.") && dot > "filter.".length) drivers.add(name.slice("filter.".length, dot));
  }
  const out: string[] = [];
  for (const d of drivers) {
    if (d.includes("=")) return { refused: `filter driver "${d}" cannot be switched off` };
    out.push(`filter.${d}.clean=`, `filter.${d}.smudge=`, `filter.${d}.process=`, `filter.${d}.required=false`);
  }
  return out;
}
