import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type { ComposeDoc, ComposeService, DockerfileDoc, FileKind, K8sObject, Kustomization, PNode, PresetName, SourceFile } from "../types.js";
import { ignoreFileLines, MAX_IGNORE_PATTERNS, type DiscoveredFile, type DiskEntry, type Discovery, type EmbeddedGitDir } from "../discover/discover.js";
import { asMap, isFalse, isTrue, scalarString } from "../parsers/yaml.js";
import { dotenvVariables, withDefaults } from "../parsers/compose-vars.js";
import { podSpecOf } from "../selectors/k8s.js";
import { policyEntryOf, type PolicyEntry } from "../selectors/k8s-network.js";
import { dotenvCopies } from "../selectors/repo.js";
import { joinPosix, posixDir } from "./paths.js";
import { buildKustomizeIndex, type KustomizeIndex } from "./kustomize.js";
import { createSourceFile, detach } from "../source.js";

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
  /** Its place among the objects of its file. */
  ordinal: number;
  /** It is a Kustomize patch (K8sObject.patch). */
  patch: boolean;
  /** It runs pods: it has a pod spec (see podSpecOf). */
  workload: boolean;
}

/** What the index keeps of a ServiceAccount. */
export interface ServiceAccountEntry extends K8sEntry {
  /** `automountServiceAccountToken`: true, false, or neither (absent or not a boolean). */
  automountServiceAccountToken: boolean | undefined;
}

/**
 * The cross-file index rules read; read-only for rules. The engine reads each file once and
 * releases it when its own rules have run, so the index keeps small records, not documents. It
 * reads the kustomization files first (`kustomize` is complete from the start), then the YAML
 * files (compose files among them: `composeDocs`, build contexts and the compose service →
 * Dockerfile links are complete once they are read, before any Dockerfile is), then the other
 * files, then the Kustomize patches. What depends on every file (`files`, `dockerfiles`,
 * `k8sObjects`, `serviceAccount`, `networkPolicies`, `unread`, `dockerfileOf`) is complete only
 * once every file has been read: in `ctx.reportLater` decisions, compose and `workspace`
 * visitors. Read earlier, it throws (a rule bug, reported as an internal error).
 */
export interface Workspace {
  inGitRepo: boolean;
  preset: PresetName;
  defaultNamespace: string;
  /** Audit file modes (outside a git work tree or with --check-permissions). */
  checkPermissions: boolean;
  /** The scanned files, in the order they were read. */
  readonly files: readonly FileEntry[];
  /** A scanned file's source (read again if it is no longer in memory). */
  file(relPath: string): SourceFile | undefined;
  /** A file's text: the scanned file's, else read from disk (git-ignored files included); undefined when absent, binary or larger than 1 MiB. */
  textOf(relPath: string): string | undefined;
  /** Tracked by git; outside a git work tree: not ignored by .gitignore. */
  isTracked(relPath: string): boolean;
  /** Files to lint that were not read (too large, binary, unreadable): rules that need only a name and the tracked state still see them. */
  readonly unread: readonly DiscoveredFile[];
  /** Git directories met inside the scanned tree (bulkhead never uses them). */
  embeddedGitDirs: EmbeddedGitDir[];
  isGitIgnored(relPath: string): boolean;
  /** Every regular file on disk under the scanned roots (including git-ignored ones). */
  onDisk: DiskEntry[];
  dirs: DiskEntry[];
  /** Every compose file of the scan, in scan order (complete once the YAML files are read, before any Dockerfile). */
  readonly composeDocs: ComposeDoc[];
  readonly dockerfiles: readonly DockerfileEntry[];
  /** Every Kubernetes object of the scan, in the order they were read. */
  readonly k8sObjects: readonly K8sEntry[];
  /**
   * The scan's objects of these kinds, patches aside, whole, in the order they were read: parsed
   * again from their files (few and small: the RBAC objects, Namespaces and Ingresses that
   * cross-file checks index).
   */
  objectsOfKinds(kinds: ReadonlySet<string>): K8sObject[];
  /** An object of the index, whole: parsed again from its file (as objectsOfKinds does; read it once every file has been read). */
  objectOf(entry: K8sEntry): K8sObject | undefined;
  /** The kustomizations, which files hold patches, and the image overrides each object goes through (complete from the start). */
  kustomize: KustomizeIndex;
  /** The first ServiceAccount of that namespace and name in the scan (patches aside). */
  serviceAccount(namespace: string, name: string): ServiceAccountEntry | undefined;
  /** Every NetworkPolicy of the scan, patches aside (see selectors/k8s-network's networkPolicies for the index by namespace). */
  readonly networkPolicies: readonly PolicyEntry[];
  /** Whether an object is the first workload (an object with a pod spec, not a patch) of the scan, in file and document order. Known while the object's file is read. */
  isFirstWorkload(obj: K8sObject): boolean;
  /** The build contexts a Dockerfile (path relative to the base) is built with: the compose services' contexts, or its own directory. */
  buildContextsOf(dockerfilePath: string): BuildContext[];
  /**
   * The Dockerfile a compose service builds, if it is among the scanned files: what says who its
   * image runs as (its stages, their FROM and USER instructions, the ARGs before the first FROM;
   * no text).
   */
  dockerfileOf(compose: ComposeDoc, service: ComposeService): DockerfileDoc | undefined;
  /** Compose services that build a Dockerfile (path relative to the base). */
  servicesBuilding(dockerfilePath: string): { compose: ComposeDoc; service: ComposeService }[];
}

