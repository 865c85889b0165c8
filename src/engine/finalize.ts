// Finalize, the last phase of a run (DESIGN.md, "The pipeline"): per file, suppressions applied,
// a note for what the caps dropped, unused suppressions reported, fingerprints; the findings
// the report covers (named files, --staged, --changed-since), baselines applied, secrets masked,
// sorted; then the result with its rule descriptors.
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { RuleMeta } from "../rule.js";
import type { Finding } from "../types.js";
import { docs as ruleDocs } from "../../rules/docs.js";
import { renderRuleDoc } from "../catalog.js";
import { toPosix } from "../discover/discover.js";
import type { PolicyText } from "./policy-file.js";
import { BUILTIN_RULES, FILE_SKIPPED, PARSE_ERROR, SUPPRESSION_REASON, UNUSED_SUPPRESSION } from "./builtin.js";
import type { SuppressionIndex } from "./suppressions.js";
import { fingerprintAll, type FileIdentity, type RawFinding } from "./fingerprint.js";
import { droppedMessage, engineFinding, FILE_START, type FindingStore } from "./findings.js";
import type { Sources } from "./sources.js";
import type { SettingsResolver } from "./settings.js";
import { applyBaseline } from "./baseline.js";
import { selectFiles } from "../changed.js";
import { VERSION } from "../version.js";
import { redactSecrets } from "../secrets/index.js";
import type { ScanContext } from "./context.js";
import type { Scanned } from "./scan.js";
import type { LintResult, PolicySource, RuleDescriptor } from "./lint.js";

/** The findings of every file, as the store hands them over at the end of the scan. */
export type PerFile = ReturnType<FindingStore["drain"]>;

/** When the phases ended (performance.now()): the run's start and the end of discovery. */
export interface Times {
  start: number;
  discovered: number;
}

