import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { isUtf8 } from "node:buffer";
import path from "node:path";
import { createRequire } from "node:module";
import type { Ignore } from "ignore";
import type { FileKind } from "../types.js";
import { classifyDeclared, kindName } from "./classify.js";
import { gitInfo, type GitInfo } from "./git.js";
import { GitRepositories, isGitProblem, type GitProblem } from "../git.js";

// CommonJS (`export =`): load it as what it is.
const ignore = createRequire(import.meta.url)("ignore") as typeof import("ignore");
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
  /** Test data, fixtures, vendored code or example docs: what marked it (`fixtures/`, a configured glob). See test-data.ts. */
  testData?: string;
}

export interface Skipped {
  path: string;
  reason: string;
  /** A file the scan would have linted (tracked or not ignored, not excluded) but does not read. */
  unread?: DiscoveredFile;
  /** The scan misses something it would have linted: a warning (error in strict), not a note. */
  incomplete?: boolean;
}

/** A git directory met inside the scanned tree (never one that bulkhead uses). */
export interface EmbeddedGitDir {
  /** The directory, relative to base. */
  path: string;
  /**
   * `bare`: a directory holding HEAD, objects/ and refs/ (git takes it for a repository when it
   * runs there); `dotgit`: a `.git` directory or file other than the scanned work tree's own.
   */
  kind: "bare" | "dotgit";
  /** What a finding points at: the bare directory's HEAD, or the `.git` entry (relative to base). */
  at: string;
  /** bare: its HEAD is tracked (outside a work tree: not ignored). */
  tracked: boolean;
  /** dotgit: a submodule's (the scanned repository tracks its directory as a gitlink). */
  submodule: boolean;
  /** Ignored by .gitignore or excluded by the configuration. */
  ignored: boolean;
}

export interface Discovery {
  /** Files to lint. */
  files: DiscoveredFile[];
  /** Every regular file on disk under the scanned roots (linted, git-ignored or excluded): build contexts see them all. */
  onDisk: DiskEntry[];
  dirs: DiskEntry[];
  skipped: Skipped[];
  inGitRepo: boolean;
  /** Work trees git could not be used for (its tracked files are then unknown). */
  gitProblems: (GitProblem & { path: string })[];
  embeddedGitDirs: EmbeddedGitDir[];
  /** Whether a path (relative to base) is ignored by the .gitignore files of its root. */
  isGitIgnored(relPath: string): boolean;
  /**
   * Whether findings on a path (relative to base) are reported: false only for what was read as
   * the context of a file named on the command line (the rest of its directory), not named itself.
   */
  reported(relPath: string): boolean;
}

export interface DiscoverOptions {
  /** Directory that reported paths are relative to. */
  base: string;
  /** The config's include/exclude, given each file and the scanned root it was found under. */
  filter?: (absPath: string, root: string) => boolean;
  /** Whether a file is test data, fixtures, vendored code or example docs, and what marked it (see test-data.ts). */
  testData?: (absPath: string, root: string) => string | undefined;
  /** Files the configuration declares as compose files (whatever their names). */
  isCompose?: (absPath: string) => boolean;
  maxFileSize: number;
  /** The run's repositories (shared with --changed-since); default: a new set. */
  git?: GitRepositories;
  /** Called once, when this many files to lint have been found. */
  many?: { files: number; call: () => void };
}

/**
 * Patterns read from one ignore file (.gitignore, .dockerignore). The matchers test every path
 * against every pattern and compile a regular expression per pattern: ~0.4 s per 10,000 paths
 * for 1,000 patterns, and hundreds of thousands exhaust the heap. Real ignore files have a few
 * hundred lines; the engine notes a file that has more than this.
 */
export const MAX_IGNORE_PATTERNS = 2000;

/**
 * Installed packages: walked only when they are committed (some file below is tracked), or not
 * ignored by .gitignore (outside a git work tree: unless ignored). A git-ignored `node_modules`
 * of installed packages costs nothing; committed vendored code is scanned as test data.
 */
const INSTALLED_PACKAGES = "node_modules";

