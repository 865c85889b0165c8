// Acceptance: each example, copied into a fresh git repository, gives exactly its expected findings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { EXAMPLES, SHARED_EXAMPLES, copyFixture, gitCommitAll, runCli, sarifErrors } from "./helpers.ts";

const cases = [
  { name: "signal-bot-compose", exit: 1 },
  { name: "signal-bot-k8s", exit: 1 },
  { name: "signal-bot-hardened", exit: 0 },
];

for (const { name, exit } of cases) {
  test(`example ${name}: exactly expected-findings.txt, exit ${exit}, valid SARIF`, () => {
    const dir = copyFixture(path.join(EXAMPLES, name));
    gitCommitAll(dir);
    const run = runCli(["-f", "json", "--sarif", "report.sarif"], { cwd: dir });
    assert.equal(run.stderr, "");
    assert.equal(run.code, exit);
    const report = JSON.parse(run.stdout) as { findings: { level: string; ruleId: string; file: string; region: { startLine: number } }[] };
    const actual = report.findings.map((f) => `${f.level} ${f.ruleId} ${f.file}:${f.region.startLine}`).sort();
    const expected = readFileSync(path.join(dir, "expected-findings.txt"), "utf8").split("\n").filter(Boolean).sort();
    assert.deepEqual(actual, expected);
    assert.deepEqual(sarifErrors(path.join(dir, "report.sarif")), []);
  });
}

test("the text report groups findings by file and ends with a summary line", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const run = runCli([], { cwd: dir });
  assert.equal(run.code, 1);
  const lines = run.stdout.trimEnd().split("\n");
  assert.match(lines[lines.length - 1], /^✖ 12 problems \(2 errors, 6 warnings, 4 notes\)/);
  assert.ok(lines.includes(".env"), "a file header line");
  assert.match(run.stdout, /\n {2}1:1 +error +\S.*repo\/committed-dotenv\n/);
});

test("the examples in this repository are the shared acceptance examples, unchanged", (t) => {
  if (!existsSync(SHARED_EXAMPLES)) {
    t.skip("../shared/examples is not beside this checkout");
    return;
  }
  const list = (root: string): string[] =>
    readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
      .sort();
  // examples/policies/ (custom policies, tested by test/policies.test.ts) is this repository's own.
  const ours = list(EXAMPLES).filter((rel) => !rel.startsWith(`policies${path.sep}`));
  assert.deepEqual(ours, list(SHARED_EXAMPLES));
  for (const rel of ours) assert.equal(readFileSync(path.join(EXAMPLES, rel), "utf8"), readFileSync(path.join(SHARED_EXAMPLES, rel), "utf8"), rel);
});
