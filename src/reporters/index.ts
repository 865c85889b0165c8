import type { LintResult } from "../engine/lint.js";
import { UsageError } from "../errors.js";
import { formatJson, writeJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import { formatGithub } from "./github.js";
import { formatJunit } from "./junit.js";
import { formatGitlab } from "./gitlab.js";
import { formatMarkdown } from "./markdown.js";

export const FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab", "markdown"] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  quiet: boolean;
  automationId?: string;
  /** markdown: list at most this many findings. */
  maxFindings?: number;
}

/** Every reporter is a pure function from the result to text. `quiet` keeps errors only, in every format. */
export function format(name: string, all: LintResult, options: FormatOptions): string {
  const result = shown(all, options);
  switch (name as FormatName) {
    case "text":
      return formatText(result, options);
    case "json":
      return formatJson(result);
    case "sarif":
      return formatSarif(result, { automationId: options.automationId });
    case "github":
      return formatGithub(result);
    case "junit":
      return formatJunit(result);
    case "gitlab":
      return formatGitlab(result);
    case "markdown":
      return formatMarkdown(result, { maxFindings: options.maxFindings });
    default:
      throw new UsageError(`unknown format "${name}"; expected one of: ${FORMATS.join(", ")}`);
  }
}

/** format()'s text, handed to `write` in pieces where the format allows (json): a large report is never one string. */
export function formatTo(name: string, all: LintResult, options: FormatOptions, write: (chunk: string) => void): void {
  if (name === "json") writeJson(shown(all, options), write);
  else write(format(name, all, options));
}

function shown(all: LintResult, options: FormatOptions): LintResult {
  return options.quiet ? { ...all, findings: all.findings.filter((f) => f.level === "error") } : all;
}
