// Progress on stderr: when it shows (terminal, not CI, stdout not piped, or --progress) and what it writes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { progressEnabled, startProgress } from "../src/progress.ts";
import { runCli, writeTree } from "./helpers.ts";

const tty = { stderrIsTTY: true, stdoutIsTTY: true };

test("progress shows on an interactive terminal only", () => {
  assert.equal(progressEnabled({ ...tty, env: {} }), true);
  assert.equal(progressEnabled({ ...tty, env: { TERM: "xterm-256color", CI: "" } }), true);
  assert.equal(progressEnabled({ ...tty, env: { CI: "false" } }), true);
  assert.equal(progressEnabled({ ...tty, env: { CI: "0" } }), true);
  // CI logs, whatever the CI
  for (const name of ["CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "TF_BUILD", "JENKINS_URL", "CIRCLECI"]) {
    assert.equal(progressEnabled({ ...tty, env: { [name]: "true" } }), false, name);
  }
  assert.equal(progressEnabled({ ...tty, env: { CI: "1" } }), false);
  // stdout piped (a script reads the report), stderr redirected, dumb terminal
  assert.equal(progressEnabled({ stderrIsTTY: true, stdoutIsTTY: false, env: {} }), false);
  assert.equal(progressEnabled({ stderrIsTTY: false, stdoutIsTTY: true, env: {} }), false);
  assert.equal(progressEnabled({ ...tty, env: { TERM: "dumb" } }), false);
});

test("--progress forces it on, in CI and with pipes too", () => {
  assert.equal(progressEnabled({ forced: true, stderrIsTTY: false, stdoutIsTTY: false, env: { CI: "true" } }), true);
  assert.equal(progressEnabled({ forced: false, ...tty, env: { CI: "true" } }), false);
});

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => (chunks.push(s), true) } };
}

test("on a terminal: a line redrawn in place, throttled, erased at the end; silent for small runs", () => {
  let clock = 0;
  const { chunks, stream } = recorder(true);
  const p = startProgress(stream, { enabled: true, now: () => clock });
  for (let i = 1; i <= 1000; i++) {
    clock += 1; // 1 ms per file: about one redraw per 100 files
    p.update(i, 1000);
  }
  p.done();
  assert.ok(chunks.length >= 9 && chunks.length <= 13, `${chunks.length} writes`);
  assert.equal(chunks[0], "\rbulkhead: 1/1000 files");
  assert.equal(chunks[chunks.length - 2], "\rbulkhead: 1000/1000 files", "the final count is always drawn");
  assert.equal(chunks[chunks.length - 1], "\r\x1b[K");

  const small = recorder(true);
  const q = startProgress(small.stream, { enabled: true });
  for (let i = 1; i <= 299; i++) q.update(i, 299);
  q.done();
  assert.deepEqual(small.chunks, []);

  const off = recorder(true);
  const r = startProgress(off.stream, { enabled: false });
  for (let i = 1; i <= 1000; i++) r.update(i, 1000);
  r.done();
  assert.deepEqual(off.chunks, []);
});

test("forced onto a non-terminal: whole lines, at most one a second, then the final count", () => {
  let clock = 0;
  const { chunks, stream } = recorder(false);
  const p = startProgress(stream, { enabled: true, minFiles: 0, now: () => clock });
  for (let i = 1; i <= 50; i++) {
    clock += 100;
    p.update(i, 50);
  }
  p.done();
  assert.ok(chunks.every((c) => /^bulkhead: \d+\/50 files\n$/.test(c)), chunks.join(""));
  assert.ok(chunks.length >= 5 && chunks.length <= 7, `${chunks.length} lines`);
  assert.equal(chunks[chunks.length - 1], "bulkhead: 50/50 files\n");
});

test("the CLI: nothing on stderr when piped or in CI; --progress prints the count", () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 320; i++) files[`f${i}.txt`] = `line ${i}\n`;
  const dir = writeTree(files);
  const quiet = runCli(["-f", "json"], { cwd: dir });
  assert.equal(quiet.stderr, "");
  assert.ok(quiet.code === 0 || quiet.code === 1);
  const shown = runCli(["-f", "json", "--progress"], { cwd: dir });
  assert.match(shown.stderr, /bulkhead: 320\/320 files\n$/);
  assert.deepEqual(JSON.parse(shown.stdout).filesScanned, 320, "the report on stdout is untouched");
});
