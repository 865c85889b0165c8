import { realpathSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { LaterReport, Rule, RuleContext, RuleMeta } from "../rule.js";
import type { ComposeDoc, DockerfileDoc, Finding, K8sObject, Level, LevelSetting, PresetName, Region, ReportInput, SourceFile, TextReport } from "../types.js";
import { rules as allRules, docs as ruleDocs } from "../../rules/index.js";
import { renderRuleDoc } from "../catalog.js";
import { discover, ignoreFileLines, MAX_IGNORE_PATTERNS, toPosix, type Discovery } from "../discover/discover.js";
import { classify } from "../discover/classify.js";
import { createSourceFile, detach } from "../source.js";
import { parseYaml } from "../parsers/yaml.js";
import { parseDockerfile } from "../parsers/dockerfile.js";
import { composeDocOf } from "../parsers/compose.js";
import { k8sObjectsOf } from "../parsers/k8s.js";
import { ScanWorkspace, type Workspace } from "../workspace/workspace.js";
import { defaultConfig, fileFilter, findConfig, loadConfig, type FailOn, type ResolvedConfig } from "./config.js";
import { BUILTIN_RULES, FILE_SKIPPED, PARSE_ERROR, SUPPRESSION_REASON, UNUSED_SUPPRESSION } from "./builtin.js";
import { SuppressionIndex } from "./suppressions.js";
import { fingerprintAll, keyOf, snippetText, type ObjectRef, type RawFinding } from "./fingerprint.js";
import { droppedMessage, FindingStore } from "./findings.js";
import { Sources } from "./sources.js";
import { allowMatcher, Offload, WORKER_MIN_FILES, type FileJob } from "./offload.js";
import { UsageError } from "../errors.js";
import { applyBaseline, readBaseline } from "./baseline.js";
import { changedFiles, selectFiles } from "../changed.js";
import { VERSION } from "../version.js";

export interface LintOptions {
  /** Files or directories to scan (default "."). */
  paths?: string[];
  /** Base directory: paths in reports are relative to it (default process.cwd()). */
  cwd?: string;
  /** Config file; default: .bulkhead.yml/.bulkhead.yaml found upward from the first path. false: none. */
  config?: string | false;
  preset?: PresetName;
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
  /** Baseline file (relative to cwd): findings whose fingerprint it records are suppressed (kind external). */
  baseline?: string;
  /** Report only files changed since the merge base of this git ref and HEAD, plus the files whose findings depend on them. */
  changedSince?: string;
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
  timing: {
    discoverMs: number;
    parseMs: number;
    rulesMs: number;
    totalMs: number;
    /** Whether the text rules ran on a worker thread (see LintOptions.threads). */
    textWorker: boolean;
  };
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
  const knownRules = new Set([...allRules.map((r) => r.meta.id), ...BUILTIN_RULES.map((m) => m.id)]);

  const configFile =
    options.config === false ? undefined : options.config ? path.resolve(base, options.config) : findConfig(path.resolve(base, options.stdin ? "." : paths[0]));
  const config = configFile ? loadConfig(configFile, knownRules) : defaultConfig(base);
  for (const id of Object.keys(options.rules ?? {})) {
    if (!knownRules.has(id)) throw new UsageError(`unknown rule "${id}" in --rule (see bulkhead --list-rules)`);
  }
  const preset = options.preset ?? config.preset;
  const failOn = options.failOn ?? config.failOn;
  const defaultNamespace = options.namespace ?? config.namespace ?? "default";
  const maxFileSize = options.maxFileSize ?? 10 * 1024 * 1024;
  const baselinePrints = options.baseline !== undefined ? readBaseline(path.resolve(base, options.baseline)) : undefined;
  const changed = options.changedSince !== undefined && !options.stdin ? changedFiles(options.changedSince, base) : undefined;

  // ---- discover ----
  let discovery: Discovery;
  if (options.stdin) {
    const rel = toPosix(options.stdin.filename);
    discovery = {
      files: [{ absPath: path.resolve(base, rel), path: rel, mode: 0o644, kind: classify(rel), size: options.stdin.text.length, tracked: true }],
      onDisk: [],
      dirs: [],
      skipped: [],
      inGitRepo: false,
      isGitIgnored: () => false,
    };
  } else {
    discovery = await discover(paths, { base, filter: fileFilter(config), maxFileSize });
  }
  const tDiscover = performance.now();

  // ---- read, parse and check the files, one at a time ----
  // A file's text and documents are released as soon as its own rules have run; what rules need
  // across files is in the workspace index, and findings that depend on every file are decided
  // at the end (ctx.reportLater). Compose files are read first: build contexts and the compose
  // service → Dockerfile links come from them, and compose rules run at the end.
  const settings = new SettingsResolver(config, options.rules ?? {}, preset);
  const strict = preset === "strict";
  const sources = new Sources(discovery, options.stdin?.text);
  const suppressions = new SuppressionIndex(config, strict, (file) => sources.absPathOf(file) ?? path.resolve(config.dir, file));
  const store = new FindingStore((f) => suppressions.apply(f), dropYielded);
  const engineReport = (meta: RuleMeta, file: string, region: Region, message: string, source?: SourceFile) =>
    store.add(engineFinding(meta, file, region, message, source));
  for (const s of discovery.skipped) engineReport(FILE_SKIPPED, s.path, FILE_START, `${s.path}: ${s.reason}`);
  const problem = (file: SourceFile) => (message: string, region: Region) =>
    engineReport(PARSE_ERROR, file.path, region, `${message} (${file.path}:${region.startLine}:${region.startColumn})`, file);
  const note = (file: SourceFile) => (message: string) => engineReport(FILE_SKIPPED, file.path, FILE_START, `${file.path}: ${message}`, file);
  /** A part of a file not checked: where it starts. */
  const tooLarge = (file: SourceFile) => (message: string, region: Region) =>
    engineReport(FILE_SKIPPED, file.path, region, `${file.path}:${region.startLine}: ${message}`, file);
  const unparsable = (file: SourceFile, message: string) => engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `could not be parsed: ${message}`, file);
  /** Reads file `i`; what keeps it from being scanned (fully) is noted on it. */
  const read = (i: number): SourceFile | undefined => {
    const notes: string[] = [];
    const file = sources.read(i, (message) => notes.push(message));
    for (const message of notes) engineReport(FILE_SKIPPED, discovery.files[i].path, FILE_START, message, file);
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

  // Compose files first, held for the run (within MAX_COMPOSE_HELD).
  const composeDocs: ComposeDoc[] = [];
  /** The compose files read: held (parsed), unreadable (undefined), or over the limit ("again": read again when their turn comes). */
  const composeFiles = new Map<number, SourceFile | undefined | "again">();
  let composeHeld = 0;
  discovery.files.forEach((d, i) => {
    if (d.kind !== "compose") return;
    const file = timed(() => read(i));
    if (!file) return composeFiles.set(i, undefined);
    if (composeHeld + file.text.length > MAX_COMPOSE_HELD) {
      note(file)(`compose files over ${MAX_COMPOSE_HELD / 1048576} MB in all: this one is not checked (the text is still scanned for secrets)`);
      composeFiles.set(i, "again");
      return;
    }
    composeHeld += file.text.length;
    composeFiles.set(i, file);
    sources.hold(file);
    try {
      const parsed = timed(() => parseYaml(file, "1.2"));
      parsed.problems.forEach((p) => problem(file)(p.message, p.region));
      parsed.skipped.forEach((p) => tooLarge(file)(p.message, p.region));
      const doc = composeDocOf(file, parsed.docs[0]?.root);
      if (doc) composeDocs.push(doc);
    } catch (err) {
      unparsable(file, err instanceof Error ? err.message : String(err));
    }
  });

  const checkPermissions = options.checkPermissions ?? !discovery.inGitRepo;
  const workspace = new ScanWorkspace({ base, discovery, composeDocs, preset, defaultNamespace, checkPermissions, source: (p) => sources.get(p) });
  const isAllowedSecret = allowMatcher(config.secretsAllow);
  /** Visits still running (async visitors): each keeps its file in memory until it settles. */
  const asyncVisits = new Set<Promise<void>>();
  const workspaceFile = createSourceFile(".", base, "text", "");
  const finding = (rule: Rule, s: Setting, r: ReportInput | TextReport, region: Region, file: string, source: SourceFile | undefined, object?: K8sObject): RawFinding => {
    const level = s.explicit ? (s.level as Level) : (r.level ?? rule.meta.level);
    const logicalLocation = r.logicalLocation === undefined ? undefined : detach(r.logicalLocation);
    return {
      ruleId: rule.meta.id,
      level: s.explicit || !strict ? level : raiseForStrict(level),
      message: detach(r.message),
      file,
      region: { startLine: region.startLine, startColumn: region.startColumn, endLine: region.endLine, endColumn: region.endColumn },
      logicalLocation,
      key: keyOf(rule.meta.id, file, logicalLocation, r.snippet, source, region),
      object: object && suppressions.refOf(object),
    };
  };
  const reporter =
    (rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject) =>
    (r: ReportInput): void => {
      const region = r.region ?? r.node?.range ?? FILE_START;
      const s = r.path ? settings.for(rule.meta, path.resolve(base, r.path)) : setting;
      if (s.level === "off") return;
      const target = r.path ?? file.path;
      const source = r.snippet !== undefined ? undefined : target === file.path ? file : sources.get(target);
      store.add(finding(rule, s, r, region, target, source, object));
    };
  // A rule bug must not cost the user the rest of the run; it is reported like a parse failure.
  const failed = (rule: Rule, file: SourceFile) => (err: unknown) => {
    engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `internal error in rule ${rule.meta.id}: ${err instanceof Error ? err.message : String(err)}`, file);
  };
  /** A reportLater decision as the store keeps it: made here, where nothing holds a file (a closure holds its whole scope). */
  type Later = { rule: Rule; setting: Setting; path: string; region: Region; logicalLocation?: string; snippet?: string; object?: ObjectRef };
  const decideLater = <T>(later: Later, data: T, decide: (data: T, workspace: Workspace) => LaterReport | LaterReport[] | undefined) => (): RawFinding[] => {
    const source = () => sources.get(later.path) ?? createSourceFile(later.path, later.path, "text", "");
    let decided: LaterReport | LaterReport[] | undefined;
    try {
      decided = decide(data, workspace);
    } catch (err) {
      return [engineFinding(PARSE_ERROR, later.path, FILE_START, `internal error in rule ${later.rule.meta.id}: ${err instanceof Error ? err.message : String(err)}`, source())];
    }
    return (Array.isArray(decided) ? decided : decided ? [decided] : []).map((d) => {
      const r = { ...d, logicalLocation: d.logicalLocation ?? later.logicalLocation, snippet: d.snippet ?? later.snippet };
      const f = finding(later.rule, later.setting, r, later.region, later.path, r.snippet === undefined ? source() : undefined);
      return later.object ? { ...f, object: later.object } : f;
    });
  };
  const reportLater =
    (rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject): RuleContext["reportLater"] =>
    (at, data, decide) => {
      const region = at.region ?? at.node?.range ?? FILE_START;
      // The text a decision's finding is fingerprinted by (unless it names its own): the rule's, or
      // the source at `at`, taken now; a long one is read again if a decision reports there.
      const located = at.snippet ?? snippetText(file, region);
      const later: Later = {
        rule,
        setting,
        path: file.path,
        region: { ...region },
        logicalLocation: at.logicalLocation && detach(at.logicalLocation),
        snippet: at.snippet !== undefined || located.length <= MAX_KEPT_LATER_SNIPPET ? detach(located) : undefined,
        object: object && suppressions.refOf(object),
      };
      store.addLater(file.path, decideLater(later, structuredClone(data), decide));
    };
  const run = (rule: Rule, file: SourceFile, visit: (ctx: RuleContext) => void | Promise<void>, object?: K8sObject) => {
    const setting = settings.for(rule.meta, file.absPath);
    if (setting.level === "off") return;
    const ctx: RuleContext = {
      file,
      workspace,
      preset,
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
  const fileRules = allRules.filter((r) => r.file);
  const dockerfileRules = allRules.filter((r) => r.dockerfile);
  const k8sRules = allRules.filter((r) => r.k8s);
  /** A file's own rules (not the compose rules: those run at the end). */
  const check = (file: SourceFile, dockerfile: DockerfileDoc | undefined, objects: K8sObject[]) => {
    for (const rule of fileRules) run(rule, file, (ctx) => rule.file!(file, ctx));
    if (dockerfile) for (const rule of dockerfileRules) run(rule, file, (ctx) => rule.dockerfile!(dockerfile, ctx));
    for (const rule of k8sRules) for (const o of objects) run(rule, file, (ctx) => rule.k8s!(o, ctx), o);
  };
  const addDockerfile = (doc: DockerfileDoc, index: number) => {
    workspace.addDockerfile(doc, index);
    if (doc.instructions.length === 0) note(doc.file)("no instructions (empty, or only comments); nothing to check");
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
      if (doc) addDockerfile(doc, index);
      else unparsable(file, (parsed as { error: string }).error);
      check(file, doc, []);
      sources.release(file);
    }
    for (const [index, r, report] of results) {
      const rule = textRules[r];
      const d = discovery.files[index];
      const setting = settings.for(rule.meta, d.absPath);
      if ("error" in report) {
        store.add(engineFinding(PARSE_ERROR, d.path, report.region, `internal error in rule ${rule.meta.id}: ${report.error}`, undefined, report.snippet));
      } else if (setting.level !== "off") {
        store.add(finding(rule, setting, report, report.region, d.path, undefined));
      }
    }
  };
  const helmCharts = new Set<string>();
  let filesScanned = 0;
  for (const [i, d] of discovery.files.entries()) {
    const early = composeFiles.get(i);
    const file = early === "again" ? sources.read(i) : composeFiles.has(i) ? early : timed(() => read(i));
    options.onProgress?.(i + 1, total);
    if (!file) continue;
    filesScanned++;
    workspace.addFile(d);
    sources.hold(file);
    suppressions.readComments(file);
    // The text rules enabled for the file and their options: one shared list per set of
    // overrides (the worker's messages then carry it once per batch, not once per file).
    const applying = settings.overridesFor(file.absPath);
    let enabled = textRulesFor.get(applying);
    if (!enabled) {
      enabled = textRules.flatMap((rule, r): FileJob["rules"] => {
        const setting = settings.for(rule.meta, file.absPath);
        return setting.level === "off" ? [] : [[r, setting.options]];
      });
      textRulesFor.set(applying, enabled);
    }
    // With a worker, it parses the Dockerfiles too (the ones small enough to parse): their rules
    // run when it answers.
    const onWorker = d.kind === "dockerfile" && offload.parsesDockerfiles && file.text.length <= MAX_DOCKERFILE_PARSE;
    await offload.add({ index: i, path: d.path, absPath: d.absPath, kind: d.kind, text: file.text, rules: enabled, dockerfile: onWorker }, file);
    if ((d.kind === "gitignore" || d.kind === "dockerignore") && file.text.length > MAX_IGNORE_PATTERNS) {
      const patterns = ignoreFileLines(file.text).length;
      if (patterns > MAX_IGNORE_PATTERNS) {
        engineReport(FILE_SKIPPED, d.path, FILE_START, `${d.path}: ${patterns} patterns; only the first ${MAX_IGNORE_PATTERNS} are used`, file);
      }
    }
    if (d.kind === "compose") {
      check(file, undefined, []);
      if (early === "again") sources.release(file); // not held for the compose rules
    } else if (!onWorker) {
      let parsed: { dockerfile?: DockerfileDoc; objects: K8sObject[] } = { objects: [] };
      try {
        parsed = timed(() => parseFile(file, defaultNamespace, helmCharts, problem(file), note(file), tooLarge(file)));
      } catch (err) {
        unparsable(file, err instanceof Error ? err.message : String(err));
      }
      if (parsed.dockerfile) addDockerfile(parsed.dockerfile, i);
      for (const o of parsed.objects) {
        workspace.addK8sObject(o);
        suppressions.readAnnotations(o);
      }
      check(file, parsed.dockerfile, parsed.objects);
      sources.release(file);
    }
    takeAnswers();
  }
  await offload.finish();
  takeAnswers();
  await Promise.all([...asyncVisits]);

  // ---- what needs every file: compose and workspace rules, decisions made later ----
  workspace.complete();
  for (const rule of allRules) {
    if (rule.compose) for (const c of composeDocs) run(rule, c.file, (ctx) => rule.compose!(c, ctx));
    if (rule.workspace) run(rule, workspaceFile, (ctx) => rule.workspace!(workspace, ctx));
  }
  await Promise.all([...asyncVisits]);
  const perFile = store.drain(); // runs the decisions made later
  const selected = changed ? selectFiles(changed, workspace, base, configFile) : undefined;
  for (const c of composeDocs) sources.release(c.file);
  composeDocs.length = 0;
  const tRules = performance.now();

  // ---- levels, suppressions, order ----
  let findings = finalize(perFile, suppressions, sources, settings);
  if (selected) findings = findings.filter((f) => selected(f.file));
  if (baselinePrints) applyBaseline(findings, baselinePrints);
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
    timing: {
      discoverMs: Math.round(tDiscover - t0),
      parseMs: Math.round(parseTime),
      rulesMs: Math.round(tRules - tDiscover - parseTime),
      totalMs: Math.round(performance.now() - t0),
      textWorker: offload.usedWorker,
    },
  };
}