/**
 * Kinds that are linted through a symbolic link (inside the scanned root) under the link's own
 * name, as Docker, compose and kubectl read them: the target may have a name bulkhead does not
 * lint as that kind (`Dockerfile -> build/base.txt`).
 */
const LINKED_KINDS = new Set<FileKind>(["dockerfile", "compose", "dotenv", "yaml"]);

/**
 * One synchronous walk per root: readdir with file types, one lstat per entry (mode and size are
 * recorded), symlinks never followed out of the root. `.gitignore` files are read as the walk
 * meets them, and a path is matched only against the ignore files of its own ancestor
 * directories (see GitignoreScope), so a run makes no second walk to find ignore files and no
 * per-file git call. Git runs once per repository per run, however many paths are given.
 */
export async function discover(paths: string[], options: DiscoverOptions): Promise<Discovery> {
  const result: Discovery = { files: [], onDisk: [], dirs: [], skipped: [], inGitRepo: false, gitProblems: [], embeddedGitDirs: [], isGitIgnored: () => false, reported: () => true };
  // A file named on the command line is linted with the rest of its directory as context (its
  // build context, .dockerignore, the NetworkPolicies beside it), as a run on the directory
  // would; only the files named (and the directories given) are reported.
  const named = new Set<string>();
  const contextRoots = new Set<string>();
  const givenRoots = new Set<string>();
  const scopes = new Map<string, GitignoreScope>();
  const seen = new Set<string>();
  const seenDirs = new Set<string>();
  const rel = (abs: string) => relativePosix(options.base, abs) || ".";
  const repositories = options.git ?? new GitRepositories();
  // Explicit file lists name the same directories over and over: one realpath each.
  const realDirs = new Map<string, string>();
  const realDir = (dir: string) => {
    let real = realDirs.get(dir);
    if (real === undefined) realDirs.set(dir, (real = realpathSync(dir)));
    return real;
  };
  const infos = new Map<string, GitInfo | undefined>();
  const gitOf = (root: string): GitInfo | undefined => {
    const top = repositories.workTreeOf(root);
    if (top === undefined) return undefined;
    if (!infos.has(top)) {
      const repo = repositories.open(top);
      const info = isGitProblem(repo) ? repo : gitInfo(repo);
      if (isGitProblem(info)) {
        result.gitProblems.push({ ...info, path: rel(top) });
        infos.set(top, undefined);
      } else infos.set(top, info);
    }
    return infos.get(top);
  };

  const given = paths.map((p) => {
    const abs = path.resolve(options.base, p);
    try {
      return { abs, stat: statSync(abs) };
    } catch {
      throw new UsageError(`cannot read path "${p}": no such file or directory`);
    }
  });
  // The files named are added first (explicitly: linted even when ignored or excluded), then the
  // directories given are walked, then the directories of the files named (their context).
  const files = given.filter((g) => !g.stat.isDirectory());
  const steps = [...files.map((g) => ({ ...g, walk: false })), ...given.filter((g) => g.stat.isDirectory()).map((g) => ({ ...g, walk: true })), ...files.map((g) => ({ ...g, walk: true }))];
  for (const { abs, stat, walk } of steps) {
    const root = realDir(stat.isDirectory() ? abs : path.dirname(abs));
    const git = gitOf(root);
    if (git) result.inGitRepo = true;
    const workTree = repositories.workTreeOf(root);
    const scopeBase = git?.topLevel ?? root;
    let scope = scopes.get(scopeBase);
    if (!scope) {
      scope = new GitignoreScope(scopeBase, git?.excludeFiles ?? []);
      scopes.set(scopeBase, scope);
    }
    const gitIgnored = (p: string) => scope.ignored(p);
    const isTracked = (absPath: string) => {
      if (git) return git.tracked.has(relativePosix(git.topLevel, absPath));
      return !gitIgnored(absPath);
    };
    // A tracked file is linted even when a .gitignore written later matches it: it is committed.
    // Ask git's index first (a set lookup) and match ignore patterns only for untracked files
    // (most files are tracked: 60 ms here).
    const linted = (absPath: string, tracked: boolean) => {
      const ignored = git ? !tracked && gitIgnored(absPath) : !tracked;
      return !ignored && (!options.filter || options.filter(absPath, root));
    };

    const add = (absPath: string, st: Stats, explicit: boolean) => {
      if (seen.has(absPath)) return;
      seen.add(absPath);
      const entry: DiskEntry = { absPath, path: rel(absPath), mode: st.mode & 0o7777 };
      result.onDisk.push(entry);
      const tracked = isTracked(absPath);
      if (!explicit && !linted(absPath, tracked)) return;
      const testData = options.testData?.(absPath, root);
      // Spelled out: a spread here gave every entry its own hidden class (~280 bytes each).
      const kind = classifyDeclared(entry.path, absPath, options.isCompose);
      const file: DiscoveredFile = testData
        ? { absPath, path: entry.path, mode: entry.mode, kind, size: st.size, tracked, testData }
        : { absPath, path: entry.path, mode: entry.mode, kind, size: st.size, tracked };
      if (st.size > options.maxFileSize) {
        result.skipped.push({ path: entry.path, reason: `larger than ${Math.round(options.maxFileSize / 1048576)} MB; not scanned`, unread: file });
        return;
      }
      if (result.files.push(file) === options.many?.files) options.many.call();
    };

    /** A symbolic link: linted through when its name is a kind bulkhead lints and it stays in the root. */
    const link = (absPath: string) => {
      const kind = classifyDeclared(rel(absPath), absPath, options.isCompose);
      const problem = symlinkProblem(absPath, root);
      if (!LINKED_KINDS.has(kind)) {
        if (problem) result.skipped.push({ path: rel(absPath), reason: `${problem}; not followed` });
        return;
      }
      const target = statSync(absPath, { throwIfNoEntry: false });
      if (!problem && target?.isFile()) return add(absPath, target, false);
      if (!linted(absPath, isTracked(absPath))) return;
      const why = problem ?? "symbolic link to something that is not a regular file";
      // A YAML/JSON name alone is not a manifest (`tsconfig.json -> ../tsconfig.base.json`):
      // the target's first bytes are read to tell, never linted nor reported.
      const incomplete = kind !== "yaml" || (target?.isFile() === true && looksLikeManifest(absPath));
      const what = kind === "yaml" ? "Kubernetes manifest" : kindName(kind);
      result.skipped.push({ path: rel(absPath), reason: incomplete ? `${why}; a ${what} not followed, so not scanned` : `${why}; not followed`, incomplete });
    };

    if (!stat.isDirectory() && !walk) {
      const file = path.join(root, path.basename(abs));
      named.add(rel(file));
      contextRoots.add(root);
      // A FIFO, socket or device named on the command line would block or never end when read.
      if (stat.isFile()) add(file, stat, true);
      else result.skipped.push({ path: rel(file), reason: `not a regular file (${specialKind(stat)}); not scanned` });
      continue;
    }
    if (stat.isDirectory()) givenRoots.add(root);
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        result.skipped.push({ path: rel(dir), reason: `directory cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}); not scanned` });
        continue;
      }
      scope.sawDirectory(dir, entries.some((e) => e.name === ".gitignore"));
      const undecodable = entries.some((e) => e.name.includes("\uFFFD")) ? undecodableNames(dir) : undefined;
      if (looksLikeGitDir(entries)) {
        const head = path.join(dir, "HEAD");
        const tracked = isTracked(head);
        result.embeddedGitDirs.push({ path: rel(dir), kind: "bare", at: rel(head), tracked, submodule: false, ignored: !linted(head, tracked) });
      }
      for (const e of entries) {
        const absPath = dir === "/" ? `/${e.name}` : `${dir}${path.sep}${e.name}`;
        if (e.name === ".git") {
          // The work tree's own is what git reads; any other is reported, never used.
          if (dir !== workTree) {
            const submodule = git !== undefined && git.tracked.has(relativePosix(git.topLevel, dir));
            result.embeddedGitDirs.push({ path: rel(dir), kind: "dotgit", at: rel(absPath), tracked: false, submodule, ignored: !linted(absPath, git ? submodule : !gitIgnored(absPath)) });
          }
          continue;
        }
        if (undecodable?.has(e.name)) continue;
        if (e.isSymbolicLink()) {
          link(absPath);
        } else if (e.isDirectory()) {
          if (e.name === INSTALLED_PACKAGES && scope.ignored(absPath, true) && !(git && holdsTrackedFile(git, absPath))) continue;
          const st = lstatSync(absPath, { throwIfNoEntry: false });
          if (st) result.dirs.push({ absPath, path: rel(absPath), mode: st.mode & 0o7777 });
          stack.push(absPath);
        } else if (e.isFile()) {
          const st = lstatSync(absPath, { throwIfNoEntry: false });
          if (st) add(absPath, st, false);
        } else if (!scope.ignored(absPath)) {
          const st = lstatSync(absPath, { throwIfNoEntry: false });
          if (st) result.skipped.push({ path: rel(absPath), reason: `not a regular file (${specialKind(st)}); not scanned` });
        }
      }
      // Names that are not UTF-8 cannot be named in a report nor matched by a glob: each is a
      // finding (unless ignored), with its bytes shown as \xNN.
      for (const [lossy, raw] of undecodable ?? []) {
        const lossyPath = `${dir}${path.sep}${lossy}`;
        const isDir = lstatSync(Buffer.concat([Buffer.from(`${dir}${path.sep}`), raw]), { throwIfNoEntry: false })?.isDirectory() ?? false;
        if (!linted(lossyPath, isTracked(lossyPath))) continue;
        const shown = `${rel(dir) === "." ? "" : `${rel(dir)}/`}${escapeInvalidUtf8(raw)}`;
        result.skipped.push({
          path: shown,
          reason: isDir ? "directory name is not valid UTF-8; nothing under it is scanned (rename it)" : "file name is not valid UTF-8; not scanned (rename it)",
          incomplete: true,
        });
      }
    }
  }
  if (contextRoots.size > 0) {
    // Inside a named file's directory (not the directory itself: a finding about its work tree
    // stays), neither named nor under a directory given: context only.
    const contextOnly = (abs: string) => [...contextRoots].some((r) => abs !== r && isInside(abs, r)) && ![...givenRoots].some((r) => isInside(abs, r));
    result.reported = (relPath: string) => named.has(relPath) || !contextOnly(path.resolve(options.base, relPath));
  }
  for (const s of scopes.values()) s.forgetMatches();
  result.isGitIgnored = gitIgnoredIn([...scopes.values()], options.base);
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  result.files.sort(byPath);
  result.onDisk.sort(byPath);
  result.dirs.sort(byPath);
  result.embeddedGitDirs.sort(byPath);
  return result;
}

