import { realpathSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import { globby, isGitIgnored } from "globby";
import type { FileKind } from "../types.js";
import { classify } from "./classify.js";
import { gitInfo } from "./git.js";
import { UsageError } from "../errors.js";

export interface DiskEntry {
  absPath: string;
  /** Relative to the run's base directory, forward slashes. */
  path: string;
  mode: number;
}

export interface DiscoveredFile extends DiskEntry {
  kind: FileKind;
  size: number;
  /** Tracked by git; outside a git work tree: not ignored by .gitignore. */
  tracked: boolean;
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface Discovery {
  /** Files to lint. */
  files: DiscoveredFile[];
  /** Every regular file on disk under the scanned roots (linted, git-ignored or excluded): build contexts see them all. */
  onDisk: DiskEntry[];
  dirs: DiskEntry[];
  skipped: Skipped[];
  inGitRepo: boolean;
  /** Whether a path (relative to base) is ignored by the .gitignore files of its root. */
  isGitIgnored(relPath: string): boolean;
}

export interface DiscoverOptions {
  /** Directory that reported paths are relative to. */
  base: string;
  /** picomatch-style filter on paths relative to the config directory. */
  filter?: (absPath: string) => boolean;
  maxFileSize: number;
}

const ALWAYS_IGNORED = ["**/.git/**", "**/node_modules/**"];

export async function discover(paths: string[], options: DiscoverOptions): Promise<Discovery> {
  const result: Discovery = { files: [], onDisk: [], dirs: [], skipped: [], inGitRepo: false, isGitIgnored: () => false };
  const ignoredChecks: ((abs: string) => boolean)[] = [];
  const seen = new Set<string>();
  const rel = (abs: string) => toPosix(path.relative(options.base, abs)) || ".";

  for (const given of paths) {
    const abs = path.resolve(options.base, given);
    let stat: Stats;
    try {
      stat = statSync(abs);
    } catch {
      throw new UsageError(`cannot read path "${given}": no such file or directory`);
    }
    const root = realpathSync(stat.isDirectory() ? abs : path.dirname(abs));
    const git = gitInfo(root);
    if (git) result.inGitRepo = true;
    const gitIgnored = await isGitIgnored({ cwd: git?.topLevel ?? root });
    ignoredChecks.push((p) => isInside(p, git?.topLevel ?? root) && safe(() => gitIgnored(p)));
    const isTracked = (absPath: string) => {
      if (git) return git.tracked.has(toPosix(path.relative(git.topLevel, absPath)));
      return !safe(() => gitIgnored(absPath));
    };

    const add = (absPath: string, st: Stats, explicit: boolean) => {
      if (seen.has(absPath)) return;
      seen.add(absPath);
      const entry: DiskEntry = { absPath, path: rel(absPath), mode: st.mode & 0o7777 };
      result.onDisk.push(entry);
      if (!explicit && (safe(() => gitIgnored(absPath)) || (options.filter && !options.filter(absPath)))) return;
      if (st.size > options.maxFileSize) {
        result.skipped.push({ path: entry.path, reason: `larger than ${Math.round(options.maxFileSize / 1048576)} MB; not scanned` });
        return;
      }
      result.files.push({ ...entry, kind: classify(entry.path), size: st.size, tracked: isTracked(absPath) });
    };

    if (!stat.isDirectory()) {
      add(path.join(root, path.basename(abs)), stat, true);
      continue;
    }
    const entries = await globby("**", {
      cwd: root,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      stats: true,
      ignore: ALWAYS_IGNORED,
      suppressErrors: true,
    });
    for (const e of entries) {
      const absPath = path.join(root, e.path);
      const st = e.stats as Stats | undefined;
      if (e.dirent.isSymbolicLink()) {
        const note = symlinkProblem(absPath, root);
        if (note) result.skipped.push({ path: rel(absPath), reason: note });
      } else if (e.dirent.isDirectory()) {
        if (st) result.dirs.push({ absPath, path: rel(absPath), mode: st.mode & 0o7777 });
      } else if (e.dirent.isFile() && st) {
        add(absPath, st, false);
      }
    }
  }
  result.isGitIgnored = (relPath: string) => {
    const abs = path.resolve(options.base, relPath);
    return ignoredChecks.some((check) => check(abs));
  };
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/** A symlink is never followed; one that leaves the root or cannot be resolved is worth a note. */
function symlinkProblem(absPath: string, root: string): string | undefined {
  let target: string;
  try {
    target = realpathSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ELOOP" ? "symbolic link loop; not followed" : "broken symbolic link; not followed";
  }
  if (!isInside(target, root)) return "symbolic link pointing outside the scanned directory; not followed";
  return undefined;
}

function isInside(p: string, dir: string): boolean {
  const r = path.relative(dir, p);
  return r === "" || (!r.startsWith("..") && !path.isAbsolute(r));
}

function safe(fn: () => boolean): boolean {
  try {
    return fn();
  } catch {
    return false;
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
