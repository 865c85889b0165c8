// The findings a run holds until its report: small records, grouped by file, with two caps that
// bound memory and report size. Past a file's cap the findings that fail a run are kept first
// (not suppressed, most severe; among equals by position in the file, rule, message); past the
// run's, the most severe (among equal levels, in scan order). The file gets one note that counts
// the others and carries the level of the most severe of them that is not suppressed: dropping
// findings never makes a run pass.
import type { RuleMeta } from "../rule.js";
import type { Level, Region, SourceFile } from "../types.js";
import { keyOf, type FileIdentity, type RawFinding } from "./fingerprint.js";
import { detach } from "../source.js";
import { quote } from "../secrets/index.js";

/** Findings kept per file. */
export const MAX_FINDINGS_PER_FILE = 10_000;
/** Findings kept per run (at ~0.5 KB each, ~250 MB). */
export const MAX_FINDINGS_PER_RUN = 500_000;

const SEVERITY: Record<Level, number> = { note: 1, warning: 2, error: 3 };
const LEVELS: Level[] = ["error", "warning", "note"];

/** Findings decided once every file has been read (see RuleContext.reportLater), in their place. */
interface Later {
  later: () => RawFinding[];
}

type Entry = RawFinding | Later;

/** What was dropped from one file. */
export interface Dropped {
  /** Findings the file had in all (those that yield to another rule's not counted). */
  total: number;
  /** Dropped per level. */
  levels: Record<Level, number>;
  /** The most severe level dropped, among findings not suppressed. */
  worst: Level | undefined;
  /** Whether the run's cap dropped some (else only the file's). */
  runCap: boolean;
}

interface FileFindings {
  entries: Entry[];
  /** Findings in entries (placeholders not counted). */
  count: number;
  dropped: Dropped | undefined;
}

const isLater = (e: Entry): e is Later => "later" in e;

export class FindingStore {
  private readonly files = new Map<string, FileFindings>();
  private held = 0;

  constructor(
    /** Whether a finding is suppressed (it may mark the suppression used: a dropped finding did use it). */
    private readonly suppressed: (f: RawFinding) => boolean,
    /** A file's findings without those that yield to another rule's (applied before a cap, so that they take no place). */
    private readonly unyielded: (findings: RawFinding[]) => RawFinding[],
  ) {}

  add(f: RawFinding): void {
    const ff = this.of(f.file);
    ff.entries.push(f);
    ff.count++;
    this.held++;
    // While files are read, a file is cut back to 1.5 times its cap when it reaches twice it
    // (memory stays bounded; the exact cut is made at the end, when every finding is in).
    if (ff.count >= 2 * MAX_FINDINGS_PER_FILE) this.capFile(ff, MAX_FINDINGS_PER_FILE * 1.5);
    if (this.held >= MAX_FINDINGS_PER_RUN + MAX_FINDINGS_PER_RUN / 4) this.capRun();
  }

  /** Reserves the place of findings decided later (`later` runs in drain()). */
  addLater(file: string, later: () => RawFinding[]): void {
    this.of(file).entries.push({ later });
  }

  /**
   * Every file's findings (later ones decided in their place, those that yield dropped), capped,
   * with what was dropped; files in the order their first finding came. Call once, when every
   * file has been read.
   */
  drain(): { file: string; findings: RawFinding[]; dropped: Dropped | undefined }[] {
    for (const ff of this.files.values()) {
      if (!ff.entries.some(isLater)) continue;
      ff.entries = ff.entries.flatMap((e) => (isLater(e) ? e.later() : [e]));
      this.held += ff.entries.length - ff.count;
      ff.count = ff.entries.length;
    }
    for (const ff of this.files.values()) {
      const kept = this.unyielded(ff.entries as RawFinding[]);
      this.held -= ff.count - kept.length;
      ff.entries = kept;
      ff.count = kept.length;
      if (ff.count > MAX_FINDINGS_PER_FILE) this.capFile(ff, MAX_FINDINGS_PER_FILE);
    }
    if (this.held > MAX_FINDINGS_PER_RUN) this.capRun();
    const out = [...this.files].map(([file, ff]) => {
      if (ff.dropped) ff.dropped.total = ff.count + ff.dropped.levels.error + ff.dropped.levels.warning + ff.dropped.levels.note;
      return { file, findings: ff.entries as RawFinding[], dropped: ff.dropped };
    });
    this.files.clear();
    this.held = 0;
    return out;
  }

  private of(file: string): FileFindings {
    let ff = this.files.get(file);
    if (!ff) this.files.set(file, (ff = { entries: [], count: 0, dropped: undefined }));
    return ff;
  }

