// Custom policies (SPEC §10): policy files compiled into rules, run on bulkhead's typed targets,
// reported at the exact key or value that fails, and treated like any built-in rule.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { EXAMPLES, gitCommitAll, runCli, sarifErrors, writeTree } from "./helpers.ts";

interface JsonReport {
  findings: { ruleId: string; level: string; message: string; file: string; region: { startLine: number; startColumn: number }; logicalLocation?: string; suppressions?: unknown[] }[];
  rules: { id: string; level: string; summary: string }[];
}

/** Runs the CLI with JSON output; returns the findings of the `acme/` policies as `rule file:line:col`. */
function policyFindings(dir: string, args: string[]): { code: number | null; stderr: string; at: string[]; report: JsonReport } {
  const run = runCli(["-f", "json", ...args], { cwd: dir });
  const report = JSON.parse(run.stdout || '{"findings":[],"rules":[]}') as JsonReport;
  const at = report.findings.filter((f) => f.ruleId.startsWith("acme/")).map((f) => `${f.ruleId} ${f.file}:${f.region.startLine}:${f.region.startColumn}`);
  return { code: run.code, stderr: run.stderr, at, report };
}

const POLICY_HEAD = (id: string, target: string) => `id: ${id}\nlevel: error\nsummary: ${id} summary.\nremediation: Fix it.\ntarget: ${target}\n`;

// ---------------------------------------------------------------- Kubernetes targets

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { team: shop }
spec:
  template:
    spec:
      hostNetwork: true
      initContainers:
        - name: migrate
          image: docker.io/flyway:10
      containers:
        - name: web
          image: registry.acme.io/web:1.0
          ports:
            - containerPort: 8080
              hostPort: 80
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: jobs
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: report
              image: alpine:3.20
`;

const K8S_POLICIES = `- ${POLICY_HEAD("acme/registry", "k8s/container").replace(/\n/g, "\n  ")}assert:
    properties: { image: { pattern: "^registry\\\\.acme\\\\.io/" } }
    required: [image]
- ${POLICY_HEAD("acme/no-host-port", "k8s/container").replace(/\n/g, "\n  ")}assert:
    properties: { ports: { items: { properties: { hostPort: false } } } }
- ${POLICY_HEAD("acme/team-label", "k8s/object").replace(/\n/g, "\n  ")}kinds: [Deployment, CronJob]
  assert:
    properties: { metadata: { properties: { labels: { required: [team] } }, required: [labels] } }
- ${POLICY_HEAD("acme/no-host-network", "k8s/pod-spec").replace(/\n/g, "\n  ")}assert:
    properties: { hostNetwork: { const: false } }
- ${POLICY_HEAD("acme/service-account", "k8s/pod-spec").replace(/\n/g, "\n  ")}assert:
    required: [serviceAccountName]
`;

test("k8s targets: containers (init containers, CronJob), objects and pod specs of a multi-document manifest, at the failing key or value", () => {
  const dir = writeTree({ "deploy/app.yaml": MANIFEST, "policies/k8s.yml": K8S_POLICIES });
  const run = policyFindings(dir, ["deploy", "--policy", "policies/k8s.yml"]);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 1);
  assert.deepEqual(run.at.sort(), [
    "acme/no-host-network deploy/app.yaml:9:20", // the value `true`
    "acme/no-host-port deploy/app.yaml:18:25", // the hostPort value
    "acme/registry deploy/app.yaml:12:18", // the init container's image
    "acme/registry deploy/app.yaml:33:22", // the CronJob's container's image
    "acme/service-account deploy/app.yaml:8:5", // missing: the pod spec's `spec:` key
    "acme/service-account deploy/app.yaml:30:9",
    "acme/team-label deploy/app.yaml:22:1", // labels missing: the `metadata:` key that should hold them
  ].sort());
  const image = run.report.findings.find((f) => f.ruleId === "acme/registry" && f.region.startLine === 12)!;
  assert.equal(image.message, 'init container "migrate" in Deployment default/web: image does not match ^registry\\.acme\\.io/. acme/registry summary.');
  assert.equal(image.logicalLocation, "Deployment default/web initContainers[migrate]");
});

test("k8s targets: a missing container field is reported at the container's `- name:` entry; kinds and files narrow a policy", () => {
  const manifest = "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: a\n      image: registry.acme.io/a:1\n    - image: registry.acme.io/b:1\n";
  const policies = `- ${POLICY_HEAD("acme/limits", "k8s/container").replace(/\n/g, "\n  ")}assert: { required: [resources] }
