// The GitHub Action (action.yml): inputs → lint() → reporters → outputs. Thin on purpose: the
// CLI and the Action share the engine and the reporters, so the SARIF is byte-identical.
// Bundled into action/index.js by `npm run bundle`; `run` is exported for @github/local-action.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as core from "@actions/core";
import { failsAt, lint, type LintResult } from "./engine/lint.js";
import type { FailOn } from "./engine/config.js";
import type { PresetName } from "./types.js";
import { formatSarif } from "./reporters/sarif.js";
import { formatText } from "./reporters/text.js";
import { formatMarkdown } from "./reporters/markdown.js";
import { annotationOf } from "./reporters/github.js";
import { active, closingNotes, countFindings, humanView } from "./reporters/summary.js";
import { UsageError } from "./errors.js";
import { tuneJitForOneRun } from "./jit.js";

/** A job summary holds at most 1 MiB; this many rows stays well below it. */
const SUMMARY_MAX_FINDINGS = 500;

export async function run(): Promise<void> {
  tuneJitForOneRun();
  try {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const paths = core
      .getInput("path")
      .split("\n")
      .map((p) => p.trim())
      .filter(Boolean);
    const sarifFile = core.getInput("sarif-file") || "bulkhead.sarif";
    const changedOnly = booleanInput("changed-only", false);
    const changedSince = changedOnly ? pullRequestBase(workspace) : undefined;

    const result = await lint({
      cwd: workspace,
      paths: paths.length > 0 ? paths : ["."],
      config: core.getInput("config") || undefined,
      preset: oneOf<PresetName>("preset", ["recommended", "strict"]),
      failOn: oneOf<FailOn>("fail-on", ["error", "warning", "note", "never"]),
      baseline: core.getInput("baseline") || undefined,
      changedSince,
    });

    core.info(formatText(result, { color: true }));

    writeFileSync(path.resolve(workspace, sarifFile), formatSarif(result));
    if (booleanInput("annotations", true)) annotate(result);
    await writeSummary(result);

    const counts = countFindings(result.findings);
    core.setOutput("sarif-file", sarifFile);
    core.setOutput("findings", String(counts.error + counts.warning + counts.note));
    core.setOutput("errors", String(counts.error));
    core.setOutput("warnings", String(counts.warning));

    if (failsAt(result, result.failOn)) {
      const n = active(result.findings).filter((f) => failsAt({ findings: [f] }, result.failOn)).length;
      fail(`bulkhead found ${n} problem${n === 1 ? "" : "s"} at or above fail-on level "${result.failOn}"`);
    }
  } catch (err) {
    // A usage error (bad input, invalid config, unknown base) is the user's: its message says it all.
    fail(err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err));
  }
}

function fail(message: string): void {
  core.setFailed(message);
  // @actions/core's setFailed sets this too; set it here as well so that runners which stub
  // @actions/core (such as @github/local-action) exit with the same status as GitHub does.
  process.exitCode = 1;
}

/**
 * One annotation per unsuppressed finding (binary files not scanned and test data: one notice
 * each); messages never hold a full secret (rules mask them).
 */
function annotate(result: LintResult): void {
  const { listed, binaryFiles } = humanView(result.findings);
  for (const line of closingNotes(result, binaryFiles)) core.notice(line, { title: "bulkhead" });
  for (const f of listed) {
    const a = annotationOf(f);
    const props: core.AnnotationProperties = { title: a.title, file: a.file, startLine: a.startLine, endLine: a.endLine };
    if (a.startColumn !== undefined) {
      props.startColumn = a.startColumn;
      props.endColumn = a.endColumn;
    }
    if (f.level === "error") core.error(f.message, props);
    else if (f.level === "warning") core.warning(f.message, props);
    else core.notice(f.message, props);
  }
}

async function writeSummary(result: LintResult): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info("No job summary: GITHUB_STEP_SUMMARY is not set.");
    return;
  }
  await core.summary.addRaw(formatMarkdown(result, { maxFindings: SUMMARY_MAX_FINDINGS }), true).write();
}

/**
 * The commit a pull request is based on: the event payload's `pull_request.base.sha`, else
 * `origin/<GITHUB_BASE_REF>`; the first that git knows wins. Outside a pull request there is no
 * base and every file is reported.
 */
function pullRequestBase(workspace: string): string | undefined {
  const candidates: string[] = [];
  const eventPath = process.env.GITHUB_EVENT_PATH;
  if (eventPath && existsSync(eventPath)) {
    try {
      const event = JSON.parse(readFileSync(eventPath, "utf8")) as { pull_request?: { base?: { sha?: string; ref?: string } } };
      if (event.pull_request?.base?.sha) candidates.push(event.pull_request.base.sha);
      if (event.pull_request?.base?.ref) candidates.push(`origin/${event.pull_request.base.ref}`);
    } catch {
      core.warning(`changed-only: cannot read the event payload ${eventPath}`);
    }
  }
  if (process.env.GITHUB_BASE_REF) candidates.push(`origin/${process.env.GITHUB_BASE_REF}`, process.env.GITHUB_BASE_REF);
  if (candidates.length === 0) {
    core.info("changed-only: not a pull request (no GITHUB_BASE_REF, no pull_request in the event payload); reporting every file.");
    return undefined;
  }
  const known = [...new Set(candidates)].find((ref) => isCommit(workspace, ref));
  if (!known) {
    throw new UsageError(
      `changed-only: the pull request's base (${[...new Set(candidates)].join(", ")}) is not in the checkout; fetch it, e.g. actions/checkout with fetch-depth: 0`,
    );
  }
  core.info(`changed-only: reporting files changed since the merge base with ${known}`);
  return known;
}

function isCommit(cwd: string, ref: string): boolean {
  return spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd, stdio: "ignore" }).status === 0;
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim();
  if (value === "") return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UsageError(`input "${name}" must be true or false (got "${value}")`);
}

function oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  const value = core.getInput(name).trim();
  if (value === "") return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`input "${name}" must be one of ${allowed.join(", ")} (got "${value}")`);
  return value as T;
}
