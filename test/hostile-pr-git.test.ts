// Hostile pull requests (issue 10): what a pull request's author controls must not run code, forge
// output, pass a gate silently or print a secret. Each section belongs to one part of the issue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import type { Finding } from "../src/types.ts";
import { gitCommitAll, runCli, tmpDir, writeTree } from "./helpers.ts";

// ---- git and discovery (issue 10 items 1, 5, 8) ----

/** Runs git for a test's setup (never through bulkhead). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

/** The findings of a JSON report (exit 0 or 1 expected). */
function report(run: { code: number | null; stdout: string; stderr: string }): Finding[] {
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
}

const show = (fs: Finding[]) => fs.map((f) => `  ${f.file}:${f.region.startLine} ${f.level} ${f.ruleId} ${f.message.slice(0, 140)}`).join("\n");

function has(findings: Finding[], file: string, ruleId: string, level?: string, message?: RegExp): void {
  const hit = findings.find((f) => f.file === file && f.ruleId === ruleId && (level === undefined || f.level === level) && (message === undefined || message.test(f.message)));
  assert.ok(hit, `expected ${ruleId}${level ? ` (${level})` : ""} on ${JSON.stringify(file)}; got:\n${show(findings)}`);
}

/** A command git would run, written as a shell command that leaves a marker file. */
const touch = (marker: string) => `touch '${marker}'; false`;

/**
 * A repository whose pull request commits a bare-repository skeleton in deploy/: HEAD, objects/,
 * refs/ and a config whose core.fsmonitor runs a command (git runs it on every index read when it
 * takes deploy/ for the repository). deploy/ also holds a committed .env and a Dockerfile.
 */
function skeletonRepo(marker: string): string {
  const dir = writeTree({
    "deploy/HEAD": "ref: refs/heads/main\n",
    "deploy/config": `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "${touch(marker)}"\n[core]\n\thooksPath = hooks\n`,
    "deploy/objects/info/packs": "\n",
    "deploy/refs/heads/main": "0000000000000000000000000000000000000000\n",
    "deploy/.env": "DB_PASSWORD=Xk9mQ2vLp7wRt4zA\n",
    "deploy/Dockerfile": "FROM alpine:3.20\nUSER app\n",
    "README.md": "# app\n",
  });
  gitCommitAll(dir);
  return dir;
}

test("a committed bare-repository skeleton with core.fsmonitor: scanning it never runs the command, its .env stays committed, and the skeleton is repo/embedded-git-dir", async () => {
  const marker = path.join(tmpDir("bulkhead-marker-"), "pwned");
  const repo = skeletonRepo(marker);
  const expectFindings = (findings: Finding[], prefix: string) => {
    has(findings, `${prefix}.env`, "repo/committed-dotenv", "error", /is committed to git/);
    has(findings, `${prefix}HEAD`, "repo/embedded-git-dir", "error", /git repository directory \(HEAD, objects\/, refs\/\) committed to the repository/);
  };
  // The Action's `path: deploy`, a CLI run from inside deploy/, --changed-since there, and lint().
  const runs: [string, () => Promise<Finding[]> | Finding[], string][] = [
    ["bulkhead deploy", () => report(runCli(["-f", "json", "deploy"], { cwd: repo })), "deploy/"],
    ["bulkhead . in deploy/", () => report(runCli(["-f", "json", "."], { cwd: path.join(repo, "deploy") })), ""],
    ["lint({ paths: [deploy] })", async () => (await lint({ cwd: repo, paths: ["deploy"], config: false })).findings, "deploy/"],
  ];
  for (const [name, run, prefix] of runs) {
    const findings = await run();
    assert.equal(existsSync(marker), false, `core.fsmonitor of deploy/config ran (${name})`);
    expectFindings(findings, prefix);
  }
  const changed = runCli(["-f", "json", "--changed-since", "HEAD", "."], { cwd: path.join(repo, "deploy") });
  assert.equal(existsSync(marker), false, "core.fsmonitor of deploy/config ran (--changed-since)");
  assert.deepEqual(report(changed), [], "nothing changed since HEAD");
});

