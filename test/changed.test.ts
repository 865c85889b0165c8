// --changed-since <ref>: findings only for the files changed since the merge base, plus the
// files whose findings depend on them (what is read to get them: test/changed-reads.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { EXAMPLES, copyFixture, gitCommitAll, runCli, writeTree } from "./helpers.ts";

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

function filesWithFindings(dir: string, args: string[]): { code: number | null; files: string[]; findings: Finding[] } {
  const run = runCli(["-f", "json", "--fail-on", "never", ...args], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  return { code: run.code, files: [...new Set(findings.map((f) => f.file))].sort(), findings };
}

const ROOT_DOCKERFILE = "FROM python:3.11-slim\nRUN apt-get update && sudo apt-get install -y curl\nCMD [\"python\"]\n";

test("a last commit that only adds tools/Dockerfile: --changed-since HEAD~1 reports that file only", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const all = filesWithFindings(dir, []);
  assert.ok(all.files.length >= 2, "the example has findings in several files");

  mkdirSync(path.join(dir, "tools"));
  writeFileSync(path.join(dir, "tools/Dockerfile"), ROOT_DOCKERFILE);
  git(dir, "add", "tools/Dockerfile");
  git(dir, "commit", "-q", "-m", "tools image");

  const run = runCli(["-f", "json", "--changed-since", "HEAD~1"], { cwd: dir });
  const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  assert.ok(findings.length > 0, "tools/Dockerfile has findings");
  assert.deepEqual([...new Set(findings.map((f) => f.file))], ["tools/Dockerfile"]);
  assert.equal(run.code, findings.some((f) => f.level === "error") ? 1 : 0);

  // The text report too; and without the flag every file is reported again.
  const text = runCli(["--changed-since", "HEAD~1"], { cwd: dir });
  assert.match(text.stdout, /^tools\/Dockerfile$/m);
  assert.doesNotMatch(text.stdout, /^docker-compose\.yml$/m);
  assert.deepEqual(filesWithFindings(dir, []).files, [...all.files, "tools/Dockerfile"].sort());
});

test("an unknown ref is exit 2 with a clear message; so is a directory outside git", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const bad = runCli(["--changed-since", "no-such-branch"], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^bulkhead: --changed-since: cannot find the merge base of "no-such-branch" and HEAD/);
  const option = runCli(["--changed-since", "--output=x"], { cwd: dir });
  assert.equal(option.code, 2);

  const plain = writeTree({ Dockerfile: ROOT_DOCKERFILE });
  const outside = runCli(["--changed-since", "HEAD"], { cwd: plain });
  assert.equal(outside.code, 2);
  assert.match(outside.stderr, /needs a git work tree/);
});

test("committed, staged, unstaged and untracked changes all count; ignored files do not", () => {
  const dir = writeTree({
    ".gitignore": "ignored/\n",
    "a/Dockerfile": ROOT_DOCKERFILE,
    "b/Dockerfile": ROOT_DOCKERFILE,
    "c/Dockerfile": ROOT_DOCKERFILE,
    "d/Dockerfile": ROOT_DOCKERFILE,
    "e/Dockerfile": ROOT_DOCKERFILE,
  });
  gitCommitAll(dir);
  git(dir, "branch", "base");
  appendFileSync(path.join(dir, "a/Dockerfile"), "EXPOSE 8080\n");
  git(dir, "commit", "-q", "-am", "committed change"); // committed since base
  appendFileSync(path.join(dir, "b/Dockerfile"), "EXPOSE 8081\n");
  git(dir, "add", "b/Dockerfile"); // staged
  appendFileSync(path.join(dir, "c/Dockerfile"), "EXPOSE 8082\n"); // unstaged
  writeTree({ "f/Dockerfile": ROOT_DOCKERFILE, "ignored/Dockerfile": ROOT_DOCKERFILE }, dir); // untracked; ignored
  assert.deepEqual(filesWithFindings(dir, ["--changed-since", "base"]).files, ["a/Dockerfile", "b/Dockerfile", "c/Dockerfile", "f/Dockerfile"]);
});