/** A finding of the engine's own (a note, a parse error): its level is the builtin rule's. */
function engineFinding(meta: RuleMeta, file: string, region: Region, message: string, source: SourceFile | undefined, snippet?: string): RawFinding {
  return { ruleId: meta.id, level: meta.level, message: detach(message), file, region, key: keyOf(meta.id, file, undefined, snippet, source, region) };
}

/** Rules that yield to others (RuleMeta.yieldsTo), by id. */
const YIELDS = new Map(allRules.filter((r) => r.meta.yieldsTo?.length).map((r) => [r.meta.id, r.meta.yieldsTo!]));

/** Drops findings of rules that yield to a more specific rule reporting on the same line (of the same file). */
function dropYielded(raw: RawFinding[]): RawFinding[] {
  if (YIELDS.size === 0) return raw;
  const at = new Set(raw.map((f) => `${f.ruleId}\0${f.region.startLine}`));
  return raw.filter((f) => !YIELDS.get(f.ruleId)?.some((other) => at.has(`${other}\0${f.region.startLine}`)));
}

/**
 * Dockerfiles larger than this are not parsed: dockerfile-ast needs ~1 µs and up to ~180 bytes
 * of heap per byte of input (a 10 MB one-line RUN: ~10 s and ~2 GB). Real ones are kilobytes.
 */
