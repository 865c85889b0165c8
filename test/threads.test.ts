// The text rules (repo/hardcoded-secret, repo/hardcoded-phone-number) run on a worker thread on
// large runs. Whether they do must never change a report: same findings, levels, options,
// overrides, `secrets.allow` and suppressions as on the main thread.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { generateTree } from "../bench/generate.ts";
import { lint } from "../src/index.ts";
import { gitCommitAll, tmpDir, writeTree } from "./helpers.ts";

test("text rules and Dockerfile parsing give the same findings on a worker thread as on the main thread", async () => {
  const dir = tmpDir("bulkhead-threads-");
  try {
    generateTree(dir, 300);
    rmSync(path.join(dir, ".git"), { recursive: true, force: true });
    writeTree(
      {
        ".bulkhead.yml": [
          "secrets:",
          "  allow: ['^allowed-[a-z0-9]+$']",
          "overrides:",
          "  - files: ['legacy/**']",
          "    rules: { repo/hardcoded-secret: off }",
          "  - files: ['strict/**']",
          "    rules: { repo/hardcoded-phone-number: error }",
          "",
        ].join("\n"),
        "legacy/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\n',
        "strict/notify.py": 'SIGNAL_SENDER = "+15550100200"\n',
        "app/notify.py": 'RECIPIENT_NUMBER = "+15550100201"\n',
        "app/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\nSECRET_KEY = "allowed-0x9f8e7d6c5b4a"\n',
        "empty/Dockerfile": "# only a comment\n",
        "broken/Dockerfile": "FROM python:3.12-slim\nRUN pip install flask \\\n",
        "app/suppressed.py": '# bulkhead-disable-next-line repo/hardcoded-secret -- fixture\nAPI_TOKEN = "Hx8wPq2Lm9Vb3Nc7Kd5Rt1Zs"\n',
      },
      dir,
    );
    gitCommitAll(dir);

    const worker = await lint({ cwd: dir, threads: true });
    const main = await lint({ cwd: dir, threads: false });
    assert.equal(worker.timing.textWorker, true, "the worker did not deliver the text rules' results");
    assert.equal(main.timing.textWorker, false);
    assert.deepEqual(worker.findings, main.findings);

    const of = (file: string, rule: string) => main.findings.filter((f) => f.file === file && f.ruleId === rule);
    assert.equal(of("legacy/settings.py", "repo/hardcoded-secret").length, 0, "an override turned the rule off there");
    assert.deepEqual(
      of("app/settings.py", "repo/hardcoded-secret").map((f) => [f.region.startLine, f.region.startColumn, f.level]),
      [[1, 14, "error"]],
      "SECRET_KEY's value is allowed by secrets.allow",
    );
    assert.deepEqual(of("strict/notify.py", "repo/hardcoded-phone-number").map((f) => f.level), ["error"]);
    assert.deepEqual(of("app/notify.py", "repo/hardcoded-phone-number").map((f) => f.level), ["warning"]);
    assert.equal(of("app/suppressed.py", "repo/hardcoded-secret")[0]?.suppressions?.[0]?.justification, "fixture");
    assert.ok(main.findings.filter((f) => f.ruleId === "repo/hardcoded-secret").length > 5);
    assert.deepEqual(
      main.findings.filter((f) => f.file === "empty/Dockerfile").map((f) => f.ruleId),
      ["bulkhead/file-skipped"],
      "an empty Dockerfile is noted",
    );
    assert.ok(main.findings.filter((f) => f.ruleId.startsWith("docker/")).length > 10, `docker findings: ${main.findings.filter((f) => f.ruleId.startsWith("docker/")).length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a small run scans text on the main thread", async () => {
  const dir = writeTree({ "app/settings.py": 'API_TOKEN = "Zq7wX9mPl2Rt8vBn4Kd6Hs3Jf5"\n' });
  try {
    const result = await lint({ cwd: dir });
    assert.equal(result.timing.textWorker, false);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.region.startLine, f.region.startColumn]),
      [["repo/hardcoded-secret", 1, 14]],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
