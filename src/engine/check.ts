// Check, the fourth phase of a run (DESIGN.md, "The pipeline"): the rules run on each file as it
// is scanned (scan.ts), and at the end those that need every file: the compose rules, the
// workspace rules, the Kubernetes rules that read objects of other kinds, PSS namespace checks,
// and the decisions rules deferred (RuleContext.reportLater). A rule's findings get their level
// (setting, preset) and fingerprint key here; a rule that throws is reported, never fatal.
import path from "node:path";
import type { LaterReport, Rule, RuleContext } from "../rule.js";
import type { DockerfileDoc, K8sObject, Level, Region, ReportInput, SourceFile, TextReport } from "../types.js";
import { createSourceFile, detach } from "../source.js";
import type { ScanWorkspace, Workspace } from "../workspace/workspace.js";
import { PARSE_ERROR } from "./builtin.js";
import { keyOf, snippetText, type ObjectRef, type RawFinding } from "./fingerprint.js";
import { engineFinding, FILE_START, type FindingStore } from "./findings.js";
import { allowMatcher, type TextResult } from "./offload.js";
import { PssChecks, pssPresetLevel, type PssFinding } from "./pss.js";
import { raiseForStrict, type Setting } from "./settings.js";
import { quote } from "../secrets/index.js";
import { policyOfNamespace } from "../pss/namespace.js";
import type { ScanContext } from "./context.js";

/** A `reportLater` location's source text longer than this is read again if a decision reports there. */
const MAX_KEPT_LATER_SNIPPET = 1024;

/** A reportLater decision as the store keeps it: made where nothing holds a file (a closure holds its whole scope). */
type Later = { rule: Rule; setting: Setting; path: string; region: Region; logicalLocation?: string; snippet?: string; taken?: string; object?: ObjectRef };

export class Checker {
  /** The rules that read text alone (the secret scans): they run on the worker when there is one (offload.ts). */
  readonly textRules: Rule[];
  /** Visits still running (async visitors): each keeps its file in memory until it settles. */
  private readonly asyncVisits = new Set<Promise<void>>();
  private readonly isAllowedSecret: (value: string) => boolean;
  private readonly workspaceFile: SourceFile;
  /** In the pss-* presets the engine evaluates the PSS rules' controls itself: their own visitors do not run. */
  private readonly presetLevel: ReturnType<typeof pssPresetLevel>;
  private readonly pss: PssChecks;
  private readonly rules: Rule[];
  private readonly fileRules: Rule[];
  private readonly dockerfileRules: Rule[];
  private readonly k8sRules: Rule[];

  constructor(
    private readonly ctx: ScanContext,
    private readonly workspace: ScanWorkspace,
  ) {
    const { run } = ctx;
    this.isAllowedSecret = allowMatcher(run.config.secretsAllow);
    this.workspaceFile = createSourceFile(".", run.base, "text", "");
    this.presetLevel = pssPresetLevel(run.preset);
    this.pss = new PssChecks(this.presetLevel, run.pssVersion, run.rules, (meta, absPath) => run.settings.for(meta, absPath));
    this.rules = run.rules.filter((r) => !(this.presetLevel && r.meta.pss));
    this.fileRules = this.rules.filter((r) => r.file);
    this.dockerfileRules = this.rules.filter((r) => r.dockerfile);
    this.k8sRules = this.rules.filter((r) => r.k8s && !r.meta.k8sAtEnd);
    this.textRules = run.rules.filter((r) => r.text);
  }

  private get store(): FindingStore {
    return this.ctx.store;
  }

  /** A file's own rules (not the compose rules nor those that read the whole scan: those run at the end). */
  check(file: SourceFile, dockerfile: DockerfileDoc | undefined, objects: K8sObject[]): void {
    for (const rule of this.fileRules) this.runRule(rule, file, (ctx) => rule.file!(file, ctx));
    if (dockerfile) for (const rule of this.dockerfileRules) this.runRule(rule, file, (ctx) => rule.dockerfile!(dockerfile, ctx));
    for (const rule of this.k8sRules) for (const o of objects) this.runRule(rule, file, (ctx) => rule.k8s!(o, ctx), o);
    if (this.presetLevel) for (const o of objects) for (const p of this.pss.preset(o)) this.store.add(this.pssFinding(o, p));
  }

