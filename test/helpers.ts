import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { LintResult } from "../src/engine/lint.ts";
import type { Finding } from "../src/types.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = path.join(ROOT, "dist/src/cli.js");
export const SHARED_EXAMPLES = path.resolve(ROOT, "../shared/examples");
export const EXAMPLES = path.join(ROOT, "examples");

export function tmpDir(prefix = "bulkhead-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Commits everything in dir to a fresh git repository, except the listed untracked paths. */
export function gitCommitAll(dir: string, untracked: string[] = []): void {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A", "--force", ".");
  for (const u of untracked) git("rm", "-q", "--cached", "-r", u);
  git("-c", "user.email=test@example.com", "-c", "user.name=test", "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", "fixture");
}

/** Writes a tree of files (paths relative to the root) into a new temporary directory. */
export function writeTree(files: Record<string, string>, dir = tmpDir()): string {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return dir;
}

/** Copies a fixture tree; files named `_gitignore` become `.gitignore` (so the fixture does not hide its own files from bulkhead's repository). */
export function copyFixture(src: string, dir = tmpDir()): string {
  cpSync(src, dir, { recursive: true });
  const rename = (d: string) => {
    for (const name of readdirSync(d)) {
      const abs = path.join(d, name);
      if (statSync(abs).isDirectory()) rename(abs);
      else if (name === "_gitignore") renameSync(abs, path.join(d, ".gitignore"));
    }
  };
  rename(dir);
  return dir;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string | Buffer; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "true", ...options.env },
    maxBuffer: 1 << 28,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** runCli, asynchronously (so that several runs can share the machine's cores). */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: "1", CI: "true", ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

const MULTITOOL = path.join(ROOT, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");

/** Validates a SARIF file with Microsoft's SARIF multitool (GitHub + SARIF rule kinds); returns its error lines. */
export function sarifErrors(file: string): string[] {
  const r = spawnSync(MULTITOOL, ["validate", "--rule-kind", "Gh;Sarif", file], { encoding: "utf8" });
  const out = `${r.stdout}\n${r.stderr}`;
  const errors = out.split("\n").filter((l) => /: error /.test(l));
  if (r.status !== 0 && errors.length === 0) errors.push(`multitool exited ${r.status}: ${out.slice(0, 500)}`);
  return errors;
}

/** A lint result holding these findings, for testing reporters (7 files scanned, no rules). */
export function resultOf(findings: Finding[]): LintResult {
  return {
    version: "0.0.0-test",
    base: "/repo",
    preset: "recommended",
    failOn: "error",
    findings,
    rules: [],
    filesScanned: 7,
    parseErrors: [],
    timing: { discoverMs: 0, parseMs: 0, rulesMs: 0, totalMs: 0, textWorker: false },
  };
}
