import type { Region, SourceFile } from "../types.js";
import { commentsOf } from "./comments.js";

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

const MARKER = "bulkhead-disable-";

/** A comment that is a directive: the marker right after the comment's own `#` or `//`. */
const DIRECTIVE = /^(?:#|\/\/)\s*bulkhead-disable-(next-line|file)\b(.*)$/;

/**
 * Reads `# bulkhead-disable-next-line <ids> -- <reason>` and `# bulkhead-disable-file <ids> -- <reason>`
 * from the file's comments (see commentsOf: never from a string value, never in JSON or prose).
 */
export function parseCommentSuppressions(file: SourceFile): CommentSuppression[] {
  if (!file.text.includes(MARKER)) return [];
  const out: CommentSuppression[] = [];
  const lastLine = file.regionOf(file.text.length, file.text.length).startLine;
  for (const comment of commentsOf(file, MARKER)) {
    const m = DIRECTIVE.exec(comment.text);
    if (!m) continue;
    const [ids, ...reasonParts] = m[2].split(/\s--\s|\s--$/);
    const reason = reasonParts.join(" -- ").trim() || undefined;
    const rules = ids
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const region = file.regionOf(comment.offset, comment.offset + comment.text.length);
    let target = region.startLine + 1;
    if (m[1] === "next-line") {
      // The next line that is not blank or a comment (a directive may head a block of comments).
      while (target <= lastLine && /^\s*(?:#|\/\/|$)/.test(file.line(target))) target++;
    }
    out.push({ scope: m[1] === "file" ? "file" : "next-line", rules, reason, region, targetLine: target, used: false });
  }
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

/** Words that stand in for a reason without giving one. */
const PLACEHOLDERS = new Set(
  ["todo", "tbd", "fixme", "xxx", "wip", "na", "none", "null", "nil", "no", "reason", "temp", "tmp", "later", "ignore", "ignored", "skip", "disable", "disabled", "suppress", "suppressed", "test", "ok", "fine"],
);

/**
 * Whether a suppression's reason says something (the strict preset honours no other): at least
 * three letters or digits, and not only placeholder words (`todo`, `n/a`, `tbd`, `wip` …).
 */
export function isMeaningfulReason(reason: string | undefined): boolean {
  const words = reason?.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.join("").length < 3) return false;
  return !words.every((w) => PLACEHOLDERS.has(w));
}

/** An in-source suppression as a run saw it (LintResult.suppressions). */
export interface SuppressionRecord {
  file: string;
  line: number;
  column: number;
  /** A comment directive, or a Kubernetes annotation `ignore-check.bulkhead.dev/<rule>`. */
  kind: "comment" | "annotation";
  /** What it covers: the next line, the whole file, or the annotated object. */
  scope: "next-line" | "file" | "object";
  /** Rule ids; empty means every rule. */
  rules: string[];
  reason: string | undefined;
  /** False when the strict preset does not honour it (no meaningful reason). */
  honoured: boolean;
}

export function commentRecord(file: string, s: CommentSuppression, honoured: boolean): SuppressionRecord {
  return { file, line: s.region.startLine, column: s.region.startColumn, kind: "comment", scope: s.scope, rules: s.rules, reason: s.reason, honoured };
}
