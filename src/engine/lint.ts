import { realpathSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { DocumentKind, LaterReport, Rule, RuleContext, RuleMeta } from "../rule.js";
import type { DockerfileDoc, Finding, K8sObject, K8sPatch, Kustomization, Level, LevelSetting, PresetName, Region, ReportInput, SourceFile, TextReport } from "../types.js";
import { rules as builtinRules, docs as ruleDocs } from "../../rules/index.js";
import { renderRuleDoc } from "../catalog.js";
import { discover, ignoreFileLines, looksLikeManifest, MAX_IGNORE_PATTERNS, toPosix, type DiscoveredFile, type Discovery } from "../discover/discover.js";
import { classifyDeclared, kindName } from "../discover/classify.js";
import { testDataMatcher } from "../discover/test-data.js";
import { createSourceFile, detach } from "../source.js";
import { isKustomizationPath } from "../parsers/kustomize.js";
import { ScanWorkspace, type Workspace } from "../workspace/workspace.js";
import { fileFilter, type FailOn, type ResolvedConfig } from "./config.js";
import { configTextOf, resolveRules } from "./rules.js";
import { unknownRuleDetail } from "./config-errors.js";
import type { PolicyText } from "./policy-file.js";
import { BUILTIN_RULES, FILE_SKIPPED, PARSE_ERROR, SCAN_INCOMPLETE, SUPPRESSION_REASON, UNUSED_SUPPRESSION } from "./builtin.js";
import { SuppressionIndex, type SuppressionRecord } from "./suppressions.js";
import { fingerprintAll, keyOf, snippetText, type FileIdentity, type ObjectRef, type RawFinding } from "./fingerprint.js";
import { droppedMessage, FindingStore } from "./findings.js";
import { Sources } from "./sources.js";
import { MAX_DOCKERFILE_PARSE, parseFile, type ParsedFile, type ParseReports } from "./parse.js";
import { allowMatcher, Offload, WORKER_MIN_FILES, type FileJob } from "./offload.js";
import { UsageError } from "../errors.js";
import { ownOutputKind } from "./own-reports.js";
import { applyBaseline, parseBaseline, readBaselineFile } from "./baseline.js";
import { changedFiles, selectFiles } from "../changed.js";
import { VERSION } from "../version.js";
import { GitRepositories } from "../git.js";
import { quote, redactSecrets } from "../secrets/index.js";
import { PssChecks, pssPresetLevel, pssPresetRuleLevel, settlePss, type PssFinding } from "./pss.js";
import { policyOfNamespace } from "../pss/namespace.js";
import { dockerfileProblems } from "../parsers/dockerfile.js";
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
  // How fingerprints name a file: its path in its repository (baselines match from any directory).
  const identity = repositoryPath(base, repositories);
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

  // ---- read, parse and check the files, one at a time ----
  // A file's text and documents are released as soon as its own rules have run; what rules need
  // across files is in the workspace index, and findings that depend on every file are decided
  // at the end (ctx.reportLater). The order (see Workspace): kustomization files first (which
  // files hold patches, and where their targets are), then the YAML files (compose files among
  // them: build contexts and the compose service → Dockerfile links come from them; compose
  // files are held and their rules run at the end), then the other files, then the patches.
  const settings = new SettingsResolver(config, options.rules ?? {}, preset);
  // The documents a rule that may run reads: a file whose documents none reads is not parsed (its
  // syntax errors go unreported). --changed-since follows every kind across files.
  const reads = changed ? new Set<DocumentKind>(["dockerfile", "compose", "k8s"]) : documentsRead(settings, allRules);
  const strict = preset === "strict";
  const sources = new Sources(discovery, options.stdin?.text);
  const suppressions = new SuppressionIndex(config, strict, (file) => sources.absPathOf(file) ?? path.resolve(config.dir, file));
  const store = new FindingStore(
    (f) => suppressions.apply(f),
    (list) => dropYielded(settlePss(list)),
  );
  // The engine's own findings obey the configuration and --rule like any rule's (`off` drops them);
  // the preset does not raise them.
  const engineReport = (meta: RuleMeta, file: string, region: Region, message: string, source?: SourceFile) => {
    const s = settings.for(meta, path.resolve(base, file));
    if (s.level === "off") return;
    const f = engineFinding(meta, file, region, message, source, identity);
    store.add(s.explicit ? { ...f, level: s.level as Level } : f);
  };
  // What the scan misses is a warning (strict: an error) that the configuration can turn off per path.
  const incomplete = (file: string, message: string, source?: SourceFile) => {
    const s = settings.for(SCAN_INCOMPLETE, path.resolve(base, file));
    if (s.level !== "off") store.add({ ...engineFinding(SCAN_INCOMPLETE, file, FILE_START, message, source, identity), level: s.level as Level });
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
  const problem = (file: SourceFile) => (message: string, region: Region) =>
    engineReport(PARSE_ERROR, file.path, region, `${quote(message)} (${quote(file.path)}:${region.startLine}:${region.startColumn})`, file);
  const note = (file: SourceFile) => (message: string) => engineReport(FILE_SKIPPED, file.path, FILE_START, `${quote(file.path)}: ${message}`, file);
  const unparsable = (file: SourceFile, message: string) => engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `could not be parsed: ${quote(message)}`, file);
  const helmCharts = new Set<string>();
  /** Where parsing a file reports: a committed file whose policies cannot be checked is incomplete, not a note. */
  const reports = (file: SourceFile, d: DiscoveredFile): ParseReports => ({
    problem: problem(file),
    note: note(file),
    unchecked: d.tracked ? (message) => incomplete(d.path, `${quote(d.path)}: ${message}`, file) : note(file),
    tooLarge: (message, region) => engineReport(FILE_SKIPPED, file.path, region, `${quote(file.path)}:${region.startLine}: ${message}`, file),
    helmCharts,
  });
  /** Reads file `i`; what keeps it from being scanned (fully) is reported on it. */
  const stdinBytes = options.stdin && typeof options.stdin.text !== "string" ? options.stdin.text : undefined;
  // What bulkhead writes is never a finding (see own-reports.ts).
  const outputs = new Set([...(options.outputs ?? []), ...(typeof options.baseline === "string" ? [options.baseline] : [])].map((f) => path.resolve(base, f)));
  const read = (i: number): SourceFile | undefined => {
    const d = discovery.files[i];
    if (outputs.has(d.absPath)) return sources.exclude(i);
    const notes: string[] = [];
    let skipped: string | undefined;
    const file = sources.read(
      i,
      (message) => notes.push(message),
      (reason) => (skipped = reason),
    );
    for (const message of notes) engineReport(FILE_SKIPPED, d.path, FILE_START, message, file);
    if (skipped !== undefined) notRead(d, skipped, stdinBytes);
    const own = file && ownOutputKind(file.text);
    if (own) {
      engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: a ${own} bulkhead wrote, not scanned`);
      return sources.exclude(i);
    }
    return file;
  };
  let parseTime = 0;
  const timed = <T>(parse: () => T): T => {
    const t = performance.now();
    try {
      return parse();
    } finally {
      parseTime += performance.now() - t;
    }
  };
  /** Parses a file; a parser that throws is reported as such. */
  const parse = (file: SourceFile, d: DiscoveredFile): ParsedFile => {
    try {
      return timed(() => parseFile(file, defaultNamespace, reads, reports(file, d)));
    } catch (err) {
      unparsable(file, err instanceof Error ? err.message : String(err));
      return { objects: [] };
    }
  };

  /** Test-data files (path → what marked it): most rules do not run there, and their documents are not parsed. */
  const testData = new Map<string, string>();
  // No rule that reads documents runs on test data: its YAML is not parsed (fixtures are often
  // invalid on purpose, and their objects must not meet the real ones in cross-file checks).
  const parsesDocuments = (d: DiscoveredFile) => !d.testData || d.kind === "dockerfile";
  const isKustomizationFile = (d: DiscoveredFile) => reads.has("k8s") && parsesDocuments(d) && (d.kind === "yaml" || d.kind === "text") && isKustomizationPath(d.path);

  // Kustomization files: read and parsed first, held (with what they parsed to) until their turn at the end.
  const kustomizationFiles = new Map<number, { file: SourceFile; parsed: ParsedFile } | undefined>();
  const kustomizations: Kustomization[] = [];
  discovery.files.forEach((d, i) => {
    if (!isKustomizationFile(d)) return;
    const file = timed(() => read(i));
    if (!file) return kustomizationFiles.set(i, undefined);
    sources.hold(file);
    const parsed = parse(file, d);
    if (parsed.kustomization) kustomizations.push(parsed.kustomization);
    kustomizationFiles.set(i, { file, parsed });
  });

  const checkPermissions = options.checkPermissions ?? !discovery.inGitRepo;
  const workspace = new ScanWorkspace({
    base,
    discovery,
    kustomizations,
    unread,
    preset,
    defaultNamespace,
    checkPermissions,
    source: (p) => sources.get(p),
    objectsOf: (p) => objectsOf(sources.get(p), defaultNamespace, reads),
  });
  const isAllowedSecret = allowMatcher(config.secretsAllow);
  /** Visits still running (async visitors): each keeps its file in memory until it settles. */
  const asyncVisits = new Set<Promise<void>>();
  const workspaceFile = createSourceFile(".", base, "text", "");
  /** A rule's finding; its fingerprint text is the rule's snippet, else the text at `region` of `source` (or that text, `taken` before). */
  const finding = (rule: Rule, s: Setting, r: ReportInput | TextReport, region: Region, file: string, source: SourceFile | undefined, object?: K8sObject, taken?: string): RawFinding => {
    const level = s.explicit ? (s.level as Level) : (r.level ?? rule.meta.level);
    const logicalLocation = r.logicalLocation === undefined ? undefined : detach(r.logicalLocation);
    const covers = "coversLines" in r ? r.coversLines : undefined;
    return {
      ruleId: rule.meta.id,
      level: s.explicit || !strict ? level : raiseForStrict(level),
      message: detach(r.message),
      file,
      region: { startLine: region.startLine, startColumn: region.startColumn, endLine: region.endLine, endColumn: region.endColumn },
      logicalLocation,
      key: keyOf(rule.meta.id, file, logicalLocation, r.snippet, source, region, identity, taken),
      object: object && suppressions.refOf(object),
      ...(covers?.length ? { coversLines: [...covers] } : {}),
    };
  };
  /** In test data only the reports of a high-confidence rule that are marked high-confidence count. */
  const countsIn = (rule: Rule, file: string, r: { confidence?: "high" }) => !testData.has(file) || (rule.meta.testData === "high-confidence" && r.confidence === "high");
  const reporter =
    (rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject) =>
    (r: ReportInput): void => {
      const region = r.region ?? r.node?.range ?? FILE_START;
      const s = r.path ? settings.for(rule.meta, path.resolve(base, r.path)) : setting;
      if (s.level === "off") return;
      const target = r.path ?? file.path;
      if (!countsIn(rule, target, r)) return;
      const source = r.snippet !== undefined ? undefined : target === file.path ? file : sources.get(target);
      store.add(finding(rule, s, r, region, target, source, object));
    };
  // A rule bug must not cost the user the rest of the run; it is reported like a parse failure.
  const failed = (rule: Rule, file: SourceFile) => (err: unknown) => {
    engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `internal error in rule ${rule.meta.id}: ${quote(err instanceof Error ? err.message : String(err))}`, file);
  };
  /** A reportLater decision as the store keeps it: made here, where nothing holds a file (a closure holds its whole scope). */
  type Later = { rule: Rule; setting: Setting; path: string; region: Region; logicalLocation?: string; snippet?: string; taken?: string; object?: ObjectRef };
  const decideLater = <T>(later: Later, data: T, decide: (data: T, workspace: Workspace) => LaterReport | LaterReport[] | undefined) => (): RawFinding[] => {
    const source = () => sources.get(later.path) ?? createSourceFile(later.path, later.path, "text", "");
    let decided: LaterReport | LaterReport[] | undefined;
    try {
      decided = decide(data, workspace);
    } catch (err) {
      return [engineFinding(PARSE_ERROR, later.path, FILE_START, `internal error in rule ${later.rule.meta.id}: ${quote(err instanceof Error ? err.message : String(err))}`, source(), identity)];
    }
    return (Array.isArray(decided) ? decided : decided ? [decided] : []).map((d) => {
      const r = { ...d, logicalLocation: d.logicalLocation ?? later.logicalLocation, snippet: d.snippet ?? later.snippet };
      const own = r.snippet !== undefined || later.taken !== undefined;
      const f = finding(later.rule, later.setting, r, later.region, later.path, own ? undefined : source(), undefined, r.snippet === undefined ? later.taken : undefined);
      return later.object ? { ...f, object: later.object } : f;
    });
  };
  const reportLater =
    (rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject): RuleContext["reportLater"] =>
    (at, data, decide) => {
      const region = at.region ?? at.node?.range ?? FILE_START;
      // The text a decision's finding is fingerprinted by (unless it names its own): the rule's, or
      // the source at `at`, taken now; a long one is read again if a decision reports there.
      const located = at.snippet === undefined ? snippetText(file, region) : undefined;
      const later: Later = {
        rule,
        setting,
        path: file.path,
        region: { ...region },
        logicalLocation: at.logicalLocation && detach(at.logicalLocation),
        snippet: at.snippet === undefined ? undefined : detach(at.snippet),
        taken: located !== undefined && located.length <= MAX_KEPT_LATER_SNIPPET ? detach(located) : undefined,
        object: object && suppressions.refOf(object),
      };
      store.addLater(file.path, decideLater(later, structuredClone(data), decide));
    };
  const run = (rule: Rule, file: SourceFile, visit: (ctx: RuleContext) => void | Promise<void>, object?: K8sObject) => {
    const setting = settings.for(rule.meta, file.absPath);
    if (setting.level === "off" || (!rule.meta.testData && testData.has(file.path))) return;
    const ctx: RuleContext = {
      file,
      workspace,
      preset,
      pssVersion,
      options: setting.options,
      isAllowedSecret,
      report: reporter(rule, file, setting, object),
      reportLater: reportLater(rule, file, setting, object),
    };
    try {
      const pending = visit(ctx);
      if (pending) {
        const settled: Promise<void> = pending.catch(failed(rule, file)).finally(() => asyncVisits.delete(settled));
        asyncVisits.add(settled);
      }
    } catch (err) {
      failed(rule, file)(err);
    }
  };
  // In the pss-* presets the engine evaluates the PSS rules' controls itself: their own visitors do not run.
  const presetLevel = pssPresetLevel(preset);
  const pss = new PssChecks(presetLevel, pssVersion, allRules, (meta, absPath) => settings.for(meta, absPath));
  const rules = allRules.filter((r) => !(presetLevel && r.meta.pss));
  const fileRules = rules.filter((r) => r.file);
  const dockerfileRules = rules.filter((r) => r.dockerfile);
  const k8sRules = rules.filter((r) => r.k8s && !r.meta.k8sAtEnd);
  /** A PSS finding of the engine's, on an object. */
  const pssFinding = (obj: K8sObject, p: PssFinding): RawFinding => {
    const region = { startLine: p.region.startLine, startColumn: p.region.startColumn, endLine: p.region.endLine, endColumn: p.region.endColumn };
    const logicalLocation = detach(p.logicalLocation);
    const key = keyOf(p.rule.meta.id, obj.file.path, logicalLocation, undefined, obj.file, region, identity);
    return { ruleId: p.rule.meta.id, level: p.level, message: detach(p.message), file: obj.file.path, region, logicalLocation, key, object: suppressions.refOf(obj), pss: p.rank };
  };
  /** A file's own rules (not the compose rules nor those that read the whole scan: those run at the end). */
  const check = (file: SourceFile, dockerfile: DockerfileDoc | undefined, objects: K8sObject[]) => {
    for (const rule of fileRules) run(rule, file, (ctx) => rule.file!(file, ctx));
    if (dockerfile) for (const rule of dockerfileRules) run(rule, file, (ctx) => rule.dockerfile!(dockerfile, ctx));
    for (const rule of k8sRules) for (const o of objects) run(rule, file, (ctx) => rule.k8s!(o, ctx), o);
    if (presetLevel) for (const o of objects) for (const p of pss.preset(o)) store.add(pssFinding(o, p));
  };
  /** A parsed Dockerfile into the index; false when what it holds cannot be checked (its problems are reported). */
  const addDockerfile = (doc: DockerfileDoc, index: number): boolean => {
    const problems = dockerfileProblems(doc);
    for (const p of problems) problem(doc.file)(p.message, p.region);
    if (problems.some((p) => p.fatal)) return false;
    workspace.addDockerfile(doc, index);
    if (doc.instructions.length === 0) note(doc.file)("no instructions (empty, or only comments); nothing to check");
    return true;
  };

  const total = discovery.files.length;
  const textRules = allRules.filter((r) => r.text);
  const textRulesFor = new Map<string, FileJob["rules"]>();
  const offload = new Offload(textRules, config.secretsAllow, options.threads ?? total >= WORKER_MIN_FILES, (job) => sources.get(job.path));
  /** Checks the Dockerfiles the worker has parsed and records the text rules' reports. */
  const takeAnswers = () => {
    const { dockerfiles, results } = offload.take();
    for (const [index, parsed, file] of dockerfiles) {
      const doc = "error" in parsed ? undefined : { file, ...parsed };
      if (!doc) unparsable(file, (parsed as { error: string }).error);
      check(file, doc && addDockerfile(doc, index) ? doc : undefined, []);
      sources.release(file);
    }
    for (const [index, r, report] of results) {
      const rule = textRules[r];
      const d = discovery.files[index];
      const setting = settings.for(rule.meta, d.absPath);
      if ("error" in report) {
        store.add(engineFinding(PARSE_ERROR, d.path, report.region, `internal error in rule ${rule.meta.id}: ${quote(report.error)}`, undefined, identity, report.snippet));
      } else if (setting.level !== "off" && countsIn(rule, d.path, report)) {
        // The worker took the fingerprint text: the rule's snippet (`own`), or the file's text there.
        const { own, snippet, ...rest } = report;
        store.add(finding(rule, setting, own ? report : rest, report.region, d.path, undefined, undefined, own ? undefined : snippet));
      }
    }
  };
  /** A Kubernetes object into the index, before any rule visits it: a patch first finds the object it modifies. */
  const addObject = (o: K8sObject, ordinal: number, patch: K8sPatch | undefined) => {
    if (patch && !o.patch) o.patch = { ...patch };
    if (o.patch) {
      const target = workspace.patchTargetOf(o);
      if (target) o.patch.target = target;
    }
    workspace.addK8sObject(o, ordinal);
    suppressions.readAnnotations(o);
  };

  let composeHeld = 0;
  let filesScanned = 0;
  let done = 0;
  /** Reads (unless `ready`), parses and checks file `i`, and releases it (a compose file is held for the compose rules). */
  const scan = async (i: number, ready?: { file: SourceFile; parsed: ParsedFile }) => {
    const d = discovery.files[i];
    const file = ready ? ready.file : timed(() => read(i));
    options.onProgress?.(++done, total);
    if (!file) return;
    const reported = discovery.reported(d.path);
    if (reported) filesScanned++;
    if (d.testData) testData.set(d.path, d.testData);
    sources.hold(file);
    suppressions.readComments(file, d.testData !== undefined);
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
    // With a worker, it parses the Dockerfiles too (the ones small enough to parse): their rules
    // run when it answers.
    const onWorker = d.kind === "dockerfile" && reads.has("dockerfile") && offload.parsesDockerfiles && file.text.length <= MAX_DOCKERFILE_PARSE;
    await offload.add({ index: i, path: d.path, absPath: d.absPath, kind: d.kind, text: file.text, rules: enabled, dockerfile: onWorker }, file);
    if ((d.kind === "gitignore" || d.kind === "dockerignore") && file.text.length > MAX_IGNORE_PATTERNS) {
      const patterns = ignoreFileLines(file.text).length;
      if (patterns > MAX_IGNORE_PATTERNS) {
        engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: ${patterns} patterns; only the first ${MAX_IGNORE_PATTERNS} are used`, file);
      }
    }
    if (onWorker) {
      workspace.addFile(d);
      return takeAnswers();
    }
    let parsed = ready?.parsed ?? (parsesDocuments(d) ? parse(file, d) : { objects: [] });
    // A compose file (by name, setting or content) is held for the run: the compose rules run at the end.
    if (parsed.compose) {
      if (composeHeld + file.text.length > MAX_COMPOSE_HELD) {
        note(file)(`compose files over ${MAX_COMPOSE_HELD / 1048576} MB in all: this one is not checked (the text is still scanned for secrets)`);
        parsed = { objects: [] };
      } else {
        composeHeld += file.text.length;
        workspace.addComposeDoc(parsed.compose, i);
      }
    }
    workspace.addFile(file.kind === d.kind ? d : { path: d.path, absPath: d.absPath, kind: file.kind });
    if (parsed.dockerfile && !addDockerfile(parsed.dockerfile, i)) parsed = { ...parsed, dockerfile: undefined };
    // Every object of a file that a kustomization lists as a patch is a patch.
    const patch = workspace.kustomize.patchOf(d.path);
    parsed.objects.forEach((o, ordinal) => addObject(o, ordinal, patch));
    check(file, parsed.dockerfile, parsed.objects);
    if (!parsed.compose) sources.release(file);
    takeAnswers();
  };

  // The YAML files (compose files among them), then the other files, then the Kustomize patches
  // and the kustomization files (whose inline patches are patches too).
  const isPatchFile = (d: DiscoveredFile) => parsesDocuments(d) && workspace.kustomize.patchOf(d.path) !== undefined;
  const isYaml = (d: DiscoveredFile) => parsesDocuments(d) && (d.kind === "yaml" || d.kind === "compose");
  const later: number[] = [];
  for (const [i, d] of discovery.files.entries()) {
    if (isKustomizationFile(d)) continue;
    if (isPatchFile(d)) later.push(i);
    else if (isYaml(d)) await scan(i);
  }
  workspace.composeComplete();
  for (const [i, d] of discovery.files.entries()) {
    if (!isKustomizationFile(d) && !isPatchFile(d) && !isYaml(d)) await scan(i);
  }
  for (const i of later) await scan(i);
  for (const [i, ready] of kustomizationFiles) {
    if (ready) await scan(i, ready);
    else options.onProgress?.(++done, total);
  }
  await offload.finish();
  takeAnswers();
  await Promise.all([...asyncVisits]);

  // ---- what needs every file: compose and workspace rules, decisions made later ----
  workspace.complete();
  const composeDocs = workspace.composeDocs;
  for (const rule of rules) {
    if (rule.compose) for (const c of composeDocs) run(rule, c.file, (ctx) => rule.compose!(c, ctx));
    if (rule.workspace) run(rule, workspaceFile, (ctx) => rule.workspace!(workspace, ctx));
    if (rule.k8s && rule.meta.k8sAtEnd) for (const o of workspace.objectsOfKinds(new Set(rule.meta.k8sAtEnd))) run(rule, o.file, (ctx) => rule.k8s!(o, ctx), o);
  }
  // The workloads of a scanned Namespace with pod-security labels, parsed again, as admission would see them.
  const reparsed = new Map<string, K8sObject[]>();
  for (const e of workspace.k8sObjects) {
    if (!e.workload || e.patch || testData.has(e.file) || !policyOfNamespace(workspace, e.namespace)) continue;
    let objects = reparsed.get(e.file);
    if (!objects) reparsed.set(e.file, (objects = objectsOf(sources.get(e.file), defaultNamespace, reads)));
    const o = objects[e.ordinal];
    if (o) for (const p of pss.namespace(o, workspace)) store.add(pssFinding(o, p));
  }
  reparsed.clear();
  await Promise.all([...asyncVisits]);
  const perFile = store.drain(); // runs the decisions made later
  const selected = changed ? selectFiles(changed, workspace, base, [configFile, ...policies.map((p) => path.resolve(base, p.at.file))]) : undefined;
  for (const c of composeDocs) sources.release(c.file);
  const tRules = performance.now();

  // ---- levels, suppressions, order ----
  let findings = finalize(perFile, suppressions, sources, settings, identity);
  // A file named on the command line was read with its directory: only what was named is reported.
  findings = findings.filter((f) => discovery.reported(f.file));
  if (options.staged) {
    const untracked = new Set([...discovery.files, ...discovery.skipped.flatMap((s) => (s.unread ? [s.unread] : []))].filter((d) => !d.tracked).map((d) => d.path));
    findings = findings.filter((f) => !untracked.has(f.file));
  }
  if (selected) findings = findings.filter((f) => selected(f.file));
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
    filesScanned,
    parseErrors: findings.filter((f) => f.ruleId === PARSE_ERROR.id),
    policyFiles: { config: configText && policySource(configText, base), baseline: baselineText && policySource(baselineText, base) },
    suppressions: suppressions.records(),
    testData: testDataSummary(testData, discovery.reported),
    timing: {
      discoverMs: Math.round(tDiscover - t0),
      parseMs: Math.round(parseTime),
      rulesMs: Math.round(tRules - tDiscover - parseTime),
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

/** Whether a file that was not read is one bulkhead lints: a Dockerfile, compose file, `.env` or Kubernetes manifest. */
function unreadMatters(d: DiscoveredFile, bytes?: Uint8Array): boolean {
  if (d.kind === "dockerfile" || d.kind === "compose" || d.kind === "dotenv") return true;
  return d.kind === "yaml" && looksLikeManifest(d.absPath, bytes);
}

/** The Kubernetes objects of a scanned file, parsed again (what parsing reports was reported the first time). */
function objectsOf(file: SourceFile | undefined, namespace: string, reads: ReadonlySet<DocumentKind>): K8sObject[] {
  if (!file) return [];
  const quiet: ParseReports = { problem() {}, note() {}, unchecked() {}, tooLarge() {}, helmCharts: new Set() };
  try {
    return parseFile(file, namespace, reads, quiet).objects;
  } catch {
    return [];
  }
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

/** A finding of the engine's own (a note, a parse error): its level is the builtin rule's; `taken`: its source text, taken while its file was read. */
function engineFinding(meta: RuleMeta, file: string, region: Region, message: string, source: SourceFile | undefined, identity: FileIdentity, taken?: string): RawFinding {
  return { ruleId: meta.id, level: meta.level, message: detach(message), file, region, key: keyOf(meta.id, file, undefined, undefined, source, region, identity, taken) };
}

/** Rules that yield to others (RuleMeta.yieldsTo), by id. */
const YIELDS = new Map(builtinRules.filter((r) => r.meta.yieldsTo?.length).map((r) => [r.meta.id, r.meta.yieldsTo!]));

/** Drops findings of rules that yield to a more specific rule reporting on the same line (or covering it) of the same file. */
function dropYielded(raw: RawFinding[]): RawFinding[] {
  if (YIELDS.size === 0) return raw;
  const at = new Set(raw.flatMap((f) => [f.region.startLine, ...(f.coversLines ?? [])].map((line) => `${f.ruleId}\0${line}`)));
  return raw.filter((f) => !YIELDS.get(f.ruleId)?.some((other) => at.has(`${other}\0${f.region.startLine}`)));
}

/**
 * Compose files are held from the start of a run to its end (build contexts, `extends` and
 * override files, the compose rules, which run last). Real ones are kilobytes; past this much
 * text in all, the rest are not parsed (and a note says so).
 */
const MAX_COMPOSE_HELD = 8 * 1024 * 1024;

/** A `reportLater` location's source text longer than this is read again if a decision reports there. */
const MAX_KEPT_LATER_SNIPPET = 1024;

/** The kinds of documents the rules that may run read: their own visitors', and what they read of other files (RuleMeta.reads). */
function documentsRead(settings: SettingsResolver, rules: readonly Rule[]): Set<DocumentKind> {
  const out = new Set<DocumentKind>();
  for (const rule of rules) {
    if (!settings.mayRun(rule.meta)) continue;
    if (rule.dockerfile) out.add("dockerfile");
    if (rule.compose) out.add("compose");
    if (rule.k8s) out.add("k8s");
    for (const kind of rule.meta.reads ?? []) out.add(kind);
  }
  return out;
}

/** A rule's setting for a file; shared by every file the same overrides apply to. */
interface Setting {
  level: LevelSetting;
  explicit: boolean;
  /** The rule's options: its defaults, then the configuration's (frozen: rules only read them). */
  options: Readonly<Record<string, unknown>>;
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

  /** Whether the rule runs on some file: it is on for the run, or an override turns it on (--rule wins over both). */
  mayRun(meta: RuleMeta): boolean {
    const cli = this.cli[meta.id];
    if (cli !== undefined) return cli !== "off";
    const on = (level: LevelSetting | undefined) => level !== undefined && level !== "off";
    return this.summaryLevel(meta) !== "off" || this.config.overrides.some((o) => on(o.rules[meta.id]?.level));
  }

  /** The rule's level for the run as a whole (ignoring per-file overrides). */
  summaryLevel(meta: RuleMeta): LevelSetting {
    return this.cli[meta.id] ?? this.config.rules[meta.id]?.level ?? this.presetLevel(meta);
  }
}

/**
 * The report's findings: per file, suppressions applied, a note for what the caps dropped,
 * unused suppressions reported, fingerprints; then sorted.
 */
function finalize(perFile: ReturnType<FindingStore["drain"]>, suppressions: SuppressionIndex, sources: Sources, settings: SettingsResolver, identity: FileIdentity): Finding[] {
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