test("changes are taken since the merge base, not the ref's tip", () => {
  const dir = writeTree({ "a/Dockerfile": ROOT_DOCKERFILE, "e/Dockerfile": ROOT_DOCKERFILE });
  gitCommitAll(dir);
  git(dir, "branch", "base");
  appendFileSync(path.join(dir, "a/Dockerfile"), "EXPOSE 8080\n");
  git(dir, "commit", "-q", "-am", "feature");
  git(dir, "checkout", "-q", "base");
  appendFileSync(path.join(dir, "e/Dockerfile"), "EXPOSE 9000\n");
  git(dir, "commit", "-q", "-am", "base moves on");
  git(dir, "checkout", "-q", "-");
  assert.deepEqual(filesWithFindings(dir, ["--changed-since", "base"]).files, ["a/Dockerfile"]);
});

/** A repository where findings in one file depend on others. */
function dependentsRepo(): string {
  const dir = writeTree({
    "app/Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"bot.py\"]\n",
    "app/.dockerignore": ".git\n",
    "app/bot.py": "print('hi')\n",
    "docker-compose.yml": "services:\n  bot:\n    build: ./app\n",
    "other/Dockerfile": "FROM python:3.11-slim\nCMD [\"python\"]\n",
    "k8s/prod-netpol.yaml": [
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata:",
      "  name: default-deny",
      "  namespace: prod",
      "spec:",
      "  podSelector: {}",
      "  policyTypes: [Ingress]",
      "",
    ].join("\n"),
    "k8s/prod-app.yaml": deployment("prod"),
    "k8s/dev-app.yaml": deployment("dev"),
  });
  gitCommitAll(dir);
  return dir;
}

function deployment(ns: string): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: bot",
    `  namespace: ${ns}`,
    "spec:",
    "  selector: { matchLabels: { app: bot } }",
    "  template:",
    "    metadata: { labels: { app: bot } }",
    "    spec:",
    "      containers:",
    "        - name: bot",
    "          image: bot:1.0",
    "",
  ].join("\n");
}

test("a changed .dockerignore or .env re-lints the Dockerfiles of that build context", () => {
  const dir = dependentsRepo();
  const all = filesWithFindings(dir, []).files;
  assert.ok(all.includes("app/Dockerfile") && all.includes("other/Dockerfile"));

  appendFileSync(path.join(dir, "app/.dockerignore"), "*.md\n");
  assert.deepEqual(filesWithFindings(dir, ["--changed-since", "HEAD"]).files, ["app/Dockerfile"]);

  git(dir, "checkout", "-q", "--", ".");
  writeFileSync(path.join(dir, "app/.env"), "API_TOKEN=\n");
  const files = filesWithFindings(dir, ["--changed-since", "HEAD"]).files;
  assert.ok(files.includes("app/Dockerfile"), files.join());
  assert.ok(files.every((f) => f === "app/Dockerfile" || f === "app/.env"), files.join());
});

test("a changed Dockerfile re-lints the compose files whose services build it", () => {
  const dir = dependentsRepo();
  appendFileSync(path.join(dir, "app/Dockerfile"), "EXPOSE 8080\n");
  const files = filesWithFindings(dir, ["--changed-since", "HEAD"]).files;
  assert.deepEqual(files, ["app/Dockerfile", "docker-compose.yml"]);

  git(dir, "checkout", "-q", "--", ".");
  appendFileSync(path.join(dir, "other/Dockerfile"), "EXPOSE 8080\n");
  assert.deepEqual(filesWithFindings(dir, ["--changed-since", "HEAD"]).files, ["other/Dockerfile"], "no compose service builds other/");
});

