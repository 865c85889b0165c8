// Reports at monorepo scale: every format is written as a stream of pieces (the same bytes as the
// whole-string reporters gave), and the SARIF stays within what GitHub code scanning accepts
// (SARIF_LIMITS): the most severe results kept, the rest counted in a run-level notification,
// on stderr, and in the Action's log and job summary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import type * as Sarif from "sarif";
import type { LintResult } from "../src/engine/lint.ts";
import type { Finding, Level } from "../src/types.ts";
import { FORMATS } from "../src/reporters/index.ts";
import { SARIF_LIMITS, formatSarif } from "../src/reporters/sarif.ts";
import { jsonChunks, joinChunks, streamed } from "../src/reporters/stream.ts";
import { jsonForLogs } from "../src/visible.ts";
import { EXAMPLES, copyFixture, gitCommitAll, resultOf, runCli, sarifErrors, tmpDir, writeTree } from "./helpers.ts";
import { runLocalAction } from "./local-action.ts";

/** Any JSON value, with strings that hold what jsonForLogs escapes (C1, U+2028, bidi, `##[`). */
const unsafeString = fc.array(fc.constantFrom("a", "#", "##[", "[", "\u0085", "\u2028", "\u202e", "\n", '"', "\\", "é", "😀"), { maxLength: 8 }).map((xs) => xs.join(""));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true }), fc.integer(), unsafeString, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(unsafeString, fc.constantFrom("1", "10", "__proto__x", "a")), tie("value"), { maxKeys: 4 }),
})).value;

/**
 * The value with some arrays (at any depth) marked to be streamed. (Only where the reporters put
 * them: in plain objects and streamed arrays; an ordinary array is serialized whole.)
 */
function markStreamed(value: unknown, pick: () => boolean): unknown {
  if (Array.isArray(value)) return pick() ? streamed(value.map((v) => markStreamed(v, pick))) : value;
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markStreamed(v, pick)]));
  return value;
}

test("streamed JSON is byte for byte JSON.stringify(value, null, 2) made safe for logs, whatever is streamed", () => {
  fc.assert(
    fc.property(jsonValue, fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), (value, picks) => {
      let i = 0;
      const marked = markStreamed(value, () => picks[i++ % picks.length]);
      assert.equal(joinChunks(jsonChunks(marked)), jsonForLogs(value));
    }),
    { numRuns: 400 },
  );
  // undefined members are left out, undefined array elements become null, as JSON.stringify does.
  assert.equal(joinChunks(jsonChunks({ a: undefined, b: streamed([undefined, 1]), c: {} })), jsonForLogs({ a: undefined, b: [undefined, 1], c: {} }));
});

test("every format: stdout, -o and --sarif write the same bytes as the library's format()", async () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const { format } = await import("../src/reporters/index.ts");
  const { lint } = await import("../src/engine/lint.ts");
  const result = await lint({ cwd: dir });
  for (const name of FORMATS) {
    const out = path.join(tmpDir(), `report.${name}`);
    const sarif = path.join(tmpDir(), "also.sarif");
    const stdout = runCli(["-f", name, "--no-color", "."], { cwd: dir });
    const file = runCli(["-f", name, "-o", out, "--sarif", sarif, "."], { cwd: dir });
    assert.equal(file.code, stdout.code, name);
    assert.equal(file.stdout, "", `${name}: with -o nothing goes to stdout`);
    const expected = format(name, result, { color: false, quiet: false });
    assert.ok(expected.length > 200, `${name}: a real report (${expected.length} characters)`);
    assert.equal(stdout.stdout, expected, `${name} on stdout`);
    assert.equal(readFileSync(out, "utf8"), expected, `${name} with -o`);
    assert.equal(readFileSync(sarif, "utf8"), format("sarif", result, { color: false, quiet: false }), "--sarif");
  }
});

