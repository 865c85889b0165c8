import type { LintResult } from "../engine/lint.js";
import { countFindings, type LeftOut } from "./summary.js";
import { type Chunks, joinChunks, jsonChunks, streamed } from "./stream.js";

/**
 * The library result as stable JSON: deterministic (no timings, no absolute paths), documented
 * in the README. `findings` keeps suppressed findings with their `suppressions`.
 */
export function formatJson(result: LintResult, options: { leftOut?: LeftOut } = {}): string {
  return joinChunks(jsonReport(result, options));
}

/** formatJson as pieces: the findings are written one by one. */
export function* jsonReport(result: LintResult, options: { leftOut?: LeftOut } = {}): Chunks {
  const doc = {
    version: result.version,
    preset: result.preset,
    failOn: result.failOn,
    filesScanned: result.filesScanned,
    testData: result.testData,
    summary: countFindings(result.findings),
    // With --quiet: the unsuppressed findings below the levels shown, which `summary` does not count.
    ...(options.leftOut ? { leftOut: options.leftOut } : {}),
    findings: streamed(result.findings),
    rules: result.rules.map((r) => ({ id: r.id, level: r.effectiveLevel, summary: r.summary, tags: r.tags })),
  };
  yield* jsonChunks(doc);
  yield "\n";
}