- ${POLICY_HEAD("acme/only-deployments", "k8s/object").replace(/\n/g, "\n  ")}kinds: [Deployment]
  assert: false
- ${POLICY_HEAD("acme/only-prod", "k8s/object").replace(/\n/g, "\n  ")}files: ["prod/**"]
  assert: false
`;
  const dir = writeTree({ "pod.yaml": manifest, "prod/pod.yaml": manifest, "p.yml": policies });
  const run = policyFindings(dir, ["--policy", "p.yml"]);
  assert.deepEqual(run.at.sort(), [
    "acme/limits pod.yaml:6:7", // `name:` of container a
    "acme/limits pod.yaml:8:7", // a container without a name: its first key
    "acme/limits prod/pod.yaml:6:7",
    "acme/limits prod/pod.yaml:8:7",
    "acme/only-prod prod/pod.yaml:2:1", // the whole object failed: its `kind:` entry
  ].sort());
});

// ---------------------------------------------------------------- compose targets

const COMPOSE = `x-common: &common
  restart: always
  network_mode: host
services:
  web:
    <<: *common
    image: nginx:1.27
    mem_limit: 256m
  worker:
    <<: *common
    image: acme/worker:1
  nightly:
    extends: worker
    deploy:
      resources:
        limits: { memory: 128m }
`;

const COMPOSE_POLICIES = `- ${POLICY_HEAD("acme/memory", "compose/service").replace(/\n/g, "\n  ")}assert:
    anyOf:
      - required: [mem_limit]
      - required: [deploy]
  message: "{{label}} has no memory limit"
- ${POLICY_HEAD("acme/no-host-network", "compose/service").replace(/\n/g, "\n  ")}assert:
    properties: { network_mode: { not: { const: host } } }
  message: "{{label}} uses network_mode {{value}}"
- ${POLICY_HEAD("acme/restart", "compose/service").replace(/\n/g, "\n  ")}assert:
    properties: { restart: { const: unless-stopped } }
- ${POLICY_HEAD("acme/named-project", "compose/file").replace(/\n/g, "\n  ")}assert:
    required: [name]
`;

test("compose targets: merge keys and same-file extends applied; a value the merge key shares is reported once, at the anchor, naming every service", () => {
  const dir = writeTree({ "docker-compose.yml": COMPOSE, "policies/compose.yml": COMPOSE_POLICIES });
  const run = policyFindings(dir, ["--policy", "policies/compose.yml"]);
  assert.equal(run.stderr, "");
  assert.deepEqual(run.at.sort(), [
    "acme/memory docker-compose.yml:9:3", // worker: neither mem_limit nor deploy (nightly has deploy, and inherits the rest)
    "acme/named-project docker-compose.yml:1:1", // missing at the file: its first key
    "acme/no-host-network docker-compose.yml:3:17", // the anchored value, once
    "acme/restart docker-compose.yml:2:12",
  ].sort());
  const shared = run.report.findings.find((f) => f.ruleId === "acme/no-host-network")!;
  assert.equal(shared.message, 'services "web", "worker", "nightly" uses network_mode host');
  assert.equal(shared.logicalLocation, "service web, service worker, service nightly");
  assert.equal(run.report.findings.find((f) => f.ruleId === "acme/memory")!.message, 'service "worker" has no memory limit');
});

// ---------------------------------------------------------------- Dockerfile targets

const DOCKERFILE = `ARG GO=1.23
FROM golang:\${GO} AS build
RUN apt-get update && apt-get upgrade -y
RUN --mount=type=cache,target=/root/.cache go build -o /app .
FROM --platform=linux/amd64 alpine:3.20
COPY --from=build /app /app
RUN apt-get upgrade
USER root
`;

const DOCKER_POLICIES = `- ${POLICY_HEAD("acme/base-image", "dockerfile/stage").replace(/\n/g, "\n  ")}when: { properties: { final: { const: true } } }
  assert:
    properties:
      image: { const: registry.acme.io/base }
      user: { not: { const: root } }
    required: [digest]
