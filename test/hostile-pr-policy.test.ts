// Hostile pull requests (issue 10): what a pull request's author controls — names, paths, file
// contents — must not run code, forge output, bypass the gate or print a secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gitCommitAll, runCli, tmpDir, writeTree } from "./helpers.ts";
import { runLocalAction } from "./local-action.ts";

// ---- policy bypass, suppressions, config (issue 10 items 4, 6, 13) ----

const ROOT_DOCKERFILE = "FROM alpine:3.20\nUSER root\n";

/** A privileged Pod, as YAML lines (the `privileged: true` line is the last). */
const PRIVILEGED_POD = (annotations: string[] = []) =>
  [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: web",
    ...(annotations.length > 0 ? ["  annotations:", ...annotations.map((a) => `    ${a}`)] : []),
    "spec:",
    "  containers:",
    "    - name: app",
    "      image: nginx:1.27",
    "      securityContext:",
    "        privileged: true",
    "",
  ].join("\n");

interface JsonFinding {
  ruleId: string;
  level: string;
  file: string;
  region: { startLine: number };
  suppressions?: { kind: string; justification?: string }[];
}

/** `file:line rule level` (and `suppressed`) of the findings of a JSON run, for the rules listed. */
function lines(stdout: string, rules: string[]): string[] {
  const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
  return findings.filter((f) => rules.includes(f.ruleId)).map((f) => `${f.file}:${f.region.startLine} ${f.ruleId} ${f.level}${f.suppressions ? " suppressed" : ""}`);
}

const git = (dir: string, ...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
const commit = (dir: string, message: string) => {
  git(dir, "add", "-A", "--force", ".");
  git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message);
  return git(dir, "rev-parse", "HEAD");
};

// -- item 13: the configuration's own files --

test("a config or baseline that a symbolic link leads out of the repository is refused (exit 2, naming it); links inside are followed", () => {
  const outside = writeTree({ "policy.yml": "failOn: never\n", "conf/bulkhead.yml": "failOn: never\n", "baseline.json": '{"findings": []}\n' });
  const dir = realpathSync(writeTree({ Dockerfile: ROOT_DOCKERFILE, "ci/bulkhead.yml": "failOn: error\n" }));
  symlinkSync(path.join(outside, "policy.yml"), path.join(dir, ".bulkhead.yml"));
  symlinkSync(path.join(outside, "conf"), path.join(dir, "conf"));
  symlinkSync(path.join(outside, "baseline.json"), path.join(dir, "baseline.json"));
  gitCommitAll(dir);
  const refused = (what: string, file: string) => `bulkhead: ${what} "${path.join(dir, file)}" is a symbolic link, or lies below one, that leads out of ${dir}; it is not read\n`;

  const found = runCli([], { cwd: dir });
  assert.deepEqual([found.code, found.stderr], [2, refused("config file", ".bulkhead.yml")], "the .bulkhead.yml found upward");
  const named = runCli(["-c", "conf/bulkhead.yml"], { cwd: dir });
  assert.deepEqual([named.code, named.stderr], [2, refused("config file", "conf/bulkhead.yml")], "a directory of the path is the link");
  const baseline = runCli(["-c", "ci/bulkhead.yml", "--baseline", "baseline.json"], { cwd: dir });
  assert.deepEqual([baseline.code, baseline.stderr], [2, refused("baseline", "baseline.json")]);

  // A link that stays inside the repository is read; a file named outside it is the user's choice.
  const inside = realpathSync(writeTree({ Dockerfile: ROOT_DOCKERFILE, "ci/bulkhead.yml": "failOn: never\n" }));
  symlinkSync("ci/bulkhead.yml", path.join(inside, ".bulkhead.yml"));
  assert.equal(runCli([], { cwd: inside }).code, 0, "failOn: never, read through the link");
  assert.equal(runCli(["-c", path.join(outside, "policy.yml")], { cwd: dir }).code, 0, "failOn: never of a file named outside");
});

