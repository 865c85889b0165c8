// The GitHub Action, run as runners run it:
// - with GitHub's own local runner, @github/local-action (`npx @github/local-action run . src/action.ts <env file>`),
//   which stubs @actions/core and prints annotations, `::set-output` lines and writes the job summary;
// - as the committed bundle action/index.js under plain node with the runner's environment
//   (INPUT_* variables with action.yml's defaults, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE),
//   where the real @actions/core writes the output and summary files.
// Either way it must agree with the CLI on the same directory: same SARIF bytes, same findings, same exit status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { Finding } from "../src/types.ts";
import { EXAMPLES, ROOT, copyFixture, gitCommitAll, runCli, tmpDir } from "./helpers.ts";
import { cleanEnv, parseAnnotations, runLocalAction, type ActionRun } from "./local-action.ts";

const BUNDLE = path.join(ROOT, "action/index.js");
const ACTION_YML = parseYaml(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

/** Runs the committed bundle as the runner does: `node <main>` in the workspace with INPUT_* (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY. */
function runBundle(workspace: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}): ActionRun {
  const scratch = tmpDir("bulkhead-runner-");
  const outputFile = path.join(scratch, "output");
  const summaryFile = path.join(scratch, "summary.md");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = { ...cleanEnv(), GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...extraEnv };
  for (const [name, spec] of Object.entries(ACTION_YML.inputs)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? "";
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, ACTION_YML.runs.main)], { cwd: workspace, encoding: "utf8", env, maxBuffer: 1 << 26 });
  const ms = Date.now() - t0;
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(outputFile, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
  return { code: r.status, stdout: r.stdout + r.stderr, annotations: parseAnnotations(r.stdout), outputs, summary: readFileSync(summaryFile, "utf8"), ms };
}

/** What the CLI says about the same directory: the SARIF text, the unsuppressed findings, the exit code. */
function cli(dir: string): { sarif: string; findings: Finding[]; code: number | null } {
  const sarif = runCli(["-f", "sarif"], { cwd: dir });
  const json = runCli(["-f", "json"], { cwd: dir });
  assert.equal(json.code, sarif.code);
  return { sarif: sarif.stdout, code: sarif.code, findings: (JSON.parse(json.stdout) as { findings: Finding[] }).findings.filter((f) => !f.suppressions?.length) };
}

const GH_LEVEL: Record<string, string> = { error: "error", warning: "warning", note: "notice" };

