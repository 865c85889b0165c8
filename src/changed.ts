// `--changed-since <ref>`: which files a run reports on. The whole tree is still discovered and
// parsed (cross-file rules need the full workspace); only the findings are narrowed to the files
// changed since the merge base with <ref>, plus the files whose findings depend on them.
import { existsSync } from "node:fs";
import path from "node:path";
import type { PNode } from "./types.js";
import type { Workspace } from "./workspace/workspace.js";
import { joinPosix, posixDir } from "./workspace/paths.js";
import { classify } from "./discover/classify.js";
import { asMap, asSeq, scalarString } from "./parsers/yaml.js";
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
      for (const envFile of envFilesOf(service.node.get("env_file"))) {
        if (paths.has(joinPosix(dir, envFile))) keep.add(compose.file.path);
      }
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

function envFilesOf(node: PNode | undefined): string[] {
  if (!node) return [];
  const one = scalarString(node);
  if (one !== undefined) return [one];
  const out: string[] = [];
  for (const item of asSeq(node)?.items ?? []) {
    const s = scalarString(item) ?? scalarString(asMap(item)?.get("path"));
    if (s !== undefined) out.push(s);
  }
  return out;
}
