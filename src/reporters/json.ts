import type { LintResult } from "../engine/lint.js";
import { countFindings } from "./summary.js";
import { jsonForLogs } from "../visible.js";

/**
 * The library result as stable JSON: deterministic (no timings, no absolute paths), documented
 * in the README. `findings` keeps suppressed findings with their `suppressions`.
 */
export function formatJson(result: LintResult): string {
  let out = "";
  writeJson(result, (chunk) => (out += chunk));
  return out;
}

/** Findings per chunk that writeJson hands over. */
const CHUNK = 1000;

/**
 * formatJson's text in pieces, for a large report written to a file: the whole report as one
 * string is twice its size in memory or more (two bytes per character once one finding holds a
 * character past Latin-1, and a copy when it is written); the pieces are small.
 */
export function writeJson(result: LintResult, write: (chunk: string) => void): void {
  const doc = {
    version: result.version,
    preset: result.preset,
    failOn: result.failOn,
    filesScanned: result.filesScanned,
    testData: result.testData,
    summary: countFindings(result.findings),
    findings: [] as unknown[],
    rules: result.rules.map((r) => ({ id: r.id, level: r.effectiveLevel, summary: r.summary, tags: r.tags })),
  };
  const findings = result.findings;
  // jsonForLogs(doc) + "\n", with the findings written one by one where the empty
  // list stands: each at the list's depth (its lines indented by four more spaces; strings in
  // JSON hold no line breaks).
  const whole = jsonForLogs(doc) + "\n";
  const at = whole.indexOf(EMPTY_FINDINGS);
  if (findings.length === 0) return write(whole);
  write(whole.slice(0, at) + '"findings": [');
  for (let i = 0; i < findings.length; i += CHUNK) {
    const part = findings.slice(i, i + CHUNK).map((f) => `\n    ${jsonForLogs(f).replace(/\n/g, "\n    ")}`);
    write((i === 0 ? "" : ",") + part.join(","));
  }
  write(`\n  ]${whole.slice(at + EMPTY_FINDINGS.length)}`);
}

const EMPTY_FINDINGS = '"findings": []';
