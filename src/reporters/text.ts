import type { LintResult } from "../engine/lint.js";
import type { Level } from "../types.js";
import { active, closingNotes, countFindings, humanView, plural } from "./summary.js";
import { visibleLineStart } from "../visible.js";

export interface TextOptions {
  color: boolean;
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
 * Grouped by file, one line per finding: `line:col  level  message  rule-id`, then a summary line
 * and what was not fully checked (binary files, counted; test data).
 */
export function formatText(result: LintResult, options: TextOptions): string {
  const paint = (style: keyof typeof COLORS, s: string) => (options.color ? `${COLORS[style]}${s}${COLORS.reset}` : s);
  const { listed: shown, binaryFiles } = humanView(result.findings);
  const out: string[] = [];
  let current: string | undefined;
  const locWidth = Math.max(0, ...shown.map((f) => `${f.region.startLine}:${f.region.startColumn}`.length));
  for (const f of shown) {
    if (f.file !== current) {
      if (current !== undefined) out.push("");
      out.push(paint("bold", visibleLineStart(f.file)));
      current = f.file;
    }
    const loc = `${f.region.startLine}:${f.region.startColumn}`.padEnd(locWidth);
    out.push(`  ${paint("dim", loc)}  ${paint(f.level, f.level.padEnd(7))}  ${f.message}  ${paint("dim", f.ruleId)}`);
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
  if (out.length > 0) out.push("");
  out.push(paint(problems === 0 ? "dim" : c.error > 0 ? "error" : c.warning > 0 ? "warning" : "note", summary));
  for (const line of closingNotes(result, binaryFiles)) out.push(paint("dim", line));
  return out.join("\n") + "\n";
}
