import type { LintResult } from "../engine/lint.js";
import type { Level } from "../types.js";
import { closingNotes, countFindings, humanView, leftOutLine, plural, type LeftOut } from "./summary.js";
import { visibleLineStart } from "../visible.js";
import { type Chunks, eachLine, joinChunks } from "./stream.js";
import { briefMessages, perRuleLines } from "./brief.js";

export interface TextOptions {
  color: boolean;
  /** With --quiet: what was left out (said on the summary line). */
  leftOut?: LeftOut;
}

const COLORS: Record<Level | "dim" | "bold" | "reset", string> = {
  error: "\x1b[31m",
  warning: "\x1b[33m",
  note: "\x1b[36m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
  reset: "\x1b[0m",
};

/**
 * Grouped by file, one line per finding: `line:col  level  message  rule-id` (a rule's advice once
 * per file, see briefMessages), then the count per rule, a summary line and what was not fully
 * checked (binary files, counted; test data).
 */
export function formatText(result: LintResult, options: TextOptions): string {
  return joinChunks(textReport(result, options));
}

/** formatText as pieces, a line each. */
export function textReport(result: LintResult, options: TextOptions): Chunks {
  return eachLine(textLines(result, options));
}

function* textLines(result: LintResult, options: TextOptions): Generator<string> {
  const paint = (style: keyof typeof COLORS, s: string) => (options.color ? `${COLORS[style]}${s}${COLORS.reset}` : s);
  const { listed: shown, binaryFiles } = humanView(result.findings);
  let current: string | undefined;
  const messages = briefMessages(shown);
  // A loop, not Math.max(...spread): spreading 100,000 findings overflows the call stack.
  let locWidth = 0;
  for (const f of shown) locWidth = Math.max(locWidth, `${f.region.startLine}:${f.region.startColumn}`.length);
  for (const f of shown) {
    if (f.file !== current) {
      if (current !== undefined) yield "";
      yield paint("bold", visibleLineStart(f.file));
      current = f.file;
    }
    const loc = `${f.region.startLine}:${f.region.startColumn}`.padEnd(locWidth);
    yield `  ${paint("dim", loc)}  ${paint(f.level, f.level.padEnd(7))}  ${messages.get(f)}  ${paint("dim", f.ruleId)}`;
  }
  const c = countFindings(result.findings);
  c.note -= binaryFiles;
  const files = new Set(shown.map((f) => f.file)).size;
  const parts = [plural(c.error, "error"), plural(c.warning, "warning"), plural(c.note, "note")];
  const problems = c.error + c.warning + c.note;
  let summary =
    problems === 0
      ? `✔ no problems in ${plural(result.filesScanned, "file")}`
      : `✖ ${plural(problems, "problem")} (${parts.join(", ")}) in ${plural(files || 1, "file")} of ${result.filesScanned} scanned`;
  if (c.suppressed > 0) summary += `, ${c.suppressed} suppressed`;
  const hidden = leftOutLine(options.leftOut);
  if (hidden) summary += `; ${hidden}`;
  if (current !== undefined) yield "";
  const byRule = perRuleLines(shown);
  if (byRule.length > 0) {
    yield "by rule:";
    for (const l of byRule) yield paint("dim", l);
    yield "";
  }
  yield paint(problems === 0 ? "dim" : c.error > 0 ? "error" : c.warning > 0 ? "warning" : "note", summary);
  for (const line of closingNotes(result, binaryFiles)) yield paint("dim", line);
}
