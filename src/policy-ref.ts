// The policy of a commit: the configuration and the baseline as a commit has them (`git show`),
// never as the work tree has them. On a pull request the work tree is the author's; the pull
// request's base commit is what the repository's owners merged. `--config-from <ref>` and the
// Action's `config-from: base` read the policy from there.
import { realpathSync } from "node:fs";
import path from "node:path";
import { UsageError } from "./errors.js";
import { GitRepositories, isGitProblem, runGit } from "./git.js";
import { toPosix } from "./discover/discover.js";
import { bothConfigNames, CONFIG_NAMES } from "./engine/config.js";
import type { PolicyText } from "./engine/policy-file.js";

/**
 * Runs git to read from the repository of `cwd` through the hardened runner (src/git.ts: the
 * repository named explicitly, every configurable command off), with pathspecs literal and no
 * replace refs. The one place this module calls git.
 */
export function gitRead(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const repo = new GitRepositories().repositoryOf(realpathSync(cwd));
  if (!repo) throw new UsageError(`${cwd} is not in a git work tree`);
  if (isGitProblem(repo)) throw new UsageError(`git cannot be used in ${repo.topLevel}: ${repo.problem}; ${repo.hint}`);
  const r = runGit(repo, ["--literal-pathspecs", "--no-replace-objects", ...args], { cwd: realpathSync(cwd) });
  if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** The full id of the commit a ref names; a UsageError if git does not know it. */
export function resolveCommit(cwd: string, ref: string, what: string): string {
  if (ref === "" || ref.startsWith("-")) throw new UsageError(`${what} expects a git ref such as origin/main or a commit id (got an option or nothing)`);
  const r = gitRead(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (!r.ok) throw new UsageError(`${what}: "${ref}" is not a commit in the repository of ${cwd} (in CI, fetch it: actions/checkout with fetch-depth: 0)`);
  return r.stdout.trim();
}

/** What a commit holds at a path: a file's text, nothing, or something that is not a regular file. */
export type AtCommit = { text: string } | { missing: true } | { notAFile: string };

/**
 * A file as a commit has it (`path` relative to `cwd`), with `git show --no-textconv`. A symbolic
 * link, a directory or a submodule is not read (a link's target would be read as the text).
 */
export function showAtCommit(cwd: string, commit: string, file: string): AtCommit {
  const rel = toPosix(path.relative(cwd, path.resolve(cwd, file))) || ".";
  const listed = gitRead(cwd, ["ls-tree", "-z", "--end-of-options", commit, "--", rel]);
  if (!listed.ok) throw new UsageError(`cannot list "${rel}" in commit ${commit}: ${firstLine(listed.stderr)}`);
  const entry = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(listed.stdout);
  if (!entry) return { missing: true };
  const [, mode, type, object] = entry;
  if (mode === "120000") return { notAFile: "a symbolic link" };
  if (type !== "blob") return { notAFile: type === "tree" ? "a directory" : "a submodule" };
  const shown = gitRead(cwd, ["show", "--no-textconv", object]);
  if (!shown.ok) throw new UsageError(`cannot read "${rel}" in commit ${commit}: ${firstLine(shown.stderr)}`);
  return { text: shown.stdout };
}

export interface PolicyAtCommit {
  commit: string;
  /** The configuration the commit has (false: none, the defaults apply). */
  config: PolicyText | false;
  /** The baseline the commit has, if one was asked for and it has one. */
  baseline?: PolicyText;
  /** What a reader should know: a file the commit does not have, and what was used instead. */
  notes: string[];
}

/**
 * The configuration and baseline of a commit. `config` names the file (relative to `cwd`); by
 * default `.bulkhead.yml` or `.bulkhead.yaml` in `cwd` (the repository's root in the Action): a
 * nested configuration of a scanned subdirectory never counts, and both names at once is an error.
 * A named configuration the commit lacks is an error; a default one it lacks means the defaults;
 * a baseline it lacks means no baseline (every finding counts), with a note.
 */
export function policyAtCommit(cwd: string, commit: string, origin: string, files: { config?: string; baseline?: string }): PolicyAtCommit {
  const notes: string[] = [];
  const read = (file: string, what: string): PolicyText | undefined => {
    const at = showAtCommit(cwd, commit, file);
    if ("notAFile" in at) throw new UsageError(`${what} "${file}" in the ${origin} is ${at.notAFile}; it is not read`);
    return "missing" in at ? undefined : { text: at.text, path: file, origin, commit };
  };

  let config: PolicyText | false = false;
  if (files.config) {
    const found = read(files.config, "config file");
    if (!found) throw new UsageError(`config file "${files.config}" does not exist in the ${origin}`);
    config = found;
  } else {
    const found = CONFIG_NAMES.flatMap((name) => read(name, "config file") ?? []);
    if (found.length > 1) throw bothConfigNames(found.map((f) => f.path), origin);
    if (found.length === 1) config = found[0];
    else notes.push(`the ${origin} has no ${CONFIG_NAMES.join(" or ")}: the defaults apply`);
  }

  let baseline: PolicyText | undefined;
  if (files.baseline) {
    baseline = read(files.baseline, "baseline");
    if (!baseline) notes.push(`the ${origin} has no baseline "${files.baseline}": no finding is baselined`);
  }
  return { commit, config, baseline, notes };
}

function firstLine(s: string): string {
  return s.trim().split("\n")[0]?.replace(/^fatal:\s*/, "") ?? "";
}

/**
 * The regular files of a commit below a directory (`dir` relative to `cwd`), as paths relative to
 * `cwd`: what a configuration read from the commit names with `policies:` is looked for there.
 * Symbolic links and submodules are left out, as showAtCommit does not read them.
 */
export function filesAtCommit(cwd: string, commit: string, dir: string): string[] {
  const rel = toPosix(path.relative(cwd, path.resolve(cwd, dir))) || ".";
  const listed = gitRead(cwd, ["ls-tree", "-r", "-z", "--end-of-options", commit, "--", rel]);
  if (!listed.ok) throw new UsageError(`cannot list "${rel}" in commit ${commit}: ${firstLine(listed.stderr)}`);
  return listed.stdout
    .split("\0")
    .flatMap((line) => {
      const entry = /^(\d+) blob [0-9a-f]+\t(.*)$/s.exec(line);
      return entry && entry[1] !== "120000" ? [entry[2]] : [];
    })
    .sort();
}