  /** Keeps a file's `keep` findings that matter most. */
  private capFile(ff: FileFindings, keep: number): void {
    const found = ff.entries.filter((e): e is RawFinding => !isLater(e));
    const yielding = new Set(found);
    for (const f of this.unyielded(found)) yielding.delete(f);
    if (yielding.size > 0) {
      ff.entries = ff.entries.filter((e) => isLater(e) || !yielding.has(e));
      ff.count -= yielding.size;
      this.held -= yielding.size;
    }
    // Findings that fail the run first: not suppressed, then by level.
    const open = new Set(found.filter((f) => !yielding.has(f) && !this.suppressed(f)));
    const ranked = found.filter((f) => !yielding.has(f)).sort((a, b) => Number(open.has(b)) - Number(open.has(a)) || byRank(a, b));
    const drop = new Set(ranked.slice(keep));
    this.drop(ff, drop, false, open);
  }

  /** Keeps the run's MAX_FINDINGS_PER_RUN most severe findings: the more severe levels whole, the last level kept in scan order. */
  private capRun(): void {
    const perLevel: Record<Level, number> = { error: 0, warning: 0, note: 0 };
    for (const ff of this.files.values()) for (const e of ff.entries) if (!isLater(e)) perLevel[e.level]++;
    let room = MAX_FINDINGS_PER_RUN;
    const quota: Record<Level, number> = { error: 0, warning: 0, note: 0 };
    for (const level of LEVELS) {
      quota[level] = Math.min(room, perLevel[level]);
      room -= quota[level];
    }
    for (const ff of this.files.values()) {
      const drop = new Set<RawFinding>();
      for (const e of ff.entries) {
        if (isLater(e)) continue;
        if (quota[e.level] > 0) quota[e.level]--;
        else drop.add(e);
      }
      if (drop.size > 0) this.drop(ff, drop, true, new Set([...drop].filter((f) => !this.suppressed(f))));
    }
  }

  /** Drops findings from a file; `open` holds those of them (or more) that are not suppressed. */
  private drop(ff: FileFindings, drop: Set<RawFinding>, runCap: boolean, open: Set<RawFinding>): void {
    const dropped = (ff.dropped ??= { total: 0, levels: { error: 0, warning: 0, note: 0 }, worst: undefined, runCap: false });
    for (const f of drop) {
      dropped.levels[f.level]++;
      if (open.has(f) && (dropped.worst === undefined || SEVERITY[f.level] > SEVERITY[dropped.worst])) dropped.worst = f.level;
    }
    dropped.runCap ||= runCap;
    ff.entries = ff.entries.filter((e) => isLater(e) || !drop.has(e));
    ff.count -= drop.size;
    this.held -= drop.size;
  }
}

/** Most severe first; then by place in the file, rule, message (a deterministic choice among equals). */
function byRank(a: RawFinding, b: RawFinding): number {
  return (
    SEVERITY[b.level] - SEVERITY[a.level] ||
    a.region.startLine - b.region.startLine ||
    a.region.startColumn - b.region.startColumn ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.message, b.message) ||
    cmp(a.logicalLocation ?? "", b.logicalLocation ?? "")
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The note that stands in for a file's dropped findings. */
export function droppedMessage(file: string, d: Dropped): string {
  const count = d.levels.error + d.levels.warning + d.levels.note;
  const levels = LEVELS.filter((l) => d.levels[l] > 0)
    .map((l) => `${d.levels[l]} ${l}${d.levels[l] === 1 ? "" : "s"}`)
    .join(", ");
  const why = d.runCap
    ? `a run reports at most ${MAX_FINDINGS_PER_RUN} findings (${MAX_FINDINGS_PER_FILE} per file), the most severe first`
    : `a file reports at most ${MAX_FINDINGS_PER_FILE}, the most severe first`;
  return `${quote(file)}: ${d.total} findings, ${count} of them not reported (${levels}): ${why}; this note has the level of the most severe of them that is not suppressed`;
}

/** Where a finding about a whole file points: its first character. */
export const FILE_START = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

/** A finding of the engine's own (a note, a parse error): its level is the builtin rule's; `taken`: its source text, taken while its file was read. */
export function engineFinding(meta: RuleMeta, file: string, region: Region, message: string, source: SourceFile | undefined, identity: FileIdentity, taken?: string): RawFinding {
  return { ruleId: meta.id, level: meta.level, message: detach(message), file, region, key: keyOf(meta.id, file, undefined, undefined, source, region, identity, taken) };
}
