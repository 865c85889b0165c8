// Issue 11, item 10: a file named on the command line is linted with the rest of its directory
// as context (build context, .dockerignore, .gitignore, NetworkPolicies), so `bulkhead Dockerfile`
// reports for that file what `bulkhead .` reports for it, and reports nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

interface Report {
  code: number | null;
  filesScanned: number;
  findings: Finding[];
}

function lintJson(args: string[], cwd: string): Report {
  const run = runCli(["-f", "json", ...args], { cwd });
  assert.notEqual(run.code, 2, run.stderr);
  const out = JSON.parse(run.stdout) as { filesScanned: number; findings: Finding[] };
  return { code: run.code, filesScanned: out.filesScanned, findings: out.findings };
}

const brief = (f: Finding) => `${f.file}:${f.region.startLine}:${f.region.startColumn} ${f.ruleId}`;

const DOCKERFILE = "FROM alpine:3.19\nCOPY . /app\nUSER app\n";
const DOTENV = "DB_PASSWORD=Xk9pQ2vLm7wRt4zN8bYq\n";

test("bulkhead Dockerfile sees its build context: a git-ignored .env that COPY . sends is reported, from the directory and from its parent", () => {
  const dir = writeTree({ "app/Dockerfile": DOCKERFILE, "app/.env": DOTENV, ".gitignore": ".env\n" });
  gitCommitAll(dir);
  const whole = lintJson(["app"], dir);
  const expected = whole.findings.filter((f) => f.file === "app/Dockerfile").map(brief);
  assert.deepEqual(expected, ["app/Dockerfile:2:1 docker/context-leaks-secrets"]);

  const fromParent = lintJson(["app/Dockerfile"], dir);
  assert.deepEqual(fromParent.findings.map(brief), expected);
  assert.equal(fromParent.code, 1);
  assert.equal(fromParent.filesScanned, 1);

  const inside = lintJson(["Dockerfile"], path.join(dir, "app"));
  assert.deepEqual(inside.findings.map(brief), ["Dockerfile:2:1 docker/context-leaks-secrets"]);
  assert.match(inside.findings[0].message, /\.env \(sets DB_PASSWORD\)/);

  // The text report: one file checked, one problem in it.
  const text = runCli(["Dockerfile"], { cwd: path.join(dir, "app") });
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^Dockerfile\n {2}2:1 {2}error .* docker\/context-leaks-secrets$/m);
  assert.match(text.stdout, /in 1 file of 1 scanned/);

  // The .dockerignore beside it is read too: once it excludes the .env, nothing is reported.
  writeTree({ "app/.dockerignore": ".env\n" }, dir);
  const ignored = lintJson(["Dockerfile"], path.join(dir, "app"));
  assert.deepEqual(ignored.findings.map(brief), []);
  assert.equal(ignored.code, 0);
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: bot
  namespace: apps
spec:
  selector:
    matchLabels: {app: bot}
  template:
    metadata:
      labels: {app: bot}
    spec:
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      automountServiceAccountToken: false
      containers:
      - name: bot
        image: registry.example.com/bot:1.0
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
`;
const DENY_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: apps
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

test("bulkhead deploy/app.yaml reads the NetworkPolicies beside it: the same findings as the directory run for that file", () => {
  const dir = writeTree({ "deploy/app.yaml": DEPLOYMENT, "deploy/netpol.yaml": DENY_EGRESS, "deploy/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: apps}\ndata:\n  API_TOKEN: ghp_R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u\n" });
  gitCommitAll(dir);
  const whole = lintJson(["deploy"], dir);
  assert.ok(whole.findings.some((f) => f.file === "deploy/config.yaml"), "the directory run reports the ConfigMap");
  const expected = whole.findings.filter((f) => f.file === "deploy/app.yaml").map(brief);

  const single = lintJson(["deploy/app.yaml"], dir);
  assert.deepEqual(single.findings.map(brief), expected);
  assert.ok(!single.findings.some((f) => f.ruleId === "k8s/egress-unrestricted"), "the deny-all NetworkPolicy beside it restricts egress");
  // What was read only as context is not reported, nor counted.
  assert.ok(!single.findings.some((f) => f.file !== "deploy/app.yaml"));
  assert.equal(single.filesScanned, 1);
});

test("files named and directories given together: the directory is reported in full, the named file's siblings are not", () => {
  const dir = writeTree({ "a/Dockerfile": DOCKERFILE, "a/.env": DOTENV, "a/notes.txt": `token ${"ghp_R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u"}\n`, "b/.env": DOTENV });
  gitCommitAll(dir, ["a/.env", "a/notes.txt", "b/.env"]);
  const run = lintJson(["a/Dockerfile", "b"], dir);
  const files = [...new Set(run.findings.map((f) => f.file))].sort();
  assert.deepEqual(files, ["a/Dockerfile", "b/.env"]);
  assert.ok(run.findings.some((f) => f.file === "a/Dockerfile" && f.ruleId === "docker/context-leaks-secrets"));
});