export interface WorkspaceInput {
  base: string;
  discovery: Discovery;
  kustomizations: Kustomization[];
  /** Files to lint that could not be read (the engine adds to it as it reads). */
  unread: DiscoveredFile[];
  preset: PresetName;
  defaultNamespace: string;
  checkPermissions: boolean;
  /** A scanned file's source by relative path (the engine's: in memory, or read again). */
  source(relPath: string): SourceFile | undefined;
  /** The objects of a scanned manifest, parsed again (to find the object a patch modifies). */
  objectsOf(relPath: string): K8sObject[];
}

const LINE_TERMINATORS = /[\n\r\u2028\u2029]/g;

/** Texts read from disk for textOf that stay at hand (a build context's credential files are asked for once per Dockerfile). */
const TEXTS_KEPT = 32;

/** The workspace of one run: built by the engine as it reads the files (`add…`), then `complete()`. */
export class ScanWorkspace implements Workspace {
  readonly inGitRepo: boolean;
  readonly preset: PresetName;
  readonly defaultNamespace: string;
  readonly checkPermissions: boolean;
  readonly onDisk: DiskEntry[];
  readonly dirs: DiskEntry[];
  readonly embeddedGitDirs: EmbeddedGitDir[];
  readonly kustomize: KustomizeIndex;

  private done = false;
  private composeDone = false;
  private readonly composeList: { doc: ComposeDoc; order: number }[] = [];
  private readonly composeSorted: ComposeDoc[] = [];
  private readonly fileList: FileEntry[] = [];
  private readonly dockerfileList: DockerfileEntry[] = [];
  private readonly dockerfileOrder = new Map<string, number>();
  /** What says who they run as, of the Dockerfiles compose services build. */
  private readonly skeletons = new Map<string, DockerfileDoc>();
  private readonly objects: K8sEntry[] = [];
  /** Objects by file (built when a patch first asks where its target is). */
  private objectsByFile: Map<string, K8sEntry[]> | undefined;
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
  private readonly texts = new Map<string, string | undefined>();
  /** Files parsed again for objectsOfKinds, once each (at the end of the run). */
  private readonly reparsed = new Map<string, K8sObject[]>();
  /** The file objectOf parsed last, when objectsOfKinds did not keep it. */
  private lastParsed: { file: string; objects: K8sObject[] } | undefined;

  constructor(private readonly input: WorkspaceInput) {
    this.inGitRepo = input.discovery.inGitRepo;
    this.preset = input.preset;
    this.defaultNamespace = input.defaultNamespace;
    this.checkPermissions = input.checkPermissions;
    this.onDisk = input.discovery.onDisk;
    this.dirs = input.discovery.dirs;
    this.embeddedGitDirs = input.discovery.embeddedGitDirs;
    this.tracked = new Map(input.discovery.files.map((f) => [f.path, f.tracked]));
    this.kustomize = buildKustomizeIndex(input.kustomizations);
  }

  // ---- what the engine adds as it reads ----

  /** A file that was read. */
  addFile(entry: FileEntry): void {
    this.fileList.push(entry);
  }

  /** A compose file, held for the run; `order` is its place in the scan. */
  addComposeDoc(doc: ComposeDoc, order: number): void {
    this.composeList.push({ doc, order });
  }

