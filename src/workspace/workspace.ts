import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { ComposeDoc, ComposeService, DockerfileDoc, K8sObject, Kustomization, PNode, PresetName, SourceFile } from "../types.js";
import { ignoreFileLines, MAX_IGNORE_PATTERNS, type DiscoveredFile, type DiskEntry, type Discovery, type EmbeddedGitDir } from "../discover/discover.js";
import { asMap, scalarString } from "../parsers/yaml.js";
import { dotenvVariables, withDefaults } from "../parsers/compose-vars.js";
import { joinPosix, posixDir } from "./paths.js";
import { buildKustomizeIndex, type KustomizeIndex } from "./kustomize.js";

export { joinPosix, posixDir };

// CommonJS whose typings claim an ES default export; load it as what it is.
const dockerignore = createRequire(import.meta.url)("@balena/dockerignore") as typeof import("@balena/dockerignore").default;

export interface BuildContext {
  /** Context directory relative to the base ("." for the base itself). */
  dir: string;
  /** The ignore file in force (`<Dockerfile>.dockerignore` or `<context>/.dockerignore`), if any. */
  ignoreFile: string | undefined;
  /** Every file on disk under the context directory, sent or not (paths relative to the base, sorted). */
  under: string[];
  /** The files of `under` that the context sends to the builder (matched against the ignore file on first use). */
  readonly files: string[];
  /** Whether the context sends a file of `under` (path relative to the base) to the builder. */
  sends(path: string): boolean;
}

/** The cross-file index rules read; built once per run, read-only for rules. */
export interface Workspace {
  inGitRepo: boolean;
  preset: PresetName;
  defaultNamespace: string;
  /** Audit file modes (outside a git work tree or with --check-permissions). */
  checkPermissions: boolean;
  files: SourceFile[];
  file(relPath: string): SourceFile | undefined;
  /** A file's text: the scanned file's, else read from disk (git-ignored files included); undefined when absent, binary or larger than 1 MiB. */
  textOf(relPath: string): string | undefined;
  /** Tracked by git; outside a git work tree: not ignored by .gitignore. */
  isTracked(relPath: string): boolean;
  /** Files to lint that were not read (too large, binary, unreadable): rules that need only a name and the tracked state still see them. */
  unread: DiscoveredFile[];
  /** Git directories met inside the scanned tree (bulkhead never uses them). */
  embeddedGitDirs: EmbeddedGitDir[];
  isGitIgnored(relPath: string): boolean;
  /** Every regular file on disk under the scanned roots (including git-ignored ones). */
  onDisk: DiskEntry[];
  dirs: DiskEntry[];
  dockerfiles: DockerfileDoc[];
  composeDocs: ComposeDoc[];
  k8sObjects: K8sObject[];
  /** The kustomizations, which objects are patches (`K8sObject.patch`), and the image overrides each object goes through. */
  kustomize: KustomizeIndex;
  /** The build contexts a Dockerfile is built with: the compose services' contexts, or its own directory. */
  buildContextsOf(dockerfile: DockerfileDoc): BuildContext[];
  /** The Dockerfile a compose service builds, if it is among the scanned files. */
  dockerfileOf(compose: ComposeDoc, service: ComposeService): DockerfileDoc | undefined;
  /** Compose services that build a Dockerfile. */
  servicesBuilding(dockerfile: DockerfileDoc): { compose: ComposeDoc; service: ComposeService }[];
}

export interface WorkspaceInput {
  base: string;
  discovery: Discovery;
  files: SourceFile[];
  unread?: DiscoveredFile[];
  dockerfiles: DockerfileDoc[];
  composeDocs: ComposeDoc[];
  k8sObjects: K8sObject[];
  kustomizations: Kustomization[];
  preset: PresetName;
  defaultNamespace: string;
  checkPermissions: boolean;
}

const LINE_TERMINATORS = /[\n\r\u2028\u2029]/g;

