// What the phases after discover share: the run, its files, the sources being read, the
// suppressions and findings gathered so far, and how the engine reports on a file (its own
// findings obey the configuration and --rule like any rule's).
import path from "node:path";
import type { RuleMeta } from "../rule.js";
import type { Level, Region, SourceFile } from "../types.js";
import { catalog } from "../../rules/catalog.js";
import { looksLikeManifest, type DiscoveredFile, type Discovery } from "../discover/discover.js";
import { kindName } from "../discover/classify.js";
import { FILE_SKIPPED, SCAN_INCOMPLETE } from "./builtin.js";
import { SuppressionIndex } from "./suppressions.js";
import type { RawFinding } from "./fingerprint.js";
import { engineFinding, FILE_START, FindingStore } from "./findings.js";
import { Sources } from "./sources.js";
import { settlePss } from "./pss.js";
import { quote } from "../secrets/index.js";
import type { Run } from "./resolve.js";

export class ScanContext {
  readonly sources: Sources;
  readonly suppressions: SuppressionIndex;
  readonly store: FindingStore;
  /** Test-data files (path → what marked it): most rules do not run there, and their documents are not parsed. */
  readonly testData = new Map<string, string>();
  /** Files not read: name-based rules still see them (workspace.unread); one that bulkhead lints is incomplete. */
  readonly unread: DiscoveredFile[] = [];

  constructor(
    readonly run: Run,
    readonly discovery: Discovery,
  ) {
    this.sources = new Sources(discovery, run.options.stdin?.text);
    this.suppressions = new SuppressionIndex(run.config, run.strict, (file) => this.sources.absPathOf(file) ?? path.resolve(run.config.dir, file));
    this.store = new FindingStore(
      (f) => this.suppressions.apply(f),
      (list) => dropYielded(settlePss(list)),
    );
  }

  /** A finding of the engine's own; the preset does not raise it, the configuration and --rule set its level (`off` drops it). */
  engineReport(meta: RuleMeta, file: string, region: Region, message: string, source?: SourceFile): void {
    const s = this.run.settings.for(meta, path.resolve(this.run.base, file));
    if (s.level === "off") return;
    const f = engineFinding(meta, file, region, message, source, this.run.identity);
    this.store.add(s.explicit ? { ...f, level: s.level as Level } : f);
  }

  /** What the scan misses is a warning (strict: an error) that the configuration can turn off per path. */
  incomplete(file: string, message: string, source?: SourceFile): void {
    const s = this.run.settings.for(SCAN_INCOMPLETE, path.resolve(this.run.base, file));
    if (s.level !== "off") this.store.add({ ...engineFinding(SCAN_INCOMPLETE, file, FILE_START, message, source, this.run.identity), level: s.level as Level });
  }

  /** A file not read: name-based rules still see it; one that bulkhead lints is incomplete. */
  notRead(d: DiscoveredFile, reason: string, bytes?: Uint8Array): void {
    this.unread.push(d);
    if (d.tracked && unreadMatters(d, bytes)) this.incomplete(d.path, `${quote(d.path)}: ${reason}; it is a ${d.kind === "yaml" ? "Kubernetes manifest" : kindName(d.kind)} bulkhead lints, so its policies are not checked`);
    else this.engineReport(FILE_SKIPPED, d.path, FILE_START, `${quote(d.path)}: ${reason}`);
  }

  /** What discovery skipped, and what it could not learn from git. */
  reportSkipped(): void {
    // Engine messages quote paths, the parsers' messages and rules' errors through quote(): a name
    // or a parser's excerpt can hold a secret, and a path can be megabytes long.
    for (const s of this.discovery.skipped) {
      if (s.unread) this.notRead(s.unread, s.reason);
      else if (s.incomplete) this.incomplete(s.path, `${quote(s.path)}: ${quote(s.reason)}`);
      else this.engineReport(FILE_SKIPPED, s.path, FILE_START, `${quote(s.path)}: ${quote(s.reason)}`);
    }
    for (const p of this.discovery.gitProblems) {
      this.incomplete(
        p.path,
        `${quote(p.problem)}; which files are tracked is unknown, so files that .gitignore matches are not scanned even if committed, and "committed" means "not ignored by .gitignore": ${quote(p.hint)}`,
      );
    }
  }
}

/** Whether a file that was not read is one bulkhead lints: a Dockerfile, compose file, `.env` or Kubernetes manifest. */
function unreadMatters(d: DiscoveredFile, bytes?: Uint8Array): boolean {
  if (d.kind === "dockerfile" || d.kind === "compose" || d.kind === "dotenv") return true;
  return d.kind === "yaml" && looksLikeManifest(d.absPath, bytes);
}

/** Rules that yield to others (RuleMeta.yieldsTo), by id. */
const YIELDS = new Map(catalog.filter((r) => r.meta.yieldsTo?.length).map((r) => [r.meta.id, r.meta.yieldsTo!]));

/** Drops findings of rules that yield to a more specific rule reporting on the same line (or covering it) of the same file. */
function dropYielded(raw: RawFinding[]): RawFinding[] {
  if (YIELDS.size === 0) return raw;
  const at = new Set(raw.flatMap((f) => [f.region.startLine, ...(f.coversLines ?? [])].map((line) => `${f.ruleId}\0${line}`)));
  return raw.filter((f) => !YIELDS.get(f.ruleId)?.some((other) => at.has(`${other}\0${f.region.startLine}`)));
}
