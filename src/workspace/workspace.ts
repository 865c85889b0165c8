import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { ComposeDoc, ComposeService, DockerfileDoc, FileKind, K8sObject, PresetName, SourceFile } from "../types.js";
import { ignoreFileLines, MAX_IGNORE_PATTERNS, type DiskEntry, type Discovery } from "../discover/discover.js";
import { asMap, isFalse, isTrue, scalarString } from "../parsers/yaml.js";
import { stageUser } from "../selectors/docker.js";
import { podSpecOf } from "../selectors/k8s.js";
import { policyEntryOf, type PolicyEntry } from "../selectors/k8s-network.js";
import { dotenvCopies } from "../selectors/repo.js";
import { joinPosix, posixDir } from "./paths.js";
import { detach } from "../source.js";

export { joinPosix, posixDir };

// CommonJS whose typings claim an ES default export; load it as what it is.
const dockerignore = createRequire(import.meta.url)("@balena/dockerignore") as typeof import("@balena/dockerignore").default;

export interface BuildContext {
  /** Context directory relative to the base ("." for the base itself). */
  dir: string;
  /** The ignore file in force (`<Dockerfile>.dockerignore` or `<context>/.dockerignore`), if any. */
  ignoreFile: string | undefined;
  /** Every file on disk under the context directory, sent or not (paths relative to the base, sorted). */
  readonly under: string[];
  /** The files of `under` that the context sends to the builder (matched against the ignore file on first use). */
  readonly files: string[];
  /** Whether the context sends a file of `under` (path relative to the base) to the builder. */
  sends(path: string): boolean;
}

/** A scanned file as the index keeps it once its own rules have run. */
export interface FileEntry {
  path: string;
  absPath: string;
  kind: FileKind;
}

/** What the index keeps of a Dockerfile once its own rules have run. */
export interface DockerfileEntry {
  path: string;
  /** Its stages in order: the alias (lower case) and the last USER (not ONBUILD), if any. */
  stages: { alias: string | undefined; user: string | undefined }[];
  /** The `.env` files its COPY/ADD sources name in its build contexts (see dotenvReferences). */
  dotenvCopies: { path: string; how: string }[];
}

/** What the index keeps of a Kubernetes object. */
export interface K8sEntry {
  kind: string;
  name: string;
  namespace: string;
  /** The file that holds it. */
  file: string;
}

/** What the index keeps of a ServiceAccount. */
export interface ServiceAccountEntry extends K8sEntry {
  /** `automountServiceAccountToken`: true, false, or neither (absent or not a boolean). */
  automountServiceAccountToken: boolean | undefined;
}

/**
 * The cross-file index rules read; read-only for rules. The engine reads each file once and
 * releases it when its own rules have run, so the index keeps small records, not documents.
 * Compose files are read before every other file: what depends on them (build contexts, the
 * compose service → Dockerfile links) is there from the start. What depends on every file
 * (`files`, `dockerfiles`, `k8sObjects`, `serviceAccount`, `networkPolicies`, `dockerfileOf`) is
 * complete only once every file has been read: in `ctx.reportLater` decisions, compose and
 * `workspace` visitors. Read earlier, it throws (a rule bug, reported as an internal error).
 */
export interface Workspace {
  inGitRepo: boolean;
  preset: PresetName;
  defaultNamespace: string;
  /** Audit file modes (outside a git work tree or with --check-permissions). */
  checkPermissions: boolean;
  /** The scanned files, in scan order. */
  readonly files: readonly FileEntry[];
  /** A scanned file's source (read again if it is no longer in memory). */
  file(relPath: string): SourceFile | undefined;
  /** Tracked by git; outside a git work tree: not ignored by .gitignore. */
  isTracked(relPath: string): boolean;
  isGitIgnored(relPath: string): boolean;
  /** Every regular file on disk under the scanned roots (including git-ignored ones). */
  onDisk: DiskEntry[];
  dirs: DiskEntry[];
  /** Every compose file of the scan (complete from the start). */
  composeDocs: ComposeDoc[];
  readonly dockerfiles: readonly DockerfileEntry[];
  /** Every Kubernetes object of the scan, in file and document order. */
  readonly k8sObjects: readonly K8sEntry[];
  /** The first ServiceAccount of that namespace and name in the scan. */
  serviceAccount(namespace: string, name: string): ServiceAccountEntry | undefined;
  /** Every NetworkPolicy of the scan (see selectors/k8s-network's networkPolicies for the index by namespace). */
  readonly networkPolicies: readonly PolicyEntry[];
  /** Whether an object is the first workload (an object with a pod spec) of the scan, in file and document order. Known while the object's file is read. */
  isFirstWorkload(obj: K8sObject): boolean;
  /** The build contexts a Dockerfile (path relative to the base) is built with: the compose services' contexts, or its own directory. */
  buildContextsOf(dockerfilePath: string): BuildContext[];
  /** The Dockerfile a compose service builds, if it is among the scanned files. */
  dockerfileOf(compose: ComposeDoc, service: ComposeService): DockerfileEntry | undefined;
  /** Compose services that build a Dockerfile (path relative to the base). */
  servicesBuilding(dockerfilePath: string): { compose: ComposeDoc; service: ComposeService }[];
}