/** How much of a file tells whether it is a Kubernetes manifest when it is not parsed. */
const MANIFEST_SNIFF_BYTES = 64 * 1024;

/**
 * Whether a file that is not parsed (too large, binary, a link out of the scanned directory) is a
 * Kubernetes manifest: its first 64 KiB (or the bytes given) name `apiVersion` and `kind`, the
 * parser's own test. A large lockfile or data file is not one.
 */
export function looksLikeManifest(absPath: string, bytes?: Uint8Array): boolean {
  let head = bytes?.subarray(0, MANIFEST_SNIFF_BYTES);
  if (!head) {
    const buf = Buffer.alloc(MANIFEST_SNIFF_BYTES);
    try {
      const fd = openSync(absPath, "r");
      try {
        head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
      } finally {
        closeSync(fd);
      }
    } catch {
      return false;
    }
  }
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString("latin1");
  return text.includes("apiVersion") && text.includes("kind");
}

/** git's test for a repository directory, by names: a HEAD file and objects/ and refs/ directories. */
function looksLikeGitDir(entries: Dirent[]): boolean {
  let head = false;
  let objects = false;
  let refs = false;
  for (const e of entries) {
    if (e.name === "HEAD" && e.isFile()) head = true;
    else if (e.name === "objects" && e.isDirectory()) objects = true;
    else if (e.name === "refs" && e.isDirectory()) refs = true;
  }
  return head && objects && refs;
}

