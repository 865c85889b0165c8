// Issue 11, item 13: the pre-commit hooks lint what is being committed, and installing them is
// fast. Each hook's entry is read from .pre-commit-hooks.yaml and run as pre-commit's `language:
// script` runs it: the file named by the entry, executed from the hook repository (here a copy of
// the files pre-commit's clone holds that the hook needs: no node_modules, no dist/), in the
// linted repository's top level with no file names, against a real git repository. Untracked
// files in the work tree are never reported, and `bulkhead-changed` works before the first commit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { Finding } from "../src/types.ts";
import { ROOT, runCli, tmpDir, writeTree } from "./helpers.ts";

interface Hook {
  id: string;
  entry: string;
  language: string;
  pass_filenames?: boolean;
}

const hooks = parse(readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
const BUNDLE = "pre-commit/bulkhead.js";

/** The hook repository as pre-commit installs a `language: script` hook: its files, nothing built or installed. */
const hookRepo = tmpDir("bulkhead-hook-repo-");
for (const file of [".pre-commit-hooks.yaml", "package.json", BUNDLE]) {
  mkdirSync(path.dirname(path.join(hookRepo, file)), { recursive: true });
  copyFileSync(path.join(ROOT, file), path.join(hookRepo, file));
}

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

/**
 * Runs a hook's entry as pre-commit does: `language: script` executes the entry's first word, a
 * path in the hook repository, with the rest as arguments and (pass_filenames: false) no file names.
 */
function runHook(id: string, dir: string): { code: number | null; files: string[]; findings: Finding[]; stderr: string } {
  const hook = hooks.find((h) => h.id === id);
  assert.ok(hook, `hook ${id} is declared`);
  assert.equal(hook.pass_filenames, false);
  assert.equal(hook.language, "script", "no npm install when the hook is installed");
  const [command, ...args] = hook.entry.split(/\s+/);
  assert.equal(command, BUNDLE);
  const run = spawnSync(path.join(hookRepo, command), [...args, "-f", "json"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const findings = run.status === 2 || run.error ? [] : (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => !f.suppressions?.length);
  return { code: run.status, files: [...new Set(findings.map((f) => f.file))].sort(), findings, stderr: run.stderr ?? String(run.error) };
}

test("the hooks run the committed single-file CLI: executable, Node's shebang, no import but Node's builtins", () => {
  assert.deepEqual(
    hooks.map((h) => [h.id, h.language, h.entry.split(/\s+/)[0]]),
    [
      ["bulkhead", "script", BUNDLE],
      ["bulkhead-changed", "script", BUNDLE],
    ],
  );
  assert.equal(statSync(path.join(ROOT, BUNDLE)).mode & 0o111, 0o111, "executable, as git records it");
  const bundle = readFileSync(path.join(ROOT, BUNDLE), "utf8");
  assert.equal(bundle.split("\n")[0], "#!/usr/bin/env node");
  const imported = [...bundle.matchAll(/^import [^;]*? from "([^"]+)";$/gm)].map((m) => m[1]);
  assert.ok(imported.length > 0);
  assert.deepEqual(imported.filter((m) => !builtinModules.includes(m.replace(/^node:/, ""))), [], "the bundle imports nothing but node builtins");
  const version = spawnSync(path.join(hookRepo, BUNDLE), ["--version"], { encoding: "utf8" });
  assert.equal(version.stdout, `${(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version}\n`);
});

const GOOD_DOCKERFILE = "FROM alpine:3.19\nUSER app\n";
const NOTES = `deploy token: ${"ghp_R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u"}\n`;

test("both hooks, on a repository's first commit: the staged files are linted, an untracked file with a token is not", () => {
  const dir = writeTree({ Dockerfile: GOOD_DOCKERFILE, "notes.txt": NOTES });
  git(dir, "init", "-q");
  git(dir, "add", "Dockerfile");
  for (const id of ["bulkhead", "bulkhead-changed"]) {
    const run = runHook(id, dir);
    assert.deepEqual(run.files, [], `${id}: ${run.stderr}`);
    assert.equal(run.code, 0, `${id}: ${run.stderr}`);
  }

  // A staged problem fails the commit, and only it is reported.
  writeTree({ "tools/Dockerfile": "FROM alpine:3.19\nRUN sudo apk add curl\n" }, dir);
  git(dir, "add", "tools/Dockerfile");
  for (const id of ["bulkhead", "bulkhead-changed"]) {
    const run = runHook(id, dir);
    assert.deepEqual(run.files, ["tools/Dockerfile"], id);
    assert.deepEqual(
      run.findings.map((f) => [f.ruleId, f.level, f.region.startLine, f.region.startColumn]).sort(),
      [
        ["docker/sudo", "warning", 2, 5],
        ["docker/user-not-root", "error", 1, 1],
      ],
      id,
    );
    assert.equal(run.code, 1, id);
  }
});

test("bulkhead-changed after the first commit: the staged change and the files that depend on it, not untracked files", () => {
  const dir = writeTree({ Dockerfile: "FROM alpine:3.19\nCOPY . /app\nUSER app\n", ".dockerignore": ".env\n", ".env": "DB_PASSWORD=Xk9pQ2vLm7wRt4zN8bYq\n", ".gitignore": ".env\n", "app.py": "print('hi')\n" });
  git(dir, "init", "-q");
  git(dir, "add", "Dockerfile", ".dockerignore", ".gitignore", "app.py");
  git(dir, "commit", "-q", "-m", "first");
  writeFileSync(path.join(dir, "notes.txt"), NOTES);

  // A .dockerignore that no longer excludes .env: the Dockerfile of that context is reported.
  writeFileSync(path.join(dir, ".dockerignore"), "*.log\n");
  git(dir, "add", ".dockerignore");
  const changed = runHook("bulkhead-changed", dir);
  assert.deepEqual(changed.files, ["Dockerfile"]);
  assert.equal(changed.code, 1);

  const whole = runHook("bulkhead", dir);
  assert.deepEqual(whole.files, ["Dockerfile"]);
  assert.equal(whole.code, 1);
});

test("--staged outside a git work tree is exit 2, and with --stdin too", () => {
  const dir = writeTree({ Dockerfile: GOOD_DOCKERFILE });
  const run = runCli(["--staged"], { cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /^bulkhead: --staged reports the files of git's index, and \. is not in a git work tree\n/);
  const stdin = runCli(["--staged", "--stdin", "--stdin-filename", "Dockerfile"], { cwd: dir, input: GOOD_DOCKERFILE });
  assert.equal(stdin.code, 2);
  assert.match(stdin.stderr, /--staged reports the files of git's index; standard input is none of them/);
});
