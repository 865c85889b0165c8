import type { LintResult } from "../engine/lint.js";
import type { Finding, Level } from "../types.js";
import { ruleHelpUri } from "./sarif.js";
import { LEVELS, closingNotes, countFindings, humanView, leftOutLine, plural, type LeftOut } from "./summary.js";
import { visible } from "../visible.js";
import { type Chunks, joinChunks, joinLines } from "./stream.js";

export interface MarkdownOptions {
  /** List at most this many findings. */
  maxFindings?: number;
  /**
   * Keep the report within this many bytes of UTF-8 (a PR comment holds 65,536 characters, a
   * job summary 1 MiB): findings that do not fit are left out, and counted.
   */
  maxBytes?: number;
  /** Heading level of the title (default 2: `##`). */
  headingLevel?: number;
  /** With --quiet: what was left out (said under the headline). */
  leftOut?: LeftOut;
}

const ICON: Record<Level, string> = { error: "🔴", warning: "🟡", note: "🔵" };

/** A longer message is cut here in a table cell (one row must not take the whole summary). */
const MAX_MESSAGE = 2000;

/**
 * One line of table-cell text: a line break would end the table row (GFM also breaks lines
 * at a lone CR), so it becomes a space; other controls become visible escapes. Messages from
 * lint() are already visible; this keeps the table whole for any result.
 */
function oneLine(s: string): string {
  return visible(s.replace(/\r\n|[\r\n\u2028\u2029]/g, " "));
}

/**
 * Escapes text for a GitHub-flavored markdown table cell: no line breaks, `|` escaped (GFM
 * splits cells before inline parsing), and the characters that would start emphasis, links,
 * HTML or code backslash-escaped. `_` inside a word (SIGNAL_PHONE_NUMBER) is left alone.
 */
export function escapeMarkdown(s: string): string {
  return oneLine(s).replace(/[\\`*[\]<>|~&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\$&");
}

/**
 * A code span in a table cell. Backticks cannot be escaped inside it: the fence is one backtick
 * longer than the longest run in the text. Pipes must be escaped (GFM splits the row first), and
 * a backslash before a pipe doubled, or the two would pair and the pipe would split the cell.
 */
function code(s: string): string {
  const body = oneLine(s).replace(/\\(?=\|)/g, "\\\\").replace(/\|/g, "\\|");
  const longest = (body.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length), 0);
  if (longest === 0) return `\`${body}\``;
  const fence = "`".repeat(longest + 1);
  return `${fence} ${body} ${fence}`;
}

/** A finding's message: its `code` spans stay code spans, the rest is escaped text. */
export function messageMarkdown(message: string): string {
  const parts = oneLine(message).split("`");
  if (parts.length % 2 === 0) return escapeMarkdown(message); // unbalanced backticks: all text
  return parts.map((p, i) => (i % 2 === 1 && p.trim() !== "" ? code(p) : escapeMarkdown(i % 2 === 1 ? `\`${p}\`` : p))).join("");
}

/**
 * A markdown report for a pull-request comment or a job summary: a headline, a table of
 * counts per level, a table of counts per rule, then the findings.
 */
export function formatMarkdown(result: LintResult, options: MarkdownOptions = {}): string {
  return joinChunks(markdownReport(result, options));
}

/** formatMarkdown as pieces: the headline and tables, then a row per finding. */
export function markdownReport(result: LintResult, options: MarkdownOptions = {}): Chunks {
  return joinLines(markdownLines(result, options));
}

function* markdownLines(result: LintResult, options: MarkdownOptions): Generator<string> {
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
  const hidden = leftOutLine(options.leftOut);
  if (hidden) out.push(`${hidden}.`, "");

  out.push("| Level | Findings |", "| --- | ---: |");
  for (const level of LEVELS) out.push(`| ${ICON[level]} ${level} | ${c[level]} |`);
  out.push(`| suppressed | ${c.suppressed} |`, "");
  out.push(`Preset \`${result.preset}\`, fail on \`${result.failOn}\`, bulkhead ${escapeMarkdown(result.version)}.`, "");
  for (const line of closingNotes(result, binaryFiles)) out.push(messageMarkdown(line), "");

  if (problems === 0) {
    yield* out;
    return;
  }

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

  // Errors first, then warnings, then notes (each in file order), so a cap leaves out the least severe.
  const ordered = LEVELS.flatMap((level) => open.filter((f) => f.level === level));
  out.push(`${h}# Findings`, "", "| Location | Level | Rule | Message |", "| --- | --- | --- | --- |");
  const maxFindings = options.maxFindings ?? Infinity;
  let room = (options.maxBytes ?? Infinity) - Buffer.byteLength(out.join("\n")) - CLOSING_BYTES;
  yield* out;
  let shown = 0;
  for (const f of ordered) {
    if (shown >= maxFindings) break;
    const row = findingRow(f);
    room -= Buffer.byteLength(row) + 1;
    if (room < 0) break;
    yield row;
    shown++;
  }
  if (shown < ordered.length) {
    const left = countFindings(ordered.slice(shown));
    const levels = LEVELS.filter((l) => left[l] > 0).map((l) => plural(left[l], l));
    yield "";
    yield `… and ${plural(ordered.length - shown, "more finding")} (${levels.join(", ")}) not listed: see the SARIF or text report.`;
  }
  yield "";
}

/** Bytes kept for what follows the rows: the note on findings left out, and the line ends. */
const CLOSING_BYTES = 200;

function findingRow(f: Finding): string {
  return `| ${code(`${visible(f.file)}:${f.region.startLine}:${f.region.startColumn}`)} | ${ICON[f.level]} ${f.level} | ${code(f.ruleId)} | ${messageMarkdown(cut(f.message))} |`;
}

function cut(message: string): string {
  if (message.length <= MAX_MESSAGE) return message;
  const head = message.slice(0, MAX_MESSAGE);
  return `${/[\uD800-\uDBFF]$/.test(head) ? head.slice(0, -1) : head}…`;
}
