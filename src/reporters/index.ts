import type { LintResult } from "../engine/lint.js";
import { UsageError } from "../errors.js";
import { jsonReport } from "./json.js";
import { type SarifCut, sarifReport } from "./sarif.js";

export { sarifCutMessage } from "./sarif.js";
import { textReport } from "./text.js";
import { githubReport } from "./github.js";
import { junitReport } from "./junit.js";
import { gitlabReport } from "./gitlab.js";
import { markdownReport } from "./markdown.js";
import { type Chunks, joinChunks } from "./stream.js";
import { quietView } from "./summary.js";

export const FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab", "markdown"] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  /** Show only the findings at or above the run's fail-on level (errors at least); the summaries count what is shown and say what was left out. */
  quiet: boolean;
  automationId?: string;
  /** markdown: list at most this many findings. */
  maxFindings?: number;
}

/** A report as pieces to write in turn; `sarifCut` says what a SARIF report left out (see SARIF_LIMITS). */
export interface Report {
  chunks: Chunks;
  sarifCut?: SarifCut;
}

/**
 * Every reporter is a pure function from the result to text. `quiet` keeps the findings that can
 * fail the run, in every format, so that what is shown, its summary and the exit code agree.
 */
export function format(name: string, all: LintResult, options: FormatOptions): string {
  return joinChunks(report(name, all, options).chunks);
}

/** `format` as pieces, for writing a report of any size without holding it whole. */
export function report(name: string, all: LintResult, options: FormatOptions): Report {
  const { result, leftOut } = options.quiet ? quietView(all) : { result: all, leftOut: undefined };
  switch (name as FormatName) {
    case "text":
      return { chunks: textReport(result, { ...options, leftOut }) };
    case "json":
      return { chunks: jsonReport(result, { leftOut }) };
    case "sarif": {
      const { chunks, cut } = sarifReport(result, { automationId: options.automationId });
      return { chunks, ...(cut ? { sarifCut: cut } : {}) };
    }
    case "github":
      return { chunks: githubReport(result) };
    case "junit":
      return { chunks: junitReport(result) };
    case "gitlab":
      return { chunks: gitlabReport(result) };
    case "markdown":
      return { chunks: markdownReport(result, { maxFindings: options.maxFindings, leftOut }) };
    default:
      throw new UsageError(`unknown format "${name}"; expected one of: ${FORMATS.join(", ")}`);
  }
}