/** The entries of `dir` whose names are not UTF-8: the name as readdir decodes it (lossy) → its bytes. */
function undecodableNames(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  try {
    for (const raw of readdirSync(dir, { encoding: "buffer" })) if (!isUtf8(raw)) out.set(raw.toString("utf8"), raw);
  } catch {
    // Read a moment ago; gone now: nothing to report.
  }
  return out;
}

/** A name's bytes as text: valid UTF-8 as itself, every other byte as `\xNN`. */
export function escapeInvalidUtf8(raw: Buffer): string {
  let out = "";
  for (let i = 0; i < raw.length; ) {
    const n = [1, 2, 3, 4].find((len) => i + len <= raw.length && isUtf8(raw.subarray(i, i + len)));
    if (n === undefined) {
      out += `\\x${raw[i].toString(16).toUpperCase().padStart(2, "0")}`;
      i++;
    } else {
      out += raw.subarray(i, i + n).toString("utf8");
      i += n;
    }
  }
  return out;
}

/**
 * Whether a path (relative to base) is ignored by the .gitignore files of its root. Made out of
 * discover()'s scope: a closure there would hold the walk's sets and git's list of tracked files
 * for the rest of the run.
 */
function gitIgnoredIn(scopes: GitignoreScope[], base: string): (relPath: string) => boolean {
  return (relPath) => {
    const abs = path.resolve(base, relPath);
    return scopes.some((s) => isInside(abs, s.baseDir) && s.ignored(abs));
  };
}