export function finalize(ctx: ScanContext, scanned: Scanned, perFile: PerFile, times: Times): LintResult {
  const { run, discovery, sources, suppressions, testData } = ctx;
  const { options, base, settings } = run;
  // With --changed-since, unless the configuration or a policy changed (then every file is reported).
  const selected = run.selective ? selectFiles(run.changed!, scanned.workspace, base) : undefined;
  for (const c of scanned.workspace.composeDocs) sources.release(c.file);
  const tRules = performance.now();

  // ---- levels, suppressions, order ----
  let findings = fileFindings(perFile, suppressions, sources, settings, run.identity);
  // A file named on the command line was read with its directory: only what was named is reported.
  findings = findings.filter((f) => discovery.reported(f.file));
  if (options.staged) {
    const untracked = new Set([...discovery.files, ...discovery.skipped.flatMap((s) => (s.unread ? [s.unread] : []))].filter((d) => !d.tracked).map((d) => d.path));
    findings = findings.filter((f) => !untracked.has(f.file));
  }
  if (selected) findings = findings.filter((f) => selected(f.file));
  if (run.baselinePrints) applyBaseline(findings, run.baselinePrints);
  redactFindings(findings);
  const ruleDescriptors: RuleDescriptor[] = [...run.rules.map((r) => r.meta), ...BUILTIN_RULES]
    .map((meta) => ({ ...meta, effectiveLevel: settings.summaryLevel(meta), ...(ruleDocs[meta.id] ? { docs: renderRuleDoc(meta, ruleDocs[meta.id]) } : {}) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  return {
    version: VERSION,
    base,
    preset: run.preset,
    failOn: run.failOn,
    findings,
    rules: ruleDescriptors,
    // With --changed-since, the files the report covers: not the others read for them (what a run reads is not a finding's business).
    filesScanned: selected ? scanned.workspace.files.filter((f) => discovery.reported(f.path) && selected(f.path)).length : scanned.filesScanned,
    parseErrors: findings.filter((f) => f.ruleId === PARSE_ERROR.id),
    policyFiles: { config: run.configText && policySource(run.configText, base), baseline: run.baselineText && policySource(run.baselineText, base) },
    suppressions: suppressions.records(),
    testData: testDataSummary(testData, selected ? (file) => discovery.reported(file) && selected(file) : discovery.reported),
    timing: {
      discoverMs: Math.round(times.discovered - times.start),
      parseMs: Math.round(scanned.parseTime),
      rulesMs: Math.round(tRules - times.discovered - scanned.parseTime),
      totalMs: Math.round(performance.now() - times.start),
      textWorker: scanned.textWorker,
      parsedOnWorker: scanned.parsedOnWorker,
    },
  };
}

function policySource(text: PolicyText, base: string): PolicySource {
  const abs = path.resolve(base, text.path);
  const rel = toPosix(path.relative(base, abs));
  return { path: rel.startsWith("../") || path.isAbsolute(rel) ? abs : rel, ...(text.origin ? { origin: text.origin } : {}) };
}

function testDataSummary(testData: Map<string, string>, reported: (file: string) => boolean): LintResult["testData"] {
  const markers = [...testData].filter(([file]) => reported(file)).map(([, marker]) => marker);
  const by: Record<string, number> = {};
  for (const marker of markers.sort()) by[marker] = (by[marker] ?? 0) + 1;
  return { files: markers.length, by };
}

/**
 * The last guard on the way out: no path, message, logical location or suppression reason of a
 * finding leaves lint() with a secret-looking part unmasked (every report, the baseline and the
 * Action read findings from here). Rules and engine messages already quote() the text they show;
 * this catches what one forgot. Fingerprints were taken before, so they do not change.
 * (`suppressions` keep their text as written: the policy review compares them with the base
 * commit's and masks what it prints.)
 */
function redactFindings(findings: Finding[]): void {
  // Paths and logical locations repeat from finding to finding: each is read once.
  const seen = new Map<string, string>();
  const once = (text: string) => {
    let shown = seen.get(text);
    if (shown === undefined) seen.set(text, (shown = redactSecrets(text)));
    return shown;
  };
  for (const f of findings) {
    f.file = once(f.file);
    f.message = redactSecrets(f.message);
    if (f.logicalLocation) f.logicalLocation = once(f.logicalLocation);
    for (const s of f.suppressions ?? []) if (s.justification) s.justification = redactSecrets(s.justification);
  }
}

/**
 * The report's findings: per file, suppressions applied, a note for what the caps dropped,
 * unused suppressions reported, fingerprints; then sorted.
 */
function fileFindings(perFile: PerFile, suppressions: SuppressionIndex, sources: Sources, settings: SettingsResolver, identity: FileIdentity): Finding[] {
  const files = new Map(perFile.splice(0).map((f) => [f.file, f]));
  for (const file of suppressions.files()) if (!files.has(file)) files.set(file, { file, findings: [], dropped: undefined });
  const levelOf = (meta: RuleMeta, file: string) => settings.for(meta, sources.absPathOf(file) ?? file).level;
  const out: Finding[] = [];
  for (const [file, { findings, dropped }] of files) {
    files.delete(file); // its records are garbage once its findings are made
    for (const f of findings) suppressions.apply(f);
    const extra: RawFinding[] = [];
    if (dropped) {
      // Never suppressed, and at the level of the most severe finding it stands for.
      const level = dropped.worst ?? levelOf(FILE_SKIPPED, file);
      if (level !== "off") extra.push({ ...engineFinding(FILE_SKIPPED, file, FILE_START, droppedMessage(file, dropped), sources.get(file), identity), level });
    }
    for (const p of suppressions.problems(file)) {
      const meta = p.rule === "reason" ? SUPPRESSION_REASON : UNUSED_SUPPRESSION;
      const level = levelOf(meta, file);
      if (level !== "off") extra.push({ ...engineFinding(meta, file, p.region, p.message, undefined, identity, p.snippet), level });
    }
    for (const f of fingerprintAll([...findings, ...extra], identity)) out.push(f);
  }
  return out.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    a.region.startLine - b.region.startLine ||
    a.region.startColumn - b.region.startColumn ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
