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

export const FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab", "markdown"] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
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

/** Every reporter is a pure function from the result to text. `quiet` keeps errors only, in every format. */
export function format(name: string, all: LintResult, options: FormatOptions): string {
  return joinChunks(report(name, all, options).chunks);
}

/** `format` as pieces, for writing a report of any size without holding it whole. */
export function report(name: string, all: LintResult, options: FormatOptions): Report {
  const result = options.quiet ? { ...all, findings: all.findings.filter((f) => f.level === "error") } : all;
  switch (name as FormatName) {
    case "text":
      return { chunks: textReport(result, options) };
    case "json":
      return { chunks: jsonReport(result) };
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
      return { chunks: markdownReport(result, { maxFindings: options.maxFindings }) };
    default:
      throw new UsageError(`unknown format "${name}"; expected one of: ${FORMATS.join(", ")}`);
  }
}
