// Issue 11, item 12: a baseline does not depend on the directory bulkhead runs from (findings are
// fingerprinted by their path in the repository), and a secret added to a baselined .env is new.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

const TREE = {
  ".env": "DB_PASSWORD=Xk9pQ2vLm7wRt4zN8bYq\n",
  "sub/Dockerfile": "FROM alpine\nRUN sudo apk add curl\n",
  "sub/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\nimages:\n  - name: bot\n    newTag: latest\n",
  "sub/app.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: bot}\nspec:\n  containers:\n  - name: bot\n    image: bot:1.0\n",
};

function unsuppressed(args: string[], cwd: string): { code: number | null; findings: Finding[]; suppressed: number } {
  const run = runCli(["-f", "json", ...args], { cwd });
  assert.notEqual(run.code, 2, run.stderr);
  const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  return { code: run.code, findings: findings.filter((f) => !f.suppressions?.length), suppressed: findings.filter((f) => f.suppressions?.length).length };
}

test("a baseline written at the repository root matches from its parent and from a subdirectory", () => {
  const parent = writeTree({});
  const repo = path.join(parent, "repo");
  writeTree(TREE, repo);
  gitCommitAll(repo);
  const write = runCli(["--write-baseline", ".bulkhead-baseline.json"], { cwd: repo });
  assert.equal(write.code, 0, write.stderr);
  const all = unsuppressed([], repo);
  assert.ok(all.findings.some((f) => f.file === ".env" && f.ruleId === "repo/committed-dotenv"));
  assert.ok(all.findings.some((f) => f.file === "sub/kustomization.yaml" && f.ruleId === "k8s/image-unpinned"));
  const total = all.findings.length;

  const fromParent = unsuppressed(["repo", "--baseline", "repo/.bulkhead-baseline.json"], parent);
  assert.deepEqual(fromParent.findings, []);
  assert.equal(fromParent.suppressed, total);
  assert.equal(fromParent.code, 0);

  const fromSub = unsuppressed(["..", "--baseline", "../.bulkhead-baseline.json"], path.join(repo, "sub"));
  assert.deepEqual(fromSub.findings, []);
  assert.equal(fromSub.suppressed, total);
  assert.equal(fromSub.code, 0);

  // Only the subdirectory, from inside it: its findings are the baselined ones.
  const subOnly = unsuppressed([".", "--baseline", "../.bulkhead-baseline.json"], path.join(repo, "sub"));
  assert.deepEqual(subOnly.findings, []);
  assert.ok(subOnly.suppressed > 0);
});

test("a baseline written from a subdirectory matches at the repository root", () => {
  const repo = writeTree(TREE);
  gitCommitAll(repo);
  const write = runCli(["..", "--write-baseline", "../.bulkhead-baseline.json"], { cwd: path.join(repo, "sub") });
  assert.equal(write.code, 0, write.stderr);
  const atRoot = unsuppressed(["--baseline", ".bulkhead-baseline.json"], repo);
  assert.deepEqual(atRoot.findings, []);
  assert.equal(atRoot.code, 0);
});

test("a secret added to a baselined .env is reported; a setting added is not", () => {
  const repo = writeTree(TREE);
  gitCommitAll(repo);
  assert.equal(runCli(["--write-baseline", ".bulkhead-baseline.json"], { cwd: repo }).code, 0);

  appendFileSync(path.join(repo, ".env"), "# the time zone\nTZ=Europe/Berlin\n");
  const setting = unsuppressed(["--baseline", ".bulkhead-baseline.json"], repo);
  assert.deepEqual(setting.findings, []);
  assert.equal(setting.code, 0);

  appendFileSync(path.join(repo, ".env"), "API_TOKEN=Qm8vT2xLp9RzW4yN7cB1\n");
  const secret = unsuppressed(["--baseline", ".bulkhead-baseline.json"], repo);
  assert.deepEqual(
    secret.findings.map((f) => `${f.file}:${f.region.startLine} ${f.ruleId}`),
    [".env:1 repo/committed-dotenv"],
  );
  assert.match(secret.findings[0].message, /holds credentials \(DB_PASSWORD, API_TOKEN\)/);
  assert.equal(secret.code, 1);
});