test("a clone whose own .git/config names commands (core.fsmonitor, a hook, a filter): bulkhead runs none, and tracked files and --changed-since stay right", async () => {
  const markers = tmpDir("bulkhead-marker-");
  const origin = writeTree({
    ".gitattributes": "* filter=evil\n",
    ".env": "API_TOKEN=Xk9mQ2vLp7wRt4zA\n",
    "api/Dockerfile": "FROM alpine:3.20\nUSER app\n",
    "web/Dockerfile": "FROM alpine:3.20\n",
  });
  gitCommitAll(origin);
  const clone = path.join(tmpDir("bulkhead-clone-"), "c");
  execFileSync("git", ["clone", "-q", origin, clone]);
  const hooks = path.join(markers, "hooks");
  mkdirSync(hooks);
  for (const hook of ["post-index-change", "post-checkout", "pre-commit"]) {
    writeFileSync(path.join(hooks, hook), `#!/bin/sh\ntouch '${path.join(markers, hook)}'\n`);
    chmodSync(path.join(hooks, hook), 0o755);
  }
  git(clone, "config", "core.fsmonitor", touch(path.join(markers, "fsmonitor")));
  git(clone, "config", "core.hooksPath", hooks);
  git(clone, "config", "filter.evil.clean", `touch '${path.join(markers, "filter")}'; cat`);
  git(clone, "config", "filter.evil.required", "true");
  git(clone, "config", "diff.external", touch(path.join(markers, "external-diff")));
  // A change since HEAD, an untracked Dockerfile, and a file whose stat no longer matches the
  // index (git compares its content, through the filter, to tell whether it changed).
  writeFileSync(path.join(clone, "api/Dockerfile"), "FROM alpine:3.20\n");
  writeFileSync(path.join(clone, "new.Dockerfile"), "FROM alpine:3.20\n");
  utimesSync(path.join(clone, "web/Dockerfile"), new Date(2001, 0, 1), new Date(2001, 0, 1));

  const full = report(runCli(["-f", "json", "."], { cwd: clone }));
  has(full, ".env", "repo/committed-dotenv", "error", /is committed to git/);
  const since = report(runCli(["-f", "json", "--changed-since", "HEAD", "."], { cwd: clone }));
  assert.deepEqual([...new Set(since.map((f) => f.file))].sort(), ["api/Dockerfile", "new.Dockerfile"], show(since));
  const viaLint = (await lint({ cwd: clone, config: false, changedSince: "HEAD" })).findings;
  assert.deepEqual([...new Set(viaLint.map((f) => f.file))].sort(), ["api/Dockerfile", "new.Dockerfile"], show(viaLint));
  assert.deepEqual(readdir(markers), ["hooks"], "a command from the clone's config ran");
});

