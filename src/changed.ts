// `--changed-since <ref>`: which files a run reports on (the files changed since the merge base
// with <ref>, plus the files whose findings depend on them: selectFiles) and which files it reads
// to get their findings (the changed files and what those findings depend on: ReadPlan). The
// whole tree is still discovered.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ComposeDoc, ComposeService } from "./types.js";
import type { DocumentKind } from "./rule.js";
import type { ScanWorkspace, Workspace } from "./workspace/workspace.js";
import type { KustomizeIndex } from "./workspace/kustomize.js";
import type { DiscoveredFile } from "./discover/discover.js";
import { createSourceFile } from "./source.js";
import { composeDocOf, mayBeCompose } from "./parsers/compose.js";
import { isKustomizationPath } from "./parsers/kustomize.js";
import { parseYaml } from "./parsers/yaml.js";
import { WORKLOAD_KINDS } from "./selectors/k8s.js";
import { definitionsOf, envFiles } from "./selectors/compose.js";
import { objectsOf } from "./engine/read.js";
import { helmChartOf } from "./engine/parse.js";
import { joinPosix, posixDir } from "./workspace/paths.js";
import { classify } from "./discover/classify.js";
import { asMap, scalarString } from "./parsers/yaml.js";
import { credentialKind } from "./secrets/index.js";
import { UsageError } from "./errors.js";
import { RBAC_OBJECT_KINDS } from "./selectors/k8s-rbac-index.js";
import { toPosix } from "./discover/discover.js";
import { filterOverrides, firstLine, GitRepositories, isGitProblem, runGit, type Repository, type RunOptions } from "./git.js";

export interface ChangedFiles {
  /** The ref as given and the merge base it resolved to (none before the first commit: every file is new). */
  ref: string;
  mergeBase: string | undefined;
  /**
   * Paths relative to the run's base directory (forward slashes): committed since the merge base,
   * staged, unstaged, and (unless `tracked` was asked) untracked files that are not ignored.
   * Deleted files included.
   */
  paths: Set<string>;
}

export interface ChangedOptions {
  /** Only files in git's index count (`--staged`): an untracked file is no change. */
  tracked?: boolean;
}

/**
 * Asks git what changed since `git merge-base <ref> HEAD`: one `git diff --name-only` of the
 * work tree against the merge base (committed, staged and unstaged changes, deletions and both
 * sides of renames) and one `git ls-files --others --exclude-standard` (new untracked files).
 * Git runs in the repository that holds `base`, named explicitly (src/git.ts); the diff compares
 * work-tree contents with every filter driver switched off. Throws a UsageError (exit 2) outside
 * a git work tree, where git cannot be used, or for a ref git does not know.
 */