- ${POLICY_HEAD("acme/build-stage-named", "dockerfile/stage").replace(/\n/g, "\n  ")}when: { properties: { final: { const: false } } }
  assert:
    properties: { name: { pattern: "^builder$" }, tag: { pattern: "^1\\\\.22" } }
- ${POLICY_HEAD("acme/no-upgrade", "dockerfile/instruction").replace(/\n/g, "\n  ")}when: { properties: { keyword: { const: RUN } } }
  assert:
    properties: { args: { not: { contains: { const: upgrade } } } }
- ${POLICY_HEAD("acme/no-cache-mount", "dockerfile/instruction").replace(/\n/g, "\n  ")}assert:
    properties: { flags: { propertyNames: { not: { const: mount } } } }
`;

test("dockerfile targets: stages (ARG expanded, final only via when) and instructions of a multi-stage Dockerfile, at the argument or flag", () => {
  const dir = writeTree({ "app/Dockerfile": DOCKERFILE, "p.yml": DOCKER_POLICIES });
  const run = policyFindings(dir, ["--policy", "p.yml"]);
  assert.equal(run.stderr, "");
  assert.deepEqual(run.at.sort(), [
    "acme/base-image app/Dockerfile:5:1", // no digest: the stage's FROM
    "acme/base-image app/Dockerfile:5:29", // the image argument
    "acme/base-image app/Dockerfile:8:1", // USER root
    "acme/build-stage-named app/Dockerfile:2:6", // `golang:${GO}` resolves to golang:1.23
    "acme/build-stage-named app/Dockerfile:2:22", // the stage name `build`
    "acme/no-cache-mount app/Dockerfile:4:5", // the --mount flag
    "acme/no-upgrade app/Dockerfile:3:1",
    "acme/no-upgrade app/Dockerfile:7:1",
  ].sort());
  const stage = run.report.findings.find((f) => f.ruleId === "acme/base-image" && f.region.startColumn === 29)!;
  assert.equal(stage.message, 'final stage 1 (FROM alpine:3.20): image is not "registry.acme.io/base". acme/base-image summary.');
});

// ---------------------------------------------------------------- safety

test("ReDoS: a catastrophic pattern on a hostile value completes (RE2 semantics, linear time)", () => {
  const hostile = `${"a".repeat(50_000)}!`;
  const dir = writeTree({
    "pod.yaml": `apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: "${hostile}"\n`,
    "p.yml": `${POLICY_HEAD("acme/redos", "k8s/container")}assert:\n  properties: { image: { pattern: "^(a+)+$" } }\n`,
  });
  // With backtracking (JavaScript's RegExp) this would not finish in the lifetime of the test
  // runner: 2^50000 paths. The bound is generous; RE2 takes milliseconds.
  const started = Date.now();
  const run = runCli(["-f", "json", "--policy", "p.yml", "pod.yaml"], { cwd: dir });
  assert.ok(Date.now() - started < 30_000, "the run completes");
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.deepEqual(report.findings.filter((f) => f.ruleId === "acme/redos").map((f) => f.region.startLine), [7]);
});

test("a secret-looking value is masked in {{value}}", () => {
  const dir = writeTree({
    "compose.yaml": "services:\n  api:\n    image: registry.acme.io/api:1\n    environment:\n      DB_PASSWORD: Zq8vN3kLw2pR7tYx\n",
    "p.yml": `${POLICY_HEAD("acme/env-refs", "compose/service")}assert:\n  properties: { environment: { additionalProperties: { pattern: "^\\\\$\\\\{" } } }\nmessage: "{{path}} is {{value}}, not a reference"\n`,
  });
  const run = policyFindings(dir, ["--policy", "p.yml"]);
  const f = run.report.findings.find((x) => x.ruleId === "acme/env-refs")!;
  assert.equal(f.message, "environment.DB_PASSWORD is Zq8v…(16 chars), not a reference");
  assert.ok(!runCli(["--policy", "p.yml"], { cwd: dir }).stdout.includes("Zq8vN3kLw2pR7tYx"));
});

// ---------------------------------------------------------------- invalid policies: exit 2 with the line

const VALID = `${POLICY_HEAD("acme/x", "k8s/container")}assert:\n  properties:\n    image: { type: string }\n`;

const INVALID: { name: string; text: string; at: string; says: RegExp }[] = [
  { name: "bad YAML", text: "id: acme/x\nlevel: error\n  summary: [unclosed\n", at: "p.yml:2:8", says: /invalid YAML \(BLOCK_AS_IMPLICIT_KEY\)/ },
  { name: "unknown key", text: `${VALID}colour: red\n`, at: "p.yml:9:1", says: /unknown key in the policy: expected one of "id", "level"/ },
  { name: "unknown key, close to a known one", text: VALID.replace("remediation:", "remedation:"), at: "p.yml:4:1", says: /did you mean "remediation"\?/ },
  { name: "reserved namespace", text: VALID.replace("acme/x", "k8s/x"), at: "p.yml:1:5", says: /reserved namespace/ },
  { name: "duplicate id", text: `${VALID}---\n${VALID}`, at: "p.yml:10:1", says: /duplicate policy id: the same id is defined at p\.yml:1/ },
  { name: "unknown target", text: VALID.replace("target: k8s/container", "target: k8s/containers"), at: "p.yml:5:1", says: /"target" must be one of "k8s\/object"/ },
  { name: "a schema ajv rejects (meta-schema)", text: VALID.replace("{ type: string }", "{ type: strin }"), at: "p.yml:8:20", says: /"assert" is not a valid JSON Schema/ },
  { name: "a schema ajv rejects (unknown keyword)", text: VALID.replace("{ type: string }", "{ type: string, patern: x }"), at: "p.yml:8:28", says: /unknown keyword: "patern"/ },
  { name: "a regex RE2 rejects", text: VALID.replace("{ type: string }", '{ pattern: "^(?!latest)" }'), at: "p.yml:8:23", says: /RE2 accepts \(no lookaround, no backreferences\)/ },
  { name: "a remote $ref", text: VALID.replace("{ type: string }", '{ $ref: "https://example.com/s.json" }'), at: "p.yml:8:20", says: /must point inside the schema/ },
  { name: "kinds on a compose target", text: `${VALID.replace("k8s/container", "compose/service")}kinds: [Pod]\n`, at: "p.yml:9:1", says: /"kinds" applies to Kubernetes targets only/ },
  { name: "an unknown message placeholder", text: `${VALID}message: "{{lable}}"\n`, at: "p.yml:9:10", says: /unknown placeholder/ },
  { name: "a required key missing", text: VALID.replace("level: error\n", ""), at: "p.yml:1:1", says: /the policy is missing "level"/ },
];

for (const c of INVALID) {
  test(`invalid policy: ${c.name} → exit 2 naming the file and line`, () => {
    const dir = writeTree({ "p.yml": c.text, "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n" });
    const run = runCli(["--policy", "p.yml", "pod.yaml"], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    assert.ok(run.stderr.startsWith(`bulkhead: ${c.at}`), run.stderr);
    assert.match(run.stderr, c.says);
    assert.doesNotMatch(run.stderr, /\n\s+at /); // no stack trace
  });
}

test("a `policies:` entry of the configuration that names no file is exit 2 at its line; --policy naming nothing too", () => {
  const dir = writeTree({ ".bulkhead.yml": "preset: recommended\npolicies:\n  - policies/\n  - missing/*.yml\n", "policies/p.yml": VALID });
  const run = runCli(["."], { cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^bulkhead: \S*\/\.bulkhead\.yml:4:5: "policies" entry names no policy file/);
  const cli = runCli(["--policy", "nope.yml"], { cwd: writeTree({ "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n" }) });
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /--policy "nope\.yml": no policy file there/);
});

// ---------------------------------------------------------------- a policy is a rule everywhere

test("a policy is a rule everywhere: config policies and levels, overrides, ignore, comment and annotation suppressions, strict preset", () => {
  const deployment = (name: string, extra = "") =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${extra}spec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: nginx:1.27\n`;
  const dir = writeTree({
    ".bulkhead.yml": [
      "policies: [policies/]",
      "rules:",
      "  acme/registry: warning",
      "overrides:",
      '  - files: ["dev/**"]',
      "    rules: { acme/registry: off }",
      "ignore:",
      "  - rule: acme/registry",
      '    files: ["charts/**"]',
      "    reason: upstream chart",
      "",
    ].join("\n"),
    "policies/registry.yml": `${POLICY_HEAD("acme/registry", "k8s/container")}assert:\n  properties: { image: { pattern: "^registry\\\\.acme\\\\.io/" } }\n`,
    "prod/a.yaml": deployment("a"),
    "prod/b.yaml": `# bulkhead-disable-file acme/registry -- pinned upstream image, reviewed\n${deployment("b")}`,
    "prod/c.yaml": deployment("c", "  annotations:\n    ignore-check.bulkhead.dev/acme.registry: mirrored nightly\n"),
    "dev/d.yaml": deployment("d"),
    "charts/e.yaml": deployment("e"),
  });
  gitCommitAll(dir);
  const run = policyFindings(dir, ["."]);
  assert.equal(run.stderr, "");
  const registry = run.report.findings.filter((f) => f.ruleId === "acme/registry");
  assert.deepEqual(
    registry.map((f) => `${f.file}:${f.region.startLine} ${f.level} ${f.suppressions ? "suppressed" : "open"}`),
    ["charts/e.yaml:10 warning suppressed", "prod/a.yaml:10 warning open", "prod/b.yaml:11 warning suppressed", "prod/c.yaml:12 warning suppressed"],
  );
  assert.equal(run.report.findings.filter((f) => f.ruleId === "bulkhead/unused-suppression").length, 0);
  // --rule wins over the configuration; the strict preset raises a policy as it raises a rule.
  assert.equal(policyFindings(dir, [".", "--rule", "acme/registry=error"]).report.findings.find((f) => f.ruleId === "acme/registry")!.level, "error");
  const strict = writeTree({ "a.yaml": deployment("a"), "p.yml": `${POLICY_HEAD("acme/registry", "k8s/container").replace("level: error", "level: warning")}assert:\n  properties: { image: { pattern: "^registry/" } }\n` });
  assert.equal(policyFindings(strict, ["--policy", "p.yml", "--preset", "strict"]).report.findings.find((f) => f.ruleId === "acme/registry")!.level, "error");
});