function readdir(dir: string): string[] {
  return execFileSync("ls", ["-A", dir], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
}

test("a nested repository's .git is a warning (never used), a submodule's is not reported", () => {
  const dir = writeTree({ "app/Dockerfile": "FROM alpine:3.20\nUSER app\n", "vendored/lib/README.md": "x\n", "sub/README.md": "y\n" });
  gitCommitAll(dir);
  git(path.join(dir, "vendored/lib"), "init", "-q");
  git(path.join(dir, "sub"), "init", "-q");
  git(path.join(dir, "sub"), "add", "README.md");
  git(path.join(dir, "sub"), "commit", "-qm", "sub");
  const head = git(path.join(dir, "sub"), "rev-parse", "HEAD").trim();
  git(dir, "rm", "-q", "--cached", "sub/README.md");
  git(dir, "update-index", "--add", "--cacheinfo", `160000,${head},sub`);
  git(dir, "commit", "-qm", "submodule");
  const findings = report(runCli(["-f", "json", "."], { cwd: dir })).filter((f) => f.ruleId === "repo/embedded-git-dir");
  assert.deepEqual(
    findings.map((f) => [f.file, f.level]),
    [["vendored/lib/.git", "warning"]],
    show(findings),
  );
});

test("directories whose names hold \\n, \\r, U+2028 or U+2029 are scanned", () => {
  const names = ["a\nb", "c\rd", "e\u2028f", "g\u2029h"];
  const dir = writeTree(Object.fromEntries(names.map((n) => [`${n}/Dockerfile`, "FROM alpine:3.20\n"])));
  gitCommitAll(dir);
  const findings = report(runCli(["-f", "json", "."], { cwd: dir }));
  for (const n of names) has(findings, `${n}/Dockerfile`, "docker/user-not-root", "error");
  // And the .dockerignore of a build context excludes them as Docker does (no false leak).
  const ctx = writeTree({ "Dockerfile": "FROM alpine:3.20\nCOPY . /app\nUSER app\n", ".dockerignore": "conf/**\n", "conf/a\nb/.env": "TOKEN=Xk9mQ2vLp7wRt4zA\n" });
  const leaks = report(runCli(["-f", "json", "."], { cwd: ctx })).filter((f) => f.ruleId === "docker/context-leaks-secrets");
  assert.deepEqual(leaks, [], show(leaks));
});

test("a file or directory name that is not UTF-8 is bulkhead/scan-incomplete naming it (\\xNN): a warning, an error in strict", () => {
  const dir = tmpDir();
  const raw = (name: Buffer) => Buffer.concat([Buffer.from(`${dir}/`), name]);
  mkdirSync(raw(Buffer.from([0x63, 0x61, 0x66, 0xe9])));
  writeFileSync(Buffer.concat([raw(Buffer.from([0x63, 0x61, 0x66, 0xe9])), Buffer.from("/Dockerfile")]), "FROM alpine\n");
  writeFileSync(raw(Buffer.from([0x78, 0xff, 0x2e, 0x65, 0x6e, 0x76])), "TOKEN=Xk9mQ2vLp7wRt4zA\n");
  writeFileSync(path.join(dir, "ok.txt"), "fine\n");
  gitCommitAll(dir);
  const recommended = report(runCli(["-f", "json", "."], { cwd: dir }));
  has(recommended, "caf\\xE9", "bulkhead/scan-incomplete", "warning", /directory name is not valid UTF-8; nothing under it is scanned/);
  has(recommended, "x\\xFF.env", "bulkhead/scan-incomplete", "warning", /file name is not valid UTF-8; not scanned/);
  const strict = runCli(["-f", "json", "--preset", "strict", "."], { cwd: dir });
  assert.equal(strict.code, 1);
  has(report(strict), "x\\xFF.env", "bulkhead/scan-incomplete", "error");
  // Outside a git work tree too.
  rmSync(path.join(dir, ".git"), { recursive: true });
  const plain = report(runCli(["-f", "json", "."], { cwd: dir }));
  has(plain, "caf\\xE9", "bulkhead/scan-incomplete", "warning");
  has(plain, "x\\xFF.env", "bulkhead/scan-incomplete", "warning");
});

test("symbolic links named as files bulkhead lints: linted through when they stay in the scanned directory, scan-incomplete when they leave it", () => {
  const outside = writeTree({
    "compose.yaml": "services:\n  app:\n    image: nginx:1.27\n    privileged: true\n",
    "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers: [{name: c, image: nginx}]\n",
    "tsconfig.base.json": '{"compilerOptions": {"strict": true}}\n',
  });
  const dir = writeTree({ "build/base.txt": "FROM alpine:3.20\n", "config/prod.env": "API_TOKEN=Xk9mQ2vLp7wRt4zA\n", "README.md": "x\n" });
  symlinkSync("build/base.txt", path.join(dir, "Dockerfile"));
  symlinkSync("config/prod.env", path.join(dir, ".env"));
  symlinkSync(path.join(outside, "compose.yaml"), path.join(dir, "compose.yaml"));
  symlinkSync(path.join(outside, "pod.yaml"), path.join(dir, "pod.yaml"));
  symlinkSync(path.join(outside, "tsconfig.base.json"), path.join(dir, "tsconfig.json"));
  symlinkSync("build", path.join(dir, "k8s.yaml"));
  gitCommitAll(dir);
  const findings = report(runCli(["-f", "json", "."], { cwd: dir }));
  has(findings, "Dockerfile", "docker/user-not-root", "error");
  has(findings, ".env", "repo/committed-dotenv", "error");
  has(findings, "compose.yaml", "bulkhead/scan-incomplete", "warning", /outside the scanned directory; a compose file not followed/);
  has(findings, "pod.yaml", "bulkhead/scan-incomplete", "warning", /outside the scanned directory; a Kubernetes manifest not followed/);
  // A YAML/JSON name alone is not a manifest: a note.
  has(findings, "tsconfig.json", "bulkhead/file-skipped", "note", /outside the scanned directory; not followed/);
  has(findings, "k8s.yaml", "bulkhead/file-skipped", "note", /not a regular file/);
  assert.ok(!findings.some((f) => f.ruleId === "compose/privileged" || f.ruleId === "k8s/host-namespace"), "a link out of the directory was followed");
  has(report(runCli(["-f", "json", "--preset", "strict", "."], { cwd: dir })), "compose.yaml", "bulkhead/scan-incomplete", "error");
});

/** A repository with a committed .env that .gitignore also matches (git ls-files is the only way to know it is committed). */
function committedIgnoredEnv(): string {
  const dir = writeTree({ ".gitignore": ".env\n", ".env": "API_TOKEN=Xk9mQ2vLp7wRt4zA\n", "Dockerfile": "FROM alpine:3.20\nUSER app\n" });
  gitCommitAll(dir);
  return dir;
}

test("git missing from PATH: bulkhead/scan-incomplete at the work tree (warning; strict: error), not a silent fallback", () => {
  const dir = committedIgnoredEnv();
  const noGit = { PATH: tmpDir("bulkhead-nogit-") };
  const findings = report(runCli(["-f", "json", "."], { cwd: dir, env: noGit }));
  has(findings, ".", "bulkhead/scan-incomplete", "warning", /git is not installed or not on PATH; which files are tracked is unknown/);
  has(report(runCli(["-f", "json", "--preset", "strict", "."], { cwd: dir, env: noGit })), ".", "bulkhead/scan-incomplete", "error");
  // With git, the committed .env is found.
  has(report(runCli(["-f", "json", "."], { cwd: dir })), ".env", "repo/committed-dotenv", "error");
});

test("git refusing the repository (unsupported format; dubious ownership as root): bulkhead/scan-incomplete naming git's reason", async (t) => {
  const dir = committedIgnoredEnv();
  git(dir, "config", "core.repositoryformatversion", "99");
  const findings = (await lint({ cwd: dir, config: false })).findings;
  has(findings, ".", "bulkhead/scan-incomplete", "warning", /git cannot read the repository: .*repo version/);

  if (process.getuid?.() !== 0) return t.skip("dubious ownership needs a repository owned by another user (run as root)");
  const owned = committedIgnoredEnv();
  execFileSync("chown", ["-R", "65534:65534", owned]);
  // No global or system safe.directory that would trust it.
  const home = tmpDir("bulkhead-home-");
  const env = { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_GLOBAL: path.join(home, "gitconfig"), GIT_CONFIG_NOSYSTEM: "1" };
  writeFileSync(env.GIT_CONFIG_GLOBAL, "");
  const refused = report(runCli(["-f", "json", "."], { cwd: owned, env }));
  has(refused, ".", "bulkhead/scan-incomplete", "warning", /git refuses the repository: detected dubious ownership.*safe\.directory/);
  writeFileSync(env.GIT_CONFIG_GLOBAL, `[safe]\n\tdirectory = ${owned}\n`);
  has(report(runCli(["-f", "json", "."], { cwd: owned, env })), ".env", "repo/committed-dotenv", "error");
});

test("tracked files bulkhead lints but cannot read (size, binary) are bulkhead/scan-incomplete; name rules still run; other skipped files stay notes", async () => {
  const binary = Buffer.concat([Buffer.from("FROM alpine\n\0\0"), Buffer.alloc(64, 7)]);
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${"  k: v\n".repeat(400)}`;
  const dir = writeTree({
    "Dockerfile": binary as unknown as string,
    "compose.yaml": `services:\n  app:\n    image: nginx:1.27\n    command: ["${"x".repeat(3000)}"]\n`,
    "deploy/big.yaml": big,
    "package-lock.json": `{"lockfileVersion": 3, "packages": {"${"a".repeat(3000)}": {}}}\n`,
    ".env": Buffer.concat([Buffer.from("TOKEN=\0"), Buffer.alloc(64, 9)]) as unknown as string,
    "keys/id_rsa": Buffer.concat([Buffer.from([0x30, 0x82, 0, 0]), Buffer.alloc(64, 3)]) as unknown as string,
    "certs/client.p12": Buffer.concat([Buffer.from([0x30, 0x82, 0, 0]), Buffer.alloc(64, 5)]) as unknown as string,
    "logo.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.alloc(64, 1)]) as unknown as string,
  });
  gitCommitAll(dir);
  const findings = (await lint({ cwd: dir, config: false, maxFileSize: 2048 })).findings;
  has(findings, "Dockerfile", "bulkhead/scan-incomplete", "warning", /binary file; not scanned; it is a Dockerfile bulkhead lints/);
  has(findings, "compose.yaml", "bulkhead/scan-incomplete", "warning", /larger than/);
  has(findings, "deploy/big.yaml", "bulkhead/scan-incomplete", "warning", /Kubernetes manifest/);
  has(findings, ".env", "bulkhead/scan-incomplete", "warning");
  has(findings, ".env", "repo/committed-dotenv", "error");
  has(findings, "keys/id_rsa", "repo/committed-credentials", "error", /SSH private key/);
  has(findings, "certs/client.p12", "repo/committed-credentials", "error", /PKCS#12/);
  has(findings, "package-lock.json", "bulkhead/file-skipped", "note");
  has(findings, "logo.png", "bulkhead/file-skipped", "note");
  const strict = (await lint({ cwd: dir, config: false, maxFileSize: 2048, preset: "strict" })).findings;
  has(strict, "Dockerfile", "bulkhead/scan-incomplete", "error");
  // A committed Dockerfile padded past the parse limit (1 MB) hides its instructions: incomplete too.
  const padded = writeTree({ Dockerfile: `FROM alpine:3.20\n${"# padding\n".repeat(120_000)}USER root\n` });
  gitCommitAll(padded);
  has((await lint({ cwd: padded, config: false })).findings, "Dockerfile", "bulkhead/scan-incomplete", "warning", /larger than 1 MB; its instructions are not checked/);
  // An untracked, ignored binary Dockerfile named on the command line is not a committed one: a note.
  const untracked = writeTree({ ".gitignore": "scratch/\n", "scratch/Dockerfile": binary as unknown as string });
  gitCommitAll(untracked, ["scratch"]);
  const note = (await lint({ cwd: untracked, config: false, paths: ["scratch/Dockerfile"] })).findings;
  has(note, "scratch/Dockerfile", "bulkhead/file-skipped", "note");
});

test("explicit file paths give the same report as their directory, and git runs once per repository whatever the number of paths", () => {
  const files: Record<string, string> = { ".gitignore": "*.log\n" };
  for (let i = 0; i < 20; i++) {
    files[`svc${i}/Dockerfile`] = `FROM node:20\nCOPY . /app\n`;
    files[`svc${i}/.env`] = `API_TOKEN=Xk9mQ2vLp7wRt4z${i}\n`;
    files[`svc${i}/compose.yaml`] = `services:\n  s${i}:\n    build: .\n    ports: ["80${i}:80"]\n`;
    files[`svc${i}/k8s/deploy.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: s${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: s\n          image: nginx\n`;
  }
  const dir = writeTree(files);
  gitCommitAll(dir);
  const tracked = git(dir, "ls-files", "-z").split("\0").filter(Boolean);
  const trace = path.join(tmpDir("bulkhead-trace-"), "trace");
  const byDir = runCli(["-f", "json", "."], { cwd: dir });
  const byFiles = runCli(["-f", "json", ...tracked], { cwd: dir, env: { GIT_TRACE: trace } });
  assert.equal(byFiles.code, byDir.code);
  assert.ok(report(byDir).length > 60);
  assert.deepEqual(report(byFiles), report(byDir));
  const lsFiles = readFileSync(trace, "utf8").split("\n").filter((l) => /trace: built-in: git .*ls-files/.test(l));
  assert.equal(lsFiles.length, 1, `git ls-files ran ${lsFiles.length} times for ${tracked.length} paths in 41 directories`);
  rmSync(trace);
});