test("a changed NetworkPolicy re-lints the workloads of its namespace only", () => {
  const dir = dependentsRepo();
  const all = filesWithFindings(dir, []).files;
  assert.ok(all.includes("k8s/prod-app.yaml") && all.includes("k8s/dev-app.yaml"));
  writeFileSync(path.join(dir, "k8s/prod-netpol.yaml"), readFile(dir, "k8s/prod-netpol.yaml").replace("[Ingress]", "[Ingress, Egress]"));
  const files = filesWithFindings(dir, ["--changed-since", "HEAD"]).files;
  assert.ok(files.includes("k8s/prod-app.yaml"), files.join());
  assert.ok(!files.includes("k8s/dev-app.yaml"), files.join());
  assert.ok(files.every((f) => f.startsWith("k8s/prod-")), files.join());

  // A deleted manifest might have been a policy of any namespace: every workload is re-linted.
  git(dir, "checkout", "-q", "--", ".");
  rmSync(path.join(dir, "k8s/prod-netpol.yaml"));
  const afterDelete = filesWithFindings(dir, ["--changed-since", "HEAD"]).files;
  assert.ok(afterDelete.includes("k8s/prod-app.yaml") && afterDelete.includes("k8s/dev-app.yaml"), afterDelete.join());
});

test("a changed binding re-lints the workloads and roles it grants; a changed Ingress re-lints its namespace's Services", () => {
  const rbac = (subject: string) =>
    [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: ClusterRoleBinding",
      "metadata: { name: bot }",
      "roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }",
      `subjects: [{ kind: ServiceAccount, name: ${subject}, namespace: prod }]`,
      "",
    ].join("\n");
  const service = ["apiVersion: v1", "kind: Service", "metadata: { name: web, namespace: prod }", "spec: { type: NodePort, ports: [{ port: 8080 }] }", ""].join("\n");
  const ingress = (backend: string) =>
    [
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata: { name: web, namespace: prod }",
      `spec: { tls: [{ secretName: web-tls }], defaultBackend: { service: { name: ${backend}, port: { number: 8080 } } } }`,
      "",
    ].join("\n");
  const dir = writeTree({ "k8s/app.yaml": deployment("prod"), "k8s/rbac.yaml": rbac("nobody"), "k8s/service.yaml": service, "k8s/ingress.yaml": ingress("web") });
  gitCommitAll(dir);
  const ruleFiles = (args: string[], rule: string) => [...new Set(filesWithFindings(dir, args).findings.filter((f) => f.ruleId === rule).map((f) => f.file))];

  // The binding now grants cluster-admin to the Deployment's ServiceAccount: the unchanged Deployment gets the finding.
  writeFileSync(path.join(dir, "k8s/rbac.yaml"), rbac("default"));
  assert.deepEqual(ruleFiles(["--changed-since", "HEAD"], "k8s/workload-privileged-service-account"), ["k8s/app.yaml"]);

  // The Ingress no longer routes to the NodePort Service: the unchanged Service is now exposed for nothing.
  git(dir, "checkout", "-q", "--", ".");
  assert.deepEqual(ruleFiles([], "k8s/service-exposed"), []);
  writeFileSync(path.join(dir, "k8s/ingress.yaml"), ingress("other"));
  assert.deepEqual(ruleFiles(["--changed-since", "HEAD"], "k8s/service-exposed"), ["k8s/service.yaml"]);
});