test("a policy in baselines, SARIF rule descriptors, --list-rules and --explain", () => {
  const dir = writeTree({
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n",
    "p.yml": `${POLICY_HEAD("acme/registry", "k8s/container")}tags: [supply-chain]\nassert:\n  properties: { image: { pattern: "^registry/" } }\nexamples:\n  - bad: "apiVersion: v1\\nkind: Pod\\nmetadata: { name: p }\\nspec: { containers: [ { name: c, image: x } ] }\\n"\n`,
  });
  gitCommitAll(dir);
  assert.equal(runCli(["--policy", "p.yml", "--write-baseline", "base.json"], { cwd: dir }).code, 0);
  const baselined = policyFindings(dir, ["--policy", "p.yml", "--baseline", "base.json"]);
  assert.deepEqual(
    baselined.report.findings.filter((f) => f.ruleId === "acme/registry").map((f) => (f.suppressions as { kind: string }[] | undefined)?.map((s) => s.kind)),
    [["external"]],
  );

  const sarif = runCli(["--policy", "p.yml", "-f", "sarif", "-o", "out.sarif"], { cwd: dir });
  assert.equal(sarif.code, 1);
  assert.deepEqual(sarifErrors(path.join(dir, "out.sarif")), []);
  const log = JSON.parse(readFileSync(path.join(dir, "out.sarif"), "utf8"));
  const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "acme/registry");
  assert.equal(rule.shortDescription.text, "acme/registry summary.");
  assert.equal(rule.help.text, "acme/registry summary.\n\nHow to fix: Fix it.");
  assert.match(rule.help.markdown, /A custom policy \(`p\.yml` line 1\): it checks each `k8s\/container`/);
  assert.equal(rule.helpUri, undefined);
  assert.deepEqual(rule.properties.tags, ["policy", "supply-chain"]);
  assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === "acme/registry"));

  const list = runCli(["--list-rules", "--policy", "p.yml"], { cwd: dir });
  assert.match(list.stdout, /^acme\/registry +error +acme\/registry summary\.$/m);
  const explain = runCli(["--explain", "acme/registry", "--policy", "p.yml"], { cwd: dir });
  assert.equal(explain.code, 0);
  assert.match(explain.stdout, /^# acme\/registry\n\nLevel: \*\*error\*\*/);
  assert.match(explain.stdout, /## Examples\n\nBad:\n\n```yaml\napiVersion: v1/);
});

