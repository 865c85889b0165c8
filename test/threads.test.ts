// The text rules (repo/hardcoded-secret, repo/hardcoded-phone-number), Dockerfile and YAML
// parsing run on a worker thread on large runs. Whether they do must never change a report: same
// findings, levels, options, overrides, `secrets.allow` and suppressions as on the main thread.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generateTree } from "../bench/generate.ts";
import { lint } from "../src/index.ts";
import { gitCommitAll, tmpDir, writeTree } from "./helpers.ts";

test("text rules and Dockerfile parsing give the same findings on a worker thread as on the main thread", async () => {
  const dir = tmpDir("bulkhead-threads-");
  try {
    generateTree(dir, 300);
    rmSync(path.join(dir, ".git"), { recursive: true, force: true });
    writeTree(
      {
        ".bulkhead.yml": [
          "secrets:",
          "  allow: ['^allowed-[a-z0-9]+$']",
          "overrides:",
          "  - files: ['legacy/**']",
          "    rules: { repo/hardcoded-secret: off }",
          "  - files: ['strict/**']",
          "    rules: { repo/hardcoded-phone-number: error }",
          "",
        ].join("\n"),
        "legacy/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\n',
        "strict/notify.py": 'SIGNAL_SENDER = "+15550100200"\n',
        "app/notify.py": 'RECIPIENT_NUMBER = "+15550100201"\n',
        "app/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\nSECRET_KEY = "allowed-0x9f8e7d6c5b4a"\n',
        "empty/Dockerfile": "# only a comment\n",
        "broken/Dockerfile": "FROM python:3.12-slim\nRUN pip install flask \\\n",
        "app/suppressed.py": '# bulkhead-disable-next-line repo/hardcoded-secret -- fixture\nAPI_TOKEN = "Hx8wPq2Lm9Vb3Nc7Kd5Rt1Zs"\n',
      },
      dir,
    );
    gitCommitAll(dir);

    const worker = await lint({ cwd: dir, threads: true });
    const main = await lint({ cwd: dir, threads: false });
    assert.equal(worker.timing.textWorker, true, "the worker did not deliver the text rules' results");
    assert.equal(main.timing.textWorker, false);
    assert.deepEqual(worker.findings, main.findings);

    const of = (file: string, rule: string) => main.findings.filter((f) => f.file === file && f.ruleId === rule);
    assert.equal(of("legacy/settings.py", "repo/hardcoded-secret").length, 0, "an override turned the rule off there");
    assert.deepEqual(
      of("app/settings.py", "repo/hardcoded-secret").map((f) => [f.region.startLine, f.region.startColumn, f.level]),
      [[1, 14, "error"]],
      "SECRET_KEY's value is allowed by secrets.allow",
    );
    assert.deepEqual(of("strict/notify.py", "repo/hardcoded-phone-number").map((f) => f.level), ["error"]);
    assert.deepEqual(of("app/notify.py", "repo/hardcoded-phone-number").map((f) => f.level), ["warning"]);
    assert.equal(of("app/suppressed.py", "repo/hardcoded-secret")[0]?.suppressions?.[0]?.justification, "fixture");
    assert.ok(main.findings.filter((f) => f.ruleId === "repo/hardcoded-secret").length > 5);
    assert.deepEqual(
      main.findings.filter((f) => f.file === "empty/Dockerfile").map((f) => f.ruleId),
      ["bulkhead/file-skipped"],
      "an empty Dockerfile is noted",
    );
    assert.ok(main.findings.filter((f) => f.ruleId.startsWith("docker/")).length > 10, `docker findings: ${main.findings.filter((f) => f.ruleId.startsWith("docker/")).length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("YAML parsed on the worker thread gives the same findings as on the main thread", async () => {
  // Enough YAML files that the main thread parses some itself while the worker is behind (and
  // checks every file in turn), and the shapes whose trees are handed over: anchors, aliases and
  // merge keys (shared nodes), YAML 1.1 octal and booleans, a compose file by its content, a
  // Kustomize patch, a template, syntax errors, duplicate keys, a stream of JSON objects.
  const dir = tmpDir("bulkhead-threads-yaml-");
  try {
    generateTree(dir, 400);
    rmSync(path.join(dir, ".git"), { recursive: true, force: true });
    writeTree(
      {
        "zz/compose/docker-compose.yml": ["x-defaults: &defaults", "  restart: always", "  privileged: true", "services:", "  web:", "    <<: *defaults", "    image: nginx:1.27", "  worker:", "    <<: *defaults", "    image: busybox:1.36", "    privileged: false", ""].join("\n"),
        "zz/compose/stack.yml": ["services:", "  api:", "    image: example/api:2.1", "    environment:", '      DB_PASSWORD: "Vq93-pLx7-Rt2m-Kd8w"', ""].join("\n"),
        "zz/deploy/base/app.yaml": [
          "apiVersion: apps/v1",
          "kind: Deployment",
          "metadata:",
          "  name: app",
          "  labels: &labels",
          "    app: app",
          "spec:",
          "  selector:",
          "    matchLabels: *labels",
          "  template:",
          "    metadata:",
          "      labels: *labels",
          "    spec:",
          "      containers:",
          "        - name: app",
          "          image: example/app:1.0",
          "          securityContext:",
          "            privileged: yes",
          "      volumes:",
          "        - name: creds",
          "          secret:",
          "            secretName: app-credentials",
          "            defaultMode: 0644",
          "",
        ].join("\n"),
        "zz/deploy/base/kustomization.yaml": "resources:\n  - app.yaml\n",
        "zz/deploy/overlay/kustomization.yaml": "resources:\n  - ../base\npatches:\n  - path: patch.yaml\n",
        "zz/deploy/overlay/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      hostNetwork: true\n",
        "zz/tmpl/job.yaml": "apiVersion: batch/v1\nkind: Job\nspec:\n  template:\n    spec:\n      containers:\n      {{- range .Containers }}\n        - name: {{ .Name }}\n      {{- end }}\n",
        "zz/broken/bad-indent.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: 1\n   b: 2\n",
        "zz/broken/dup.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n",
        "zz/broken/stream.json":
          '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1"},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}\n{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p2"},"spec":{"hostPID":true,"containers":[{"name":"c","image":"busybox:1.36"}]}}\n',
      },
      dir,
    );
    gitCommitAll(dir);

    const worker = await lint({ cwd: dir, threads: true });
    const main = await lint({ cwd: dir, threads: false });
    assert.ok(worker.timing.parsedOnWorker > 0, "the worker parsed no YAML file");
    assert.equal(main.timing.parsedOnWorker, 0);
    assert.deepEqual(worker.findings, main.findings);

    const at = (file: string, rule: string) => worker.findings.filter((f) => f.file === `zz/${file}` && f.ruleId === rule).map((f) => `${f.region.startLine}:${f.region.startColumn}`);
    assert.deepEqual(at("compose/docker-compose.yml", "compose/privileged"), ["3:15"], "web gets privileged through the merge key; worker's own key wins");
    assert.deepEqual(at("compose/stack.yml", "compose/literal-secret-env"), ["5:20"], "a compose file by its content");
    assert.deepEqual(at("deploy/base/app.yaml", "k8s/privileged"), ["18:25"], "`yes` is true in YAML 1.1");
    assert.deepEqual(at("deploy/base/app.yaml", "k8s/secret-volume-mode"), ["23:26"], "0644 is octal in YAML 1.1");
    assert.deepEqual(at("deploy/overlay/patch.yaml", "k8s/host-namespace"), ["8:20"]);
    assert.deepEqual(at("broken/bad-indent.yaml", "bulkhead/parse-error"), ["6:6"]);
    assert.deepEqual(at("broken/dup.yaml", "bulkhead/parse-error"), ["5:3"]);
    assert.deepEqual(at("broken/stream.json", "k8s/host-namespace"), ["2:76"]);
    assert.deepEqual(at("tmpl/job.yaml", "bulkhead/file-skipped"), ["1:1"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a run that fails after discovery started the worker leaves no thread running", () => {
  // The worker starts once discovery has found 2,000 files; --staged outside a git work tree is
  // an error after discovery. The library call must reject and let its process exit.
  const dir = writeTree(Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`src/m${i}.py`, `x = ${i}\n`])));
  const script = path.join(dir, "run.mjs");
  try {
    writeTree({ "run.mjs": `import { lint } from ${JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)))};\nlint({ cwd: ${JSON.stringify(dir)}, staged: true }).then(() => console.log("linted"), (err) => console.log(err.message));\n` }, dir);
    const r = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(r.error, undefined, "the process did not exit: a worker thread kept it alive");
    assert.match(r.stdout, /^--staged reports the files of git's index, and \. is not in a git work tree/);
    assert.equal(r.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a small run scans text on the main thread", async () => {
  const dir = writeTree({ "app/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\n' });
  try {
    const result = await lint({ cwd: dir });
    assert.equal(result.timing.textWorker, false);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.region.startLine, f.region.startColumn]),
      [["repo/hardcoded-secret", 1, 14]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
