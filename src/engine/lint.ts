import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Rule, RuleContext, RuleMeta } from "../rule.js";
import type { ComposeDoc, DockerfileDoc, Finding, K8sObject, Kustomization, Level, LevelSetting, PresetName, ReportInput, SourceFile } from "../types.js";
import { rules as builtinRules, docs as ruleDocs } from "../../rules/index.js";
import { renderRuleDoc } from "../catalog.js";
import { discover, ignoreFileLines, looksLikeManifest, MAX_IGNORE_PATTERNS, toPosix, type DiscoveredFile, type Discovery } from "../discover/discover.js";
import { classify, classifyDeclared, kindName } from "../discover/classify.js";
import { testDataMatcher } from "../discover/test-data.js";
import { createSourceFile } from "../source.js";
import { parseYaml } from "../parsers/yaml.js";
import { dockerfileProblems, parseDockerfile } from "../parsers/dockerfile.js";
import { composeDocOf, isComposeShaped, mayBeCompose } from "../parsers/compose.js";
import { isTemplate } from "../parsers/template.js";
import { k8sObjectsOf } from "../parsers/k8s.js";
import { isKustomizationPath, kustomizationOf } from "../parsers/kustomize.js";
import { buildWorkspace } from "../workspace/workspace.js";
import { fileFilter, type FailOn, type ResolvedConfig } from "./config.js";
import { configTextOf, resolveRules } from "./rules.js";
import { unknownRuleDetail } from "./config-errors.js";
import type { PolicyText } from "./policy-file.js";
import { BINARY_SKIPPED, BUILTIN_RULES, FILE_SKIPPED, PARSE_ERROR, SCAN_INCOMPLETE, SUPPRESSION_REASON, UNUSED_SUPPRESSION } from "./builtin.js";
import { commentRecord, isMeaningfulReason, matchComment, parseCommentSuppressions, type CommentSuppression, type SuppressionRecord } from "./suppressions.js";
import { annotationRecord, annotationSuppressions, type AnnotationSuppression } from "./annotations.js";
import { fingerprintAll, type RawFinding } from "./fingerprint.js";
import { allowMatcher, Offload, WORKER_MIN_FILES, type FileJob } from "./offload.js";
import { UsageError } from "../errors.js";
import { ownOutputKind } from "./own-reports.js";
import { applyBaseline, parseBaseline, readBaselineFile } from "./baseline.js";
import { changedFiles, selectFiles } from "../changed.js";
import { VERSION } from "../version.js";
import { GitRepositories } from "../git.js";
import { quote, redactSecrets } from "../secrets/index.js";
import { mergePssFindings, pssFindings, pssPresetLevel, pssPresetRuleLevel } from "./pss.js";
import { parsePssVersion, type PssVersion } from "../pss/version.js";

export interface LintOptions {
  /** Files or directories to scan (default "."). */
  paths?: string[];
  /** Base directory: paths in reports are relative to it (default process.cwd()). */
  cwd?: string;
  /**
   * Config file; default: .bulkhead.yml/.bulkhead.yaml found upward from the first path. false:
   * none. Or the configuration's text with the path it has in the tree (relative to cwd: its
   * directory is the base of its globs) and, for messages, where it came from (`origin`, e.g. a
   * commit: see src/policy-ref.ts).
   */
  config?: string | false | PolicyText;
  preset?: PresetName;
  /** The Pod Security Standards version (`latest` or `v1.N`) the pss-* presets and the new PSS rules evaluate; default: the config's `pss.version`, else latest. */
  pssVersion?: string;
  /** `--rule id=level` overrides, applied after the config. */
  rules?: Record<string, LevelSetting>;
  failOn?: FailOn;
  /** Namespace for Kubernetes objects that set none (default "default"). */
  namespace?: string;
  /** Audit file modes; default: on outside a git work tree. */
  checkPermissions?: boolean;
  /**
   * Lint this text as if it were the file `filename` (relative to cwd). Given as bytes, it is
   * checked like a file: binary input is a note and not scanned, invalid UTF-8 a note.
   */
  stdin?: { text: string | Uint8Array; filename: string };
  /** Largest file scanned, in bytes (default 10 MiB). */
  maxFileSize?: number;
  /** Baseline file (relative to cwd), or its text: findings whose fingerprint it records are suppressed (kind external). */
  baseline?: string | PolicyText;
  /** Report only files changed since the merge base of this git ref and HEAD, plus the files whose findings depend on them. */
  changedSince?: string;
  /**
   * Report only the files in git's index (tracked, or staged to be added): what a commit holds.
   * Files git does not know are still read as context (a build context holds them) but never
   * reported, nor changes for `changedSince`. Needs a git work tree.
   */
  staged?: boolean;
  /** Files this run writes (reports, SARIF, a baseline; relative to cwd): not scanned. The `baseline` file is not scanned either. */
  outputs?: string[];
  /** Custom policy files, directories or globs (relative to cwd), besides the configuration's `policies:` (`--policy`). */
  policies?: string[];
  /** Called after each file is parsed. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Run the rules that read text alone (the secret scans) and the Dockerfile parsing on a worker
   * thread while the main thread parses YAML and runs the other rules (same results either way).
   * Default: when the run has at least 2,000 files.
   */
  threads?: boolean;
}

