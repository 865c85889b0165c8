// --changed-since reads only the changed files and what the findings of the files it reports
// depend on (src/changed.ts, ReadPlan): for each direction a file's findings depend on another,
// the report of the files it covers is the full run's findings for those files, to the byte,
// with the file they depend on left unchanged (and elsewhere in the tree, so that nothing but the
// dependency brings it in).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: dir, encoding: "utf8" });

interface Report {
  filesScanned: number;
  findings: Finding[];
}

function report(dir: string, args: string[]): Report {
  const run = runCli(["-f", "json", "--fail-on", "never", ...args], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Report;
}

/**
 * The --changed-since report's findings are in `files` exactly, and they are the full run's
 * findings for those files (every field: messages, regions, fingerprints, in order).
 */
function assertSameAsFullRun(dir: string, files: string[]): Finding[] {
  const full = report(dir, []);
  const changed = report(dir, ["--changed-since", "HEAD"]);
  assert.deepEqual([...new Set(changed.findings.map((f) => f.file))].sort(), [...files].sort());
  assert.deepEqual(changed.findings, full.findings.filter((f) => files.includes(f.file)));
  return changed.findings;
}

const messages = (findings: Finding[], rule: string, file: string) => findings.filter((f) => f.ruleId === rule && f.file === file).map((f) => f.message);

function edit(dir: string, rel: string, from: string, to: string): void {
  const text = readFileSync(path.join(dir, rel), "utf8");
  assert.ok(text.includes(from), `${rel} holds ${from}`);
  writeFileSync(path.join(dir, rel), text.replace(from, to));
}

const KEY = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", "QyNTUxOQAAACBmZXNvbWVrZXlieXRlc2Zvcmx0ZXN0aW5nb25seTEyMzQ1AAAAoGZhbGtl", "-----END OPENSSH PRIVATE KEY-----", ""].join("\n");

/** Compose and Dockerfiles whose findings reach across directories. */
function composeRepo(): string {
  const dir = writeTree({
    // Built from deploy/ with the repository root as its context: id_rsa there is in it.
    "app/Dockerfile": 'FROM python:3.11-slim\nCOPY . /src\nCMD ["python", "/src/app.py"]\n',
    "app/app.py": "print('hi')\n",
    "id_rsa": KEY,
    "worker/Dockerfile": "FROM python:3.11-slim\nUSER root\nCMD [\"python\"]\n",
    "deploy/docker-compose.yml": [
      "services:",
      "  app:",
      "    extends: { file: ../common/base.yml, service: base }",
      "    build: { context: .., dockerfile: app/Dockerfile }",
      "    env_file: ../config/app.settings",
      "  worker:",
      "    build: ../worker",
      "  cache:",
      "    image: redis:${CACHE_TAG}",
      "  db:",
      "    extends: { file: ../common/base.yml, service: db }",
      "",
    ].join("\n"),
    "deploy/docker-compose.override.yml": "services:\n  app:\n    cap_add: [SYS_ADMIN]\n",
    "deploy/.env": "CACHE_TAG=7.2\n",
    // A compose file by its content only (not by its name), that a service extends.
    // Its image comes from common/.env, as compose interpolates it for the file that extends it.
    "common/base.yml": "services:\n  base:\n    image: base:1.0\n    privileged: true\n  db:\n    image: postgres:${DB_TAG}\n",
    "common/.env": "DB_TAG=16.1\n",
    "config/app.settings": "LOG_LEVEL=info\n",
    // Unrelated: must not change what the others report.
    "other/compose.yaml": "services:\n  web:\n    image: nginx\n",
    "other/Dockerfile": "FROM nginx\n",
  });
  gitCommitAll(dir);
  return dir;
}

test("a changed Dockerfile: its build context (set by a compose file elsewhere) and the compose files that build it, as the full run reports them", () => {
  const dir = composeRepo();
  appendFileSync(path.join(dir, "app/Dockerfile"), "EXPOSE 8080\n");
  const findings = assertSameAsFullRun(dir, ["app/Dockerfile", "deploy/docker-compose.yml"]);
  // The leak of id_rsa is found through the context deploy/docker-compose.yml gives the Dockerfile.
  assert.ok(messages(findings, "docker/context-leaks-secrets", "app/Dockerfile").some((m) => m.includes("id_rsa")), JSON.stringify(findings));
  // Who the worker service runs as comes from worker/Dockerfile, which did not change.
  assert.ok(messages(findings, "compose/user-not-root", "deploy/docker-compose.yml").some((m) => m.includes("worker/Dockerfile")), JSON.stringify(findings));
});

test("a changed compose file: the Dockerfiles it builds, its override file, the file it extends, its .env", () => {
  const dir = composeRepo();
  edit(dir, "deploy/docker-compose.yml", "  worker:\n", "  worker:\n    read_only: true\n");
  const findings = assertSameAsFullRun(dir, ["app/Dockerfile", "deploy/docker-compose.yml", "worker/Dockerfile"]);
  assert.ok(messages(findings, "compose/user-not-root", "deploy/docker-compose.yml").some((m) => m.includes("postgres:16.1")), JSON.stringify(findings));
  assert.ok(messages(findings, "compose/user-not-root", "deploy/docker-compose.yml").some((m) => m.includes("worker/Dockerfile")), JSON.stringify(findings));
  assert.ok(messages(findings, "docker/context-leaks-secrets", "app/Dockerfile").some((m) => m.includes("id_rsa")), JSON.stringify(findings));
});

test("a changed credential file or .dockerignore: the Dockerfiles whose build context holds it", () => {
  const dir = composeRepo();
  writeFileSync(path.join(dir, "id_rsa"), KEY.replace("AAAA", "BBBB"));
  assertSameAsFullRun(dir, ["app/Dockerfile", "id_rsa"]);
  assert.equal(report(dir, ["--changed-since", "HEAD"]).filesScanned, 2, "the files the report covers");

  git(dir, "checkout", "-q", "--", ".");
  writeFileSync(path.join(dir, ".dockerignore"), "*.md\n");
  const findings = assertSameAsFullRun(dir, ["app/Dockerfile"]);
  assert.ok(messages(findings, "docker/context-leaks-secrets", "app/Dockerfile").some((m) => m.includes(".dockerignore")), JSON.stringify(findings));
});

test("a changed .env or env_file: the compose files that read it", () => {
  const dir = composeRepo();
  writeFileSync(path.join(dir, "deploy/.env"), "CACHE_TAG=latest\n");
  // deploy/.env is in app/Dockerfile's build context (the repository root) too.
  const findings = assertSameAsFullRun(dir, ["app/Dockerfile", "deploy/docker-compose.yml", "deploy/docker-compose.override.yml"]);
  assert.ok(messages(findings, "compose/image-unpinned", "deploy/docker-compose.yml").length > 0, JSON.stringify(findings));

  git(dir, "checkout", "-q", "--", ".");
  writeFileSync(path.join(dir, "config/app.settings"), "LOG_LEVEL=info\nDB_PASSWORD=Xk9mPq2vLr8wZt4s\n");
  const settings = assertSameAsFullRun(dir, ["config/app.settings", "deploy/docker-compose.yml"]);
  assert.ok(messages(settings, "compose/committed-env-file", "deploy/docker-compose.yml").length > 0, JSON.stringify(settings));

  // An env_file written with a variable's default names the file compose reads.
  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "deploy/docker-compose.yml", "env_file: ../config/app.settings", "env_file: ${APP_SETTINGS:-../config/app.settings}");
  git(dir, "commit", "-qam", "env_file through a variable");
  writeFileSync(path.join(dir, "config/app.settings"), "LOG_LEVEL=info\nDB_PASSWORD=Xk9mPq2vLr8wZt4s\n");
  const interpolated = assertSameAsFullRun(dir, ["config/app.settings", "deploy/docker-compose.yml"]);
  assert.ok(messages(interpolated, "compose/committed-env-file", "deploy/docker-compose.yml").length > 0, JSON.stringify(interpolated));
});

