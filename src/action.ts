// The GitHub Action (action.yml): inputs → lint() → reporters → outputs. Thin on purpose: the
// CLI and the Action share the engine and the reporters, so the SARIF is byte-identical.
// Bundled into action/index.js by `npm run bundle`; `run` is exported for @github/local-action.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { writeOutput } from "./output-file.js";
import path from "node:path";
import * as core from "@actions/core";
import { failsAt, lint, type LintOptions, type LintResult } from "./engine/lint.js";
import type { FailOn } from "./engine/config.js";
import { PRESETS, type PresetName } from "./types.js";
import { parsePssVersion } from "./pss/version.js";
import { sarifCutMessage, sarifReport } from "./reporters/sarif.js";
import { formatText } from "./reporters/text.js";
import { formatMarkdown, messageMarkdown } from "./reporters/markdown.js";
import { annotationOf } from "./reporters/github.js";
import { active, closingNotes, countFindings, humanView } from "./reporters/summary.js";
import { UsageError } from "./errors.js";
import { redactSecrets } from "./secrets/index.js";
import { tuneJitForOneRun } from "./jit.js";
import { policyAtCommit, resolveCommit } from "./policy-ref.js";
import type { PolicyText } from "./engine/policy-file.js";
import { reviewMarkdown, reviewPolicy, reviewText, type PolicyReview } from "./review.js";

/** GitHub rejects a job summary over 1 MiB; the report keeps below this many bytes. */
const SUMMARY_MAX_BYTES = 1_000_000;

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
    const configFrom = oneOf("config-from", ["head", "base"] as const) ?? "head";
    const configInput = core.getInput("config") || undefined;
    const baselineInput = core.getInput("baseline") || undefined;
    // The base is needed for changed-only and config-from base (a pull request whose base is not
    // in the clone fails the step); otherwise only for the policy review (a note if it is missing).
    const base = pullRequestBase(workspace, configFrom === "base" ? "config-from base" : changedOnly ? "changed-only" : undefined);
    if (changedOnly && base) core.info(`changed-only: reporting files changed since the merge base with ${base.commit}`);
    const policy = choosePolicy(workspace, configFrom, configInput, baselineInput, base?.commit);

    const result = await lint({
      cwd: workspace,
      paths: paths.length > 0 ? paths : ["."],
      config: policy.config,
      preset: oneOf<PresetName>("preset", PRESETS),
      pssVersion: pssVersionInput(),
      failOn: oneOf<FailOn>("fail-on", ["error", "warning", "note", "never"]),
      baseline: policy.baseline,
      changedSince: changedOnly ? base?.commit : undefined,
      outputs: [sarifFile, ...(baselineInput ? [baselineInput] : [])],
    });

    const review = reviewPolicy({ cwd: workspace, result, baseCommit: base?.commit, baseConfig: policy.baseConfig, configFrom, notes: policy.notes }, new Set(result.rules.map((r) => r.id)));
    logInert(`${formatText(result, { color: true })}\n${reviewText(review)}`);

    const sarif = sarifReport(result);
    // Results left out to keep within code scanning's limits: said in the log and the job summary.
    const cutNote = sarif.cut ? sarifCutMessage(sarif.cut) : undefined;
    if (cutNote) core.warning(cutNote, { title: "bulkhead: SARIF cut to GitHub's limits" });
    if (booleanInput("annotations", true)) annotate(result);
    await writeSummary(result, review, cutNote);
    // After the annotations and the summary: a SARIF path that cannot be written costs neither.
    writeOutput(path.resolve(workspace, sarifFile), sarif.chunks, "SARIF report", workspace);

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
    // (masked: an error's text can quote a scanned or configuration file)
    fail(redactSecrets(err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)));
  }
}

/**
 * Prints report text where the runner does not act on workflow commands: between
 * `::stop-commands::<token>` and `::<token>::`, with a token no scanned file can know. Report
 * text quotes names from the pull request; even escaped (see src/visible.ts), it must not be
 * where an `::error` or `::add-mask` line would be obeyed. Our own annotations come after.
 */
function logInert(text: string): void {
  const token = `bulkhead-${randomBytes(16).toString("hex")}`;
  core.info(`::stop-commands::${token}`);
  core.info(text);
  core.info(`::${token}::`);
}

/**
 * The configuration and baseline to lint with: the inputs' files in the work tree (config-from
 * head), or those of the pull request's base commit (config-from base; outside a pull request,
 * the checked-out commit is the trusted one). Also the base's configuration, to compare with.
 */
