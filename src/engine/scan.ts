// The read–parse–check loop (read.ts, then check.ts per file), one file at a time: a file's text
// and documents are released as soon as its own rules have run; what rules need across files is
// in the workspace index, and findings that depend on every file are decided at the end
// (ctx.reportLater, Checker.atEnd). The order (see Workspace): kustomization files first (which
// files hold patches, and where their targets are), then the YAML files (compose files among
// them: build contexts and the compose service → Dockerfile links come from them; compose files
// are held and their rules run at the end), then the other files, then the patches.
import type { DockerfileDoc, K8sObject, K8sPatch, Kustomization, SourceFile } from "../types.js";
import { ignoreFileLines, MAX_IGNORE_PATTERNS, type DiscoveredFile } from "../discover/discover.js";
import { isKustomizationPath } from "../parsers/kustomize.js";
import { dockerfileProblems } from "../parsers/dockerfile.js";
import { ScanWorkspace } from "../workspace/workspace.js";
import { FILE_SKIPPED } from "./builtin.js";
import { FILE_START } from "./findings.js";
import { MAX_DOCKERFILE_PARSE, type ParsedFile, type YamlParser } from "./parse.js";
import { replayYaml, type FileJob, type Offload } from "./offload.js";
import { quote } from "../secrets/index.js";
import { Checker } from "./check.js";
import { objectsOf, Reader } from "./read.js";
import type { ScanContext } from "./context.js";
import { ReadPlan } from "../changed.js";

/**
 * Compose files are held from the start of a run to its end (build contexts, `extends` and
 * override files, the compose rules, which run last). Real ones are kilobytes; past this much
 * text in all, the rest are not parsed (and a note says so).
 */
const MAX_COMPOSE_HELD = 8 * 1024 * 1024;

/** A file read and parsed ahead of its turn (a kustomization file). */
type Ready = { file: SourceFile; parsed: ParsedFile };

/** A YAML file read, waiting to be checked in turn: parsed here, or (`yaml`) once the worker's trees for it are in. */
type Waiting = { i: number; d: DiscoveredFile; file: SourceFile; parsed?: ParsedFile; yaml?: YamlParser };

/** YAML files parsed here and waiting behind one the worker parses, before the main thread waits for the worker. */
const MAX_WAITING = 256;

/** What a scan leaves for the end of the run. */
export interface Scanned {
  workspace: ScanWorkspace;
  checker: Checker;
  /** Files scanned that the report covers. */
  filesScanned: number;
  /** Time spent reading and parsing, in ms. */
  parseTime: number;
  /** Whether the text rules ran on a worker thread. */
  textWorker: boolean;
  /** Files whose documents the worker parsed. */
  parsedOnWorker: number;
}

/** Reads, parses, indexes and checks every discovered file, in the order the workspace needs. */
export async function scan(ctx: ScanContext, offload: Offload): Promise<Scanned> {
  try {
    return await scanFiles(ctx, offload);
  } finally {
    offload.stop(); // done, or an error: the worker never outlives the scan
  }
}

async function scanFiles(ctx: ScanContext, offload: Offload): Promise<Scanned> {
  ctx.reportSkipped();
  const reader = new Reader(ctx);
  const { discovery, sources, run } = ctx;
  // No rule that reads documents runs on test data: its YAML is not parsed (fixtures are often
  // invalid on purpose, and their objects must not meet the real ones in cross-file checks).
  const parsesDocuments = (d: DiscoveredFile) => !d.testData || d.kind === "dockerfile";
  const isKustomizationFile = (d: DiscoveredFile) => run.reads.has("k8s") && parsesDocuments(d) && (d.kind === "yaml" || d.kind === "text") && isKustomizationPath(d.path);

  // Kustomization files: read and parsed first, held (with what they parsed to) until their turn at the end.
  const kustomizationFiles = new Map<number, Ready | undefined>();
  const kustomizations: Kustomization[] = [];
  discovery.files.forEach((d, i) => {
    if (!isKustomizationFile(d)) return;
    const file = reader.timed(() => reader.read(i));
    if (!file) return kustomizationFiles.set(i, undefined);
    sources.hold(file);
    const parsed = reader.parse(file, d);
    if (parsed.kustomization) kustomizations.push(parsed.kustomization);
    kustomizationFiles.set(i, { file, parsed });
  });

  const workspace = new ScanWorkspace({
    base: run.base,
    discovery,
    kustomizations,
    unread: ctx.unread,
    preset: run.preset,
    defaultNamespace: run.defaultNamespace,
    checkPermissions: run.options.checkPermissions ?? !discovery.inGitRepo,
    source: (p) => sources.get(p),
    objectsOf: (p) => objectsOf(sources.get(p), run.defaultNamespace, run.reads),
  });
  const files = new FileScanner(ctx, reader, workspace, new Checker(ctx, workspace), offload, parsesDocuments);

  // The YAML files (compose files among them), then the other files, then the Kustomize patches
  // and the kustomization files (whose inline patches are patches too).
  const isPatchFile = (d: DiscoveredFile) => parsesDocuments(d) && workspace.kustomize.patchOf(d.path) !== undefined;
  const isYaml = (d: DiscoveredFile) => parsesDocuments(d) && (d.kind === "yaml" || d.kind === "compose");
  // --changed-since: only the changed files and what the findings of the files it reports depend
  // on are read (see ReadPlan); the kustomization files were read above, whatever changed.
  const plan = run.selective
    ? new ReadPlan({
        changed: run.changed!,
        base: run.base,
        files: discovery.files,
        isYaml: (d) => isYaml(d) && !isKustomizationFile(d),
        parses: parsesDocuments,
        kustomize: workspace.kustomize,
        defaultNamespace: run.defaultNamespace,
        reads: run.reads,
        maxComposeHeld: MAX_COMPOSE_HELD,
      })
    : undefined;
  const later: number[] = [];
  for (const [i, d] of discovery.files.entries()) {
    if (isKustomizationFile(d)) continue;
    if (isPatchFile(d)) later.push(i);
    else if (!isYaml(d)) continue;
    else if (!plan || plan.readsYaml(i, workspace.workloadSeen)) await files.scan(i, undefined, true);
    else files.skip();
  }
  await files.yamlDone();
  workspace.composeComplete();
  for (const [i, d] of discovery.files.entries()) {
    if (isKustomizationFile(d) || isPatchFile(d) || isYaml(d)) continue;
    if (!plan || plan.readsOther(i, workspace)) await files.scan(i);
    else files.skip();
  }
  for (const i of later) {
    if (!plan || plan.readsYaml(i, true)) await files.scan(i);
    else files.skip();
  }
  for (const [i, ready] of kustomizationFiles) {
    if (ready) await files.scan(i, ready);
    else files.skip();
  }
  await files.finish();
  return { workspace, checker: files.checker, filesScanned: files.filesScanned, parseTime: reader.parseTime, textWorker: files.offload.usedWorker, parsedOnWorker: files.offload.parsedThere };
}