export interface RuleDescriptor extends RuleMeta {
  /** Level in force for this run (after preset and configuration), or "off". */
  effectiveLevel: LevelSetting;
  /** Markdown documentation (the rule's README), when available. */
  docs?: string;
}

export interface LintResult {
  version: string;
  /** Absolute base directory; finding paths are relative to it. */
  base: string;
  preset: PresetName;
  failOn: FailOn;
  /** Every finding, sorted by file, line, column, rule; suppressed ones carry `suppressions`. */
  findings: Finding[];
  /** The rules that ran (and the engine's own), in id order. */
  rules: RuleDescriptor[];
  filesScanned: number;
  /** Parse failures (also present in findings as bulkhead/parse-error). */
  parseErrors: Finding[];
  /** The configuration and baseline the run used (paths relative to `base` when inside it), and where their text came from. */
  policyFiles: { config?: PolicySource; baseline?: PolicySource };
  /** Every suppression comment and annotation of the scanned files, in file and line order. */
  suppressions: SuppressionRecord[];
  /**
   * Files in test data, fixtures, vendored code or example docs, where only high-confidence secret
   * checks ran (see the `testData` setting): how many, and how many per directory name or glob
   * that marked them (`{ "fixtures/": 120, "node_modules/": 3 }`).
   */
  testData: { files: number; by: Record<string, number> };
  timing: {
    discoverMs: number;
    parseMs: number;
    rulesMs: number;
    totalMs: number;
    /** Whether the text rules ran on a worker thread (see LintOptions.threads). */
    textWorker: boolean;
  };
}

/** A policy file as a result names it: its path and, when not read from the work tree, where from. */
export interface PolicySource {
  path: string;
  origin?: string;
}

/** Where a finding about a whole file points: its first character. */
const FILE_START = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export function raiseForStrict(level: Level): Level {
  return level === "note" ? "warning" : "error";
}

/** Whether a result fails the run at the given threshold (suppressed findings never fail). */
export function failsAt(result: Pick<LintResult, "findings">, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  return result.findings.some((f) => !f.suppressions?.length && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]);
}

