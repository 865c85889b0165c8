// What real repositories hold and bulkhead must read as their tools do: YAML that kubectl
// accepts, compose files by any name, templates, test data and vendored code, binary files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lint, type LintResult } from "../src/index.ts";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

function repo(files: Record<string, string>, untracked: string[] = []): string {
  const dir = writeTree(files);
  gitCommitAll(dir, untracked);
  return dir;
}

/** Where the unsuppressed findings of a rule are: `file:line:column`. */
const at = (result: LintResult, ruleId: string) =>
  result.findings.filter((f) => f.ruleId === ruleId && !f.suppressions).map((f) => `${f.file}:${f.region.startLine}:${f.region.startColumn}`);

const rulesIn = (result: LintResult, file: string) => [...new Set(result.findings.filter((f) => f.file === file).map((f) => f.ruleId))].sort();

// A CRD as code generators write its CEL rules: the continuation lines of a single-quoted
// scalar are indented at the column of the sequence item, left of the key they belong to.
const CRD_WITH_CEL = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: routes.example.io
spec:
  group: example.io
  names: {kind: Route, plural: routes}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          parentRefs:
            type: array
            x-kubernetes-validations:
              - message: sectionName must be unique
                rule: 'self.all(p1, self.exists_one(p2, p1.name == p2.name
              && p1.sectionName == p2.sectionName || p1.sectionName == ''''))'
              - message: at most one default
                rule: "self.filter(p, p.default).size()
              <= 1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: router
  annotations:
    example.io/description: 'routes traffic
  to the backends'
spec:
  selector: {matchLabels: {app: router}}
  template:
    metadata: {labels: {app: router}}
    spec:
      containers:
      - name: router
        image: registry.example.com/router:1.2.0
        securityContext:
          privileged: true
`;

test("quoted scalars with continuation lines left of their key parse as kubectl reads them; findings keep their positions", async () => {
  const dir = repo({ "crds/routes.yaml": CRD_WITH_CEL });
  const result = await lint({ cwd: dir });
  assert.deepEqual(result.parseErrors, []);
  // After two repaired scalars (and one in the same document above it), at the value itself.
  const lines = CRD_WITH_CEL.split("\n");
  const line = lines.findIndex((l) => l.includes("privileged: true")) + 1;
  assert.deepEqual(at(result, "k8s/privileged"), [`crds/routes.yaml:${line}:${lines[line - 1].indexOf("true") + 1}`]);
  const router = result.findings.find((f) => f.ruleId === "k8s/run-as-non-root");
  assert.equal(router?.region.startLine, lines.findIndex((l) => l.includes("- name: router")) + 1);
});

test("a quoted scalar that never closes is still a parse error, at the line the yaml library reports", async () => {
  const dir = repo({ "bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 'open\n  b: c\n" });
  const result = await lint({ cwd: dir });
  assert.equal(result.parseErrors.length, 1);
  assert.equal(result.parseErrors[0].file, "bad.yaml");
});

test("concatenated JSON objects are read as a stream of objects, as kubectl reads them", async () => {
  const deployment = JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api" },
    spec: { selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { hostNetwork: true, containers: [{ name: "api", image: "api:1.0" }] } } },
  });
  const text = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "fast"}}\n${deployment}\n`;
  const dir = repo({ "manifests/stream.json": text });
  const result = await lint({ cwd: dir });
  assert.deepEqual(result.parseErrors, []);
  assert.deepEqual(at(result, "k8s/host-namespace"), [`manifests/stream.json:2:${deployment.indexOf('"hostNetwork":true') + '"hostNetwork":'.length + 1}`]);
});

test("line breaks written as lone carriage returns parse", async () => {
  const dir = repo({ "notes.yaml": "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: notes\rdata:\r  a: b\r" });
  const result = await lint({ cwd: dir });
  assert.deepEqual(result.parseErrors, []);
});

test("Go templates outside a Helm chart are a note, not a parse error", async () => {
  const dir = repo({
    "manifests/gateway.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Name }}\n  labels:\n    {{- toYaml .Labels | nindent 4 }}\nspec:\n  replicas: {{ .Replicas }}\n",
    "manifests/plain.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata: [unclosed\n",
  });
  const result = await lint({ cwd: dir });
  assert.deepEqual(
    result.parseErrors.map((f) => f.file),
    ["manifests/plain.yaml"],
  );
  const note = result.findings.find((f) => f.file === "manifests/gateway.yaml");
  assert.equal(note?.ruleId, "bulkhead/file-skipped");
  assert.match(note!.message, /a template \(`\{\{ … \}\}` directives\) that is not YAML until rendered; not checked/);
});

const SERVICE = "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n";

test("compose files by name: docker-compose_*.yml, *.compose.yaml, docker-stack*.yml", async () => {
  const dir = repo({
    "docker-compose_test.yml": SERVICE,
    "deploy/app.compose.yaml": SERVICE,
    "swarm/docker-stack.yml": "version: '3.8'\n" + SERVICE,
  });
  const result = await lint({ cwd: dir });
  assert.deepEqual(at(result, "compose/privileged"), ["deploy/app.compose.yaml:4:17", "docker-compose_test.yml:4:17", "swarm/docker-stack.yml:5:17"]);
});

test("compose files by content: a compose-shaped stack.yml is one; CI files, Kubernetes manifests and other YAML with services are not", async () => {
  const dir = repo({
    "stack.yml": "version: '3.8'\nx-logging: &logging\n  driver: json-file\n" + SERVICE + "    logging: *logging\n    deploy:\n      replicas: 2\nnetworks:\n  default: {}\n",
    // Haskell's Stack: no services at all.
    "haskell/stack.yaml": "resolver: lts-22.0\npackages:\n- .\n",
    // GitLab CI: a list of services, and jobs.
    ".gitlab-ci.yml": "services:\n  - postgres:16\ntest:\n  image: node:22\n  script: [npm test]\n",
    // Woodpecker CI: services next to steps.
    ".woodpecker.yml": "steps:\n  test:\n    image: node:22\n    privileged: true\nservices:\n  db:\n    image: postgres:16\n    privileged: true\n",
    // Something else with a services map: a service catalog.
    "catalog.yaml": "services:\n  billing:\n    owner: team-a\n    image: billing\n    tier: 1\n",
  });
  const result = await lint({ cwd: dir });
  assert.deepEqual(at(result, "compose/privileged"), ["stack.yml:7:17"]);
  for (const file of ["haskell/stack.yaml", ".gitlab-ci.yml", ".woodpecker.yml", "catalog.yaml"]) {
    assert.deepEqual(rulesIn(result, file).filter((r) => r.startsWith("compose/")), [], file);
  }
});

test("the compose setting declares compose files that neither name nor shape reveals", async () => {
  const files = {
    // Every service extends one from another file: no image or build of its own.
    "deploy/prod.yml": "services:\n  web:\n    extends: {file: base.yml, service: web}\n    privileged: true\n",
    "deploy/base.yml": "services:\n  web:\n    image: nginx:1.27\n",
  };
  const without = await lint({ cwd: repo(files) });
  assert.deepEqual(at(without, "compose/privileged"), []);
  const dir = repo({ ...files, ".bulkhead.yml": "compose: ['deploy/*.yml']\n" });
  const result = await lint({ cwd: dir });
  assert.deepEqual(at(result, "compose/privileged"), ["deploy/prod.yml:4:17"]);
  // An invalid value is a configuration error naming the key.
  const bad = runCli([], { cwd: repo({ ".bulkhead.yml": "compose: deploy/*.yml\n" }) });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /"compose" must be array/);
});

const PRIVILEGED_POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n";
const SLACK_TOKEN = "xoxb-2741098357-4826153094718-Zk3Lq8Wv2Nx7Bp4Rt9Ym6Hc";
const PASSWORD_LINE = 'DB_PASSWORD = "q8Zr4Lx2Vn7Tb1Kp9Yw3Hs6M"\n';

const TEST_DATA_TREE = {
  "deploy/pod.yaml": PRIVILEGED_POD,
  "pkg/provider/fixtures/pod.yaml": PRIVILEGED_POD,
  "pkg/provider/fixtures/broken.yaml": "apiVersion: v1\nkind: ConfigMap\ndata: [unclosed\n",
  "pkg/provider/fixtures/suppressed.yaml": "# bulkhead-disable-file k8s/privileged -- a fixture of the provider's tests\n" + PRIVILEGED_POD,
  "pkg/provider/testdata/settings.py": PASSWORD_LINE,
  "vendor/github.com/acme/lib/config.py": `SLACK = "${SLACK_TOKEN}"\n`,
  "docs/guide/compose.yaml": SERVICE,
  "settings.py": PASSWORD_LINE,
};

test("test data, fixtures, vendored code and docs: no workload rules, no parse errors, only known token formats", async () => {
  const dir = repo(TEST_DATA_TREE);
  const result = await lint({ cwd: dir });
  assert.deepEqual(at(result, "k8s/privileged"), ["deploy/pod.yaml:10:19"]);
  assert.deepEqual(at(result, "compose/privileged"), []);
  assert.deepEqual(result.parseErrors, []);
  // The rule does not run there: its suppression is not "unused".
  assert.deepEqual(at(result, "bulkhead/unused-suppression"), []);
  // A secret-named value is reported outside test data only; a Slack token everywhere.
  assert.deepEqual(at(result, "repo/hardcoded-secret"), ["settings.py:1:16", "vendor/github.com/acme/lib/config.py:1:10"]);
  assert.deepEqual(result.testData, { files: 6, by: { "docs/": 1, "fixtures/": 3, "testdata/": 1, "vendor/": 1 } });

  // The text report says how many files were treated so, and by what.
  const text = runCli(["--fail-on", "never"], { cwd: dir });
  assert.match(
    text.stdout,
    /\n6 files in test data, fixtures, vendored code or docs \(fixtures\/ 3, docs\/ 1, testdata\/ 1, vendor\/ 1\): only secrets in known token formats were checked there \(setting `testData` in \.bulkhead\.yml\)\n$/,
  );
  const json = JSON.parse(runCli(["-f", "json", "--fail-on", "never"], { cwd: dir }).stdout) as { testData: LintResult["testData"] };
  assert.deepEqual(json.testData, result.testData);
  const sarif = JSON.parse(runCli(["-f", "sarif", "--fail-on", "never"], { cwd: dir }).stdout) as { runs: { invocations: { properties?: unknown }[] }[] };
  assert.deepEqual(sarif.runs[0].invocations[0].properties, { testData: result.testData });
});

test("testData is configurable both ways: more paths, exceptions, or no defaults", async () => {
  const more = await lint({ cwd: repo({ ...TEST_DATA_TREE, ".bulkhead.yml": "testData:\n  paths: ['deploy/**']\n  except: ['pkg/provider/fixtures/pod.yaml']\n" }) });
  assert.deepEqual(at(more, "k8s/privileged"), ["pkg/provider/fixtures/pod.yaml:10:19"]);
  assert.equal(more.testData.by["deploy/**"], 1);

  const none = await lint({ cwd: repo({ ...TEST_DATA_TREE, ".bulkhead.yml": "testData:\n  defaults: false\n" }) });
  assert.deepEqual(at(none, "k8s/privileged"), ["deploy/pod.yaml:10:19", "pkg/provider/fixtures/pod.yaml:10:19"]);
  assert.deepEqual(none.parseErrors.map((f) => f.file), ["pkg/provider/fixtures/broken.yaml"]);
  assert.deepEqual(none.testData, { files: 0, by: {} });

  // A directory named on the command line is checked as a project of its own.
  const named = await lint({ cwd: repo(TEST_DATA_TREE), paths: ["pkg/provider/fixtures"] });
  assert.deepEqual(at(named, "k8s/privileged"), ["pkg/provider/fixtures/pod.yaml:10:19"]);
});

test("committed node_modules is scanned as vendored code; installed packages git ignores are not walked", async () => {
  const dir = repo(
    {
      ".gitignore": "node_modules/\n",
      "node_modules/left-pad/index.js": "module.exports = (s) => s;\n",
      "tools/node_modules/vendored/config.js": `module.exports = { slack: "${SLACK_TOKEN}" };\n`,
      "tools/node_modules/vendored/Dockerfile": "FROM node:22\n",
    },
    ["node_modules"],
  );
  // git tracks tools/node_modules (force-added) although .gitignore matches it.
  const tracked = execFileSync("git", ["ls-files"], { cwd: dir, encoding: "utf8" });
  assert.match(tracked, /tools\/node_modules\/vendored\/config\.js/);
  assert.doesNotMatch(tracked, /left-pad/);
  const result = await lint({ cwd: dir });
  assert.deepEqual(at(result, "repo/hardcoded-secret"), ["tools/node_modules/vendored/config.js:1:28"]);
  assert.deepEqual(at(result, "docker/user-not-root"), []);
  assert.deepEqual(result.testData, { files: 2, by: { "node_modules/": 2 } });
  assert.ok(!result.findings.some((f) => f.file.startsWith("node_modules/")));
});

test("binary files: one line in the text, markdown, GitHub and JUnit reports, one note each in JSON", async () => {
  const png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  const dir = repo({ "a.png": png, "img/b.png": png, "img/c.bin": png, Dockerfile: "FROM alpine:3.20\nUSER app\n" });
  const json = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as { findings: { file: string; ruleId: string }[] };
  assert.deepEqual(
    json.findings.filter((f) => f.ruleId === "bulkhead/file-skipped").map((f) => f.file),
    ["a.png", "img/b.png", "img/c.bin"],
  );
  const text = runCli([], { cwd: dir }).stdout;
  assert.doesNotMatch(text, /a\.png/);
  assert.match(text, /^✔ no problems in 1 file\n3 binary files not scanned \(the JSON and SARIF reports list them\)\n$/m);
  const markdown = runCli(["-f", "markdown"], { cwd: dir }).stdout;
  assert.doesNotMatch(markdown, /c\.bin/);
  assert.match(markdown, /3 binary files not scanned/);
  const github = runCli(["-f", "github"], { cwd: dir }).stdout;
  assert.equal(github, "::notice title=bulkhead::3 binary files not scanned (the JSON and SARIF reports list them)\n");
  const junit = runCli(["-f", "junit"], { cwd: dir }).stdout;
  assert.doesNotMatch(junit, /a\.png/);
  assert.match(junit, /<testsuites name="bulkhead" tests="1" failures="0" errors="0" skipped="1">/);
  assert.match(junit, /<testcase name="binary files" classname="bulkhead">\n      <skipped message="3 binary files not scanned/);
});