export function changedFiles(ref: string, base: string, repositories = new GitRepositories(), options: ChangedOptions = {}): ChangedFiles {
  if (ref === "" || ref.startsWith("-")) throw new UsageError(`--changed-since expects a git ref such as origin/main or HEAD~1 (got "${ref}")`);
  const repo = repositories.repositoryOf(base);
  if (!repo) throw new UsageError(`--changed-since needs a git work tree, and ${base} is not in one`);
  if (isGitProblem(repo)) throw new UsageError(`--changed-since: ${repo.problem} (${repo.hint})`);
  const untracked = () =>
    options.tracked ? "" : git(repo, ["ls-files", "--others", "--exclude-standard", "-z"], (e) => `--changed-since: git ls-files failed: ${firstLine(e)}`, { cwd: base, systemConfig: true });
  const found = runGit(repo, ["merge-base", ref, "HEAD"]);
  if (found.error) throw new UsageError(`--changed-since needs git: ${found.error.message}`);
  if (found.status !== 0 && !isCommit(repo, "HEAD") && (ref === "HEAD" || isCommit(repo, ref))) {
    // Before the first commit (a pre-commit hook's first run) every file is new.
    const all = git(repo, ["ls-files", "-z"], (e) => `--changed-since: git ls-files failed: ${firstLine(e)}`, { cwd: base });
    return { ref, mergeBase: undefined, paths: new Set([...all.split("\0"), ...untracked().split("\0")].filter(Boolean)) };
  }
  if (found.status !== 0) {
    throw new UsageError(
      `--changed-since: cannot find the merge base of "${ref}" and HEAD: ${firstLine(found.stderr) || "no common ancestor"} (is "${ref}" a branch, tag or commit here? In CI, fetch enough history, e.g. actions/checkout with fetch-depth: 0)`,
    );
  }
  const mergeBase = found.stdout.trim();
  const filters = filterOverrides(repo);
  if (!Array.isArray(filters)) throw new UsageError(`--changed-since: ${filters.refused}`);
  const diff = git(
    repo,
    ["-c", "core.quotePath=false", "diff", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv", "--ignore-submodules=all", "--relative", "-z", mergeBase, "--"],
    (e) => `--changed-since: git diff failed: ${firstLine(e)}`,
    { cwd: base, systemConfig: true, config: filters },
  );
  const paths = new Set([...diff.split("\0"), ...untracked().split("\0")].filter(Boolean));
  return { ref, mergeBase, paths };
}

/** Whether a ref names a commit (HEAD does not on an unborn branch: a repository before its first commit). */
function isCommit(repo: Repository, ref: string): boolean {
  return runGit(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status === 0;
}

function git(repo: Repository, args: string[], explain: (stderr: string) => string, options: RunOptions = {}): string {
  const r = runGit(repo, args, options);
  if (r.error) throw new UsageError(`--changed-since needs git: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError(explain(r.stderr));
  return r.stdout;
}

/** Objects whose changes alter the findings of the workloads of their namespace. */
const NAMESPACE_POLICY_KINDS = new Set(["NetworkPolicy", "ServiceAccount"]);
/** RBAC objects: a binding or role decides the findings of the roles it grants or aggregates, and of the workloads whose ServiceAccounts it binds, wherever they are. */

/**
 * The files whose findings a run with --changed-since reports: the changed files, and
 * - for a changed `.dockerignore`, `.env` or credential file: the Dockerfiles whose build context holds it;
 * - for a changed Dockerfile: the compose files whose services build it (and for a changed
 *   compose file, the Dockerfiles its services build: their build context comes from it);
 * - for a changed `.env`: the compose files that name it in `env_file`, and those beside it (it is
 *   their project's `.env`, whose variables compose interpolates);
 * - for a changed file of a kustomization's build (the kustomization, a resource, a patch): every
 *   file of that build (patches are read against their targets, images against the overrides);
 * - for a changed `.gitignore`: the `.env` files below it;
 * - for a changed NetworkPolicy or ServiceAccount: the workload manifests of its namespace (for a
 *   changed Namespace, of the namespace it is: its pod-security labels);
 * - for a changed Role, ClusterRole or binding: every workload and role manifest;
 * - for a changed Ingress: the Service manifests of its namespace (an Ingress's NodePort backend is not reported);
 * - for a deleted Dockerfile or YAML file (its old content is unknown): every compose file, or
 *   every workload manifest;
 * (A changed configuration file or custom policy file reports everything: see policyChanged; the caller does not select then.)
 */
export function selectFiles(changed: ChangedFiles, ws: Workspace, base: string): (file: string) => boolean {
  const paths = changed.paths;
  const keep = new Set(paths);
  const exists = (p: string) => ws.file(p) !== undefined || existsSync(path.join(base, p));

  for (const d of ws.dockerfiles) {
    for (const ctx of ws.buildContextsOf(d.path)) {
      const prefix = ctx.dir === "." ? "" : `${ctx.dir}/`;
      const ignoreFiles = new Set([joinPosix(ctx.dir, ".dockerignore"), `${d.path}.dockerignore`, ...(ctx.ignoreFile ? [ctx.ignoreFile] : [])]);
      for (const p of paths) {
        if (ignoreFiles.has(p) || (p.startsWith(prefix) && credentialKind(p) !== undefined)) keep.add(d.path);
      }
    }
    if (paths.has(d.path)) for (const { compose } of ws.servicesBuilding(d.path)) keep.add(compose.file.path);
  }

  const deletedDockerfile = [...paths].some((p) => classify(p) === "dockerfile" && !exists(p));
  for (const compose of ws.composeDocs) {
    if (deletedDockerfile) keep.add(compose.file.path);
    const dir = posixDir(compose.file.path);
    for (const service of compose.services) {
      if (paths.has(compose.file.path)) {
        const d = ws.dockerfileOf(compose, service);
        if (d) keep.add(d.file.path);
      }
      // The project's .env: the variables compose interpolates the file's values with.
      if (paths.has(joinPosix(dir, ".env"))) keep.add(compose.file.path);
      if (readsChanged(compose, service, paths)) keep.add(compose.file.path);
    }
  }

  // A kustomization and the files of its build decide each other's findings (patches, their targets, image overrides).
  for (const k of ws.kustomize.kustomizations) {
    const files = ws.kustomize.filesOf(k);
    if (![...files].some((f) => paths.has(f))) continue;
    for (const f of files) keep.add(f);
  }

  for (const p of paths) {
    if (classify(p) !== "gitignore") continue;
    const prefix = posixDir(p) === "." ? "" : `${posixDir(p)}/`;
    for (const f of ws.files) if (f.kind === "dotenv" && f.path.startsWith(prefix)) keep.add(f.path);
  }

  const deletedYaml = [...paths].some((p) => classify(p) === "yaml" && !exists(p));
  const namespaces = new Set(
    ws.k8sObjects.flatMap((o) => {
      if (!paths.has(o.file)) return [];
      if (NAMESPACE_POLICY_KINDS.has(o.kind)) return [o.namespace];
      // A Namespace's pod-security labels decide its workloads' Pod Security Standards findings.
      return o.kind === "Namespace" ? [o.name] : [];
    }),
  );
  if (deletedYaml || namespaces.size > 0) {
    for (const o of ws.k8sObjects) {
      if (o.workload && (deletedYaml || namespaces.has(o.namespace))) keep.add(o.file);
    }
  }
  const rbacChanged = ws.k8sObjects.some((o) => RBAC_OBJECT_KINDS.has(o.kind) && paths.has(o.file));
  const ingressNamespaces = new Set(ws.k8sObjects.filter((o) => o.kind === "Ingress" && paths.has(o.file)).map((o) => o.namespace));
  for (const o of ws.k8sObjects) {
    if (rbacChanged && (o.workload || o.kind === "Role" || o.kind === "ClusterRole")) keep.add(o.file);
    if (o.kind === "Service" && ingressNamespaces.has(o.namespace)) keep.add(o.file);
  }
  return (file) => keep.has(file);
}

/** Whether the configuration or a custom policy file (absolute paths) is among the changed files: then every file is reported. */
export function policyChanged(changed: ChangedFiles, base: string, policyFiles: (string | undefined)[]): boolean {
  return policyFiles.some((f) => f !== undefined && changed.paths.has(toPosix(path.relative(base, f))));
}

/** Whether a service's `env_file` names a changed file (as compose resolves it: see envFiles). */
function readsChanged(compose: ComposeDoc, service: ComposeService, paths: ReadonlySet<string>): boolean {
  return envFiles(compose, service).some((ref) => ref.resolved !== undefined && paths.has(ref.resolved));
}

// ---- what a --changed-since run reads ----

/** A YAML escape that can spell a letter (`\x41`, `\u0041`, `\U00000041`) or join lines (`\` at a line's end): a word may be written without its letters in a row. */
const ESCAPE = /\\(?:[xuU]|\r?\n)/;
/**
 * Kubernetes kinds whose objects decide the findings of objects of any namespace (see the k8s
 * rules): RBAC objects (a ClusterRoleBinding grants across namespaces), NetworkPolicies (a
 * workload's finding names the policies of other namespaces that match its labels), Ingresses.
 */
const CLUSTER_CONTEXT_KINDS = /Role|NetworkPolicy|Ingress/;
/** Kinds whose objects decide the findings of their own namespace's objects only: ServiceAccounts, Namespaces (pod-security labels). */
const NAMESPACE_CONTEXT_KINDS = /ServiceAccount|Namespace/;
/** What an object with a pod spec (a workload: see podSpecOf) must spell: a workload kind, or a `containers` key. */
const WORKLOAD_WORDS = new RegExp(["containers", ...Object.keys(WORKLOAD_KINDS)].join("|"));

/** The facts of a YAML file's text the plan reads: what it may hold. */
interface YamlText {
  /** May be a compose file (compose by name or setting, or `services:` at the start of a line). */
  compose: boolean;
  build: boolean;
  envFile: boolean;
  extends: boolean;
  /** May hold a Kubernetes object (the parser's own test: `apiVersion` and `kind`). */
  k8s: boolean;
  clusterContext: boolean;
  namespaceContext: boolean;
  workload: boolean;
  service: boolean;
  escape: boolean;
  text: string;
}

export interface ReadPlanInput {
  changed: ChangedFiles;
  base: string;
  files: readonly DiscoveredFile[];
  /** The files the YAML phase of the scan reads (YAML and compose files that are parsed, kustomization files aside). */
  isYaml(d: DiscoveredFile): boolean;
  /** Whether the scan parses a file's documents (test data is not parsed). */
  parses(d: DiscoveredFile): boolean;
  kustomize: KustomizeIndex;
  defaultNamespace: string;
  reads: ReadonlySet<DocumentKind>;
  /** Compose files past this much text in all are not checked: when the compose files could reach it, every one is read. */
  maxComposeHeld: number;
}

/**
 * What a --changed-since run reads (issue 16): the changed files, and what the findings of the
 * files it reports (selectFiles) depend on, decided before each phase of the scan from the
 * files' names and, for YAML, a look at their text (no parse):
 * - a changed Dockerfile, compose file, `.dockerignore`, `.env` or credential file: every compose
 *   file that may build an image (`build` in its text: the build contexts and the services that
 *   build a Dockerfile come from them), the compose files of the same project (same directory,
 *   `extends`), the compose files whose `env_file` may name a changed file; then (once the compose
 *   files are read) the Dockerfiles whose build context holds a changed `.dockerignore` or
 *   credential file, and those the reported compose files' services build;
 * - a changed Kubernetes manifest (or a file of a kustomization's build): every manifest whose
 *   text names a ServiceAccount, an RBAC kind, a NetworkPolicy, a Namespace or an Ingress (the
 *   cross-file checks index them all), the workloads of the namespaces a changed policy, account
 *   or Namespace governs (all of them for a changed RBAC object), the Services of a changed
 *   Ingress's namespace, the manifests that may hold a workload until the first workload (one
 *   note is reported there), every file of a kustomization build one of them is in, and every
 *   template of a Helm chart one of them is in;
 * - other files that did not change (source code, docs, unchanged `.env`, ignore and credential
 *   files: rules read what they need of them from disk) are not read.
 * A deleted Dockerfile or YAML file (every compose file or workload is reported then), a changed
 * `.gitignore` (its findings depend on every `.env` reference) and compose files that may reach
 * the held-text cap read as before: every file but unchanged "text" files.
 */
export class ReadPlan {
  /** Read every file but the unchanged "text" ones. */
  readonly all: boolean;
  /** YAML-phase (and patch) files to read, by discovery index. */
  private readonly yaml = new Set<number>();
  /** Files that may hold a workload: read until the first workload is met. */
  private readonly workloadCandidates = new Set<number>();
  private readonly changedDockerfiles: string[] = [];
  /** Changed `.dockerignore` and credential files (deleted ones too): the Dockerfiles whose build context holds one are reported. */
  private readonly contextPaths: string[] = [];
  private dockerfiles: Set<string> | undefined;
  /** Files the plan read the text of (to decide; see YamlText). */
  looked = 0;

  constructor(private readonly input: ReadPlanInput) {
    this.all = this.plan();
  }

  /** Whether the YAML phase reads file `i` (`workloadSeen`: a workload has been indexed). */
  readsYaml(i: number, workloadSeen: boolean): boolean {
    if (this.all || this.yaml.has(i)) return true;
    return !workloadSeen && this.workloadCandidates.has(i);
  }

  /** Whether the phase after the YAML files reads file `i` (the compose files are complete then). */
  readsOther(i: number, ws: ScanWorkspace): boolean {
    const d = this.input.files[i];
    if (this.input.changed.paths.has(d.path)) return true;
    if (this.all) return d.kind !== "text";
    return d.kind === "dockerfile" && (this.dockerfiles ??= this.dockerfilesRead(ws)).has(d.path);
  }

  /** Plans the YAML phase; true when every file is to be read. */
  private plan(): boolean {
    const { changed, base, files, isYaml, parses, kustomize, defaultNamespace, reads } = this.input;
    const paths = changed.paths;
    const indexOf = new Map(files.map((d, i) => [d.path, i]));
    for (const p of paths) {
      const kind = classify(p);
      if (kind === "gitignore") return true;
      if (!indexOf.has(p) && (kind === "dockerfile" || kind === "yaml") && !existsSync(path.join(base, p))) return true;
    }

    // What the changed files are.
    let compose = false;
    let k8s = false;
    const namespaces = new Set<string>();
    const ingressNamespaces = new Set<string>();
    let rbac = false;
    const objectNamespaces = new Set<string>();
    for (const p of paths) {
      if (classify(p) === "dockerignore" || credentialKind(p) !== undefined) this.contextPaths.push(p);
      const i = indexOf.get(p);
      if (i === undefined) continue;
      const d = files[i];
      if (d.kind === "dockerfile") this.changedDockerfiles.push(p);
      if (!parses(d) || (d.kind !== "yaml" && d.kind !== "compose" && !(d.kind === "text" && isKustomizationPath(d.path)))) continue;
      const text = readText(d.absPath);
      if (d.kind === "compose" || (text !== undefined && mayBeCompose(text))) compose = true;
      if (text === undefined) continue;
      for (const o of objectsOf(createSourceFile(d.path, d.absPath, d.kind, text), defaultNamespace, reads)) {
        k8s = true;
        objectNamespaces.add(o.namespace);
        if (NAMESPACE_POLICY_KINDS.has(o.kind)) namespaces.add(o.namespace);
        if (o.kind === "Namespace") namespaces.add(o.name);
        if (RBAC_OBJECT_KINDS.has(o.kind)) rbac = true;
        if (o.kind === "Ingress") ingressNamespaces.add(o.namespace);
      }
    }
    const builds = compose || this.changedDockerfiles.length > 0 || this.contextPaths.length > 0;
    const kustomized = kustomize.kustomizations.some((k) => [...kustomize.filesOf(k)].some((f) => paths.has(f)));
    if (kustomized) k8s = true;
    // The namespaces of the objects reported (the changed ones', those whose workloads a change
    // reports); unknown when every workload is reported or a kustomization's build is.
    const reportedNamespaces = rbac || kustomized ? undefined : new Set([...objectNamespaces, ...namespaces]);

    // The YAML files' texts, when anything but the changed files' own is asked of them.
    const yamlFiles = files.flatMap((d, i) => (isYaml(d) ? [i] : []));
    const facts = new Map<number, YamlText>();
    const names = [...paths].map((p) => p.slice(p.lastIndexOf("/") + 1));
    const dotenvDirs = new Set([...paths].filter((p) => p.endsWith("/.env") || p === ".env").map(posixDir));
    for (const i of yamlFiles) {
      const d = files[i];
      const text = readText(d.absPath);
      this.looked++;
      // Unreadable here: read by the scan, which says why.
      if (text === undefined) {
        this.yaml.add(i);
        continue;
      }
      const f: YamlText = {
        compose: d.kind === "compose" || (reads.has("compose") && mayBeCompose(text)),
        build: text.includes("build"),
        envFile: text.includes("env_file"),
        extends: text.includes("extends"),
        k8s: d.kind === "yaml" && text.includes("apiVersion") && text.includes("kind"),
        clusterContext: CLUSTER_CONTEXT_KINDS.test(text),
        namespaceContext: NAMESPACE_CONTEXT_KINDS.test(text),
        workload: WORKLOAD_WORDS.test(text),
        service: text.includes("Service"),
        escape: ESCAPE.test(text),
        text: "",
      };
      facts.set(i, f);
      const inNamespace = (set: Set<string>) => set.has(defaultNamespace) || f.escape || [...set].some((ns) => text.includes(ns));
      if (paths.has(d.path)) this.yaml.add(i);
      if (f.compose) {
        // Compose files that may build an image; that may name a changed file in `env_file`; beside a changed `.env`.
        if (builds && (f.build || f.escape)) this.yaml.add(i);
        if ((f.envFile || f.escape) && (f.escape || names.some((n) => text.includes(n)))) this.yaml.add(i);
        if (dotenvDirs.has(posixDir(d.path))) this.yaml.add(i);
        if (f.extends || f.escape) f.text = text;
      }
      if (k8s && f.k8s) {
        if (f.clusterContext || f.escape) this.yaml.add(i);
        if ((f.namespaceContext || f.escape) && (reportedNamespaces === undefined || inNamespace(reportedNamespaces))) this.yaml.add(i);
        if (f.workload || f.escape) {
          if (rbac || (namespaces.size > 0 && inNamespace(namespaces))) this.yaml.add(i);
          else this.workloadCandidates.add(i);
        }
        if ((f.service || f.escape) && ingressNamespaces.size > 0 && inNamespace(ingressNamespaces)) this.yaml.add(i);
      }
    }

    // Compose files past the held-text cap are not checked: which ones depends on every compose file.
    if (compose || builds) {
      let held = 0;
      for (const [i, f] of facts) if (f.compose) held += files[i].size;
      if (held > this.input.maxComposeHeld) return true;
    }

    // Closures: a compose file's project (the compose files of its directory, the files its
    // services extend), a kustomization build's files, a Helm chart's templates.
    const composeByDir = new Map<string, number[]>();
    const chartFiles = new Map<string, number[]>();
    const listed = (groups: Map<string, number[]>, key: string) => groups.get(key) ?? groups.set(key, []).get(key)!;
    for (const [i, f] of facts) {
      const p = files[i].path;
      if (f.compose) listed(composeByDir, posixDir(p)).push(i);
      const chart = helmChartOf(p);
      if (chart !== undefined) listed(chartFiles, chart).push(i);
    }
    const builtFrom = kustomize.kustomizations.map((k) => [...kustomize.filesOf(k)].flatMap((f) => (indexOf.has(f) ? [indexOf.get(f)!] : [])));
    // Every file of a build a changed file is in (a changed kustomization file too) is reported.
    for (const build of builtFrom) if (build.some((i) => paths.has(files[i].path))) for (const i of build) if (isYaml(files[i])) this.yaml.add(i);
    const queue = [...this.yaml];
    const add = (i: number) => {
      if (this.yaml.has(i) || !isYaml(files[i])) return;
      this.yaml.add(i);
      queue.push(i);
    };
    while (queue.length > 0) {
      const i = queue.pop()!;
      const p = files[i].path;
      const f = facts.get(i);
      if (f?.compose) {
        for (const j of composeByDir.get(posixDir(p)) ?? []) add(j);
        for (const target of extendedFiles(files[i], f.text)) if (indexOf.has(target) && facts.get(indexOf.get(target)!)?.compose) add(indexOf.get(target)!);
      }
      const chart = helmChartOf(p);
      if (chart !== undefined) for (const j of chartFiles.get(chart) ?? []) add(j);
      for (const build of builtFrom) if (build.includes(i)) for (const j of build) add(j);
    }
    for (const i of this.yaml) this.workloadCandidates.delete(i);
    // The first workload may be in any file that may hold one: none is needed without a changed manifest.
    if (!k8s) this.workloadCandidates.clear();
    return false;
  }

  /** The Dockerfiles to read, once the compose files are complete. */
  private dockerfilesRead(ws: ScanWorkspace): Set<string> {
    const paths = this.input.changed.paths;
    const out = new Set(this.changedDockerfiles);
    // Those whose build context holds a changed ignore or credential file (reported: see selectFiles).
    for (const d of this.input.files) {
      if (d.kind !== "dockerfile" || out.has(d.path)) continue;
      const dirs = ws.contextDirsOf(d.path);
      if (this.contextPaths.some((p) => p === `${d.path}.dockerignore` || dirs.some((dir) => dir === "." || p.startsWith(`${dir}/`)))) out.add(d.path);
    }
    // The compose files reported (see selectFiles): the changed ones, those that build a changed
    // Dockerfile, those a changed `.env` or env file is read by; who their services run as comes
    // from the Dockerfiles they (and the definitions merged with them) build.
    const reported = new Set<ComposeDoc>();
    for (const d of this.changedDockerfiles) for (const { compose } of ws.servicesBuilding(d)) reported.add(compose);
    for (const compose of ws.composeDocs) {
      const dir = posixDir(compose.file.path);
      if (paths.has(compose.file.path) || paths.has(joinPosix(dir, ".env"))) reported.add(compose);
      for (const service of compose.services) {
        if (readsChanged(compose, service, paths)) reported.add(compose);
      }
    }
    for (const compose of reported) {
      for (const service of compose.services) {
        for (const def of definitionsOf(compose, service, ws)) {
          const built = ws.dockerfilePathOf(def.doc, def.service);
          if (built) out.add(built);
        }
      }
    }
    return out;
  }
}

/** The files a compose file's services `extends` (`extends.file`, relative to its directory). */
function extendedFiles(d: DiscoveredFile, text: string): string[] {
  if (!text) return [];
  const file = createSourceFile(d.path, d.absPath, "compose", text);
  const doc = composeDocOf(file, parseYaml(file, "1.2").docs[0]?.root);
  const out: string[] = [];
  for (const service of doc?.services ?? []) {
    const ref = scalarString(asMap(service.node.get("extends"))?.get("file"));
    if (ref !== undefined) out.push(joinPosix(posixDir(d.path), ref));
  }
  return out;
}

/** A file's text for the plan's look; undefined when it cannot be read as text here (the scan reads it then). */
function readText(absPath: string): string | undefined {
  try {
    return readFileSync(absPath, "utf8");
  } catch {
    return undefined;
  }
}