export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const t0 = performance.now();
  const base = realpathSync(path.resolve(options.cwd ?? process.cwd()));
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];

  // A policy file inside the base directory or a scanned path must stay inside it (symbolic links).
  const roots = [base, ...(options.stdin ? [] : paths.map((p) => path.resolve(base, p)))];
  const configText = configTextOf(options.config, base, options.stdin ? "." : paths[0], roots);
  // The built-in rules and the custom policies (`policies:`, `--policy`), compiled into rules.
  const { config, rules: allRules, knownRules, policies } = resolveRules(configText, base, options.policies ?? [], roots);
  const configFile = config.file;
  for (const id of Object.keys(options.rules ?? {})) {
    if (!knownRules.has(id)) throw new UsageError(`--rule: ${unknownRuleDetail(id, knownRules)}`);
  }
  const preset = options.preset ?? config.preset;
  const pssVersion = pssVersionOf(options.pssVersion, config.pssVersion);
  const failOn = options.failOn ?? config.failOn;
  const defaultNamespace = options.namespace ?? config.namespace ?? "default";
  const maxFileSize = options.maxFileSize ?? 10 * 1024 * 1024;
  const baselineText = typeof options.baseline === "string" ? readBaselineFile(path.resolve(base, options.baseline), roots) : options.baseline;
  const baselinePrints = baselineText ? parseBaseline(baselineText) : undefined;
  // Git runs once per repository per run: --changed-since and discovery share what they found.
  const repositories = new GitRepositories();
  if (options.staged && options.stdin) throw new UsageError("--staged reports the files of git's index; standard input is none of them");
  const changed = options.changedSince !== undefined && !options.stdin ? changedFiles(options.changedSince, base, repositories, { tracked: options.staged }) : undefined;

  // ---- discover ----
  let discovery: Discovery;
  if (options.stdin) {
    const rel = stdinPath(options.stdin.filename);
    discovery = {
      files: [{ absPath: path.resolve(base, rel), path: rel, mode: 0o644, kind: classifyDeclared(rel, path.resolve(base, rel), config.isCompose), size: options.stdin.text.length, tracked: true }],
      onDisk: [],
      dirs: [],
      skipped: [],
      inGitRepo: false,
      gitProblems: [],
      embeddedGitDirs: [],
      isGitIgnored: () => false,
      reported: () => true,
    };
  } else {
    discovery = await discover(paths, { base, filter: fileFilter(config), testData: testDataMatcher(config.testData), isCompose: config.isCompose, maxFileSize, git: repositories });
    if (options.staged && (!discovery.inGitRepo || discovery.gitProblems.length > 0)) {
      const problem = discovery.gitProblems[0];
      throw new UsageError(problem ? `--staged: ${problem.problem} (${problem.hint})` : `--staged reports the files of git's index, and ${paths.join(", ")} is not in a git work tree`);
    }
  }
  const tDiscover = performance.now();

  // ---- parse ----
  const raw: RawFinding[] = [];
  const files: SourceFile[] = [];
  const dockerfiles: DockerfileDoc[] = [];
  const composeDocs: ComposeDoc[] = [];
  const k8sObjects: K8sObject[] = [];
  const kustomizations: Kustomization[] = [];
  const helmCharts = new Set<string>();
  const settings = new SettingsResolver(config, options.rules ?? {}, preset);
  // The engine's own findings obey the configuration and --rule like any rule's (`off` drops them);
  // the preset does not raise them.
  const engineReport = (meta: RuleMeta, file: string, region: RawFinding["region"], message: string) => {
    const s = settings.for(meta, path.resolve(base, file));
    if (s.level !== "off") raw.push({ ruleId: meta.id, level: s.explicit ? (s.level as Level) : meta.level, message, file, region, explicitLevel: s.explicit });
  };
  // What the scan misses is a warning (strict: an error) that the configuration can turn off per path.
  const incomplete = (file: string, message: string) => {
    const s = settings.for(SCAN_INCOMPLETE, path.resolve(base, file));
    if (s.level !== "off") raw.push({ ruleId: SCAN_INCOMPLETE.id, level: s.level, message, file, region: FILE_START, explicitLevel: true });
  };
  // Files not read: name-based rules still see them (workspace.unread); one that bulkhead lints is incomplete.
  const unread: DiscoveredFile[] = [];
  const notRead = (d: DiscoveredFile, reason: string, bytes?: Uint8Array) => {
    unread.push(d);
    if (d.tracked && unreadMatters(d, bytes)) incomplete(d.path, `${quote(d.path)}: ${reason}; it is a ${d.kind === "yaml" ? "Kubernetes manifest" : kindName(d.kind)} bulkhead lints, so its policies are not checked`);
    else engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: ${reason}`);
  };
  // Engine messages quote paths, the parsers' messages and rules' errors through quote(): a name
  // or a parser's excerpt can hold a secret, and a path can be megabytes long.
  for (const s of discovery.skipped) {
    if (s.unread) notRead(s.unread, s.reason);
    else if (s.incomplete) incomplete(s.path, `${quote(s.path)}: ${quote(s.reason)}`);
    else engineReport(FILE_SKIPPED, s.path, FILE_START, `${quote(s.path)}: ${quote(s.reason)}`);
  }
  for (const p of discovery.gitProblems) {
    incomplete(
      p.path,
      `${quote(p.problem)}; which files are tracked is unknown, so files that .gitignore matches are not scanned even if committed, and "committed" means "not ignored by .gitignore": ${quote(p.hint)}`,
    );
  }

  /** Test-data files (path → what marked it). */
  const testData = new Map<string, string>();
  const total = discovery.files.length;
  const textRules = allRules.filter((r) => r.text);
  const textRulesFor = new Map<string, FileJob["rules"]>();
  const offload = new Offload(textRules, config.secretsAllow, options.threads ?? total >= WORKER_MIN_FILES);
  const problem = (file: SourceFile) => (message: string, region: RawFinding["region"]) =>
    engineReport(PARSE_ERROR, file.path, region, `${quote(message)} (${quote(file.path)}:${region.startLine}:${region.startColumn})`);
  const note = (file: SourceFile) => (message: string) => engineReport(FILE_SKIPPED, file.path, FILE_START, `${quote(file.path)}: ${message}`);
  const unparsable = (file: SourceFile, message: string) => engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `could not be parsed: ${quote(message)}`);
  // The file on disk, or standard input (bytes are checked as a file's are).
  const stdin = options.stdin?.text;
  const textOf = (d: DiscoveredFile): string | undefined => {
    if (stdin === undefined) return readText(d.absPath, d.path, engineReport, (reason) => notRead(d, reason));
    return typeof stdin === "string" ? stdin : decodeBytes(stdin, d.path, engineReport, (reason) => notRead(d, reason, stdin));
  };
  // What bulkhead writes is never a finding (see own-reports.ts).
  const outputs = new Set([...(options.outputs ?? []), ...(typeof options.baseline === "string" ? [options.baseline] : [])].map((f) => path.resolve(base, f)));
  discovery.files.forEach((d, i) => {
    const text = outputs.has(d.absPath) ? undefined : textOf(d);
    options.onProgress?.(i + 1, total);
    if (text === undefined) return;
    const own = ownOutputKind(text);
    if (own) return engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: a ${own} bulkhead wrote, not scanned`);
    const file = createSourceFile(d.path, d.absPath, d.kind, text);
    files.push(file);
    const reported = discovery.reported(d.path);
    if (d.testData) testData.set(file.path, d.testData);
    // The text rules enabled for the file and their options: one shared list per set of
    // overrides (the worker's messages then carry it once per batch, not once per file). They
    // read a file's text alone, so a file read only as context needs none.
    const applying = reported ? `${settings.overridesFor(file.absPath)}${d.testData ? "|test-data" : ""}` : "context";
    let enabled = textRulesFor.get(applying);
    if (!enabled) {
      enabled = !reported
        ? []
        : textRules.flatMap((rule, r): FileJob["rules"] => {
            const setting = settings.for(rule.meta, file.absPath);
            return setting.level === "off" || (d.testData && !rule.meta.testData) ? [] : [[r, setting.options]];
          });
      textRulesFor.set(applying, enabled);
    }
    // With a worker, it parses the Dockerfiles too (the ones small enough to parse).
    const dockerfile = d.kind === "dockerfile" && offload.parsesDockerfiles && text.length <= MAX_DOCKERFILE_PARSE;
    offload.add({ index: files.length - 1, path: d.path, absPath: d.absPath, kind: d.kind, text, rules: enabled, dockerfile }, file);
    if ((d.kind === "gitignore" || d.kind === "dockerignore") && text.length > MAX_IGNORE_PATTERNS) {
      const patterns = ignoreFileLines(text).length;
      if (patterns > MAX_IGNORE_PATTERNS) {
        engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: ${patterns} patterns; only the first ${MAX_IGNORE_PATTERNS} are used`);
      }
    }
    // No rule that reads documents runs on test data: its YAML is not parsed (fixtures are often
    // invalid on purpose, and their objects must not meet the real ones in cross-file checks).
    if (dockerfile || (d.testData && d.kind !== "dockerfile")) return;
    try {
      // A committed file whose policies cannot be checked is incomplete, not a note.
      const unchecked = d.tracked ? (message: string) => incomplete(d.path, `${quote(d.path)}: ${message}`) : note(file);
      parseInto(file, defaultNamespace, { dockerfiles, composeDocs, k8sObjects, kustomizations, helmCharts }, problem(file), note(file), unchecked);
    } catch (err) {
      unparsable(file, err instanceof Error ? err.message : String(err));
    }
  });
  for (const [index, parsed] of await offload.dockerfiles()) {
    const file = files[index];
    if ("error" in parsed) unparsable(file, parsed.error);
    else addDockerfile({ file, ...parsed }, dockerfiles, note(file), problem(file));
  }
  const tParse = performance.now();

  // ---- rules ----
  const checkPermissions = options.checkPermissions ?? !discovery.inGitRepo;
  const workspace = buildWorkspace({ base, discovery, files, unread, dockerfiles, composeDocs, k8sObjects, kustomizations, preset, defaultNamespace, checkPermissions });
  const isAllowedSecret = allowMatcher(config.secretsAllow);

  const asyncVisits: Promise<void>[] = [];
  const findingsPerFile = new Map<string, number>();
  const workspaceFile = createSourceFile(".", base, "text", "");
  const reporter =
    (rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject) =>
    (r: ReportInput): void => {
      const region = r.region ?? r.node?.range ?? FILE_START;
      const s = r.path ? settings.for(rule.meta, path.resolve(base, r.path)) : setting;
      if (s.level === "off") return;
      const target = r.path ?? file.path;
      if (testData.has(target) && (rule.meta.testData !== "high-confidence" || r.confidence !== "high")) return;
      const count = (findingsPerFile.get(target) ?? 0) + 1;
      findingsPerFile.set(target, count);
      if (count > MAX_FINDINGS_PER_FILE) return;
      raw.push({
        ruleId: rule.meta.id,
        level: s.explicit ? (s.level as Level) : (r.level ?? rule.meta.level),
        explicitLevel: s.explicit,
        message: r.message,
        file: target,
        region,
        logicalLocation: r.logicalLocation,
        snippet: r.snippet,
        object,
        ...(r.coversLines?.length ? { coversLines: r.coversLines } : {}),
      });
    };
  // A rule bug must not cost the user the rest of the run; it is reported like a parse failure.
  const failed = (rule: Rule, file: SourceFile) => (err: unknown) => {
    engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `internal error in rule ${rule.meta.id}: ${quote(err instanceof Error ? err.message : String(err))}`);
  };
  const run = (rule: Rule, file: SourceFile, visit: (ctx: RuleContext) => void | Promise<void>, object?: K8sObject) => {
    const setting = settings.for(rule.meta, file.absPath);
    if (setting.level === "off" || (!rule.meta.testData && testData.has(file.path))) return;
    const ctx: RuleContext = { file, workspace, preset, pssVersion, options: setting.options, isAllowedSecret, report: reporter(rule, file, setting, object) };
    try {
      const pending = visit(ctx);
      if (pending) asyncVisits.push(pending.catch(failed(rule, file)));
    } catch (err) {
      failed(rule, file)(err);
    }
  };

  // In the pss-* presets the engine evaluates the PSS rules' controls itself (below): their own visitors do not run.
  const presetLevel = pssPresetLevel(preset);
  for (const rule of allRules) {
    if (presetLevel && rule.meta.pss) continue;
    if (rule.file) for (const f of files) run(rule, f, (ctx) => rule.file!(f, ctx));
    if (rule.dockerfile) for (const d of dockerfiles) run(rule, d.file, (ctx) => rule.dockerfile!(d, ctx));
    if (rule.compose) for (const c of composeDocs) run(rule, c.file, (ctx) => rule.compose!(c, ctx));
    if (rule.k8s) for (const o of k8sObjects) run(rule, o.file, (ctx) => rule.k8s!(o, ctx), o);
    if (rule.workspace) run(rule, workspaceFile, (ctx) => rule.workspace!(workspace, ctx));
  }
  await Promise.all(asyncVisits);
  // The text visitors' reports (from the worker, or run here now), after the others': the final
  // order does not depend on it (findings are sorted; one rule's reports keep their order).
  for (const [index, r, report] of await offload.results()) {
    const rule = textRules[r];
    const file = files[index];
    if ("error" in report) failed(rule, file)(new Error(report.error));
    else reporter(rule, file, settings.for(rule.meta, file.absPath))(report);
  }
  for (const [file, count] of findingsPerFile) {
    if (count > MAX_FINDINGS_PER_FILE) {
      engineReport(FILE_SKIPPED, file, FILE_START, `${quote(file)}: ${count} findings; only the first ${MAX_FINDINGS_PER_FILE} are reported`);
    }
  }
  const pss = pssFindings({ objects: k8sObjects, workspace, presetLevel, version: pssVersion, rules: allRules, setting: (meta, absPath) => settings.for(meta, absPath) });
  const tRules = performance.now();

  // ---- levels, suppressions, order ----
  const final = finalize(dropYielded(mergePssFindings(raw, pss, (f) => (preset === "strict" && !f.explicitLevel ? raiseForStrict(f.level) : f.level))), files, k8sObjects, config, preset, settings, testData, repositoryPath(base, repositories));
  // A file named on the command line was read with its directory: only what was named is reported.
  let findings = final.findings.filter((f) => discovery.reported(f.file));
  if (options.staged) {
    const untracked = new Set([...discovery.files, ...discovery.skipped.flatMap((s) => (s.unread ? [s.unread] : []))].filter((d) => !d.tracked).map((d) => d.path));
    findings = findings.filter((f) => !untracked.has(f.file));
  }
  if (changed) {
    const selected = selectFiles(changed, workspace, base, [configFile, ...policies.map((p) => path.resolve(base, p.at.file))]);
    findings = findings.filter((f) => selected(f.file));
  }
  if (baselinePrints) applyBaseline(findings, baselinePrints);
  redactFindings(findings);
  const ruleDescriptors: RuleDescriptor[] = [...allRules.map((r) => r.meta), ...BUILTIN_RULES]
    .map((meta) => ({ ...meta, effectiveLevel: settings.summaryLevel(meta), ...(ruleDocs[meta.id] ? { docs: renderRuleDoc(meta, ruleDocs[meta.id]) } : {}) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  return {
    version: VERSION,
    base,
    preset,
    failOn,
    findings,
    rules: ruleDescriptors,
    filesScanned: files.filter((f) => discovery.reported(f.path)).length,
    parseErrors: findings.filter((f) => f.ruleId === PARSE_ERROR.id),
    policyFiles: { config: configText && policySource(configText, base), baseline: baselineText && policySource(baselineText, base) },
    suppressions: final.suppressions,
    testData: testDataSummary(testData, discovery.reported),
    timing: {
      discoverMs: Math.round(tDiscover - t0),
      parseMs: Math.round(tParse - tDiscover),
      rulesMs: Math.round(tRules - tParse),
      totalMs: Math.round(performance.now() - t0),
      textWorker: offload.usedWorker,
    },
  };
}

/** The run's PSS version: the option's (a usage error when it is not a version), else the configuration's, else latest. */
function pssVersionOf(option: string | undefined, configured: PssVersion): PssVersion {
  if (option === undefined) return configured;
  const v = parsePssVersion(option);
  if (v === undefined) throw new UsageError(`--pss-version must be "latest" or "v1.N" (such as v1.30), as Pod Security Admission writes versions; got ${JSON.stringify(option)}`);
  return v;
}

/**
 * The file that standard input stands for, relative to the base. It names where findings point
 * (reports, SARIF URIs, baselines), so it must stay inside: no absolute path, no drive, no `..`.
 */
function stdinPath(filename: string): string {
  const rel = toPosix(filename);
  const segments = rel.split(/[/\\]/);
  const problem =
    path.posix.isAbsolute(rel) || path.win32.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)
      ? "is an absolute path"
      : segments.includes("..")
        ? 'has a ".." segment'
        : [".", ""].includes(segments[segments.length - 1])
          ? "does not name a file"
          : undefined;
  if (problem) throw new UsageError(`--stdin-filename ${JSON.stringify(filename)} ${problem}; give a path relative to the directory scanned, such as chart.yaml or deploy/app.yaml`);
  return rel;
}

/**
 * A file's path in the git work tree that holds it (a path relative to `base` otherwise): what
 * fingerprints name, so that baselines match from any working directory. No git runs: the work
 * tree is the nearest directory with `.git`, found as discovery finds it.
 */
function repositoryPath(base: string, repositories: GitRepositories): (file: string) => string {
  return (file) => {
    const abs = path.resolve(base, file);
    const top = repositories.workTreeOf(path.dirname(abs));
    return top === undefined ? file : toPosix(path.relative(top, abs)) || ".";
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

/** Drops findings of rules that yield to a more specific rule reporting on the same line (or covering it). */
function dropYielded(raw: RawFinding[]): RawFinding[] {
  const yields = new Map(builtinRules.filter((r) => r.meta.yieldsTo?.length).map((r) => [r.meta.id, r.meta.yieldsTo!]));
  if (yields.size === 0) return raw;
  const at = new Set(raw.flatMap((f) => [f.region.startLine, ...(f.coversLines ?? [])].map((line) => `${f.ruleId}\0${f.file}\0${line}`)));
  return raw.filter((f) => !yields.get(f.ruleId)?.some((other) => at.has(`${other}\0${f.file}\0${f.region.startLine}`)));
}

/** Records a finding of the engine's own (a note, a parse error). */
type EngineReport = (meta: RuleMeta, file: string, region: RawFinding["region"], message: string) => void;

/** Says why a file is not scanned. */
type Skip = (reason: string) => void;

function readText(absPath: string, rel: string, report: EngineReport, skip: Skip): string | undefined {
  const unreadable = (err: unknown) => {
    skip(`cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}); not scanned`);
    return undefined;
  };
  // Most files are valid UTF-8 text: one read straight into a string (Node's fast path, about half
  // the cost of reading a Buffer and decoding it). A NUL among the first characters or a
  // replacement character means the file may be binary or not UTF-8: the bytes decide below.
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (err) {
    return unreadable(err);
  }
  const nul = text.indexOf("\0");
  if ((nul === -1 || nul >= BINARY_SNIFF_BYTES) && !text.includes("\uFFFD")) return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let buf: Buffer;
  try {
    buf = readFileSync(absPath);
  } catch (err) {
    return unreadable(err);
  }
  return decodeBytes(buf, rel, report, skip);
}

/** A file's bytes as text; undefined (skipped) if they look binary, replaced (with a note) if not UTF-8. */
function decodeBytes(bytes: Uint8Array, rel: string, report: EngineReport, skip: Skip): string | undefined {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
    skip(BINARY_SKIPPED);
    return undefined;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    report(FILE_SKIPPED, rel, FILE_START, `${quote(rel)}: not valid UTF-8; scanned with invalid bytes replaced`);
    return new TextDecoder("utf-8").decode(bytes);
  }
}

/** A NUL byte among a file's first bytes marks it as binary (git's own test). */
const BINARY_SNIFF_BYTES = 8000;

/** Whether a file that was not read is one bulkhead lints: a Dockerfile, compose file, `.env` or Kubernetes manifest. */
function unreadMatters(d: DiscoveredFile, bytes?: Uint8Array): boolean {
  if (d.kind === "dockerfile" || d.kind === "compose" || d.kind === "dotenv") return true;
  return d.kind === "yaml" && looksLikeManifest(d.absPath, bytes);
}

interface Parsed {
  dockerfiles: DockerfileDoc[];
  composeDocs: ComposeDoc[];
  k8sObjects: K8sObject[];
  kustomizations: Kustomization[];
  /** Chart directories whose templates were skipped (one note each). */
  helmCharts: Set<string>;
}

/**
 * Dockerfiles larger than this are not parsed: dockerfile-ast needs ~1 µs and up to ~180 bytes
 * of heap per byte of input (a 10 MB one-line RUN: ~10 s and ~2 GB). Real ones are kilobytes.
 */
const MAX_DOCKERFILE_PARSE = 1024 * 1024;

/** Findings kept per file; past it one note says how many more there were (bounds memory and report size). */
const MAX_FINDINGS_PER_FILE = 10_000;

/** Parses one file by kind; YAML that cannot hold a Kubernetes object is not parsed at all. */
function parseInto(
  file: SourceFile,
  namespace: string,
  out: Parsed,
  problem: (message: string, region: RawFinding["region"]) => void,
  note: (message: string) => void,
  unchecked: (message: string) => void,
): void {
  if (file.kind === "dockerfile") {
    if (file.text.length > MAX_DOCKERFILE_PARSE) {
      unchecked(`larger than ${MAX_DOCKERFILE_PARSE / 1048576} MB; its instructions are not checked (the text is still scanned for secrets)`);
      return;
    }
    addDockerfile(parseDockerfile(file), out.dockerfiles, note, problem);
  } else if (file.kind === "compose") {
    const parsed = parseYaml(file, "1.2");
    if (parsed.problems.length > 0 && isTemplate(file.text)) return note(TEMPLATE_NOTE);
    parsed.problems.forEach((p) => problem(p.message, p.region));
    const doc = composeDocOf(file, parsed.docs[0]?.root);
    if (doc) out.composeDocs.push(doc);
  } else if ((file.kind === "yaml" || file.kind === "text") && isKustomizationPath(file.path)) {
    // Its own object (when it has apiVersion and kind), and the patches written inline in it.
    const parsed = parseYaml(file, "1.1");
    parsed.problems.forEach((p) => problem(p.message, p.region));
    const root = parsed.docs[0]?.root;
    out.k8sObjects.push(...k8sObjectsOf(file, root, 0, namespace));
    const k = kustomizationOf(file, root, namespace);
    if (k) {
      out.kustomizations.push(k);
      out.k8sObjects.push(...k.inlinePatches);
    }
  } else if (file.kind === "yaml") {
    // A compose file by its content: a `stack.yml`, a `deploy/app.yml`.
    if (mayBeCompose(file.text)) {
      const parsed = parseYaml(file, "1.2");
      if (parsed.problems.length === 0 && parsed.docs.length === 1 && isComposeShaped(parsed.docs[0].root)) {
        file.kind = "compose";
        out.composeDocs.push(composeDocOf(file, parsed.docs[0].root)!);
        return;
      }
    }
    if (!file.text.includes("apiVersion") || !file.text.includes("kind")) return;
    const chart = /^(.*?)\/?templates\//.exec(file.path);
    if (chart && file.text.includes("{{")) {
      // A Helm template is not YAML until rendered: one note per chart says how to lint it.
      if (!out.helmCharts.has(chart[1])) {
        out.helmCharts.add(chart[1]);
        const dir = quote(chart[1] || ".");
        note(`Helm chart templates under ${dir}/templates are not YAML until rendered; lint them with \`helm template ${dir} | bulkhead --stdin --stdin-filename chart.yaml\``);
      }
      return;
    }
    const parsed = parseYaml(file, "1.1");
    // Go templates outside a chart (manifests a program renders): skipped like a chart's.
    if (parsed.problems.length > 0 && isTemplate(file.text)) return note(TEMPLATE_NOTE);
    parsed.problems.forEach((p) => problem(p.message, p.region));
    for (const d of parsed.docs) out.k8sObjects.push(...k8sObjectsOf(file, d.root, d.index, namespace));
  }
}