test("an invalid config, baseline or --rule value is reported by file, line and column and what was expected, never quoted", () => {
  const SECRET = "hunter2-s3cr3t";
  const cases: [string, string][] = [
    // Not a configuration at all: a password file.
    [`root:$6$${SECRET}$x:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n`, `1:1: unknown key in the configuration: expected one of "preset", "include", "exclude", "failOn", "namespace", "pss", "rules", "overrides", "secrets", "policies", "compose", "testData", "ignore"`],
    // YAML errors whose library messages quote the text.
    [`a: "\\q ${SECRET}"\n`, `1:5: invalid YAML (BAD_DQ_ESCAPE): expected a valid escape sequence in a double-quoted string`],
    [`a: *${SECRET}\n`, `1:4: invalid YAML (BAD_ALIAS): expected aliases to anchors defined before them`],
    [`a: |${SECRET}\n  x\n`, `1:5: invalid YAML (UNEXPECTED_TOKEN): expected a key, a value or a list item here`],
    // Schema errors: keys and values of the file are not repeated.
    [`${SECRET}: 1\n`, `1:1: unknown key in the configuration: expected one of "preset", "include", "exclude", "failOn", "namespace", "pss", "rules", "overrides", "secrets", "policies", "compose", "testData", "ignore"`],
    [`failOn: ${SECRET}\n`, `1:1: "failOn" must be one of "error", "warning", "note", "never"`],
    [`rules:\n  docker/${SECRET}: off\n`, `2:3: unknown rule id (see bulkhead --list-rules)`],
    [`rules:\n  ${SECRET.toUpperCase()}: off\n`, `2:3: a key of "rules" is not a rule id: rule ids look like "docker/user-not-root" (see bulkhead --list-rules)`],
    [`rules:\n  docker/${SECRET}:\n    level: loud\n`, `3:5: "rules.….level" must be one of "error", "warning", "note", "off"`],
    [`overrides:\n  - files: ["a"]\n    ${SECRET}: {}\n`, `3:5: unknown key in "overrides[0]": expected one of "files", "rules"`],
  ];
  for (const [text, expected] of cases) {
    const dir = realpathSync(writeTree({ Dockerfile: ROOT_DOCKERFILE, "config.txt": text }));
    const run = runCli(["-c", "config.txt"], { cwd: dir });
    assert.deepEqual([run.code, run.stderr], [2, `bulkhead: ${path.join(dir, "config.txt")}:${expected}\n`], text);
  }

  const dir = realpathSync(writeTree({ Dockerfile: ROOT_DOCKERFILE, "shadow.json": `root:${SECRET}\n`, "cut.json": `{"findings": [{"fingerprint": "${SECRET}"`, "bad.json": `{"findings": [${SECRET}]}` }));
  const baselines: [string, string][] = [
    ["shadow.json", "line 1, column 1: unexpected character"],
    ["cut.json", "line 1, column 47: expected ',' or '}' after property value"],
    ["bad.json", "line 1, column 15: unexpected character"],
  ];
  for (const [file, expected] of baselines) {
    const run = runCli(["--baseline", file], { cwd: dir });
    assert.deepEqual([run.code, run.stderr], [2, `bulkhead: baseline "${path.join(dir, file)}" is not valid JSON: ${expected}\n`], file);
  }
  for (const [value, expected] of [
    [SECRET, "--rule expects <rule-id>=<error|warning|note|off>; the first --rule is not of that form"],
    [`${SECRET}=off`, "--rule: unknown rule id (see bulkhead --list-rules)"],
  ]) {
    const run = runCli(["--rule", value], { cwd: dir });
    assert.deepEqual([run.code, run.stderr], [2, `bulkhead: ${expected}\n`]);
  }
});

// -- item 6: suppression directives only in comments; strict needs a meaningful reason --