function choosePolicy(
  workspace: string,
  configFrom: "head" | "base",
  config: string | undefined,
  baseline: string | undefined,
  baseCommit: string | undefined,
): { config: LintOptions["config"]; baseline: LintOptions["baseline"]; baseConfig: PolicyText | false | undefined; notes: string[] } {
  const notes: string[] = [];
  if (!baseCommit) {
    if (configFrom === "base") notes.push("config-from base: not a pull request, so the configuration and baseline of the checked-out commit are used");
    return { config, baseline, baseConfig: undefined, notes };
  }
  const origin = `base commit ${baseCommit}`;
  if (configFrom === "base") {
    const base = policyAtCommit(workspace, baseCommit, origin, { config, baseline });
    return { config: base.config, baseline: base.baseline, baseConfig: base.config, notes: base.notes };
  }
  try {
    return { config, baseline, baseConfig: policyAtCommit(workspace, baseCommit, origin, { config }).config, notes };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    notes.push(`the configuration cannot be compared with the base's: ${err.message}`);
    return { config, baseline, baseConfig: undefined, notes };
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

async function writeSummary(result: LintResult, review: PolicyReview, sarifCut: string | undefined): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info("No job summary: GITHUB_STEP_SUMMARY is not set.");
    return;
  }
  // The policy review and the SARIF note first in the byte budget: they are short (the review's
  // lists are capped) and they are what a reviewer must see.
  const reviewed = reviewMarkdown(review);
  const cut = sarifCut ? `> [!WARNING]\n> ${messageMarkdown(sarifCut)}\n\n` : "";
  const maxBytes = SUMMARY_MAX_BYTES - Buffer.byteLength(reviewed, "utf8") - Buffer.byteLength(cut, "utf8");
  await core.summary.addRaw(formatMarkdown(result, { maxBytes }), true).addRaw(cut + reviewed, true).write();
}

/**
 * The commit a pull request is based on: the event payload's `pull_request.base.sha`, else
 * `origin/<GITHUB_BASE_REF>`; the first that git knows wins. Outside a pull request there is no
 * base. A pull request whose base is not in the clone is an error when an input `requires` it, else a note.
 */
function pullRequestBase(workspace: string, requires: string | undefined): { commit: string } | undefined {
  const candidates: string[] = [];
  const eventPath = process.env.GITHUB_EVENT_PATH;
  if (eventPath && existsSync(eventPath)) {
    try {
      const event = JSON.parse(readFileSync(eventPath, "utf8")) as { pull_request?: { base?: { sha?: string; ref?: string } } };
      if (event.pull_request?.base?.sha) candidates.push(event.pull_request.base.sha);
      if (event.pull_request?.base?.ref) candidates.push(`origin/${event.pull_request.base.ref}`);
    } catch {
      core.warning(`cannot read the event payload ${eventPath}`);
    }
  }
  if (process.env.GITHUB_BASE_REF) candidates.push(`origin/${process.env.GITHUB_BASE_REF}`, process.env.GITHUB_BASE_REF);
  if (candidates.length === 0) {
    core.info("Not a pull request (no GITHUB_BASE_REF, no pull_request in the event payload): every file is reported, the checked-out policy is used.");
    return undefined;
  }
  for (const ref of new Set(candidates)) {
    try {
      const commit = resolveCommit(workspace, ref, "the pull request's base");
      core.info(`The pull request's base: ${commit} (${ref})`);
      return { commit };
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
    }
  }
  const message = `the pull request's base (${[...new Set(candidates)].join(", ")}) is not in the checkout; fetch it, e.g. actions/checkout with fetch-depth: 0`;
  if (requires) throw new UsageError(`${requires}: ${message}`);
  core.info(`Note: ${message} (needed to list the suppressions the pull request adds)`);
  return undefined;
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim();
  if (value === "") return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UsageError(`input "${name}" must be true or false (got "${value}")`);
}

/** The pss-version input, checked here so that the message names the input rather than the CLI flag. */
function pssVersionInput(): string | undefined {
  const value = core.getInput("pss-version").trim();
  if (value === "") return undefined;
  if (parsePssVersion(value) === undefined) throw new UsageError(`input "pss-version" must be "latest" or "v1.N" (such as v1.30), as Pod Security Admission writes versions (got "${value}")`);
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  const value = core.getInput(name).trim();
  if (value === "") return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`input "${name}" must be one of ${allowed.join(", ")} (got "${value}")`);
  return value as T;
}
