// Issue 11, item 13: the pre-commit hooks lint what is being committed. Each hook's entry is read
// from .pre-commit-hooks.yaml and run as pre-commit runs it (in the repository's top level, no
// file names) against a real git repository: untracked files in the work tree are never
// reported, and `bulkhead-changed` works before the first commit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import type { Finding } from "../src/types.ts";
import { ROOT, runCli, writeTree } from "./helpers.ts";

interface Hook {
  id: string;
  entry: string;
  pass_filenames?: boolean;
}

const hooks = parse(readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

/** Runs a hook's entry as pre-commit does (pass_filenames: false: no file names). */
function runHook(id: string, dir: string): { code: number | null; files: string[]; stderr: string } {
  const hook = hooks.find((h) => h.id === id);
  assert.ok(hook, `hook ${id} is declared`);
  assert.equal(hook.pass_filenames, false);
  const [command, ...args] = hook.entry.split(/\s+/);
  assert.equal(command, "bulkhead");
  const run = runCli([...args, "-f", "json"], { cwd: dir });
  const findings = run.code === 2 ? [] : (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
  return { code: run.code, files: [...new Set(findings.filter((f) => !f.suppressions?.length).map((f) => f.file))].sort(), stderr: run.stderr };
}

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