const TEMPLATE_NOTE =
  "a template (`{{ … }}` directives) that is not YAML until rendered; not checked: render it and lint the output with `--stdin --stdin-filename <name>.yaml`";

/** A rule's setting for a file; shared by every file the same overrides apply to. */
interface Setting {
  level: LevelSetting;
  explicit: boolean;
  /** The rule's options: its defaults, then the configuration's (frozen: rules only read them). */
  options: Readonly<Record<string, unknown>>;
}

function addDockerfile(doc: DockerfileDoc, dockerfiles: DockerfileDoc[], note: (message: string) => void, problem: (message: string, region: RawFinding["region"]) => void): void {
  const problems = dockerfileProblems(doc);
  for (const p of problems) problem(p.message, p.region);
  if (problems.some((p) => p.fatal)) return;
  dockerfiles.push(doc);
  if (doc.instructions.length === 0) note("no instructions (empty, or only comments); nothing to check");
}

/** Per-file rule settings: preset, config rules, overrides (later wins), then --rule. */
class SettingsResolver {
  /** Per file, which overrides apply (their indices); per rule and that list, the setting. */
  private readonly applying = new Map<string, string>();
  private readonly settings = new Map<RuleMeta, Map<string, Setting>>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly cli: Record<string, LevelSetting>,
    private readonly preset: PresetName,
  ) {}

  for(meta: RuleMeta, absPath: string): Setting {
    const applying = this.overridesFor(absPath);
    let byOverrides = this.settings.get(meta);
    if (!byOverrides) this.settings.set(meta, (byOverrides = new Map()));
    let setting = byOverrides.get(applying);
    if (!setting) {
      const overrides = applying === "" ? [] : applying.split(",").map((i) => this.config.overrides[Number(i)]);
      setting = this.resolve(meta, overrides);
      byOverrides.set(applying, setting);
    }
    return setting;
  }

  /** The overrides that apply to a file, as a key: files with equal keys have equal settings. */
  overridesFor(absPath: string): string {
    const overrides = this.config.overrides;
    if (overrides.length === 0) return "";
    let applying = this.applying.get(absPath);
    if (applying === undefined) {
      applying = overrides.flatMap((o, i) => (o.matches(absPath) ? [i] : [])).join(",");
      this.applying.set(absPath, applying);
    }
    return applying;
  }

  private resolve(meta: RuleMeta, overrides: ResolvedConfig["overrides"]): Setting {
    let level: LevelSetting | undefined;
    let options: Record<string, unknown> = { ...(meta.options?.defaults ?? {}) };
    const apply = (s: { level?: LevelSetting; options?: Record<string, unknown> } | undefined) => {
      if (!s) return;
      if (s.level) level = s.level;
      if (s.options) options = { ...options, ...s.options };
    };
    apply(this.config.rules[meta.id]);
    for (const o of overrides) apply(o.rules[meta.id]);
    if (this.cli[meta.id]) level = this.cli[meta.id];
    Object.freeze(options);
    if (level) return { level, explicit: true, options };
    return { level: this.presetLevel(meta), explicit: false, options };
  }

  /** The rule's level in the preset: strict raises it; a pss-* preset runs only the rules of its level, as errors. */
  presetLevel(meta: RuleMeta): LevelSetting {
    const pss = pssPresetLevel(this.preset);
    // The engine's own findings stay, except unused suppressions: the other rules do not run.
    if (pss) return meta.id === UNUSED_SUPPRESSION.id ? "off" : meta.id.startsWith("bulkhead/") ? meta.level : pssPresetRuleLevel(meta, pss);
    return this.preset === "strict" ? raiseForStrict(meta.level) : meta.level;
  }

  /** The rule's level for the run as a whole (ignoring per-file overrides). */
  summaryLevel(meta: RuleMeta): LevelSetting {
    return this.cli[meta.id] ?? this.config.rules[meta.id]?.level ?? this.presetLevel(meta);
  }
}