test("a changed Namespace (its pod-security labels) re-lints the workloads of that namespace, custom resources included", () => {
  const dir = writeTree({
    "k8s/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n",
    "k8s/prod-app.yaml": deployment("prod"),
    "k8s/prod-rollout.yaml": deployment("prod").replace("apiVersion: apps/v1\nkind: Deployment", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout"),
    "k8s/dev-app.yaml": deployment("dev"),
  });
  gitCommitAll(dir);
  writeFileSync(path.join(dir, "k8s/ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n");
  const run = filesWithFindings(dir, ["--changed-since", "HEAD"]);
  assert.deepEqual(run.files, ["k8s/prod-app.yaml", "k8s/prod-rollout.yaml"]);
  assert.ok(run.findings.some((f) => f.file === "k8s/prod-rollout.yaml" && f.level === "error" && /would reject/.test(f.message)));
});

test("a changed configuration file re-lints everything", () => {
  const dir = dependentsRepo();
  const all = filesWithFindings(dir, []).files;
  writeFileSync(path.join(dir, ".bulkhead.yml"), "preset: recommended\n");
  assert.deepEqual(filesWithFindings(dir, ["--changed-since", "HEAD"]).files, all);
});

function readFile(dir: string, rel: string): string {
  return readFileSync(path.join(dir, rel), "utf8");
}

test("a changed kustomization re-lints the files of its build; a changed project .env re-lints its compose files", () => {
  const dir = writeTree({
    "base/app.yaml": deployment("default"),
    "base/kustomization.yaml": "resources:\n- app.yaml\n",
    "overlays/prod/kustomization.yaml": "resources:\n- ../../base\n",
    "other/app.yaml": deployment("other"),
    "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n",
    ".env": "TAG=1.27\n",
  });
  gitCommitAll(dir);
  appendFileSync(path.join(dir, "overlays/prod/kustomization.yaml"), "images:\n- name: bot\n  newTag: latest\n");
  const files = filesWithFindings(dir, ["--changed-since", "HEAD"]).files;
  assert.ok(files.includes("base/app.yaml") && files.includes("overlays/prod/kustomization.yaml"), files.join());
  assert.ok(!files.includes("other/app.yaml"), files.join());

  git(dir, "checkout", "-q", "--", ".");
  writeFileSync(path.join(dir, ".env"), "TAG=latest\n");
  const run = filesWithFindings(dir, ["--changed-since", "HEAD"]);
  assert.ok(run.findings.some((f) => f.file === "compose.yaml" && f.ruleId === "compose/image-unpinned"), run.files.join());
});

test("--changed-since reads no unchanged source or doc file, and a changed Dockerfile still sees the credential file of its context", () => {
  const key = ["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW", "QyNTUxOQAAACBmZXNvbWVrZXlieXRlc2Zvcmx0ZXN0aW5nb25seTEyMzQ1AAAAoGZhbGtl", "-----END OPENSSH PRIVATE KEY-----", ""].join("\n");
  const dir = writeTree({
    Dockerfile: 'FROM python:3.11-slim\nCOPY . /app\nUSER 1000\nCMD ["python", "/app/src/app.py"]\n',
    id_rsa: key,
    "src/app.py": 'import os\nDB_PASSWORD = "Xk9#mPq2$vLr8!wZ"\n',
    "docs/notes.md": "# Notes\n",
  });
  gitCommitAll(dir);
  const report = (args: string[]) => {
    const run = runCli(["-f", "json", "--fail-on", "never", ...args], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as { filesScanned: number; findings: Finding[] };
    return { filesScanned: r.filesScanned, findings: r.findings.map((f) => `${f.ruleId} ${f.file}:${f.region.startLine}`).sort() };
  };
  const whole = report([]);
  assert.equal(whole.filesScanned, 4);
  assert.deepEqual(whole.findings, ["docker/context-leaks-secrets Dockerfile:2", "repo/committed-credentials id_rsa:1", "repo/hardcoded-secret src/app.py:2"]);

  appendFileSync(path.join(dir, "Dockerfile"), "# a comment\n");
  // Only the Dockerfile is read (id_rsa, src/app.py and docs/notes.md are "text" files that did
  // not change); the leak of id_rsa is found all the same, read from disk by the rule.
  assert.deepEqual(report(["--changed-since", "HEAD"]), { filesScanned: 1, findings: ["docker/context-leaks-secrets Dockerfile:2"] });

  // A changed configuration reports every file: every file is read.
  writeFileSync(path.join(dir, ".bulkhead.yml"), "preset: recommended\n");
  const all = report(["--changed-since", "HEAD"]);
  assert.equal(all.filesScanned, 5);
  assert.deepEqual(all.findings, whole.findings);
});
