import type { Finding, Level } from "../types.js";

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