function finalize(
  raw: RawFinding[],
  files: SourceFile[],
  objects: K8sObject[],
  config: ResolvedConfig,
  preset: PresetName,
  settings: SettingsResolver,
  testData: Map<string, string>,
  identity: (file: string) => string,
): { findings: Finding[]; suppressions: SuppressionRecord[] } {
  const strict = preset === "strict";
  // In the strict preset a suppression without a meaningful reason is not honoured (and reported).
  const honoured = (reason: string | undefined) => !strict || isMeaningfulReason(reason);
  const comments = new Map<string, CommentSuppression[]>();
  for (const f of files) {
    const s = parseCommentSuppressions(f);
    if (s.length > 0) comments.set(f.path, s);
  }
  const annotations = new Map<K8sObject, AnnotationSuppression[]>();
  for (const o of objects) {
    const a = annotationSuppressions(o);
    if (a.length > 0) annotations.set(o, a);
  }
  const fileByPath = new Map(files.map((f) => [f.path, f]));
  const extra: RawFinding[] = [];

  for (const f of raw) {
    if (!f.explicitLevel && f.ruleId.indexOf("bulkhead/") !== 0 && strict) f.level = raiseForStrict(f.level);
    const comment = comments.get(f.file);
    const match = comment ? matchComment(comment, f.ruleId, f.region.startLine) : undefined;
    if (match) {
      if (!honoured(match.reason)) continue; // not honoured; the comment itself is reported below
      f.suppressions = [{ kind: "inSource", justification: match.reason }];
      continue;
    }
    const ann = f.object ? annotations.get(f.object)?.find((a) => a.ruleId === f.ruleId) : undefined;
    if (ann) {
      ann.used = true;
      if (!honoured(ann.reason)) continue;
      f.suppressions = [{ kind: "inSource", justification: ann.reason }];
      continue;
    }
    const absPath = fileByPath.get(f.file)?.absPath ?? path.resolve(config.dir, f.file);
    const objectRef = f.object ? `${f.object.kind}/${f.object.namespace}/${f.object.name}` : undefined;
    const ignored = config.ignore.find(
      (i) => i.rule === f.ruleId && i.matchesFile(absPath) && (!i.matchesObject || (objectRef !== undefined && i.matchesObject(objectRef))),
    );
    if (ignored) f.suppressions = [{ kind: "external", justification: ignored.reason ?? "ignored in configuration" }];
  }

  const addEngine = (meta: RuleMeta, file: string, region: RawFinding["region"], message: string) => {
    const level = settings.for(meta, fileByPath.get(file)?.absPath ?? file).level;
    if (level !== "off") extra.push({ ruleId: meta.id, level, message, file, region, explicitLevel: true });
  };
  const records: SuppressionRecord[] = [];
  for (const [file, list] of comments) {
    for (const s of list) {
      records.push(commentRecord(file, s, honoured(s.reason)));
      const ids = s.rules.length > 0 ? quote(s.rules.join(", ")) : "all rules";
      if (!honoured(s.reason)) addEngine(SUPPRESSION_REASON, file, s.region, `suppression of ${ids} gives ${s.reason ? "no meaningful reason" : "no reason"} after "--" (${REASON_RULE}); in the strict preset it is not honoured`);
      // Most rules do not run on test data: a suppression there that matched nothing is no news.
      else if (!s.used && !testData.has(file)) addEngine(UNUSED_SUPPRESSION, file, s.region, `suppression of ${ids} matched no finding; remove it`);
    }
  }
  for (const [obj, list] of annotations) {
    for (const a of list) {
      records.push(annotationRecord(obj.file.path, a, honoured(a.reason)));
      const name = `annotation ${quote(a.key)} on ${quote(obj.kind)} ${quote(obj.name)}`;
      if (!honoured(a.reason)) addEngine(SUPPRESSION_REASON, obj.file.path, a.region, `${name} gives no meaningful reason (${REASON_RULE}); in the strict preset it is not honoured`);
      else if (!a.used) addEngine(UNUSED_SUPPRESSION, obj.file.path, a.region, `${name} matched no finding; remove it`);
    }
  }

  return { findings: fingerprintAll([...raw, ...extra], fileByPath, identity).sort(compareFindings), suppressions: records.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column) };
}

/** What a reason must be, for messages (the rule is isMeaningfulReason's). */
const REASON_RULE = "at least three letters or digits, not a placeholder such as todo";

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