export interface WorkspaceInput {
  base: string;
  discovery: Discovery;
  composeDocs: ComposeDoc[];
  preset: PresetName;
  defaultNamespace: string;
  checkPermissions: boolean;
  /** A scanned file's source by relative path (the engine's: in memory, or read again). */
  source(relPath: string): SourceFile | undefined;
}

/** The workspace of one run: built by the engine as it reads the files (`add…`), then `complete()`. */
export class ScanWorkspace implements Workspace {
  readonly inGitRepo: boolean;
  readonly preset: PresetName;
  readonly defaultNamespace: string;
  readonly checkPermissions: boolean;
  readonly onDisk: DiskEntry[];
  readonly dirs: DiskEntry[];
  readonly composeDocs: ComposeDoc[];

  private done = false;
  private readonly fileList: FileEntry[] = [];
  private readonly dockerfileList: DockerfileEntry[] = [];
  private dockerfileByPath: Map<string, DockerfileEntry> | undefined;
  private readonly dockerfileOrder = new Map<string, number>();
  private readonly objects: K8sEntry[] = [];
  private readonly accounts = new Map<string, ServiceAccountEntry>();
  private readonly policies: PolicyEntry[] = [];
  /** Objects by the order they were added (held weakly: released with their files). */
  private readonly seq = new WeakMap<K8sObject, number>();
  private firstWorkload = -1;
  /** Strings the index repeats (kinds, namespaces), one copy each. */
  private readonly interned = new Map<string, string>();

  private readonly tracked: Map<string, boolean>;
  private readonly builds: { compose: ComposeDoc; service: ComposeService; context: string; dockerfile: string }[] = [];
  private diskPaths: string[] | undefined;
  /** The build contexts of the Dockerfile asked last: the engine runs one Dockerfile's rules together. */
  private contexts: { dockerfile: string; list: BuildContext[] } | undefined;

  constructor(private readonly input: WorkspaceInput) {
    this.inGitRepo = input.discovery.inGitRepo;
    this.preset = input.preset;
    this.defaultNamespace = input.defaultNamespace;
    this.checkPermissions = input.checkPermissions;
    this.onDisk = input.discovery.onDisk;
    this.dirs = input.discovery.dirs;
    this.composeDocs = input.composeDocs;
    this.tracked = new Map(input.discovery.files.map((f) => [f.path, f.tracked]));
    // compose service → Dockerfile, resolved once.
    for (const compose of input.composeDocs) {
      for (const service of compose.services) {
        const build = service.node.get("build");
        if (!build) continue;
        const composeDir = posixDir(compose.file.path);
        const buildMap = asMap(build);
        const context = scalarString(buildMap ? buildMap.get("context") : build) ?? ".";
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@")) continue; // remote context
        const contextDir = joinPosix(composeDir, context);
        const dockerfileName = scalarString(buildMap?.get("dockerfile")) ?? "Dockerfile";
        this.builds.push({ compose, service, context: contextDir, dockerfile: joinPosix(contextDir, dockerfileName) });
      }
    }
  }

  // ---- what the engine adds as it reads ----

  /** A file that was read (in scan order). */
  addFile(entry: FileEntry): void {
    this.fileList.push(entry);
  }

  /** A parsed Dockerfile; `order` is its place in the scan (the worker answers out of order). */
  addDockerfile(doc: DockerfileDoc, order: number): void {
    const contextDirs = this.buildContextsOf(doc.file.path).map((c) => c.dir);
    this.dockerfileOrder.set(doc.file.path, order);
    this.dockerfileList.push(
      structuredClone({
        path: doc.file.path,
        stages: doc.stages.map((s) => ({ alias: s.alias, user: stageUser(s)?.user })),
        dotenvCopies: dotenvCopies(doc, contextDirs),
      }),
    );
  }

