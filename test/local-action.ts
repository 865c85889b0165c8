// The Action's TypeScript source run by GitHub's own local runner, @github/local-action
// (`npx @github/local-action run . src/action.ts <env file>`), which stubs @actions/core and prints
// annotations, `::set-output` lines and writes the job summary.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT, tmpDir } from "./helpers.ts";

export interface ActionRun {
  code: number | null;
  stdout: string;
  annotations: { level: string; props: Record<string, string>; message: string }[];
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

/** The test process's environment without anything a real runner may have set. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0" };
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

export function parseAnnotations(stdout: string): ActionRun["annotations"] {
  const out: ActionRun["annotations"] = [];
  for (const line of stripAnsi(stdout).split("\n")) {
    const m = /^::(error|warning|notice) (.*?)::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of m[2].split(",")) props[kv.slice(0, kv.indexOf("="))] = decodeURIComponent(kv.slice(kv.indexOf("=") + 1));
    out.push({ level: m[1], props, message: m[3] });
  }
  return out;
}

/**
 * Runs the TypeScript source with @github/local-action, from the repository root as its README
 * says; `env` adds variables of the runner (GITHUB_EVENT_PATH, GITHUB_BASE_REF …).
 */
export function runLocalAction(workspace: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): ActionRun {
  const scratch = tmpDir("bulkhead-local-action-");
  const summaryFile = path.join(scratch, "summary.md");
  const envFile = path.join(scratch, "action.env");
  writeFileSync(summaryFile, ""); // the runner creates it; @actions/core only appends to a file that exists
  const lines = [`GITHUB_WORKSPACE="${workspace}"`, `GITHUB_STEP_SUMMARY="${summaryFile}"`, ...Object.entries(inputs).map(([k, v]) => `INPUT_${k.toUpperCase()}="${v}"`), ...Object.entries(env).map(([k, v]) => `${k}="${v}"`)];
  writeFileSync(envFile, lines.join("\n") + "\n");
  const t0 = Date.now();
  const r = spawnSync("npx", ["@github/local-action", "run", ".", "src/action.ts", envFile], { cwd: ROOT, encoding: "utf8", env: cleanEnv(), maxBuffer: 1 << 26 });
  const ms = Date.now() - t0;
  const stdout = stripAnsi(r.stdout);
  const outputs: Record<string, string> = {};
  for (const m of stdout.matchAll(/^::set-output name=([\w-]+)::(.*)$/gm)) outputs[m[1]] = m[2];
  assert.match(stdout, /Running Action/, `local-action did not run the action:\n${stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return { code: r.status, stdout, annotations: parseAnnotations(stdout), outputs, summary: existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : "", ms };
}