function deployment(name: string, ns: string, extra = ""): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    `metadata: { name: ${name}, namespace: ${ns} }`,
    "spec:",
    `  selector: { matchLabels: { app: ${name} } }`,
    "  template:",
    `    metadata: { labels: { app: ${name} } }`,
    "    spec:",
    `      serviceAccountName: ${name}${extra}`,
    "      containers:",
    `        - name: ${name}`,
    "          image: registry.example.com/app:1.0",
    "",
  ].join("\n");
}

/** Kubernetes manifests whose findings depend on objects in other files. */
function k8sRepo(): string {
  const dir = writeTree({
    "k8s/a/other.yaml": deployment("other", "dev"),
    "k8s/app/deployment.yaml": deployment("app", "prod"),
    "k8s/app/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: { name: app, namespace: prod }\nspec: { type: NodePort, selector: { app: app }, ports: [{ port: 80 }] }\n",
    "k8s/cluster/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n",
    "k8s/cluster/accounts.yaml": "apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: app, namespace: prod }\nautomountServiceAccountToken: true\n",
    "k8s/app/binding.yaml": [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRoleBinding",
      "metadata: { name: app }",
      "roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }",
      "subjects: [{ kind: ServiceAccount, name: app, namespace: prod }]",
      "",
    ].join("\n"),
    // In another namespace: it matches the labels, which the egress finding says.
    "k8s/dev/netpol.yaml": "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: app-egress, namespace: dev }\nspec:\n  podSelector: { matchLabels: { app: app } }\n  policyTypes: [Egress]\n",
    "k8s/dev/ingress.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: web, namespace: prod }\nspec: { tls: [{ secretName: web-tls }], defaultBackend: { service: { name: app, port: { number: 80 } } } }\n",
  });
  gitCommitAll(dir);
  return dir;
}