const MAX_DOCKERFILE_PARSE = 1024 * 1024;

/**
 * Compose files are held from the start of a run to its end (build contexts, `extends` and
 * override files, the compose rules, which run last). Real ones are kilobytes; past this much
 * text in all, the rest are not parsed (and a note says so).
 */
const MAX_COMPOSE_HELD = 8 * 1024 * 1024;

/** A `reportLater` location's source text longer than this is read again if a decision reports there. */
const MAX_KEPT_LATER_SNIPPET = 1024;

/** Parses a file that is not a compose file by kind; YAML that cannot hold a Kubernetes object is not parsed at all. */
function parseFile(
  file: SourceFile,
  namespace: string,
  helmCharts: Set<string>,
  problem: (message: string, region: Region) => void,
  note: (message: string) => void,
  tooLarge: (message: string, region: Region) => void,
): { dockerfile?: DockerfileDoc; objects: K8sObject[] } {
  if (file.kind === "dockerfile") {
    if (file.text.length > MAX_DOCKERFILE_PARSE) {
      note(`larger than ${MAX_DOCKERFILE_PARSE / 1048576} MB; its instructions are not checked (the text is still scanned for secrets)`);
      return { objects: [] };
    }
    return { dockerfile: parseDockerfile(file), objects: [] };
  }
  if (file.kind !== "yaml" || !file.text.includes("apiVersion") || !file.text.includes("kind")) return { objects: [] };
  const chart = /^(.*?)\/?templates\//.exec(file.path);
  if (chart && file.text.includes("{{")) {
    // A Helm template is not YAML until rendered: one note per chart says how to lint it.
    if (!helmCharts.has(chart[1])) {
      helmCharts.add(chart[1]);
      note(`Helm chart templates under ${chart[1] || "."}/templates are not YAML until rendered; lint them with \`helm template ${chart[1] || "."} | bulkhead --stdin --stdin-filename chart.yaml\``);
    }
    return { objects: [] };
  }
  const parsed = parseYaml(file, "1.1");
  parsed.problems.forEach((p) => problem(p.message, p.region));
  parsed.skipped.forEach((p) => tooLarge(p.message, p.region));
  return { objects: parsed.docs.flatMap((d) => k8sObjectsOf(file, d.root, d.index, namespace)) };
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
    return { level: this.presetLevel(meta.level), explicit: false, options };
  }

  presetLevel(level: Level): Level {
    return this.preset === "strict" ? raiseForStrict(level) : level;
  }

  /** The rule's level for the run as a whole (ignoring per-file overrides). */
  summaryLevel(meta: RuleMeta): LevelSetting {
    return this.cli[meta.id] ?? this.config.rules[meta.id]?.level ?? this.presetLevel(meta.level);
  }
}

/**
 * The report's findings: per file, suppressions applied, a note for what the caps dropped,
 * unused suppressions reported, fingerprints; then sorted.
 */
function finalize(perFile: ReturnType<FindingStore["drain"]>, suppressions: SuppressionIndex, sources: Sources, settings: SettingsResolver): Finding[] {
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
      if (level !== "off") extra.push({ ...engineFinding(FILE_SKIPPED, file, FILE_START, droppedMessage(file, dropped), sources.get(file)), level });
    }
    for (const p of suppressions.problems(file)) {
      const meta = p.rule === "reason" ? SUPPRESSION_REASON : UNUSED_SUPPRESSION;
      const level = levelOf(meta, file);
      if (level !== "off") extra.push({ ...engineFinding(meta, file, p.region, p.message, undefined, p.snippet), level });
    }
    for (const f of fingerprintAll([...findings, ...extra])) out.push(f);
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
