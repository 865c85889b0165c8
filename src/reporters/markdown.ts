import type { LintResult } from "../engine/lint.js";
import type { Finding, Level } from "../types.js";
import { ruleHelpUri } from "./sarif.js";
import { LEVELS, closingNotes, countFindings, humanView, plural } from "./summary.js";

export interface MarkdownOptions {
  /** List at most this many findings (a PR comment holds 65,536 characters, a job summary 1 MiB). */
  maxFindings?: number;
  /** Heading level of the title (default 2: `##`). */
  headingLevel?: number;
}

const ICON: Record<Level, string> = { error: "🔴", warning: "🟡", note: "🔵" };

/**
 * Escapes text for a GitHub-flavored markdown table cell: no line breaks, `|` escaped (GFM
 * splits cells before inline parsing), and the characters that would start emphasis, links,
 * HTML or code backslash-escaped. `_` inside a word (SIGNAL_PHONE_NUMBER) is left alone.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/\r?\n/g, " ").replace(/[\\`*[\]<>|~&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&");
}

/** A code span in a table cell: backticks cannot be escaped inside it, pipes must be. */
function code(s: string): string {
  const body = s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  return body.includes("`") ? `\`\` ${body} \`\`` : `\`${body}\``;
}

/** A finding's message: its `code` spans stay code spans, the rest is escaped text. */
export function messageMarkdown(message: string): string {
  const parts = message.replace(/\r?\n/g, " ").split("`");
  if (parts.length % 2 === 0) return escapeMarkdown(message); // unbalanced backticks: all text
  return parts.map((p, i) => (i % 2 === 1 && p.trim() !== "" ? code(p) : escapeMarkdown(i % 2 === 1 ? `\`${p}\`` : p))).join("");
}

/**
 * A markdown report for a pull-request comment or a job summary: a headline, a table of
 * counts per level, a table of counts per rule, then the findings.
 */
export function formatMarkdown(result: LintResult, options: MarkdownOptions = {}): string {
  const h = "#".repeat(options.headingLevel ?? 2);
  const c = countFindings(result.findings);
  const { listed: open, binaryFiles } = humanView(result.findings);
  c.note -= binaryFiles;
  const problems = c.error + c.warning + c.note;
  const files = new Set(open.map((f) => f.file)).size;
  const out: string[] = [];

  const headline =
    problems === 0
      ? `✔ no problems in ${plural(result.filesScanned, "file")}`
      : `✖ ${plural(problems, "problem")} (${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${plural(c.note, "note")}) in ${plural(files, "file")} of ${result.filesScanned} scanned`;
  out.push(`${h} bulkhead: ${headline}`, "");

  out.push("| Level | Findings |", "| --- | ---: |");
  for (const level of LEVELS) out.push(`| ${ICON[level]} ${level} | ${c[level]} |`);
  out.push(`| suppressed | ${c.suppressed} |`, "");
  out.push(`Preset \`${result.preset}\`, fail on \`${result.failOn}\`, bulkhead ${escapeMarkdown(result.version)}.`, "");
  for (const line of closingNotes(result, binaryFiles)) out.push(messageMarkdown(line), "");

  if (problems === 0) return out.join("\n");

  const perRule = new Map<string, { level: Level; count: number }>();
  for (const f of open) {
    const r = perRule.get(f.ruleId);
    if (!r) perRule.set(f.ruleId, { level: f.level, count: 1 });
    else {
      r.count++;
      if (LEVELS.indexOf(f.level) < LEVELS.indexOf(r.level)) r.level = f.level;
    }
  }
  const rules = [...perRule.entries()].sort(
    (a, b) => LEVELS.indexOf(a[1].level) - LEVELS.indexOf(b[1].level) || b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1),
  );
  out.push("| Rule | Level | Findings |", "| --- | --- | ---: |");
  for (const [id, r] of rules) out.push(`| [${code(id)}](${ruleHelpUri(id)}) | ${ICON[r.level]} ${r.level} | ${r.count} |`);
  out.push("");

  const max = options.maxFindings ?? Infinity;
  const shown = open.slice(0, max);
  out.push(`${h}# Findings`, "", "| Location | Level | Rule | Message |", "| --- | --- | --- | --- |");
  for (const f of shown) out.push(findingRow(f));
  if (open.length > shown.length) out.push("", `… and ${plural(open.length - shown.length, "more finding")} (see the SARIF or text report).`);
  out.push("");
  return out.join("\n");
}

function findingRow(f: Finding): string {
  return `| ${code(`${f.file}:${f.region.startLine}:${f.region.startColumn}`)} | ${ICON[f.level]} ${f.level} | ${code(f.ruleId)} | ${messageMarkdown(f.message)} |`;
}