  /**
   * Every compose file has been read: their project `.env` variables are read, and their
   * services linked to the Dockerfiles they build (before any Dockerfile is read).
   */
  composeComplete(): void {
    this.composeDone = true;
    this.composeList.sort((a, b) => a.order - b.order);
    for (const { doc } of this.composeList) this.composeSorted.push(doc);
    this.composeList.length = 0;
    // Each compose project's `.env` (beside its compose file): the variables compose interpolates.
    const dotenvs = new Map<string, Map<string, string>>();
    for (const compose of this.composeSorted) {
      const envPath = joinPosix(posixDir(compose.file.path), ".env");
      let vars = dotenvs.get(envPath);
      if (!vars) {
        const text = (this.tracked.has(envPath) ? this.file(envPath)?.text : undefined) ?? readIfExists(path.join(this.input.base, envPath));
        dotenvs.set(envPath, (vars = text === undefined ? new Map() : dotenvVariables(text)));
      }
      // The parser's map, shared with the document's services; filled once, here.
      for (const [k, v] of vars) (compose.variables as Map<string, string>).set(k, v);
    }
    // compose service → Dockerfile, resolved once.
    for (const compose of this.composeSorted) {
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
        this.builds.push({ compose, service, context: contextDir, dockerfile: joinPosix(contextDir, dockerfileName) });
      }
    }
  }

  /** A parsed Dockerfile; `order` is its place in the scan (the worker answers out of order). */
  addDockerfile(doc: DockerfileDoc, order: number): void {
    const contextDirs = this.buildContextsOf(doc.file.path).map((c) => c.dir);
    this.dockerfileOrder.set(doc.file.path, order);
    this.dockerfileList.push(structuredClone({ path: doc.file.path, dotenvCopies: dotenvCopies(doc, contextDirs) }));
    if (this.builds.some((b) => b.dockerfile === doc.file.path)) this.skeletons.set(doc.file.path, userSkeleton(doc));
  }

  /** An object, before any rule visits it (in file and document order; `ordinal`: its place among its file's objects). */
  addK8sObject(obj: K8sObject, ordinal: number): void {
    const n = this.objects.length;
    this.seq.set(obj, n);
    const patch = obj.patch !== undefined;
    const workload = podSpecOf(obj) !== undefined;
    const entry: K8sEntry = { kind: this.intern(obj.kind), name: detach(obj.name), namespace: this.intern(obj.namespace), file: obj.file.path, ordinal, patch, workload };
    this.objects.push(entry);
    this.objectsByFile = undefined;
    if (patch) return; // a patch modifies an object listed elsewhere
    if (this.firstWorkload === -1 && workload) this.firstWorkload = n;
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

  /**
   * The object a Kustomize patch modifies, among those read so far (the engine reads patches
   * last): parsed again from its file. A patch with a `target:` is named after what it selects.
   */
  patchTargetOf(obj: K8sObject): K8sObject | undefined {
    const patch = obj.patch;
    if (!patch) return undefined;
    const kind = patch.selector?.kind ?? obj.kind;
    const name = patch.selector?.name ?? (patch.selector ? undefined : obj.name);
    if (patch.selector?.name && kind === obj.kind) obj.name = patch.selector.name;
    if (!this.objectsByFile) {
      this.objectsByFile = new Map();
      for (const e of this.objects) {
        const list = this.objectsByFile.get(e.file);
        if (list) list.push(e);
        else this.objectsByFile.set(e.file, [e]);
      }
    }
    const byFile = this.objectsByFile;
    const candidates = this.kustomize
      .targetFilesOf(patch.kustomization)
      .flatMap((f) => byFile.get(f) ?? [])
      .filter((e) => !e.patch && e.kind === kind && (name === undefined || e.name === name));
    if (!(candidates.length === 1 || (name !== undefined && candidates.length > 0))) return undefined;
    return this.input.objectsOf(candidates[0].file)[candidates[0].ordinal];
  }

  /** Every file has been read: the whole-scan parts of the index may be read. */
  complete(): void {
    this.done = true;
    this.dockerfileList.sort((a, b) => this.dockerfileOrder.get(a.path)! - this.dockerfileOrder.get(b.path)!);
    this.dockerfileOrder.clear();
    this.objectsByFile = undefined;
  }

  // ---- what rules read ----

  get files(): readonly FileEntry[] {
    return this.whole(this.fileList, "files");
  }

  get unread(): readonly DiscoveredFile[] {
    return this.whole(this.input.unread, "unread");
  }

  get composeDocs(): ComposeDoc[] {
    if (!this.composeDone) throw new Error("workspace.composeDocs is complete only once the YAML files have been read");
    return this.composeSorted;
  }

  get dockerfiles(): readonly DockerfileEntry[] {
    return this.whole(this.dockerfileList, "dockerfiles");
  }

  get k8sObjects(): readonly K8sEntry[] {
    return this.whole(this.objects, "k8sObjects");
  }

  objectsOfKinds(kinds: ReadonlySet<string>): K8sObject[] {
    const out: K8sObject[] = [];
    for (const e of this.whole(this.objects, "objectsOfKinds")) {
      if (e.patch || !kinds.has(e.kind)) continue;
      let parsed = this.reparsed.get(e.file);
      if (!parsed) this.reparsed.set(e.file, (parsed = this.lastParsed?.file === e.file ? this.lastParsed.objects : this.input.objectsOf(e.file)));
      const obj = parsed[e.ordinal];
      if (obj) out.push(obj);
    }
    return out;
  }

  objectOf(entry: K8sEntry): K8sObject | undefined {
    this.whole(this.objects, "objectOf");
    let objects = this.reparsed.get(entry.file);
    if (!objects) {
      // Not kept: a file at a time (callers go through the index, which lists a file's objects together).
      if (this.lastParsed?.file !== entry.file) this.lastParsed = { file: entry.file, objects: this.input.objectsOf(entry.file) };
      objects = this.lastParsed.objects;
    }
    return objects[entry.ordinal];
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

  textOf(relPath: string): string | undefined {
    if (this.tracked.has(relPath)) {
      const scanned = this.file(relPath);
      if (scanned) return scanned.text;
    }
    if (this.texts.has(relPath)) return this.texts.get(relPath);
    const text = readText(path.join(this.input.base, relPath));
    if (this.texts.size >= TEXTS_KEPT) this.texts.delete(this.texts.keys().next().value!);
    this.texts.set(relPath, text);
    return text;
  }

  isTracked(relPath: string): boolean {
    return this.tracked.get(relPath) ?? false;
  }

  isGitIgnored(relPath: string): boolean {
    return this.input.discovery.isGitIgnored(relPath);
  }

  buildContextsOf(dockerfilePath: string): BuildContext[] {
    if (!this.composeDone) throw new Error("workspace.buildContextsOf is complete only once the YAML files have been read");
    if (this.contexts?.dockerfile !== dockerfilePath) {
      this.contexts = { dockerfile: dockerfilePath, list: this.contextDirsOf(dockerfilePath).map((d) => this.contextOf(d, dockerfilePath)) };
    }
    return this.contexts.list;
  }

  /** The build context directories of a Dockerfile (as buildContextsOf, without reading their ignore files): --changed-since decides which Dockerfiles it reads with them. */
  contextDirsOf(dockerfilePath: string): string[] {
    if (!this.composeDone) throw new Error("workspace.contextDirsOf is complete only once the YAML files have been read");
    const fromCompose = this.builds.filter((b) => b.dockerfile === dockerfilePath);
    return fromCompose.length > 0 ? [...new Set(fromCompose.map((b) => b.context))] : [posixDir(dockerfilePath)];
  }

  /** The path of the Dockerfile a compose service builds (whether or not it is scanned). */
  dockerfilePathOf(compose: ComposeDoc, service: ComposeService): string | undefined {
    return this.builds.find((x) => x.compose === compose && x.service === service)?.dockerfile;
  }

  /** Whether a workload (not a patch) has been indexed: isFirstWorkload is decided. */
  get workloadSeen(): boolean {
    return this.firstWorkload !== -1;
  }

  dockerfileOf(compose: ComposeDoc, service: ComposeService): DockerfileDoc | undefined {
    const b = this.builds.find((x) => x.compose === compose && x.service === service);
    return b ? this.whole(this.skeletons, "dockerfileOf").get(b.dockerfile) : undefined;
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
        // The matcher's wildcards do not match line terminators; Docker's match any character but `/`.
        return matcher.ignores(p.replace(LINE_TERMINATORS, "\u0001"));
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

/**
 * What says who a Dockerfile's image runs as (see compose/user-not-root): its stages with their
 * FROM and USER instructions, and the ARGs before the first FROM; a copy that holds no text.
 */
function userSkeleton(doc: DockerfileDoc): DockerfileDoc {
  const firstFrom = doc.stages[0]?.from;
  const globalArgs = [];
  for (const ins of doc.instructions) {
    if (ins === firstFrom) break;
    if (ins.keyword === "ARG") globalArgs.push(ins);
  }
  const kept = structuredClone({
    globalArgs,
    stages: doc.stages.map((s) => ({ ...s, instructions: s.instructions.filter((i) => i.keyword === "USER") })),
    final: doc.finalStage ? doc.stages.indexOf(doc.finalStage) : -1,
  });
  return {
    file: createSourceFile(doc.file.path, doc.file.absPath, "dockerfile", ""),
    stages: kept.stages,
    instructions: [...kept.globalArgs, ...kept.stages.flatMap((s) => [s.from, ...s.instructions])],
    finalStage: kept.stages[kept.final],
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
