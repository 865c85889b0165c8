import type { LintResult } from "../engine/lint.js";
import { BINARY_SKIPPED, FILE_SKIPPED } from "../engine/builtin.js";
import type { Finding, Level } from "../types.js";
import type { FailOn } from "../engine/config.js";

export interface Counts {
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

/** Counts unsuppressed findings per level, and suppressed ones apart. */
export function countFindings(findings: Finding[]): Counts {
  const counts: Counts = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const f of findings) {
    if (f.suppressions?.length) counts.suppressed++;
    else counts[f.level]++;
  }
  return counts;
}

export function active(findings: Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressions?.length);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export const LEVELS: Level[] = ["error", "warning", "note"];

/** Whether an unsuppressed finding of this level fails a run that fails on `failOn`. */
export function failsRun(level: Level, failOn: FailOn): boolean {
  return failOn !== "never" && LEVELS.indexOf(level) <= LEVELS.indexOf(failOn);
}

/** What `--quiet` left out: unsuppressed findings per level. */
export type LeftOut = Pick<Counts, Level>;

/**
 * `--quiet`: the findings at or above the fail-on level (errors at least, also with `never`),
 * suppressed ones of those levels included; and how many of the others were left out.
 */
export function quietView(result: LintResult): { result: LintResult; leftOut: LeftOut } {
  const shownFrom = result.failOn === "never" ? "error" : result.failOn;
  const shown = (l: Level) => LEVELS.indexOf(l) <= LEVELS.indexOf(shownFrom);
  const leftOut = countFindings(active(result.findings).filter((f) => !shown(f.level)));
  return { result: { ...result, findings: result.findings.filter((f) => shown(f.level)) }, leftOut: { error: 0, warning: leftOut.warning, note: leftOut.note } };
}

/** `6 warnings, 4 notes not shown (--quiet)`, or nothing when quiet left nothing out. */
export function leftOutLine(leftOut: LeftOut | undefined): string | undefined {
  const parts = LEVELS.filter((l) => (leftOut?.[l] ?? 0) > 0).map((l) => plural(leftOut![l], l));
  return parts.length > 0 ? `${parts.join(", ")} not shown (--quiet)` : undefined;
}

/**
 * What the reports read by people (text, markdown, GitHub annotations, JUnit in a CI's test view)
 * list one by one, and the notes they count on one line instead: a repository holds hundreds of
 * images and archives, and a note per binary file buries the findings. The JSON, SARIF and GitLab
 * reports keep every note.
 */
export function humanView(findings: Finding[]): { listed: Finding[]; binaryFiles: number } {
  const listed: Finding[] = [];
  let binaryFiles = 0;
  for (const f of active(findings)) {
    if (f.ruleId === FILE_SKIPPED.id && f.level === "note" && f.message.endsWith(BINARY_SKIPPED)) binaryFiles++;
    else listed.push(f);
  }
  return { listed, binaryFiles };
}

/** The lines that follow the summary: binary files not scanned, files treated as test data. */
export function closingNotes(result: Pick<LintResult, "testData">, binaryFiles: number): string[] {
  const out: string[] = [];
  if (binaryFiles > 0) out.push(binaryFilesLine(binaryFiles));
  const td = result.testData;
  if (td && td.files > 0) {
    const by = Object.entries(td.by)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([marker, n]) => `${marker} ${n}`)
      .join(", ");
    out.push(
      `${plural(td.files, "file")} in test data, fixtures, vendored code or docs (${by}): only secrets in known token formats were checked there (setting \`testData\` in .bulkhead.yml)`,
    );
  }
  return out;
}

/** `37 binary files not scanned (…)`: the one line that stands for their notes. */
export function binaryFilesLine(binaryFiles: number): string {
  return `${plural(binaryFiles, "binary file")} not scanned (the JSON and SARIF reports list them)`;
}