  /** Records the text rules' reports (from the worker, or from offload.ts on this thread). */
  textReports(results: TextResult[]): void {
    const { discovery, run } = this.ctx;
    for (const [index, r, report] of results) {
      const rule = this.textRules[r];
      const d = discovery.files[index];
      const setting = run.settings.for(rule.meta, d.absPath);
      if ("error" in report) {
        this.store.add(engineFinding(PARSE_ERROR, d.path, report.region, `internal error in rule ${rule.meta.id}: ${quote(report.error)}`, undefined, run.identity, report.snippet));
      } else if (setting.level !== "off" && this.countsIn(rule, d.path, report)) {
        // The worker took the fingerprint text: the rule's snippet (`own`), or the file's text there.
        const { own, snippet, ...rest } = report;
        this.store.add(this.finding(rule, setting, own ? report : rest, report.region, d.path, undefined, undefined, own ? undefined : snippet));
      }
    }
  }

  /** Waits for the async visits still running. */
  async settled(): Promise<void> {
    await Promise.all([...this.asyncVisits]);
  }

  /** What needs every file: compose and workspace rules, PSS namespace checks, decisions made later. The findings, per file. */
  async atEnd(): Promise<ReturnType<FindingStore["drain"]>> {
    const { workspace } = this;
    const { testData } = this.ctx;
    workspace.complete();
    const composeDocs = workspace.composeDocs;
    for (const rule of this.rules) {
      if (rule.compose) for (const c of composeDocs) this.runRule(rule, c.file, (ctx) => rule.compose!(c, ctx));
      if (rule.workspace) this.runRule(rule, this.workspaceFile, (ctx) => rule.workspace!(workspace, ctx));
      if (rule.k8s && rule.meta.k8sAtEnd) for (const o of workspace.objectsOfKinds(new Set(rule.meta.k8sAtEnd))) this.runRule(rule, o.file, (ctx) => rule.k8s!(o, ctx), o);
    }
    // The workloads of a scanned Namespace with pod-security labels, parsed again, as admission would see them.
    for (const e of workspace.k8sObjects) {
      if (!e.workload || e.patch || testData.has(e.file) || !policyOfNamespace(workspace, e.namespace)) continue;
      const o = workspace.objectOf(e);
      if (o) for (const p of this.pss.namespace(o, workspace)) this.store.add(this.pssFinding(o, p));
    }
    await this.settled();
    return this.store.drain(); // runs the decisions made later
  }

  /** A rule's finding; its fingerprint text is the rule's snippet, else the text at `region` of `source` (or that text, `taken` before). */
  private finding(rule: Rule, s: Setting, r: ReportInput | TextReport, region: Region, file: string, source: SourceFile | undefined, object?: K8sObject, taken?: string): RawFinding {
    const level = s.explicit ? (s.level as Level) : (r.level ?? rule.meta.level);
    const logicalLocation = r.logicalLocation === undefined ? undefined : detach(r.logicalLocation);
    const covers = "coversLines" in r ? r.coversLines : undefined;
    return {
      ruleId: rule.meta.id,
      level: s.explicit || !this.ctx.run.strict ? level : raiseForStrict(level),
      message: detach(r.message),
      file,
      region: { startLine: region.startLine, startColumn: region.startColumn, endLine: region.endLine, endColumn: region.endColumn },
      logicalLocation,
      key: keyOf(rule.meta.id, file, logicalLocation, r.snippet, source, region, this.ctx.run.identity, taken),
      object: object && this.ctx.suppressions.refOf(object),
      ...(covers?.length ? { coversLines: [...covers] } : {}),
    };
  }

  /** In test data only the reports of a high-confidence rule that are marked high-confidence count. */
  private countsIn(rule: Rule, file: string, r: { confidence?: "high" }): boolean {
    return !this.ctx.testData.has(file) || (rule.meta.testData === "high-confidence" && r.confidence === "high");
  }

