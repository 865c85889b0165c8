import type { LintResult } from "../engine/lint.js";
import { UsageError } from "../errors.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import { formatGithub } from "./github.js";
import { formatJunit } from "./junit.js";
import { formatGitlab } from "./gitlab.js";
import { formatMarkdown } from "./markdown.js";
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

/**
 * Every reporter is a pure function from the result to text. `quiet` keeps the findings that can
 * fail the run, in every format, so that what is shown, its summary and the exit code agree.
 */
export function format(name: string, all: LintResult, options: FormatOptions): string {
  const { result, leftOut } = options.quiet ? quietView(all) : { result: all, leftOut: undefined };
  switch (name as FormatName) {
    case "text":
      return formatText(result, { ...options, leftOut });
    case "json":
      return formatJson(result, { leftOut });
    case "sarif":
      return formatSarif(result, { automationId: options.automationId });
    case "github":
      return formatGithub(result);
    case "junit":
      return formatJunit(result);
    case "gitlab":
      return formatGitlab(result);
    case "markdown":
      return formatMarkdown(result, { maxFindings: options.maxFindings, leftOut });
    default:
      throw new UsageError(`unknown format "${name}"; expected one of: ${FORMATS.join(", ")}`);
  }
}