// ---------------------------------------------------------------- --test-policies

test("--test-policies: the examples of examples/policies pass (exit 0)", () => {
  const run = runCli(["--test-policies", path.join(EXAMPLES, "policies")]);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 0);
  assert.match(run.stdout, /^\d+ policy examples of 6 policies passed\n$/);
});

test("--test-policies: a bad example that raises nothing and a good one that raises the policy fail with file:line (exit 1)", () => {
  const dir = writeTree({
    "policies/p.yml": `${POLICY_HEAD("acme/registry", "k8s/container")}assert:
  properties: { image: { pattern: "^registry/" } }
examples:
  - bad: |
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec: { containers: [ { name: c, image: registry/ok:1 } ] }
  - good: |
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec: { containers: [ { name: c, image: nginx:1 } ] }
  - good: |
      apiVersion: v1
      kind: Pod
      metadata: { name: p }
      spec: { containers: [ { name: c, image: registry/ok:1 } ] }
`,
    ".bulkhead.yml": "policies: [policies/p.yml]\n",
  });
  // From the configuration's `policies:` (no paths given).
  const run = runCli(["--test-policies"], { cwd: dir });
  assert.equal(run.code, 1);
  assert.equal(
    run.stdout,
    [
      "policies/p.yml:9:5: acme/registry: bad example raised nothing",
      'policies/p.yml:14:5: acme/registry: good example raised 1 finding: line 4: container "c" in Pod default/p: image does not match ^registry/. acme/registry summary.',
      "2 of 3 policy examples failed",
      "",
    ].join("\n"),
  );
});