test("a bulkhead-disable directive inside a JSON or YAML string, a Dockerfile or .env quoted value is not a directive; comments still are", () => {
  const dir = writeTree({
    "json/pod.json": JSON.stringify({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web", annotations: { note: " // bulkhead-disable-file -- in a JSON string" } },
      spec: { containers: [{ name: "app", image: "nginx:1.27", securityContext: { privileged: true } }] },
    }),
    "yaml/pod.yaml": PRIVILEGED_POD(['note: "see # bulkhead-disable-file -- in a quoted string"', "runbook: |", "  # bulkhead-disable-file -- in a block scalar"]),
    "yaml/commented.yaml": PRIVILEGED_POD().replace("        privileged: true", "        # bulkhead-disable-next-line k8s/privileged -- CNI plugin needs it\n        privileged: true"),
    "docker/Dockerfile": 'FROM alpine:3.20\nLABEL note="a # bulkhead-disable-file -- in a quoted value"\nUSER root\n',
    "docker-commented/Dockerfile": "FROM alpine:3.20\nRUN true # bulkhead-disable-next-line docker/user-not-root -- binds port 80\nUSER root\n",
    ".env": 'NOTE="see # bulkhead-disable-file -- in a quoted value"\nDB_PASSWORD=Xk9q2LmP7vR4tZ8w\n',
    "env-commented/.env": "# bulkhead-disable-file repo/committed-dotenv -- test fixture, no real values\nNOTE=x\nDB_PASSWORD=Xk9q2LmP7vR4tZ8w\n",
  });
  gitCommitAll(dir);
  const run = runCli(["-f", "json", "--fail-on", "never"], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(lines(run.stdout, ["k8s/privileged", "docker/user-not-root", "repo/committed-dotenv", "bulkhead/unused-suppression"]), [
    ".env:1 repo/committed-dotenv error",
    "docker-commented/Dockerfile:3 docker/user-not-root error suppressed",
    "docker/Dockerfile:3 docker/user-not-root error",
    "env-commented/.env:1 repo/committed-dotenv error suppressed",
    "json/pod.json:1 k8s/privileged error",
    "yaml/commented.yaml:11 k8s/privileged error suppressed",
    "yaml/pod.yaml:14 k8s/privileged error",
  ]);
});

test("the strict preset honours only a meaningful reason (comments and annotations); recommended honours any", () => {
  const bad = ['"', "-", ".", "x", "todo", "n/a", "TBD", "ok"];
  const files: Record<string, string> = {};
  bad.forEach((reason, i) => (files[`bad${i}/Dockerfile`] = `FROM alpine:3.20\n# bulkhead-disable-next-line docker/user-not-root -- ${reason}\nUSER root\n`));
  files["good/Dockerfile"] = "FROM alpine:3.20\n# bulkhead-disable-next-line docker/user-not-root -- TODO: drop once the image binds a port above 1024\nUSER root\n";
  files["k8s/empty.yaml"] = PRIVILEGED_POD(['ignore-check.bulkhead.dev/privileged: ""']);
  files["k8s/todo.yaml"] = PRIVILEGED_POD(['ignore-check.bulkhead.dev/privileged: "todo"']);
  files["k8s/good.yaml"] = PRIVILEGED_POD(['ignore-check.bulkhead.dev/privileged: "CNI plugin, needs host networking"']);
  const dir = writeTree(files);
  gitCommitAll(dir);
  const rules = ["docker/user-not-root", "k8s/privileged", "bulkhead/suppression-reason"];

  const strict = runCli(["-f", "json", "--preset", "strict"], { cwd: dir });
  assert.equal(strict.code, 1);
  assert.deepEqual(lines(strict.stdout, rules), [
    ...bad.flatMap((_, i) => [`bad${i}/Dockerfile:2 bulkhead/suppression-reason warning`, `bad${i}/Dockerfile:3 docker/user-not-root error`]),
    "good/Dockerfile:3 docker/user-not-root error suppressed",
    "k8s/empty.yaml:6 bulkhead/suppression-reason warning",
    "k8s/empty.yaml:12 k8s/privileged error",
    "k8s/good.yaml:12 k8s/privileged error suppressed",
    "k8s/todo.yaml:6 bulkhead/suppression-reason warning",
    "k8s/todo.yaml:12 k8s/privileged error",
  ]);
  const recommended = runCli(["-f", "json"], { cwd: dir });
  assert.ok(lines(recommended.stdout, rules).every((l) => l.endsWith(" suppressed")), recommended.stdout);
});

// -- item 4: the pull request controls the policy --

test(".bulkhead.yml and .bulkhead.yaml in one directory is exit 2 naming both (no silent shadowing), in the tree and in a commit", () => {
  const dir = realpathSync(writeTree({ Dockerfile: ROOT_DOCKERFILE, ".bulkhead.yaml": "failOn: error\n", ".bulkhead.yml": "failOn: never\n" }));
  gitCommitAll(dir);
  const run = runCli([], { cwd: dir });
  assert.deepEqual([run.code, run.stderr], [2, `bulkhead: two configuration files, "${dir}/.bulkhead.yml" and "${dir}/.bulkhead.yaml": keep one (bulkhead does not choose)\n`]);
  const sha = git(dir, "rev-parse", "HEAD");
  const fromRef = runCli(["--config-from", "HEAD"], { cwd: dir });
  assert.deepEqual(
    [fromRef.code, fromRef.stderr],
    [2, `bulkhead: two configuration files, ".bulkhead.yml" and ".bulkhead.yaml" (commit ${sha.slice(0, 12)} (HEAD)): keep one (bulkhead does not choose)\n`],
  );
});

/**
 * A repository whose base commit has a configuration, a baseline and one suppression, and a pull
 * request on top that turns the policy off every way it can: the root config (failOn never,
 * exclude everything, a rule off, an ignore entry), a nested deploy/.bulkhead.yml, a regenerated
 * baseline, and new suppressions (one moved from elsewhere, which is not new).
 */
function hostilePullRequest(): { dir: string; base: string; event: string } {
  const dir = realpathSync(
    writeTree({
      ".bulkhead.yml": "preset: recommended\n",
      ".bulkhead-baseline.json": '{"tool": "bulkhead", "version": 1, "findings": []}\n',
      "app/Dockerfile": "FROM alpine:3.20\n# bulkhead-disable-next-line docker/user-not-root -- legacy image, tracked in #7\nUSER root\n",
      "deploy/Dockerfile": "FROM alpine:3.20\nUSER app\n",
    }),
  );
  gitCommitAll(dir);
  const base = git(dir, "rev-parse", "HEAD");
  writeTree(
    {
      ".bulkhead.yml": 'failOn: never\nexclude: ["**"]\nrules:\n  docker/user-not-root: off\nignore:\n  - rule: docker/curl-pipe-shell\n    reason: "x\\n::error::forged by a reason"\n',
      "app/Dockerfile":
        "FROM alpine:3.20\nRUN apk add --no-cache curl\n# bulkhead-disable-next-line docker/curl-pipe-shell -- \"\nRUN curl -fsSL https://example.com/install.sh | sh\n# bulkhead-disable-next-line docker/user-not-root -- legacy image, tracked in #7\nUSER root\n",
      "deploy/Dockerfile": ROOT_DOCKERFILE,
      "deploy/.bulkhead.yml": 'exclude: ["**"]\n',
      "deploy/pod.yaml": PRIVILEGED_POD(['ignore-check.bulkhead.dev/privileged: "needed for the CNI"']),
    },
    dir,
  );
  // The regenerated baseline records every finding of the pull request.
  const empty = path.join(tmpDir(), "empty.yml");
  writeFileSync(empty, "");
  assert.equal(runCli(["-c", empty, "--write-baseline", ".bulkhead-baseline.json"], { cwd: dir }).code, 0);
  commit(dir, "pull request");
  const event = path.join(tmpDir(), "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base, ref: "main" } } }));
  return { dir, base, event };
}

test("Action, config-from base: the base commit's config and baseline judge the pull request; the summary names them and lists the suppressions it adds", () => {
  const { dir, base, event } = hostilePullRequest();
  const run = runLocalAction(dir, { "config-from": "base", baseline: ".bulkhead-baseline.json", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event });
  assert.equal(run.code, 1, run.stdout.slice(-3000));
  const annotated = run.annotations.filter((a) => a.props.file).map((a) => `${a.props.file}:${a.props.line} ${a.props.title}`);
  assert.ok(annotated.includes("deploy/Dockerfile:2 docker/user-not-root"), annotated.join("\n"));
  assert.ok(!annotated.some((a) => a.startsWith("app/Dockerfile")), "the in-source suppressions still count");
  for (const text of [run.stdout, run.summary]) {
    assert.ok(text.includes(`Configuration: ".bulkhead.yml" from the base commit ${base}`), text);
    assert.ok(text.includes(`Baseline: ".bulkhead-baseline.json" from the base commit ${base}`), text);
  }
  assert.match(run.stdout, /^Suppressions added by this pull request \(2\):\n {2}"app\/Dockerfile":3 bulkhead-disable-next-line docker\/curl-pipe-shell, reason "\\""\n {2}"deploy\/pod\.yaml":6 annotation k8s\/privileged, reason "needed for the CNI"$/m);
  assert.match(run.summary, /^#### Suppressions added by this pull request: 2\n\n- "app\/Dockerfile":3 bulkhead-disable-next-line docker\/curl-pipe-shell, reason "\\\\""\n- "deploy\/pod\.yaml":6 annotation k8s\/privileged, reason "needed for the CNI"$/m);

  // A nested deploy/.bulkhead.yml does not count either when only deploy is scanned.
  const nested = runLocalAction(dir, { "config-from": "base", path: "deploy", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event });
  assert.equal(nested.code, 1, nested.stdout.slice(-3000));
  assert.ok(nested.annotations.some((a) => a.props.file === "deploy/Dockerfile" && a.props.title === "docker/user-not-root"));
});

test("Action, config-from head (the default): the pull request's policy is used, and the summary says what it loosens relative to the base", () => {
  const { dir, event } = hostilePullRequest();
  const run = runLocalAction(dir, { baseline: ".bulkhead-baseline.json", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event });
  assert.equal(run.code, 0, "the pull request's own policy passes it: what config-from base is for");
  assert.match(run.stdout, /^Configuration: "\.bulkhead\.yml" from the work tree$/m);
  const changes = [
    'failOn: "error" → "never"',
    "rules: docker/user-not-root: default → off",
    'exclude: adds "**"',
    'ignore: adds docker/curl-pipe-shell everywhere, reason "x\\n::error::forged by a reason"',
  ];
  assert.ok(run.stdout.includes(["Configuration changes relative to the base:", ...changes.map((c) => `  ${c}`)].join("\n")), run.stdout);
  assert.doesNotMatch(run.stdout, /^::error::forged/m, "a reason cannot forge a workflow command");

  const nested = runLocalAction(dir, { path: "deploy", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event });
  assert.equal(nested.code, 0);
  assert.ok(nested.summary.includes('- the configuration used is "deploy/.bulkhead.yml", not the base\'s ".bulkhead.yml"'), nested.summary);
  assert.ok(nested.summary.includes('- exclude: adds "\\*\\*"'), nested.summary);
});

test("Action, config-from base: a pull request whose base is not in the clone fails the step", () => {
  const { dir } = hostilePullRequest();
  const event = path.join(tmpDir(), "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: "0123456789abcdef0123456789abcdef01234567" } } }));
  const run = runLocalAction(dir, { "config-from": "base", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^::error::config-from base: the pull request's base \(0123456789abcdef0123456789abcdef01234567\) is not in the checkout; fetch it, e.g\. actions\/checkout with fetch-depth: 0$/m);
});

test("CLI --config-from <ref>: the config and baseline of that commit, not of the work tree", () => {
  const { dir } = hostilePullRequest();
  assert.equal(runCli(["--baseline", ".bulkhead-baseline.json"], { cwd: dir }).code, 0, "the pull request's own policy");
  const run = runCli(["-f", "json", "--config-from", "HEAD~1", "--baseline", ".bulkhead-baseline.json"], { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(lines(run.stdout, ["docker/user-not-root", "docker/curl-pipe-shell"]), [
    "app/Dockerfile:4 docker/curl-pipe-shell warning suppressed",
    "app/Dockerfile:6 docker/user-not-root error suppressed",
    "deploy/Dockerfile:2 docker/user-not-root error",
  ]);
  const missing = runCli(["--config-from", "HEAD~1", "-c", "ci/bulkhead.yml"], { cwd: dir });
  assert.deepEqual([missing.code, missing.stderr.replace(/[0-9a-f]{12}/, "<sha>")], [2, 'bulkhead: config file "ci/bulkhead.yml" does not exist in the commit <sha> (HEAD~1)\n']);

  // A mistake in the commit's configuration names the file, line and column, and the commit.
  writeFileSync(path.join(dir, ".bulkhead.yml"), "failOn: sometimes\n");
  const sha = commit(dir, "broken config");
  const broken = runCli(["--config-from", "HEAD"], { cwd: dir });
  assert.deepEqual([broken.code, broken.stderr], [2, `bulkhead: .bulkhead.yml:1:1: "failOn" must be one of "error", "warning", "note", "never" (read from commit ${sha.slice(0, 12)} (HEAD))\n`]);

  // A symbolic link in the commit is not read (its target's name would be read as the text).
  rmSync(path.join(dir, ".bulkhead.yml"));
  symlinkSync("/etc/passwd", path.join(dir, ".bulkhead.yml"));
  const linked = commit(dir, "linked config");
  const link = runCli(["--config-from", "HEAD"], { cwd: dir });
  assert.deepEqual([link.code, link.stderr], [2, `bulkhead: config file ".bulkhead.yml" in the commit ${linked.slice(0, 12)} (HEAD) is a symbolic link; it is not read\n`]);
});
