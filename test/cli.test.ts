// The command line and the engine around the rules: exit codes, config validation, presets,
// overrides, suppressions, catalog commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import { ROOT, gitCommitAll, runCli, writeTree } from "./helpers.ts";

const ROOT_DOCKERFILE = "FROM alpine:3.20\nRUN echo hi\n";

function repo(files: Record<string, string>): string {
  const dir = writeTree(files);
  gitCommitAll(dir);
  return dir;
}

test("--version prints package.json's version", () => {
  const run = runCli(["--version"]);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  assert.equal(run.code, 0);
  assert.equal(run.stdout, `${pkg.version}\n`);
});

test("exit codes: 1 on an error finding, 0 with --fail-on never, 2 on a bad flag or path", () => {
  const dir = repo({ Dockerfile: ROOT_DOCKERFILE });
  assert.equal(runCli([], { cwd: dir }).code, 1);
  assert.equal(runCli(["--fail-on", "never"], { cwd: dir }).code, 0);
  const bad = runCli(["--fail-on", "sometimes"], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on must be one of error, warning, note, never/);
  const missing = runCli(["no/such/dir"], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read path "no\/such\/dir"/);
  assert.equal(runCli(["--nope"], { cwd: dir }).code, 2);
});

test("--rule overrides a level; off silences the rule; unknown ids are exit 2", () => {
  const dir = repo({ Dockerfile: ROOT_DOCKERFILE });
  const warn = runCli(["-f", "json", "--rule", "docker/user-not-root=warning"], { cwd: dir });
  assert.equal(warn.code, 0);
  const levels = (JSON.parse(warn.stdout).findings as { ruleId: string; level: string }[]).filter((f) => f.ruleId === "docker/user-not-root").map((f) => f.level);
  assert.deepEqual(levels, ["warning"]);
  assert.equal(runCli(["--rule", "docker/user-not-root=warning", "--fail-on", "warning"], { cwd: dir }).code, 1);
  const off = JSON.parse(runCli(["-f", "json", "--rule", "docker/user-not-root=off"], { cwd: dir }).stdout);
  assert.equal(off.findings.filter((f: { ruleId: string }) => f.ruleId === "docker/user-not-root").length, 0);
  const unknown = runCli(["--rule", "docker/nope=off"], { cwd: dir });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr, "bulkhead: --rule: unknown rule id (see bulkhead --list-rules)\n");
  const typo = runCli(["--rule", "docker/user-not-rot=off"], { cwd: dir });
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, 'bulkhead: --rule: unknown rule id; did you mean "docker/user-not-root"? (see bulkhead --list-rules)\n');
});

test("an invalid config is exit 2 naming the file, line and column and what was expected", () => {
  const cases: [string, RegExp][] = [
    ["preset: recommended\nfailOn: sometimes\n", /\.bulkhead\.yml:2:1: "failOn" must be one of "error", "warning", "note", "never"/],
    ["rules:\n  docker/user-not-root: loud\n", /\.bulkhead\.yml:2:3: "rules\.docker\/user-not-root" must be one of "error", "warning", "note", "off"/],
    ["rules:\n  docker/no-such-rule: off\n", /\.bulkhead\.yml:2:3: unknown rule id \(see bulkhead --list-rules\)/],
    ["rules:\n  docker/user-not-rot: off\n", /\.bulkhead\.yml:2:3: unknown rule id; did you mean "docker\/user-not-root"\?/],
    ["presets: strict\n", /\.bulkhead\.yml:1:1: unknown key in the configuration: expected one of "preset", .*; did you mean "preset"\?/],
    ["secrets:\n  allow: ['(']\n", /\.bulkhead\.yml:2:11: "secrets\.allow\[0\]" is not a valid regular expression/],
    ["rules: [\n", /\.bulkhead\.yml:2:1: invalid YAML \(BAD_INDENT\): expected items indented consistently, and brackets closed$/m],
  ];
  for (const [config, expected] of cases) {
    const dir = repo({ Dockerfile: ROOT_DOCKERFILE, ".bulkhead.yml": config });
    const run = runCli([], { cwd: dir });
    assert.equal(run.code, 2, config);
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  }
});