test("README, Writing policies: every worked example is a valid policy whose examples pass --test-policies, one per target", () => {
  const readme = readFileSync(path.join(EXAMPLES, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Writing policies\n"), readme.indexOf("\n## Development\n"));
  const policies = [...section.matchAll(/```yaml\n(id: [\s\S]*?)```/g)].map((m) => m[1]);
  const targets = policies.map((p) => /^target: (\S+)$/m.exec(p)![1]).sort();
  assert.deepEqual(targets, ["compose/file", "compose/service", "dockerfile/instruction", "dockerfile/stage", "k8s/container", "k8s/object", "k8s/pod-spec"]);
  const dir = writeTree(Object.fromEntries(policies.map((p, i) => [`policies/${i}.yml`, p])));
  const run = runCli(["--test-policies", "policies"], { cwd: dir });
  assert.equal(run.stderr, "");
  assert.equal(run.stdout, "14 policy examples of 7 policies passed\n");
  assert.equal(run.code, 0);
});

test("--config-from <ref>: the configuration's policies are read from that commit too, not from the work tree", () => {
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n";
  const policy = `${POLICY_HEAD("acme/registry", "k8s/container")}assert:\n  properties: { image: { pattern: "^registry/" } }\n`;
  const dir = writeTree({ ".bulkhead.yml": "policies: [policies/]\n", "policies/registry.yml": policy, "pod.yaml": pod });
  gitCommitAll(dir);
  // The pull request weakens the policy and adds one that does not parse.
  writeTree({ "policies/registry.yml": policy.replace(/assert:[\s\S]*$/, "assert: true\n"), "policies/new.yml": "id: [\n" }, dir);
  const fromCommit = policyFindings(dir, ["--config-from", "HEAD", "."]);
  assert.equal(fromCommit.stderr, "");
  assert.deepEqual(fromCommit.at, ["acme/registry pod.yaml:7:14"]);
  const fromTree = runCli(["."], { cwd: dir });
  assert.equal(fromTree.code, 2);
  assert.match(fromTree.stderr, /^bulkhead: policies\/new\.yml:2:1: invalid YAML/);
  // A mistake in a policy file of the commit names where it was read from.
  const broken = writeTree({ ".bulkhead.yml": "policies: [p.yml]\n", "p.yml": "id: [\n", "pod.yaml": pod });
  gitCommitAll(broken);
  const run = runCli(["--config-from", "HEAD", "."], { cwd: broken });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^bulkhead: p\.yml:2:1: invalid YAML \(\w+\): .* \(read from commit [0-9a-f]{12} \(HEAD\)\)\n$/);
});

test("--changed-since: a changed policy file reports every file, as a changed configuration does", () => {
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n`;
  const policy = (pattern: string) => `${POLICY_HEAD("acme/registry", "k8s/container")}assert:\n  properties: { image: { pattern: "${pattern}" } }\n`;
  const dir = writeTree({ ".bulkhead.yml": "policies: [policies/]\n", "policies/registry.yml": policy("^nginx"), "a.yaml": pod("a"), "b.yaml": pod("b") });
  gitCommitAll(dir);
  writeTree({ "policies/registry.yml": policy("^registry/") }, dir);
  assert.deepEqual(policyFindings(dir, ["--changed-since", "HEAD", "."]).at, ["acme/registry a.yaml:7:14", "acme/registry b.yaml:7:14"]);
});

test("--list-rules and --explain with a path: the configuration's policies found from it, as a run would use them", () => {
  const dir = writeTree({
    "deploy/.bulkhead.yml": "policies: [../policies/]\n",
    "policies/p.yml": `${POLICY_HEAD("acme/registry", "k8s/container")}assert: true\n`,
    "deploy/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\n",
  });
  const list = runCli(["--list-rules", "deploy"], { cwd: dir });
  assert.equal(list.stderr, "");
  assert.match(list.stdout, /^acme\/registry +error +acme\/registry summary\.$/m);
  assert.equal(runCli(["--explain", "acme/registry", "deploy"], { cwd: dir }).code, 0);
  assert.doesNotMatch(runCli(["--list-rules"], { cwd: dir }).stdout, /acme\/registry/);
});