/**
 * `.gitignore` semantics with the `ignore` package (the matcher globby uses), scoped: the
 * matcher for a directory holds the patterns of the `.gitignore` files from the base directory
 * (the git top level, or the scanned root outside git) down to that directory, each rebased onto
 * its own directory, parents first so deeper files win. Matchers are built once per directory
 * that has a `.gitignore` and shared by its subdirectories; a path is never tested against the
 * patterns of unrelated directories, which keeps large monorepos with many ignore files linear.
 */
class GitignoreScope {
  private readonly matchers = new Map<string, { patterns: string[]; ig: Ignore | undefined }>();
  private readonly hasIgnoreFile = new Map<string, boolean>();
  private base: { patterns: string[]; ig: Ignore | undefined } | undefined;

  /**
   * `excludeFiles`: the repository's exclude files (info/exclude, core.excludesFile), patterns
   * relative to baseDir, lowest precedence first; every .gitignore overrides them.
   */
  constructor(
    readonly baseDir: string,
    private readonly excludeFiles: string[] = [],
  ) {}

  /**
   * Drops the matchers (rebuilt when asked again): the `ignore` package remembers every path it
   * has answered for, which after the walk is every untracked file of the tree.
   */
  forgetMatches(): void {
    this.matchers.clear();
  }

  /** Records what the walk saw, so directories without an ignore file cost no failed open. */
  sawDirectory(dir: string, hasGitignore: boolean): void {
    this.hasIgnoreFile.set(dir, hasGitignore);
  }

  /** Whether .gitignore semantics ignore a path (`directory`: a directory, which `dir/` patterns match too). */
  ignored(absPath: string, directory = false): boolean {
    if (!isInside(absPath, this.baseDir) || absPath === this.baseDir) return false;
    const { ig } = this.matcherFor(path.dirname(absPath));
    if (!ig) return false;
    const relPath = relativePosix(this.baseDir, absPath) + (directory ? "/" : "");
    return safe(() => ig.ignores(relPath));
  }

  private matcherFor(dir: string): { patterns: string[]; ig: Ignore | undefined } {
    const cached = this.matchers.get(dir);
    if (cached) return cached;
    const parent = dir === this.baseDir || !isInside(dir, this.baseDir) ? this.excluded() : this.matcherFor(path.dirname(dir));
    let own: string[] = [];
    if (this.hasIgnoreFile.get(dir) !== false) {
      try {
        const base = relativePosix(this.baseDir, dir);
        own = ignoreFileLines(readFileSync(path.join(dir, ".gitignore"), "utf8"))
          .slice(0, MAX_IGNORE_PATTERNS)
          .map((p) => rebasePattern(p, base));
      } catch {
        own = [];
      }
    }
    const m = own.length === 0 ? parent : { patterns: [...parent.patterns, ...own], ig: undefined as Ignore | undefined };
    if (m !== parent) m.ig = ignore().add(m.patterns);
    this.matchers.set(dir, m);
    return m;
  }