test("config: rule levels, overrides (later wins), exclude, and ignore entries", async () => {
  const dir = repo({
    ".bulkhead.yml": [
      "rules:",
      "  docker/user-not-root: warning",
      "overrides:",
      "  - files: ['dev/**']",
      "    rules: { docker/user-not-root: off }",
      "  - files: ['dev/strict/**']",
      "    rules: { docker/user-not-root: error }",
      "exclude: ['vendor/**']",
      "ignore:",
      "  - rule: docker/user-not-root",
      "    files: ['legacy/**']",
      "    reason: 'tracked in #12'",
      "",
    ].join("\n"),
    Dockerfile: ROOT_DOCKERFILE,
    "dev/Dockerfile": ROOT_DOCKERFILE,
    "dev/strict/Dockerfile": ROOT_DOCKERFILE,
    "vendor/Dockerfile": ROOT_DOCKERFILE,
    "legacy/Dockerfile": ROOT_DOCKERFILE,
  });
  const result = await lint({ cwd: dir });
  const own = result.findings.filter((f) => f.ruleId === "docker/user-not-root");
  assert.deepEqual(
    own.map((f) => [f.file, f.level, f.suppressions?.[0]?.kind ?? null]),
    [
      ["Dockerfile", "warning", null],
      ["dev/strict/Dockerfile", "error", null],
      ["legacy/Dockerfile", "warning", "external"],
    ],
  );
  assert.equal(own[2].suppressions?.[0].justification, "tracked in #12");
});

test("the strict preset raises warnings to errors and notes to warnings", async () => {
  const dir = repo({ Dockerfile: ROOT_DOCKERFILE, ".bulkhead.yml": "rules:\n  docker/user-not-root: note\n" });
  const recommended = await lint({ cwd: dir, config: false, rules: {} });
  assert.equal(recommended.findings.find((f) => f.ruleId === "docker/user-not-root")?.level, "error");
  const explicitNote = await lint({ cwd: dir, preset: "strict" });
  assert.equal(explicitNote.findings.find((f) => f.ruleId === "docker/user-not-root")?.level, "note", "an explicit level is kept as configured");
  const strictDesc = (await lint({ cwd: dir, config: false, preset: "strict" })).rules.find((r) => r.id === "bulkhead/unused-suppression");
  assert.equal(strictDesc?.effectiveLevel, "warning");
});

test("comment suppressions: next-line, file-wide, unused, and a reason required in strict", async () => {
  const dir = repo({
    "a/Dockerfile": "FROM alpine:3.20\n# bulkhead-disable-next-line docker/user-not-root -- runs as root to bind port 80\nUSER root\n",
    "b/Dockerfile": "# bulkhead-disable-file docker/user-not-root -- base image for CI only\nFROM alpine:3.20\n",
    "c/Dockerfile": "FROM alpine:3.20\nUSER app\n# bulkhead-disable-next-line docker/user-not-root -- stale\nCMD [\"x\"]\n",
    "d/Dockerfile": "# bulkhead-disable-next-line docker/user-not-root\nFROM alpine:3.20\n",
  });
  const result = await lint({ cwd: dir, config: false });
  const show = result.findings.map((f) => `${f.file}:${f.region.startLine} ${f.ruleId}${f.suppressions ? ` suppressed(${f.suppressions[0].kind}: ${f.suppressions[0].justification ?? ""})` : ""}`);
  assert.deepEqual(show, [
    "a/Dockerfile:3 docker/user-not-root suppressed(inSource: runs as root to bind port 80)",
    "b/Dockerfile:2 docker/user-not-root suppressed(inSource: base image for CI only)",
    "c/Dockerfile:3 bulkhead/unused-suppression",
    "d/Dockerfile:2 docker/user-not-root suppressed(inSource: )",
  ]);
  const strict = await lint({ cwd: dir, config: false, preset: "strict" });
  const d = strict.findings.filter((f) => f.file === "d/Dockerfile" && f.ruleId !== "docker/image-unpinned").map((f) => `${f.region.startLine} ${f.ruleId} ${f.level} ${f.suppressions ? "suppressed" : "active"}`);
  assert.deepEqual(d, ["1 bulkhead/suppression-reason warning active", "2 docker/user-not-root error active"]);
});