export function buildWorkspace(input: WorkspaceInput): Workspace {
  const { discovery, base } = input;
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const tracked = new Map(discovery.files.map((f) => [f.path, f.tracked]));
  const dockerfileByPath = new Map(input.dockerfiles.map((d) => [d.file.path, d]));

  // Each compose project's `.env` (beside its compose file): the variables compose interpolates.
  const dotenvs = new Map<string, Map<string, string>>();
  for (const compose of input.composeDocs) {
    const envPath = joinPosix(posixDir(compose.file.path), ".env");
    let vars = dotenvs.get(envPath);
    if (!vars) {
      const text = byPath.get(envPath)?.text ?? readIfExists(path.join(base, envPath));
      dotenvs.set(envPath, (vars = text === undefined ? new Map() : dotenvVariables(text)));
    }
    // The parser's map, shared with the document's services; filled once, here.
    for (const [k, v] of vars) (compose.variables as Map<string, string>).set(k, v);
  }

  // compose service → Dockerfile, resolved once.
  const builds: { compose: ComposeDoc; service: ComposeService; context: string; dockerfile: string }[] = [];
  for (const compose of input.composeDocs) {
    for (const service of compose.services) {
      const build = service.node.get("build");
      if (!build) continue;
      const composeDir = posixDir(compose.file.path);
      const buildMap = asMap(build);
      // As compose reads them (`dockerfile: ${APP_DOCKERFILE}` from `.env`); a variable set nowhere is chosen at run time.
      const value = (node: PNode | undefined, fallback: string) => {
        const text = scalarString(node);
        return text === undefined ? fallback : withDefaults(text, compose.variables);
      };
      const context = value(buildMap ? buildMap.get("context") : build, ".");
      const dockerfileName = value(buildMap?.get("dockerfile"), "Dockerfile");
      if (context === undefined || dockerfileName === undefined) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@")) continue; // remote context
      const contextDir = joinPosix(composeDir, context);
      builds.push({ compose, service, context: contextDir, dockerfile: joinPosix(contextDir, dockerfileName) });
    }
  }

  // Every path on disk, sorted once: the paths under a directory are one contiguous run of it.
  let diskPaths: string[] | undefined;
  const pathsUnder = (prefix: string): string[] => {
    diskPaths ??= discovery.onDisk.map((e) => e.path).sort();
    if (prefix === "") return diskPaths.slice();
    let lo = 0;
    let hi = diskPaths.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (diskPaths[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < diskPaths.length && diskPaths[end].startsWith(prefix)) end++;
    return diskPaths.slice(lo, end);
  };

  const textCache = new Map<string, string | undefined>();
  const contextCache = new Map<string, BuildContext>();
  const contextOf = (dir: string, dockerfilePath: string): BuildContext => {
    const key = `${dir}\0${dockerfilePath}`;
    const cached = contextCache.get(key);
    if (cached) return cached;
    const candidates = [`${dockerfilePath}.dockerignore`, joinPosix(dir, ".dockerignore")];
    let ignoreFile: string | undefined;
    let patterns = "";
    for (const c of candidates) {
      const text = byPath.get(c)?.text ?? readIfExists(path.join(base, c));
      if (text !== undefined) {
        ignoreFile = c;
        patterns = text;
        break;
      }
    }
    // At most MAX_IGNORE_PATTERNS patterns (the engine notes a file with more).
    let lines = patterns.split(/\r?\n/);
    if (lines.length > MAX_IGNORE_PATTERNS) lines = ignoreFileLines(patterns).slice(0, MAX_IGNORE_PATTERNS);
    const matcher = dockerignore({ ignorecase: false }).add(lines);
    const excludes = (p: string) => {
      try {
        // The matcher's wildcards do not match line terminators; Docker's match any character but `/`.
        return matcher.ignores(p.replace(LINE_TERMINATORS, "\u0001"));
      } catch {
        return false;
      }
    };
    const prefix = dir === "." ? "" : `${dir}/`;
    const sends = (p: string) => !excludes(p.slice(prefix.length));
    const under = pathsUnder(prefix);
    let files: string[] | undefined;
    const ctx: BuildContext = {
      dir,
      ignoreFile,
      under,
      get files() {
        return (files ??= under.filter(sends));
      },
      sends,
    };
    contextCache.set(key, ctx);
    return ctx;
  };

  return {
    inGitRepo: discovery.inGitRepo,
    preset: input.preset,
    defaultNamespace: input.defaultNamespace,
    checkPermissions: input.checkPermissions,
    files: input.files,
    file: (p) => byPath.get(p),
    textOf(p) {
      const scanned = byPath.get(p);
      if (scanned) return scanned.text;
      if (!textCache.has(p)) textCache.set(p, readText(path.join(base, p)));
      return textCache.get(p);
    },
    isTracked: (p) => tracked.get(p) ?? false,
    unread: input.unread ?? [],
    embeddedGitDirs: discovery.embeddedGitDirs,
    isGitIgnored: (p) => discovery.isGitIgnored(p),
    onDisk: discovery.onDisk,
    dirs: discovery.dirs,
    dockerfiles: input.dockerfiles,
    composeDocs: input.composeDocs,
    k8sObjects: input.k8sObjects,
    kustomize: buildKustomizeIndex(input.kustomizations, input.k8sObjects),
    buildContextsOf(dockerfile) {
      const fromCompose = builds.filter((b) => b.dockerfile === dockerfile.file.path);
      const dirs = fromCompose.length > 0 ? [...new Set(fromCompose.map((b) => b.context))] : [posixDir(dockerfile.file.path)];
      return dirs.map((d) => contextOf(d, dockerfile.file.path));
    },
    dockerfileOf(compose, service) {
      const b = builds.find((x) => x.compose === compose && x.service === service);
      return b ? dockerfileByPath.get(b.dockerfile) : undefined;
    },
    servicesBuilding(dockerfile) {
      return builds.filter((b) => b.dockerfile === dockerfile.file.path).map(({ compose, service }) => ({ compose, service }));
    },
  };
}

/** Files read for their content (credential files in a build context) are at most this large. */
const MAX_READ = 1024 * 1024;

/** A text file on disk; undefined when absent, larger than MAX_READ or binary (a NUL byte). */
function readText(abs: string): string | undefined {
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile() || st.size > MAX_READ) return undefined;
  const text = readIfExists(abs);
  return text === undefined || text.includes("\0") ? undefined : text;
}

function readIfExists(abs: string): string | undefined {
  // Most candidates do not exist: a stat that returns nothing is cheaper than a failed open's exception.
  if (!statSync(abs, { throwIfNoEntry: false })?.isFile()) return undefined;
  try {
    return readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
}