/** `n` Pods in one manifest, each: 2 errors, 4 warnings, 2 notes; plus one note for the namespace. */
function pods(n: number): string {
  const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n    - name: c\n      image: nginx\n      securityContext:\n        privileged: true\n`;
  return Array.from({ length: n }, (_, i) => doc(i)).join("---\n");
}

const RANK: Record<Level, number> = { error: 0, warning: 1, note: 2 };
const key = (file: string, line: number, col: number, ruleId: string) => `${file}:${line}:${col} ${ruleId}`;
const resultKey = (r: Sarif.Result) => {
  const loc = r.locations![0].physicalLocation!;
  return key(loc.artifactLocation!.uri!, loc.region!.startLine!, loc.region!.startColumn!, r.ruleId!);
};

test("a SARIF over GitHub's 5,000 results keeps the 5,000 most severe, in report order, and counts the rest in a run-level notification", () => {
  const dir = writeTree({ "pods.yaml": pods(700) });
  gitCommitAll(dir);
  const sarifFile = path.join(tmpDir(), "out.sarif");
  const r = runCli(["-f", "json", "--sarif", sarifFile, "."], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const all = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  const count = (level: Level) => all.filter((f) => f.level === level).length;
  assert.deepEqual({ error: count("error"), warning: count("warning"), note: count("note"), total: all.length }, { error: 1400, warning: 2800, note: 1401, total: 5601 });

  const log = JSON.parse(readFileSync(sarifFile, "utf8")) as Sarif.Log;
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  assert.equal(run.results!.length, 5000);
  // Every error and warning; of the notes, the first 800 in report order (the report interleaves the levels pod by pod).
  const expected = all.filter((f) => f.level !== "note" || all.filter((g) => g.level === "note").indexOf(f) < 800);
  assert.deepEqual(
    run.results!.map(resultKey),
    expected.map((f) => key(f.file, f.region.startLine, f.region.startColumn, f.ruleId)),
  );
  assert.deepEqual(
    run.results!.map((x) => x.level),
    expected.map((f) => f.level),
  );
  assert.ok(
    run.results!.some((x, i) => i > 0 && RANK[x.level as Level] < RANK[run.results![i - 1].level as Level]),
    "kept in report order, not sorted by level",
  );
  const message =
    "GitHub code scanning keeps at most 5000 results of a run: this SARIF file holds the 5000 most severe of 5601 results; 601 left out (601 notes). The text and JSON reports list every finding.";
  assert.deepEqual(run.invocations![0].toolExecutionNotifications, [{ level: "warning", message: { text: message }, descriptor: { id: "bulkhead/sarif-limits" } }]);
  assert.equal(r.stderr, `bulkhead: ${message}\n`, "said on stderr too");
  assert.deepEqual(sarifErrors(sarifFile), [], "valid for Microsoft's SARIF multitool (GitHub rule kind)");

  // -f sarif on stdout is the same file; the message goes to stderr.
  const stdout = runCli(["-f", "sarif", "."], { cwd: dir });
  assert.equal(stdout.stdout, readFileSync(sarifFile, "utf8"));
  assert.equal(stdout.stderr, `bulkhead: ${message}\n`);
});

test("a SARIF that would pass 10 MB keeps the most severe results that fit, and says so", () => {
  const long = "x".repeat(4000);
  const findings: Finding[] = Array.from({ length: 3000 }, (_, i) => ({
    ruleId: "k8s/privileged",
    level: i < 2000 ? "note" : "error",
    message: `${long} ${i}`,
    file: `f${String(i).padStart(4, "0")}.yaml`,
    region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 },
    fingerprint: `fp${i}`,
  }));
  const result: LintResult = {
    ...resultOf(findings),
    rules: [{ id: "k8s/privileged", level: "error", effectiveLevel: "error", summary: "s", remediation: "r", tags: ["security"] }],
  };
  const file = path.join(tmpDir(), "big.sarif");
  writeFileSync(file, formatSarif(result));
  const size = statSync(file).size;
  const run = (JSON.parse(readFileSync(file, "utf8")) as Sarif.Log).runs[0];
  const kept = run.results!.length;
  assert.ok(size <= SARIF_LIMITS.bytes, `${size} bytes`);
  // Not cut much earlier than needed: one more result (≈ 4.5 kB) and the notice would not fit.
  assert.ok(size > SARIF_LIMITS.bytes - 10_000, `${size} bytes`);
  assert.ok(kept > 1000 && kept < 3000, `${kept} kept`);
  // Every error (the last 1,000 findings) and the first notes that fit, in report order.
  assert.deepEqual(
    run.results!.map((x) => x.message.text),
    [...findings.slice(0, kept - 1000), ...findings.slice(2000)].map((f) => f.message),
  );
  assert.deepEqual(run.results!.slice(-1000).map((x) => x.level), Array(1000).fill("error"));
  assert.deepEqual(run.invocations![0].toolExecutionNotifications!.map((n) => n.message.text), [
    `GitHub code scanning rejects a SARIF file over 10 MB: this SARIF file holds the ${kept} most severe of 3000 results; ${3000 - kept} left out (${3000 - kept} notes). The text and JSON reports list every finding.`,
  ]);
});

test("the Action: a SARIF cut to GitHub's limits is a warning in the log and a note in the job summary", () => {
  const dir = writeTree({ "pods.yaml": pods(700) });
  gitCommitAll(dir);
  const sarifFile = path.join(tmpDir(), "out.sarif");
  const run = runLocalAction(dir, { "sarif-file": sarifFile, annotations: "false" });
  const message =
    "GitHub code scanning keeps at most 5000 results of a run: this SARIF file holds the 5000 most severe of 5601 results; 601 left out (601 notes). The text and JSON reports list every finding.";
  assert.equal((JSON.parse(readFileSync(sarifFile, "utf8")) as Sarif.Log).runs[0].results!.length, 5000);
  assert.ok(
    run.annotations.some((a) => a.level === "warning" && a.message === message),
    `a warning in the log:\n${run.stdout.slice(-1500)}`,
  );
  assert.ok(run.summary.includes(`> [!WARNING]\n> GitHub code scanning keeps at most 5000 results of a run: this SARIF file holds the 5000 most severe of 5601 results; 601 left out (601 notes)`), run.summary.slice(-1500));
  assert.equal(run.outputs.findings, "5601", "the outputs count every finding");
});
