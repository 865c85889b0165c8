// The findings a run holds until its report: small records, grouped by file, with two caps that
// bound memory and report size. Past a cap the most severe findings are kept (among equal
// levels: by position in the file, then rule, message — or, across files, in scan order), and
// the file gets one note that counts the others and carries the level of the most severe of
// them that is not suppressed: dropping findings never makes a run pass.
import type { Level } from "../types.js";
import type { RawFinding } from "./fingerprint.js";

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
  /** Findings the file had in all. */
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
  /** Findings reported on the file in all. */
  total: number;
  dropped: Dropped | undefined;
}

const isLater = (e: Entry): e is Later => "later" in e;

export class FindingStore {
  private readonly files = new Map<string, FileFindings>();
  private held = 0;

  /** `suppressed` says whether a finding is suppressed (it may mark the suppression used: a dropped finding did use it). */
  constructor(private readonly suppressed: (f: RawFinding) => boolean) {}

  add(f: RawFinding): void {
    const ff = this.of(f.file);
    ff.entries.push(f);
    ff.count++;
    ff.total++;
    this.held++;
    if (ff.count >= 2 * MAX_FINDINGS_PER_FILE) this.capFile(ff);
    if (this.held >= MAX_FINDINGS_PER_RUN + MAX_FINDINGS_PER_RUN / 4) this.capRun();
  }

  /** Reserves the place of findings decided later (`later` runs in drain()). */
  addLater(file: string, later: () => RawFinding[]): void {
    this.of(file).entries.push({ later });
  }

  /**
   * Every file's findings (later ones decided in their place), capped, with what was dropped;
   * files in the order their first finding came. Call once, when every file has been read.
   */
  drain(): { file: string; findings: RawFinding[]; dropped: Dropped | undefined }[] {
    for (const ff of this.files.values()) {
      if (!ff.entries.some(isLater)) continue;
      ff.entries = ff.entries.flatMap((e) => (isLater(e) ? e.later() : [e]));
      this.held += ff.entries.length - ff.count;
      ff.total += ff.entries.length - ff.count;
      ff.count = ff.entries.length;
    }
    for (const ff of this.files.values()) if (ff.count > MAX_FINDINGS_PER_FILE) this.capFile(ff);
    if (this.held > MAX_FINDINGS_PER_RUN) this.capRun();
    const out = [...this.files].map(([file, ff]) => ({ file, findings: ff.entries as RawFinding[], dropped: ff.dropped }));
    this.files.clear();
    this.held = 0;
    return out;
  }

  private of(file: string): FileFindings {
    let ff = this.files.get(file);
    if (!ff) this.files.set(file, (ff = { entries: [], count: 0, total: 0, dropped: undefined }));
    return ff;
  }

  /** Keeps a file's MAX_FINDINGS_PER_FILE most severe findings. */
  private capFile(ff: FileFindings): void {
    const ranked = ff.entries.filter((e): e is RawFinding => !isLater(e)).sort(byRank);
    const drop = new Set(ranked.slice(MAX_FINDINGS_PER_FILE));
    this.drop(ff, drop, false);
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
      if (drop.size > 0) this.drop(ff, drop, true);
    }
  }

  private drop(ff: FileFindings, drop: Set<RawFinding>, runCap: boolean): void {
    const dropped = (ff.dropped ??= { total: 0, levels: { error: 0, warning: 0, note: 0 }, worst: undefined, runCap: false });
    for (const f of drop) {
      dropped.levels[f.level]++;
      if (!this.suppressed(f) && (dropped.worst === undefined || SEVERITY[f.level] > SEVERITY[dropped.worst])) dropped.worst = f.level;
    }
    dropped.runCap ||= runCap;
    ff.entries = ff.entries.filter((e) => isLater(e) || !drop.has(e));
    ff.count -= drop.size;
    this.held -= drop.size;
    dropped.total = ff.total;
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
  return `${file}: ${d.total} findings, ${count} of them not reported (${levels}): ${why}; this note has the level of the most severe of them`;
}
