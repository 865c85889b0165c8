// Baselines: --write-baseline records the current findings; --baseline suppresses them (kind
// external) as long as their fingerprints hold, which do not depend on line numbers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { EXAMPLES, copyFixture, gitCommitAll, runCli, tmpDir } from "./helpers.ts";

interface Report {
  findings: Finding[];
}

function fixture(): string {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  return dir;
}

function prepend(file: string, lines: string[]): void {
  writeFileSync(file, lines.join("\n") + "\n" + readFileSync(file, "utf8"));
}

test("a baseline written on signal-bot-compose suppresses every finding after lines are inserted above them", () => {
  const dir = fixture();
  const baseline = path.join(tmpDir(), "baseline.json");
  const before = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as Report;
  assert.ok(before.findings.some((f) => f.file === "docker-compose.yml"), "the example has compose findings");

  const written = runCli(["--write-baseline", baseline], { cwd: dir });
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, "");
  assert.match(written.stderr, new RegExp(`wrote ${before.findings.length} findings to the baseline`));
  const doc = JSON.parse(readFileSync(baseline, "utf8")) as { tool: string; version: number; findings: { fingerprint: string; ruleId: string; file: string; line: number }[] };
  assert.equal(doc.tool, "bulkhead");
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.findings.map((e) => e.fingerprint), before.findings.map((f) => f.fingerprint));

  // Two comment lines at the top of docker-compose.yml, Dockerfile and .env; an unrelated line reformatted.
  prepend(path.join(dir, "docker-compose.yml"), ["# managed by ops", "# see the runbook"]);
  prepend(path.join(dir, "Dockerfile"), ["# syntax=docker/dockerfile:1", "# signal bot image"]);
  prepend(path.join(dir, ".env"), ["# local settings", "# do not share"]);
  const compose = path.join(dir, "docker-compose.yml");
  writeFileSync(compose, readFileSync(compose, "utf8").replace("restart: unless-stopped", 'restart:   "unless-stopped"'));

  const after = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as Report;
  const moved = after.findings.filter((f) => f.file === "docker-compose.yml" || f.file === "Dockerfile");
  assert.ok(moved.length > 0 && moved.every((f) => !before.findings.some((b) => b.fingerprint === f.fingerprint && b.region.startLine === f.region.startLine)), "the findings did move");

  const run = runCli(["-f", "json", "--baseline", baseline, "--sarif", path.join(tmpDir(), "out.sarif")], { cwd: dir });
  assert.equal(run.code, 0, "every finding is baselined, so nothing fails");
  const report = JSON.parse(run.stdout) as Report;
  const loose = report.findings.filter((f) => !f.suppressions?.length);
  assert.deepEqual(loose.map((f) => `${f.ruleId} ${f.file}:${f.region.startLine}`), [], "no finding escaped the baseline");
  for (const f of report.findings) assert.deepEqual(f.suppressions, [{ kind: "external", justification: "baseline" }]);
  assert.equal(report.findings.length, before.findings.length);
});

test("baselined findings are SARIF results with an external suppression, and the text report counts them", () => {
  const dir = fixture();
  const baseline = path.join(tmpDir(), "baseline.json");
  assert.equal(runCli(["--write-baseline", baseline], { cwd: dir }).code, 0);
  const n = (JSON.parse(readFileSync(baseline, "utf8")) as { findings: unknown[] }).findings.length;

  const sarifFile = path.join(tmpDir(), "out.sarif");
  const text = runCli(["--baseline", baseline, "--sarif", sarifFile], { cwd: dir });
  assert.equal(text.code, 0);
  assert.match(text.stdout.trimEnd().split("\n").pop()!, new RegExp(`^✔ no problems in \\d+ files, ${n} suppressed$`));
  const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as { runs: { results: { suppressions?: { kind: string; justification?: string }[] }[] }[] };
  assert.equal(sarif.runs[0].results.length, n);
  for (const r of sarif.runs[0].results) assert.deepEqual(r.suppressions, [{ kind: "external", justification: "baseline" }]);
});

test("a finding missing from the baseline is reported; the rest stay suppressed", () => {
  const dir = fixture();
  const baseline = path.join(tmpDir(), "baseline.json");
  runCli(["--write-baseline", baseline], { cwd: dir });
  const doc = JSON.parse(readFileSync(baseline, "utf8")) as { findings: { fingerprint: string; ruleId: string; level?: string }[] };
  const full = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as Report;
  const error = full.findings.find((f) => f.level === "error");
  assert.ok(error, "the example has an error finding");
  doc.findings = doc.findings.filter((e) => e.fingerprint !== error.fingerprint);
  writeFileSync(baseline, JSON.stringify(doc));

  const run = runCli(["-f", "json", "--baseline", baseline], { cwd: dir });
  assert.equal(run.code, 1, "the new error fails the run");
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(
    report.findings.filter((f) => !f.suppressions?.length).map((f) => f.fingerprint),
    [error.fingerprint],
  );
});

test("findings without a logical location or snippet get a fingerprint from their source text, stable across line shifts", async () => {
  // bulkhead/unused-suppression reports the comment's region with neither logicalLocation nor snippet.
  const { lint } = await import("../src/engine/lint.ts");
  const dir = tmpDir();
  const comment = "# bulkhead-disable-next-line docker/sudo -- nothing to suppress here";
  const write = (lines: string[]) => writeFileSync(path.join(dir, "Dockerfile"), lines.join("\n") + "\n");
  const pick = async () => (await lint({ cwd: dir, config: false })).findings.find((f) => f.ruleId === "bulkhead/unused-suppression")!;
  write(["FROM python:3.11-slim", comment, "USER app"]);
  const one = await pick();
  write(["# a comment", "", "FROM python:3.11-slim", comment, "USER app"]);
  const two = await pick();
  assert.ok(one && two);
  assert.equal(one.logicalLocation, undefined);
  assert.notEqual(one.region.startLine, two.region.startLine);
  assert.equal(one.fingerprint, two.fingerprint);
  // Other text at that place is a different finding.
  write(["FROM python:3.11-slim", comment.replace("docker/sudo", "docker/expose-ssh"), "USER app"]);
  assert.notEqual((await pick()).fingerprint, one.fingerprint);
});

test("an unreadable or malformed baseline is exit 2 with a clear message", () => {
  const dir = fixture();
  const missing = runCli(["--baseline", "nope.json"], { cwd: dir });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read baseline .*nope\.json.*no such file/);
  const bad = path.join(tmpDir(), "bad.json");
  writeFileSync(bad, '{"findings": [1]}');
  const malformed = runCli(["--baseline", bad], { cwd: dir });
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /is not a bulkhead baseline/);
});