/** Scans one file at a time: reads it (unless ready), parses it, adds it to the index, runs its rules, releases it. */
class FileScanner {
  filesScanned = 0;
  private done = 0;
  private composeHeld = 0;
  private readonly total: number;
  /** The text rules enabled for a file and their options, per set of overrides (see scan). */
  private readonly textRulesFor = new Map<string, FileJob["rules"]>();
  /**
   * YAML files whose documents are parsed on the worker, or parsed here behind one that is, in
   * file order: each is checked when it and every one before it are parsed (the index and the
   * findings keep the order of a run without a worker).
   */
  private readonly waiting: Waiting[] = [];

  constructor(
    private readonly ctx: ScanContext,
    private readonly reader: Reader,
    private readonly workspace: ScanWorkspace,
    readonly checker: Checker,
    readonly offload: Offload,
    private readonly parsesDocuments: (d: DiscoveredFile) => boolean,
  ) {
    const { run, discovery, sources } = ctx;
    this.total = discovery.files.length;
    if (run.options.threads) offload.start();
    offload.reread = (job) => sources.get(job.path);
    offload.rules = checker.textRules;
  }

  /**
   * Reads (unless `ready`), parses and checks file `i`, and releases it (a compose file is held
   * for the compose rules). `yaml`: a YAML file whose documents the worker may parse (its checks
   * then wait for the answer; yamlDone() waits for every one).
   */
  async scan(i: number, ready?: Ready, yaml = false): Promise<void> {
    const { run, discovery, sources, suppressions, testData } = this.ctx;
    const { reader, workspace, offload } = this;
    const d = discovery.files[i];
    const file = ready ? ready.file : reader.timed(() => reader.read(i));
    this.progress();
    if (!file) return;
    const reported = discovery.reported(d.path);
    if (reported) this.filesScanned++;
    if (d.testData) testData.set(d.path, d.testData);
    sources.hold(file);
    suppressions.readComments(file, d.testData !== undefined);
    // The text rules enabled for the file and their options: one shared list per set of
    // overrides (the worker's messages then carry it once per batch, not once per file). They
    // read a file's text alone, so a file read only as context needs none.
    const applying = reported ? `${run.settings.overridesFor(file.absPath)}${d.testData ? "|test-data" : ""}` : "context";
    let enabled = this.textRulesFor.get(applying);
    if (!enabled) {
      enabled = !reported
        ? []
        : this.checker.textRules.flatMap((rule, r): FileJob["rules"] => {
            const setting = run.settings.for(rule.meta, file.absPath);
            return setting.level === "off" || (d.testData && !rule.meta.testData) ? [] : [[r, setting.options]];
          });
      this.textRulesFor.set(applying, enabled);
    }
    // With a worker, it parses the Dockerfiles too (the ones small enough to parse), and the YAML
    // files while it is not too far behind: their rules run when it answers.
    const parse = !offload.parses
      ? undefined
      : d.kind === "dockerfile" && run.reads.has("dockerfile") && file.text.length <= MAX_DOCKERFILE_PARSE
        ? "dockerfile"
        : yaml && !offload.parsingAhead
          ? "yaml"
          : undefined;
    await offload.add({ index: i, path: d.path, absPath: d.absPath, kind: d.kind, text: file.text, rules: enabled, parse }, file);
    if ((d.kind === "gitignore" || d.kind === "dockerignore") && file.text.length > MAX_IGNORE_PATTERNS) {
      const patterns = ignoreFileLines(file.text).length;
      if (patterns > MAX_IGNORE_PATTERNS) {
        this.ctx.engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: ${patterns} patterns; only the first ${MAX_IGNORE_PATTERNS} are used`, file);
      }
    }
    if (parse === "dockerfile") {
      workspace.addFile(d);
      return this.takeAnswers();
    }
    if (parse === "yaml" || this.waiting.length > 0) {
      this.waiting.push(parse ? { i, d, file } : { i, d, file, parsed: reader.parse(file, d) });
      if (this.waiting.length >= MAX_WAITING) await this.offload.parsesDone();
      else if (!parse) await this.offload.poll();
      return this.takeAnswers();
    }
    this.checkFile(i, d, file, ready?.parsed ?? (this.parsesDocuments(d) ? reader.parse(file, d) : { objects: [] }));
    this.takeAnswers();
  }

  /** Waits for the worker's YAML trees and checks the files that waited for them. */
  async yamlDone(): Promise<void> {
    await this.offload.parsesDone();
    this.takeAnswers();
  }

  /** Indexes and checks a parsed file, and releases it. */
  private checkFile(i: number, d: DiscoveredFile, file: SourceFile, parsed: ParsedFile): void {
    const { sources } = this.ctx;
    const { reader, workspace } = this;
    // A compose file (by name, setting or content) is held for the run: the compose rules run at the end.
    if (parsed.compose) {
      if (this.composeHeld + file.text.length > MAX_COMPOSE_HELD) {
        reader.note(file)(`compose files over ${MAX_COMPOSE_HELD / 1048576} MB in all: this one is not checked (the text is still scanned for secrets)`);
        parsed = { objects: [] };
      } else {
        this.composeHeld += file.text.length;
        workspace.addComposeDoc(parsed.compose, i);
      }
    }
    workspace.addFile(file.kind === d.kind ? d : { path: d.path, absPath: d.absPath, kind: file.kind });
    if (parsed.dockerfile && !this.addDockerfile(parsed.dockerfile, i)) parsed = { ...parsed, dockerfile: undefined };
    // Every object of a file that a kustomization lists as a patch is a patch.
    const patch = workspace.kustomize.patchOf(d.path);
    parsed.objects.forEach((o, ordinal) => this.addObject(o, ordinal, patch));
    this.checker.check(file, parsed.dockerfile, parsed.objects);
    if (!parsed.compose) sources.release(file);
  }

  /** A file with nothing to scan (a kustomization file that could not be read) still counts for progress. */
  skip(): void {
    this.progress();
  }

  /** The worker's last answers, and the async visits still running. */
  async finish(): Promise<void> {
    await this.offload.finish();
    this.takeAnswers();
    await this.checker.settled();
  }

  private progress(): void {
    this.ctx.run.options.onProgress?.(++this.done, this.total);
  }

  /** Checks the files the worker has parsed (the YAML files in turn) and records the text rules' reports. */
  private takeAnswers(): void {
    const { parsed, results } = this.offload.take();
    for (const [index, answer, file] of parsed) {
      if ("yaml" in answer) {
        this.waiting.find((w) => w.i === index)!.yaml = replayYaml(file, answer.yaml);
        continue;
      }
      const doc = "error" in answer.dockerfile ? undefined : { file, ...answer.dockerfile };
      if (!doc) this.reader.unparsable(file, (answer.dockerfile as { error: string }).error);
      this.checker.check(file, doc && this.addDockerfile(doc, index) ? doc : undefined, []);
      this.ctx.sources.release(file);
    }
    while (this.waiting.length > 0 && (this.waiting[0].parsed || this.waiting[0].yaml)) {
      const { i, d, file, parsed, yaml } = this.waiting.shift()!;
      this.checkFile(i, d, file, parsed ?? this.reader.parse(file, d, yaml));
    }
    this.checker.textReports(results);
  }

  /** A parsed Dockerfile into the index; false when what it holds cannot be checked (its problems are reported). */
  private addDockerfile(doc: DockerfileDoc, index: number): boolean {
    const problems = dockerfileProblems(doc);
    for (const p of problems) this.reader.problem(doc.file)(p.message, p.region);
    if (problems.some((p) => p.fatal)) return false;
    this.workspace.addDockerfile(doc, index);
    if (doc.instructions.length === 0) this.reader.note(doc.file)("no instructions (empty, or only comments); nothing to check");
    return true;
  }

  /** A Kubernetes object into the index, before any rule visits it: a patch first finds the object it modifies. */
  private addObject(o: K8sObject, ordinal: number, patch: K8sPatch | undefined): void {
    if (patch && !o.patch) o.patch = { ...patch };
    if (o.patch) {
      const target = this.workspace.patchTargetOf(o);
      if (target) o.patch.target = target;
    }
    this.workspace.addK8sObject(o, ordinal);
    this.ctx.suppressions.readAnnotations(o);
  }
}
