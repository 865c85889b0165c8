import type { Region, SourceFile } from "../types.js";

export interface CommentSuppression {
  scope: "next-line" | "file";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** Where the comment is (for unused-suppression). */
  region: Region;
  /** For next-line: the line it covers. */
  targetLine: number;
  used: boolean;
}

// The comment marker must start the line or follow whitespace, so a directive quoted inside a
// string or a Markdown code span is not one.
const DIRECTIVE = /(?:^|\s)(?:#|\/\/)\s*bulkhead-disable-(next-line|file)\b([^\n]*)$/;

/** Prose formats where `#` is a heading, not a comment: a directive there is documentation. */
const PROSE = /\.(?:md|markdown|mdx|rst|adoc|txt|html?)$/i;

/** Reads `# bulkhead-disable-next-line <ids> -- <reason>` and `# bulkhead-disable-file <ids> -- <reason>`. */
export function parseCommentSuppressions(file: SourceFile): CommentSuppression[] {
  if (!file.text.includes("bulkhead-disable-") || PROSE.test(file.path)) return [];
  const lines = file.text.split("\n");
  const out: CommentSuppression[] = [];
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    const m = DIRECTIVE.exec(line);
    if (!m) return;
    const [ids, ...reasonParts] = m[2].split(/\s--\s|\s--$/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const rules = ids
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    let target = i + 2;
    if (m[1] === "next-line") {
      while (target <= lines.length && /^\s*(?:#|\/\/|$)/.test(lines[target - 1].replace(/\r$/, ""))) target++;
    }
    out.push({
      scope: m[1] === "file" ? "file" : "next-line",
      rules,
      reason,
      region: { startLine: i + 1, startColumn: m.index + (m[0].length - m[0].trimStart().length) + 1, endLine: i + 1, endColumn: line.length + 1 },
      targetLine: target,
      used: false,
    });
  });
  return out;
}

/** The comment suppression that covers a finding, if any (marks it used). */
export function matchComment(suppressions: CommentSuppression[], ruleId: string, line: number): CommentSuppression | undefined {
  for (const s of suppressions) {
    if (s.rules.length > 0 && !s.rules.includes(ruleId)) continue;
    if (s.scope === "file" || s.targetLine === line) {
      s.used = true;
      return s;
    }
  }
  return undefined;
}