test("a changed workload: the ServiceAccount, RBAC, NetworkPolicies and Namespace of other files, as the full run reports them", () => {
  const dir = k8sRepo();
  edit(dir, "k8s/app/deployment.yaml", "image: registry.example.com/app:1.0", "image: registry.example.com/app:1.1");
  const findings = assertSameAsFullRun(dir, ["k8s/app/deployment.yaml"]);
  const of = (rule: string) => messages(findings, rule, "k8s/app/deployment.yaml");
  assert.ok(of("k8s/egress-unrestricted").some((m) => m.includes("app-egress")), JSON.stringify(findings));
  assert.ok(of("k8s/workload-privileged-service-account").length > 0, JSON.stringify(findings));
  assert.ok(findings.some((f) => /would reject/.test(f.message)), JSON.stringify(findings));
});

test("a changed NetworkPolicy, ServiceAccount, Namespace, binding or Ingress: the objects it decides, as the full run reports them", () => {
  const dir = k8sRepo();
  edit(dir, "k8s/dev/netpol.yaml", "policyTypes: [Egress]", "policyTypes: [Ingress, Egress]");
  assertSameAsFullRun(dir, ["k8s/a/other.yaml"]);

  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "k8s/cluster/accounts.yaml", "automountServiceAccountToken: true", "automountServiceAccountToken: false");
  assertSameAsFullRun(dir, ["k8s/app/deployment.yaml"]);

  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "k8s/cluster/namespace.yaml", "enforce: restricted", "enforce: baseline");
  assertSameAsFullRun(dir, ["k8s/app/deployment.yaml"]);

  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "k8s/app/binding.yaml", "name: cluster-admin", "name: admin");
  assertSameAsFullRun(dir, ["k8s/a/other.yaml", "k8s/app/binding.yaml", "k8s/app/deployment.yaml"]);

  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "k8s/dev/ingress.yaml", "name: app, port", "name: web, port");
  const findings = assertSameAsFullRun(dir, ["k8s/app/service.yaml"]);
  assert.ok(messages(findings, "k8s/service-exposed", "k8s/app/service.yaml").length > 0, JSON.stringify(findings));
});

test("without a NetworkPolicy in the tree, the note goes to the first workload of the tree, read or not", () => {
  const dir = k8sRepo();
  rmSync(path.join(dir, "k8s/dev/netpol.yaml"));
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "no policies");
  const note = (findings: Finding[]) => findings.filter((f) => f.ruleId === "k8s/egress-unrestricted").map((f) => f.file);
  assert.deepEqual(note(report(dir, []).findings), ["k8s/a/other.yaml"]);
  edit(dir, "k8s/app/deployment.yaml", "app:1.0", "app:1.1");
  assert.deepEqual(note(assertSameAsFullRun(dir, ["k8s/app/deployment.yaml"])), []);
  git(dir, "checkout", "-q", "--", ".");
  edit(dir, "k8s/a/other.yaml", "app:1.0", "app:1.1");
  assert.deepEqual(note(assertSameAsFullRun(dir, ["k8s/a/other.yaml"])), ["k8s/a/other.yaml"]);
});

test("a changed Kustomize patch is checked against the object it patches; a changed Helm template gets no note the chart's first template has", () => {
  const dir = writeTree({
    "a/first.yaml": deployment("first", "default"),
    "base/kustomization.yaml": "resources:\n- app.yaml\npatches:\n- path: patch.yaml\n",
    "base/app.yaml": deployment("app", "default"),
    "base/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app }\nspec:\n  template:\n    spec:\n      hostNetwork: true\n",
    "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 1.0.0\n",
    "chart/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: {{ .Release.Name }} }\n",
    "chart/templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: {{ .Release.Name }}-b }\n",
  });
  gitCommitAll(dir);
  edit(dir, "base/patch.yaml", "hostNetwork: true", "hostNetwork: true\n      hostPID: true");
  const findings = assertSameAsFullRun(dir, ["base/app.yaml", "base/patch.yaml"]);
  assert.ok(findings.some((f) => f.file === "base/patch.yaml" && /host/i.test(f.ruleId)), JSON.stringify(findings));

  // A changed kustomization reports every file of its build (base/app.yaml holds no workload first: another file does).
  git(dir, "checkout", "-q", "--", ".");
  appendFileSync(path.join(dir, "base/kustomization.yaml"), "namePrefix: x-\n");
  assertSameAsFullRun(dir, ["base/app.yaml", "base/patch.yaml"]);

  git(dir, "checkout", "-q", "--", ".");
  appendFileSync(path.join(dir, "chart/templates/b.yaml"), "data: { a: b }\n");
  assert.ok(report(dir, []).findings.some((f) => f.file === "chart/templates/a.yaml" && /Helm chart templates/.test(f.message)));
  const changed = report(dir, ["--changed-since", "HEAD"]);
  assert.deepEqual(changed.findings, []);
});

test("a changed source file reports that file alone, its findings as the full run's", () => {
  const dir = composeRepo();
  writeFileSync(path.join(dir, "app/app.py"), 'DB_PASSWORD = "Xk9#mPq2$vLr8!wZ"\n');
  const findings = assertSameAsFullRun(dir, ["app/app.py"]);
  assert.ok(messages(findings, "repo/hardcoded-secret", "app/app.py").length > 0);
});