test("--list-rules lists every rule with its level; --explain prints a rule's documentation", () => {
  const list = runCli(["--list-rules"]);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /^docker\/user-not-root +error +The image's final stage runs as root/m);
  assert.match(list.stdout, /^bulkhead\/parse-error +error /m);
  const explain = runCli(["--explain", "docker/user-not-root"]);
  assert.equal(explain.code, 0);
  assert.match(explain.stdout, /^# docker\/user-not-root\n/);
  assert.match(explain.stdout, /## Why is this bad\?/);
  assert.equal(explain.stdout, readFileSync(path.join(ROOT, "docs/rules/docker-user-not-root.md"), "utf8"));
  assert.equal(runCli(["--explain", "docker/nope"]).code, 2);
  const typo = runCli(["--explain", "docker/user-not-rot"]);
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, 'bulkhead: --explain: unknown rule id; did you mean "docker/user-not-root"? (see bulkhead --list-rules)\n');
});

test("a parse error is a finding with the parser's line and column, and other files are still linted", async () => {
  const dir = repo({ "k8s/bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: [\n", Dockerfile: ROOT_DOCKERFILE });
  const result = await lint({ cwd: dir, config: false });
  const parse = result.findings.find((f) => f.ruleId === "bulkhead/parse-error");
  assert.ok(parse);
  assert.equal(parse.file, "k8s/bad.yaml");
  assert.equal(parse.level, "error");
  assert.ok(parse.region.startLine >= 4, `line ${parse.region.startLine}`);
  assert.equal(result.parseErrors.length, 1);
  assert.ok(result.findings.some((f) => f.ruleId === "docker/user-not-root"));
});

test("--stdin lints standard input as the named file", () => {
  const run = runCli(["--stdin", "--stdin-filename", "build/Dockerfile", "-f", "json"], { input: "FROM alpine:3.20\nUSER 0\n" });
  assert.equal(run.code, 1);
  const f = JSON.parse(run.stdout).findings.find((x: { ruleId: string }) => x.ruleId === "docker/user-not-root");
  assert.equal(f.file, "build/Dockerfile");
  assert.equal(f.region.startLine, 2);
  assert.equal(runCli(["--stdin"], { input: "" }).code, 2);
});

test("bulkhead run on its own repository exits 0", () => {
  const run = runCli(["."], { cwd: ROOT });
  assert.equal(run.code, 0, run.stdout + run.stderr);
});

test("Helm chart templates are skipped with one note per chart that says how to lint them", async () => {
  const template = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n";
  const dir = repo({ "chart/Chart.yaml": "apiVersion: v2\nname: x\nversion: 0.1.0\n", "chart/templates/a.yaml": template, "chart/templates/b.yaml": template });
  const result = await lint({ cwd: dir, config: false });
  assert.deepEqual(
    result.findings.map((f) => [f.ruleId, f.file]),
    [["bulkhead/file-skipped", "chart/templates/a.yaml"]],
  );
  assert.match(result.findings[0].message, /helm template chart \| bulkhead --stdin --stdin-filename chart\.yaml/);
});

test("config ignore entries can name Kubernetes objects as kind/namespace/name globs", async () => {
  const deployment = (ns: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: agent\n  namespace: ${ns}\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: grafana/agent:v0.40.0\n`;
  const dir = repo({
    "charts/upstream/monitoring.yaml": deployment("monitoring"),
    "charts/upstream/apps.yaml": deployment("apps"),
    ".bulkhead.yml": "ignore:\n  - rule: k8s/readonly-root-fs\n    files: ['charts/upstream/**']\n    object: 'Deployment/monitoring/*'\n    reason: upstream chart\n",
  });
  const result = await lint({ cwd: dir });
  const rofs = result.findings.filter((f) => f.ruleId === "k8s/readonly-root-fs");
  assert.deepEqual(
    rofs.map((f) => [f.file, f.suppressions?.[0]?.kind ?? "active", f.suppressions?.[0]?.justification ?? ""]),
    [
      ["charts/upstream/apps.yaml", "active", ""],
      ["charts/upstream/monitoring.yaml", "external", "upstream chart"],
    ],
  );
});

test("a directory named on the command line is linted even when the config excludes it", () => {
  const dir = repo({ ".bulkhead.yml": "exclude: ['vendor/**', '**/testdata/**']\n", "vendor/lib/Dockerfile": ROOT_DOCKERFILE, "vendor/lib/testdata/Dockerfile": ROOT_DOCKERFILE });
  const files = (args: string[]) => [...new Set((JSON.parse(runCli(["-f", "json", ...args], { cwd: dir }).stdout).findings as { file: string }[]).map((f) => f.file))];
  assert.deepEqual(files([]), []);
  assert.deepEqual(files(["vendor/lib"]), ["vendor/lib/Dockerfile"], "excludes below the named directory still apply");
});

test("--quiet keeps the findings that can fail the run, in every format; what is shown, the summary and the exit code agree", () => {
  const dir = repo({ Dockerfile: "FROM alpine:latest\nRUN echo hi\n" });
  const text = runCli(["--quiet"], { cwd: dir });
  assert.equal(text.code, 1);
  assert.doesNotMatch(text.stdout, / warning  /);
  assert.match(text.stdout, /✖ 1 problem \(1 error, 0 warnings, 0 notes\) in 1 file of 1 scanned; 1 warning not shown \(--quiet\)\n/);
  const github = runCli(["--quiet", "-f", "github"], { cwd: dir }).stdout.trim().split("\n");
  assert.deepEqual(github.map((l) => l.slice(0, l.indexOf(" "))), ["::error"]);
  // --fail-on warning: the warning fails the run, so it is shown and counted (it used to print "no problems" and exit 1).
  const warn = runCli(["--quiet", "--fail-on", "warning", "--rule", "docker/user-not-root=off"], { cwd: dir });
  assert.equal(warn.code, 1);
  assert.match(warn.stdout, /1:6 +warning +.*docker\/image-unpinned/);
  assert.match(warn.stdout, /✖ 1 problem \(0 errors, 1 warning, 0 notes\)/);
  const json = JSON.parse(runCli(["--quiet", "-f", "json"], { cwd: dir }).stdout);
  assert.deepEqual(json.summary, { error: 1, warning: 0, note: 0, suppressed: 0 });
  assert.deepEqual(json.leftOut, { error: 0, warning: 1, note: 0 }, "JSON says what --quiet left out");
  assert.equal(json.findings.length, 1);
  const jsonWarn = JSON.parse(runCli(["--quiet", "-f", "json", "--fail-on", "warning"], { cwd: dir }).stdout);
  assert.deepEqual(jsonWarn.summary, { error: 1, warning: 1, note: 0, suppressed: 0 });
  const quietClean = runCli(["--quiet", "--rule", "docker/user-not-root=off"], { cwd: dir });
  assert.equal(quietClean.code, 0);
  assert.equal(quietClean.stdout, "✔ no problems in 1 file; 1 warning not shown (--quiet)\n");
  const md = runCli(["--quiet", "-f", "markdown", "--rule", "docker/user-not-root=off"], { cwd: dir }).stdout;
  assert.match(md, /^## bulkhead: ✔ no problems in 1 file\n\n1 warning not shown \(--quiet\)\.\n/);
});

test("the yaml library's debugging switches (LOG_TOKENS, LOG_STREAM) never print into a report; lint() leaves process.env as it was", async () => {
  const dir = repo({ "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext: {privileged: true}\n" });
  const run = runCli(["-f", "json", "--fail-on", "never", "pod.yaml"], { cwd: dir, env: { LOG_TOKENS: "1", LOG_STREAM: "1" } });
  assert.equal(run.code, 0, run.stderr);
  const privileged = (JSON.parse(run.stdout).findings as { ruleId: string; region: { startLine: number } }[]).filter((f) => f.ruleId === "k8s/privileged");
  assert.deepEqual(privileged.map((f) => f.region.startLine), [8]);

  const env = process.env;
  process.env.BULKHEAD_TEST_MARKER = "kept";
  try {
    await lint({ cwd: dir, paths: ["pod.yaml"] });
    assert.equal(process.env, env);
    assert.equal(process.env.BULKHEAD_TEST_MARKER, "kept");
  } finally {
    delete process.env.BULKHEAD_TEST_MARKER;
  }
});

test("git's own exclude files hide untracked files as .gitignore does: $GIT_DIR/info/exclude and core.excludesFile", async () => {
  const dir = repo({ "app/Dockerfile": ROOT_DOCKERFILE });
  writeTree(
    {
      "scratch/Dockerfile": ROOT_DOCKERFILE,
      "notes/Dockerfile": ROOT_DOCKERFILE,
      "keep/Dockerfile": ROOT_DOCKERFILE,
      ".env": "API_TOKEN=Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5\n",
      ".gitignore": "!keep/\n",
      ".git/info/exclude": "# local only\nscratch/\n.env\n",
      "global-ignore": "notes/\nkeep/\n",
    },
    dir,
  );
  execFileSync("git", ["-C", dir, "config", "core.excludesFile", path.join(dir, "global-ignore")]);
  const files = (await lint({ cwd: dir, config: false })).findings.filter((f) => f.ruleId === "docker/user-not-root").map((f) => f.file);
  // keep/ is excluded globally but re-included by .gitignore, which takes precedence.
  assert.deepEqual(files, ["app/Dockerfile", "keep/Dockerfile"]);
  const env = await lint({ cwd: dir, config: false, paths: [".env"] });
  assert.deepEqual(
    env.findings.filter((f) => f.ruleId === "repo/dotenv-not-ignored"),
    [],
    ".env is ignored by info/exclude, so git add . does not commit it",
  );
});
