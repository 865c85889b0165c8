import type { LintResult } from "../engine/lint.js";
import { UsageError } from "../errors.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";

export const FORMATS = ["text", "json", "sarif"] as const;
export type FormatName = (typeof FORMATS)[number];

export interface FormatOptions {
  color: boolean;
  quiet: boolean;
  automationId?: string;
}

/** Every reporter is a pure function from the result to text. */
export function format(name: string, result: LintResult, options: FormatOptions): string {
  switch (name as FormatName) {
    case "text":
      return formatText(result, options);
    case "json":
      return formatJson(result);
    case "sarif":
      return formatSarif(result, { automationId: options.automationId });
    default:
      throw new UsageError(`unknown format "${name}"; expected one of: ${FORMATS.join(", ")}`);
  }
}