  /** The exclude files' patterns (read once; a missing file has none). */
  private excluded(): { patterns: string[]; ig: Ignore | undefined } {
    if (!this.base) {
      const patterns = this.excludeFiles.flatMap((file) => {
        try {
          return ignoreFileLines(readFileSync(file, "utf8")).slice(0, MAX_IGNORE_PATTERNS);
        } catch {
          return [];
        }
      });
      this.base = { patterns, ig: patterns.length > 0 ? ignore().add(patterns) : undefined };
    }
    return this.base;
  }
}

/** The pattern lines of an ignore file, as git reads them (BOM, trailing blanks unless escaped, comments). */
export function ignoreFileLines(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => {
      line = line.replace(/^\uFEFF/, "");
      let end = line.length;
      while (end > 0 && /\s/.test(line[end - 1])) end--;
      if (end === line.length) return line;
      let backslashes = 0;
      for (let i = end - 1; i >= 0 && line[i] === "\\"; i--) backslashes++;
      return backslashes % 2 === 1 ? line.slice(0, end) + " " : line.slice(0, end);
    })
    .filter((line) => line && !line.startsWith("#"));
}

/** A pattern of the ignore file in directory `base` (relative to the scope), made relative to the scope (gitignore(5)). */
function rebasePattern(pattern: string, base: string): string {
  if (!base) return pattern;
  const negative = pattern.startsWith("!");
  const clean = negative ? pattern.slice(1) : pattern;
  const slash = clean.indexOf("/");
  const anchored = slash !== -1 && slash !== clean.length - 1;
  const out = !anchored ? path.posix.join(base, "**", clean) : path.posix.join(base, clean.startsWith("/") ? clean.slice(1) : clean);
  return negative ? `!${out}` : out;
}

const trackedDirsCache = new WeakMap<GitInfo, Set<string>>();

/** Whether git tracks a file below a directory (of the git work tree): the tracked paths' directories, indexed once per run. */
function holdsTrackedFile(git: GitInfo, absDir: string): boolean {
  let dirs = trackedDirsCache.get(git);
  if (!dirs) {
    dirs = new Set();
    for (const p of git.tracked) {
      // Only the directories of paths through an installed-packages directory are ever asked for.
      if (!p.includes(INSTALLED_PACKAGES)) continue;
      for (let slash = p.indexOf("/"); slash !== -1; slash = p.indexOf("/", slash + 1)) dirs.add(p.slice(0, slash));
    }
    trackedDirsCache.set(git, dirs);
  }
  return dirs.has(relativePosix(git.topLevel, absDir));
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return "named pipe";
  if (st.isSocket()) return "socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "device";
  return "special file";
}

/** Why a symlink cannot be followed: it leaves the scanned root, or cannot be resolved. */
function symlinkProblem(absPath: string, root: string): string | undefined {
  let target: string;
  try {
    target = realpathSync(absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === "ELOOP" ? "symbolic link loop" : "broken symbolic link";
  }
  if (!isInside(target, root)) return "symbolic link pointing outside the scanned directory";
  return undefined;
}

function isInside(p: string, dir: string): boolean {
  if (p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep)) return true;
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

/** `path.relative` with forward slashes; a plain slice when `abs` is below `dir` (both absolute and normalized, as the walk builds them). */
function relativePosix(dir: string, abs: string): string {
  if (abs === dir) return "";
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  if (abs.startsWith(prefix)) return toPosix(abs.slice(prefix.length));
  return toPosix(path.relative(dir, abs));
}

export function toPosix(p: string): string {
  return path.sep === "/" ? p : p.split(path.sep).join("/");
}