  /** An object, before any rule visits it (in file and document order). */
  addK8sObject(obj: K8sObject): void {
    const n = this.objects.length;
    this.seq.set(obj, n);
    const entry: K8sEntry = { kind: this.intern(obj.kind), name: detach(obj.name), namespace: this.intern(obj.namespace), file: obj.file.path };
    this.objects.push(entry);
    if (this.firstWorkload === -1 && podSpecOf(obj) !== undefined) this.firstWorkload = n;
    if (obj.kind === "ServiceAccount") {
      const key = `${entry.namespace}\0${entry.name}`;
      if (!this.accounts.has(key)) {
        const automount = obj.node.get("automountServiceAccountToken");
        this.accounts.set(key, { ...entry, automountServiceAccountToken: isTrue(automount) ? true : isFalse(automount) ? false : undefined });
      }
    }
    const policy = policyEntryOf(obj);
    if (policy) this.policies.push(structuredClone(policy));
  }

  /** Every file has been read: the whole-scan parts of the index may be read. */
  complete(): void {
    this.done = true;
    this.dockerfileList.sort((a, b) => this.dockerfileOrder.get(a.path)! - this.dockerfileOrder.get(b.path)!);
    this.dockerfileOrder.clear();
  }

  // ---- what rules read ----

  get files(): readonly FileEntry[] {
    return this.whole(this.fileList, "files");
  }

  get dockerfiles(): readonly DockerfileEntry[] {
    return this.whole(this.dockerfileList, "dockerfiles");
  }

  get k8sObjects(): readonly K8sEntry[] {
    return this.whole(this.objects, "k8sObjects");
  }

  get networkPolicies(): readonly PolicyEntry[] {
    return this.whole(this.policies, "networkPolicies");
  }

  serviceAccount(namespace: string, name: string): ServiceAccountEntry | undefined {
    return this.whole(this.accounts, "serviceAccount").get(`${namespace}\0${name}`);
  }

  isFirstWorkload(obj: K8sObject): boolean {
    return this.seq.get(obj) === this.firstWorkload;
  }

  file(relPath: string): SourceFile | undefined {
    return this.input.source(relPath);
  }

  isTracked(relPath: string): boolean {
    return this.tracked.get(relPath) ?? false;
  }

  isGitIgnored(relPath: string): boolean {
    return this.input.discovery.isGitIgnored(relPath);
  }

  buildContextsOf(dockerfilePath: string): BuildContext[] {
    if (this.contexts?.dockerfile !== dockerfilePath) {
      const fromCompose = this.builds.filter((b) => b.dockerfile === dockerfilePath);
      const dirs = fromCompose.length > 0 ? [...new Set(fromCompose.map((b) => b.context))] : [posixDir(dockerfilePath)];
      this.contexts = { dockerfile: dockerfilePath, list: dirs.map((d) => this.contextOf(d, dockerfilePath)) };
    }
    return this.contexts.list;
  }

  dockerfileOf(compose: ComposeDoc, service: ComposeService): DockerfileEntry | undefined {
    const b = this.builds.find((x) => x.compose === compose && x.service === service);
    this.dockerfileByPath ??= new Map(this.dockerfiles.map((d) => [d.path, d]));
    return b ? this.dockerfileByPath.get(b.dockerfile) : undefined;
  }

  servicesBuilding(dockerfilePath: string): { compose: ComposeDoc; service: ComposeService }[] {
    return this.builds.filter((b) => b.dockerfile === dockerfilePath).map(({ compose, service }) => ({ compose, service }));
  }

  private whole<T>(value: T, what: string): T {
    if (!this.done) throw new Error(`workspace.${what} is complete only once every file has been read: read it in a ctx.reportLater decision`);
    return value;
  }

  private intern(s: string): string {
    let one = this.interned.get(s);
    if (one === undefined) this.interned.set((one = detach(s)), one);
    return one;
  }

  /** Every path on disk under a directory prefix, sorted: one contiguous run of the sorted list. */
  private pathsUnder(prefix: string): string[] {
    const diskPaths = (this.diskPaths ??= this.onDisk.map((e) => e.path).sort());
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
  }

  private contextOf(dir: string, dockerfilePath: string): BuildContext {
    const candidates = [`${dockerfilePath}.dockerignore`, joinPosix(dir, ".dockerignore")];
    let ignoreFile: string | undefined;
    let patterns = "";
    for (const c of candidates) {
      const text = (this.tracked.has(c) ? this.file(c)?.text : undefined) ?? readIfExists(path.join(this.input.base, c));
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
        return matcher.ignores(p);
      } catch {
        return false;
      }
    };
    const prefix = dir === "." ? "" : `${dir}/`;
    const sends = (p: string) => !excludes(p.slice(prefix.length));
    let under: string[] | undefined;
    let files: string[] | undefined;
    const pathsUnder = () => (under ??= this.pathsUnder(prefix));
    return {
      dir,
      ignoreFile,
      get under() {
        return pathsUnder();
      },
      get files() {
        return (files ??= pathsUnder().filter(sends));
      },
      sends,
    };
  }
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