  /** Runs a rule's visitor on a file, unless the rule is off there (or the file is test data the rule skips). */
  private runRule(rule: Rule, file: SourceFile, visit: (ctx: RuleContext) => void | Promise<void>, object?: K8sObject): void {
    const { run, testData } = this.ctx;
    const setting = run.settings.for(rule.meta, file.absPath);
    if (setting.level === "off" || (!rule.meta.testData && testData.has(file.path))) return;
    const ctx: RuleContext = {
      file,
      workspace: this.workspace,
      preset: run.preset,
      pssVersion: run.pssVersion,
      options: setting.options,
      isAllowedSecret: this.isAllowedSecret,
      report: this.reporter(rule, file, setting, object),
      reportLater: this.reportLater(rule, file, setting, object),
    };
    try {
      const pending = visit(ctx);
      if (pending) {
        const settled: Promise<void> = pending.catch(this.failed(rule, file)).finally(() => this.asyncVisits.delete(settled));
        this.asyncVisits.add(settled);
      }
    } catch (err) {
      this.failed(rule, file)(err);
    }
  }

  private reporter(rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject): (r: ReportInput) => void {
    return (r) => {
      const region = r.region ?? r.node?.range ?? FILE_START;
      const s = r.path ? this.ctx.run.settings.for(rule.meta, path.resolve(this.ctx.run.base, r.path)) : setting;
      if (s.level === "off") return;
      const target = r.path ?? file.path;
      if (!this.countsIn(rule, target, r)) return;
      const source = r.snippet !== undefined ? undefined : target === file.path ? file : this.ctx.sources.get(target);
      this.store.add(this.finding(rule, s, r, region, target, source, object));
    };
  }

  /** A rule bug must not cost the user the rest of the run; it is reported like a parse failure. */
  private failed(rule: Rule, file: SourceFile): (err: unknown) => void {
    return (err) => {
      this.ctx.engineReport(PARSE_ERROR, file.path, file.regionOf(0, 0), `internal error in rule ${rule.meta.id}: ${quote(err instanceof Error ? err.message : String(err))}`, file);
    };
  }

  private reportLater(rule: Rule, file: SourceFile, setting: Setting, object?: K8sObject): RuleContext["reportLater"] {
    return (at, data, decide) => {
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
        object: object && this.ctx.suppressions.refOf(object),
      };
      this.store.addLater(file.path, this.decideLater(later, structuredClone(data), decide));
    };
  }

  /** The decision of a reportLater, made at the end: its closure holds no file (only `later` and the data). */
  private decideLater<T>(later: Later, data: T, decide: (data: T, workspace: Workspace) => LaterReport | LaterReport[] | undefined): () => RawFinding[] {
    return () => {
      const source = () => this.ctx.sources.get(later.path) ?? createSourceFile(later.path, later.path, "text", "");
      let decided: LaterReport | LaterReport[] | undefined;
      try {
        decided = decide(data, this.workspace);
      } catch (err) {
        return [engineFinding(PARSE_ERROR, later.path, FILE_START, `internal error in rule ${later.rule.meta.id}: ${quote(err instanceof Error ? err.message : String(err))}`, source(), this.ctx.run.identity)];
      }
      return (Array.isArray(decided) ? decided : decided ? [decided] : []).map((d) => {
        const r = { ...d, logicalLocation: d.logicalLocation ?? later.logicalLocation, snippet: d.snippet ?? later.snippet };
        const own = r.snippet !== undefined || later.taken !== undefined;
        const f = this.finding(later.rule, later.setting, r, later.region, later.path, own ? undefined : source(), undefined, r.snippet === undefined ? later.taken : undefined);
        return later.object ? { ...f, object: later.object } : f;
      });
    };
  }

  /** A PSS finding of the engine's, on an object. */
  private pssFinding(obj: K8sObject, p: PssFinding): RawFinding {
    const region = { startLine: p.region.startLine, startColumn: p.region.startColumn, endLine: p.region.endLine, endColumn: p.region.endColumn };
    const logicalLocation = detach(p.logicalLocation);
    const key = keyOf(p.rule.meta.id, obj.file.path, logicalLocation, undefined, obj.file, region, this.ctx.run.identity);
    return { ruleId: p.rule.meta.id, level: p.level, message: detach(p.message), file: obj.file.path, region, logicalLocation, key, object: this.ctx.suppressions.refOf(obj), pss: p.rank };
  }
}
