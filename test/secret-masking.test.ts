// Secret values are never printed in full (SPEC §4): plant realistic secrets of every kind the
// rules report, run the CLI in every report format it offers, and grep everything it wrote.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gitCommitAll, runCli, writeTree } from "./helpers.ts";

// Built from parts so this file itself holds no token a secret scanner would flag.
const j = (...parts: string[]) => parts.join("");
const SECRETS = {
  awsAccessKeyId: j("AKIA", "Z3MHQT7XVRK4P2LD"),
  awsSecretAccessKey: j("wJa9rXUtnF3MI", "/K7MDENGbPxRfiCY", "q8Zt2Lw4Vb"),
  githubToken: j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u"),
  composeDbPassword: j("Xk9mQ2vL", "7pR4tW8zN3bC"),
  dockerfileSecret: j("sk_live_", "51HqT2aK9vL3mX8pR4tW7zN6"),
  k8sSecretPlain: j("p4ssW0rd-", "Qz7Lk2Xv9Mn"),
  urlPassword: j("Sup3rS3cret", "Passw0rdQ8z"),
  slackToken: j("xoxb-", "2741098357-4826153094718-", "Zk3Lq8Wv2Nx7Bp4Rt9Ym6Hc"),
};
const K8S_DATA_B64 = Buffer.from(j("db-admin-", "N8vQ2kL7xZ4mW9pT")).toString("base64");

function plantedRepo(): string {
  const dir = writeTree({
    "config/settings.py": [
      "import os",
      "",
      `AWS_ACCESS_KEY_ID = "${SECRETS.awsAccessKeyId}"`,
      `AWS_SECRET_ACCESS_KEY = "${SECRETS.awsSecretAccessKey}"`,
      `SLACK_BOT_TOKEN = "${SECRETS.slackToken}"`,
      "",
    ].join("\n"),
    "scripts/deploy.sh": ["#!/bin/sh", `export GITHUB_TOKEN=${SECRETS.githubToken}`, "git push", ""].join("\n"),
    "docker-compose.yml": [
      "services:",
      "  db:",
      "    image: postgres:16.4",
      "    environment:",
      `      POSTGRES_PASSWORD: "${SECRETS.composeDbPassword}"`,
      "",
    ].join("\n"),
    Dockerfile: ["FROM python:3.11-slim", `ENV STRIPE_SECRET_KEY=${SECRETS.dockerfileSecret}`, "USER 10001", 'CMD ["python", "app.py"]', ""].join("\n"),
    "k8s/secret.yaml": [
      "apiVersion: v1",
      "kind: Secret",
      "metadata:",
      "  name: db",
      "type: Opaque",
      "stringData:",
      `  password: "${SECRETS.k8sSecretPlain}"`,
      "data:",
      `  admin-password: ${K8S_DATA_B64}`,
      "",
    ].join("\n"),
    "app/db.js": [`const url = "postgres://app:${SECRETS.urlPassword}@db.internal:5432/app";`, "module.exports = { url };", ""].join("\n"),
  });
  gitCommitAll(dir);
  return dir;
}

/** The report formats the CLI offers, read from its own --help. */
function formats(): string[] {
  const help = runCli(["--help"]).stdout;
  const line = help.split("\n").find((l) => /--format\b/.test(l));
  assert.ok(line, "--help documents --format");
  const names = [...line.slice(line.indexOf("<name>") + 6).matchAll(/\b([a-z][a-z0-9-]*)\b/g)].map((m) => m[1]).filter((n) => n !== "default");
  assert.ok(names.includes("text") && names.includes("json") && names.includes("sarif"), `formats in --help: ${names.join(", ")}`);
  return [...new Set(names)];
}

function leaks(output: string): string[] {
  const all = [...Object.values(SECRETS), K8S_DATA_B64, Buffer.from(K8S_DATA_B64, "base64").toString("utf8")];
  return all.filter((s) => output.includes(s));
}

test("no report format, console or file, prints a planted secret in full; the masked prefix is shown", () => {
  const dir = plantedRepo();
  const seen: string[] = [];
  for (const format of formats()) {
    for (const preset of ["recommended", "strict"]) {
      const outFile = `out-${format}-${preset}.report`;
      const sarifFile = `out-${format}-${preset}.sarif`;
      const toConsole = runCli(["-f", format, "--preset", preset, "--check-permissions", "--sarif", sarifFile], { cwd: dir });
      const toFile = runCli(["-f", format, "--preset", preset, "-o", outFile], { cwd: dir });
      for (const [what, text] of [
        [`${format}/${preset} stdout`, toConsole.stdout],
        [`${format}/${preset} stderr`, toConsole.stderr],
        [`${format}/${preset} -o stdout`, toFile.stdout],
        [`${format}/${preset} -o stderr`, toFile.stderr],
        [`${format}/${preset} -o file`, existsSync(path.join(dir, outFile)) ? readFileSync(path.join(dir, outFile), "utf8") : ""],
        [`${format}/${preset} --sarif file`, existsSync(path.join(dir, sarifFile)) ? readFileSync(path.join(dir, sarifFile), "utf8") : ""],
      ] as const) {
        assert.deepEqual(leaks(text), [], `${what} prints no secret in full`);
        seen.push(text);
      }
      assert.equal(toConsole.code, 1, `${format}: the planted secrets fail the run`);
      assert.ok(existsSync(path.join(dir, outFile)), `${format}: -o writes the report`);
      assert.ok(existsSync(path.join(dir, sarifFile)), `${format}: --sarif writes SARIF`);
    }
  }
  // Any other file the runs left behind (none expected besides the reports) is checked too.
  for (const name of readdirSync(dir)) {
    if (/\.(?:report|sarif)$/.test(name)) assert.deepEqual(leaks(readFileSync(path.join(dir, name), "utf8")), [], name);
  }
  const all = seen.join("\n");
  const masked = Object.values(SECRETS).filter((s) => all.includes(`${s.slice(0, 4)}…`));
  assert.ok(masked.length > 0, "at least one finding shows a secret's first 4 characters followed by …");
  assert.match(all, /hardcoded-secret|literal-secret-env|committed-secret|secret-in-env/, "the planted secrets are reported");
});

test("--list-rules and --explain print no planted value either (they never read the tree)", () => {
  const dir = plantedRepo();
  for (const args of [["--list-rules"], ["--explain", "docker/user-not-root"], ["--version"]]) {
    const run = runCli(args, { cwd: dir });
    assert.deepEqual(leaks(run.stdout + run.stderr), []);
  }
});

test("stdin mode masks too", () => {
  const dir = plantedRepo();
  const text = readFileSync(path.join(dir, "config/settings.py"), "utf8");
  for (const format of formats()) {
    const run = runCli(["--stdin", "--stdin-filename", "settings.py", "-f", format], { cwd: dir, input: text });
    assert.deepEqual(leaks(run.stdout + run.stderr), [], `${format} on stdin`);
  }
});