function assertAgreesWithCli(run: ActionRun, dir: string, expected: ReturnType<typeof cli>, sarifPath: string): void {
  assert.equal(run.code, expected.code, `exit status like the CLI's\n${run.stdout.slice(-2000)}`);
  assert.equal(readFileSync(sarifPath, "utf8"), expected.sarif, "the SARIF file equals the CLI's --format sarif output");
  const count = (level: string) => expected.findings.filter((f) => f.level === level).length;
  assert.deepEqual(
    { findings: run.outputs.findings, errors: run.outputs.errors, warnings: run.outputs.warnings },
    { findings: String(expected.findings.length), errors: String(count("error")), warnings: String(count("warning")) },
  );
  const annotations = run.annotations.filter((a) => a.props.file !== undefined);
  assert.deepEqual(
    annotations.map((a) => `${a.level} ${a.props.title} ${a.props.file}:${a.props.line}`).sort(),
    expected.findings.map((f) => `${GH_LEVEL[f.level]} ${f.ruleId} ${f.file}:${f.region.startLine}`).sort(),
    "one annotation per finding, titled with the rule id",
  );
  for (const a of annotations) {
    assert.ok(a.props.endLine, "annotations carry an end line");
    if (a.props.endLine === a.props.line) assert.ok(a.props.col && a.props.endColumn, "single-line annotations carry columns");
    else assert.ok(!a.props.col, "multi-line annotations carry no columns");
  }
  assert.match(run.summary, /^## bulkhead: /, "the job summary is the markdown report");
  void dir;
}

/** The exit status an example's expected-findings.txt implies: 1 when it lists an error. */
function expectedExit(example: string): number {
  const lines = readFileSync(path.join(EXAMPLES, example, "expected-findings.txt"), "utf8").split("\n").filter(Boolean);
  return lines.some((l) => l.startsWith("error ")) ? 1 : 0;
}

test("action.yml: node24, the bundled main, the inputs and outputs of SPEC §7", () => {
  assert.equal(ACTION_YML.runs.using, "node24");
  assert.equal(ACTION_YML.runs.main, "action/index.js");
  assert.deepEqual(Object.keys(ACTION_YML.inputs).sort(), ["annotations", "baseline", "changed-only", "config", "config-from", "fail-on", "path", "preset", "pss-version", "sarif-file"]);
  assert.equal(ACTION_YML.inputs.path.default, ".");
  assert.equal(ACTION_YML.inputs["sarif-file"].default, "bulkhead.sarif");
  assert.equal(ACTION_YML.inputs.annotations.default, "true");
  assert.equal(ACTION_YML.inputs["changed-only"].default, "false");
  assert.equal(ACTION_YML.inputs["config-from"].default, "head");
  assert.deepEqual(Object.keys(ACTION_YML.outputs).sort(), ["errors", "findings", "sarif-file", "warnings"]);
  const bundle = readFileSync(BUNDLE, "utf8");
  const imported = [...bundle.matchAll(/^import [^;]*? from "([^"]+)";$/gm)].map((m) => m[1]);
  assert.ok(imported.length > 0);
  assert.deepEqual(imported.filter((m) => !builtinModules.includes(m.replace(/^node:/, ""))), [], "the bundle imports nothing but node builtins");
  assert.doesNotMatch(bundle, /(?<!['"`])\brequire\("(?!node:)(?!(?:fs|os|path|crypto|util|events|stream|url|assert|child_process|module|buffer|tty|net|http|https|zlib|string_decoder|worker_threads|perf_hooks)")[^"]+"\)/, "no runtime require of a package");
});

for (const [name, runner] of [
  ["@github/local-action (src/action.ts)", runLocalAction],
  ["node action/index.js (the committed bundle)", runBundle],
] as const) {
  test(`${name}: signal-bot-compose fails with ::error annotations, outputs, a job summary and the CLI's SARIF`, (t) => {
    const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
    gitCommitAll(dir);
    const expected = cli(dir);
    assert.equal(expected.code, expectedExit("signal-bot-compose"));
    const run = runner(dir);
    t.diagnostic(`action run took ${run.ms} ms`);
    assert.equal(run.code, 1, run.stdout.slice(-3000));
    assert.ok(run.annotations.some((a) => a.level === "error" && a.props.file && a.props.line && a.props.title), "::error annotations with file, line and title");
    assert.match(run.stdout, /^::error::bulkhead found \d+ problems? at or above fail-on level "error"$/m, "the step fails per fail-on");
    assert.equal(run.outputs["sarif-file"], "bulkhead.sarif");
    assertAgreesWithCli(run, dir, expected, path.join(dir, "bulkhead.sarif"));
    assert.match(run.summary, /\| 🔴 error \| [1-9]\d* \|/);
  });

  test(`${name}: signal-bot-hardened passes`, (t) => {
    const dir = copyFixture(path.join(EXAMPLES, "signal-bot-hardened"));
    gitCommitAll(dir);
    const expected = cli(dir);
    const run = runner(dir);
    t.diagnostic(`action run took ${run.ms} ms`);
    assert.equal(run.code, expectedExit("signal-bot-hardened"), run.stdout.slice(-3000));
    assert.ok(!run.annotations.some((a) => a.level === "error"));
    assertAgreesWithCli(run, dir, expected, path.join(dir, "bulkhead.sarif"));
  });
}

test("the bundle: changed-only reports the files of the pull request, from the event payload's base", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const baseSha = execFileSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
  mkdirSync(path.join(dir, "tools"));
  writeFileSync(path.join(dir, "tools/Dockerfile"), "FROM python:3.11-slim\nCMD [\"python\"]\n");
  execFileSync("git", ["add", "tools/Dockerfile"], { cwd: dir });
  execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "tools"], { cwd: dir });
  const event = path.join(tmpDir(), "event.json");
  writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: baseSha, ref: "main" } } }));

  const run = runBundle(dir, { "changed-only": "true", "sarif-file": path.join(tmpDir(), "out.sarif") }, { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: "pull_request", GITHUB_BASE_REF: "main" });
  const files = new Set(run.annotations.filter((a) => a.props.file).map((a) => a.props.file));
  assert.deepEqual([...files], ["tools/Dockerfile"], run.stdout.slice(-2000));
  assert.match(run.stdout, new RegExp(`changed-only: reporting files changed since the merge base with ${baseSha}`));

  // Not a pull request: every file.
  const all = runBundle(dir, { "changed-only": "true", "sarif-file": path.join(tmpDir(), "out.sarif") });
  assert.ok(new Set(all.annotations.map((a) => a.props.file)).size > 1);
});

test("the bundle: a baseline input suppresses the recorded findings; bad inputs fail the step with a message", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const baseline = path.join(tmpDir(), "baseline.json");
  assert.equal(runCli(["--write-baseline", baseline], { cwd: dir }).code, 0);
  const run = runBundle(dir, { baseline, "sarif-file": path.join(tmpDir(), "out.sarif") });
  assert.equal(run.code, 0, run.stdout.slice(-2000));
  assert.equal(run.outputs.findings, "0");
  assert.deepEqual(run.annotations, []);

  const bad = runBundle(dir, { "fail-on": "sometimes", "sarif-file": path.join(tmpDir(), "out.sarif") });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^::error::input "fail-on" must be one of error, warning, note, never \(got "sometimes"\)$/m);
});
