// Issue 11, item 14: outside a git work tree nothing is committed, so no advice says
// `git rm --cached`; a `secrets/` or `credentials/` directory of source code is not a credential
// directory. Inside a git work tree the advice for a committed file keeps `git rm --cached`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../src/types.ts";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n".repeat(6)}-----END OPENSSH PRIVATE KEY-----\n`;

const TREE = {
  ".env": "DB_PASSWORD=Xk9pQ2vLm7wRt4zN8bYq\n",
  "app.env": "API_TOKEN=Qm8vT2xLp9RzW4yN7cB1\n",
  "compose.yaml": "services:\n  bot:\n    image: registry.example.com/bot:1.0\n    env_file: app.env\n",
  "deploy/id_ed25519": PRIVATE_KEY,
  "testdata/repo.git/HEAD": "ref: refs/heads/main\n",
  "testdata/repo.git/objects/.keep": "",
  "testdata/repo.git/refs/.keep": "",
  "src/secrets/vault.py": "import os\n\n\ndef vault_address() -> str:\n    return os.environ['VAULT_ADDR']\n",
  "secrets/db_password.txt": "Xk9pQ2vLm7wRt4zN8bYq\n",
};

function lintJson(args: string[], cwd: string): Finding[] {
  const run = runCli(["-f", "json", ...args], { cwd });
  assert.equal(run.code, 1, run.stderr);
  return (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
}

const COMMITTED_RULES = ["compose/committed-env-file", "repo/committed-credentials", "repo/committed-dotenv", "repo/embedded-git-dir"];

test("outside a git work tree: no advice says git rm --cached; ignoring the file before the first commit is the fix", () => {
  const dir = writeTree(TREE);
  for (const d of ["src", "src/secrets", "secrets"]) chmodSync(path.join(dir, d), 0o755);
  const findings = lintJson([], dir);
  const byRule = (id: string) => findings.filter((f) => f.ruleId === id);
  for (const id of COMMITTED_RULES) assert.ok(byRule(id).length > 0, `${id} reports outside git`);
  for (const f of findings) assert.doesNotMatch(f.message, /git rm/, `${f.ruleId} on ${f.file}: ${f.message}`);
  assert.match(byRule("repo/committed-dotenv")[0].message, /^\.env is not ignored by \.gitignore, so it will be committed and holds credentials \(DB_PASSWORD\): .*; add it to \.gitignore before the first commit, and commit a \.env\.example with empty values instead$/);
  assert.match(byRule("repo/committed-credentials")[0].message, /add it to \.gitignore before the first commit$/);
  assert.match(byRule("compose/committed-env-file")[0].message, /which is not ignored by \.gitignore, so it will be committed with every value in it; it holds credentials \(API_TOKEN\); add it to \.gitignore before the first commit/);

  // Permissions are audited outside git: the secrets/ directory of credentials is reported, the
  // src/secrets/ module of source code is not.
  const dirs = byRule("repo/credential-permissions").filter((f) => f.message.startsWith("credential directory"));
  assert.deepEqual(dirs.map((f) => f.file), ["secrets"]);
});

test("in a git work tree: a committed file's advice is git rm --cached", () => {
  const dir = writeTree(TREE);
  gitCommitAll(dir);
  const findings = lintJson([], dir);
  const message = (id: string) => findings.find((f) => f.ruleId === id)?.message ?? "";
  assert.match(message("repo/committed-dotenv"), /^\.env is committed to git and holds credentials \(DB_PASSWORD\): .*; run `git rm --cached \.env`, add it to \.gitignore and rotate the secrets it held, and commit a \.env\.example/);
  assert.match(message("repo/committed-credentials"), /run `git rm --cached deploy\/id_ed25519`, add it to \.gitignore and rotate the credential$/);
  assert.match(message("compose/committed-env-file"), /which is committed to git, so every value in it is in the repository and its history; .*run `git rm --cached app\.env`/);
  assert.match(message("repo/embedded-git-dir"), /remove it \(`git rm -r --cached testdata\/repo\.git`\)/);
});
