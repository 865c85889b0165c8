import type { LintResult } from "../engine/lint.js";
import type { Finding, Level } from "../types.js";
import { active } from "./summary.js";
import { type Chunks, joinChunks, jsonChunks, streamed } from "./stream.js";

/** GitLab Code Quality severities: info, minor, major, critical, blocker. */
export const GITLAB_SEVERITY: Record<Level, "critical" | "minor" | "info"> = { error: "critical", warning: "minor", note: "info" };

export interface CodeQualityIssue {
  type: "issue";
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  categories: string[];
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * A GitLab Code Quality report (a CodeClimate-style JSON array), for
 * `artifacts: reports: codequality`. Suppressed findings are left out: GitLab has no notion
 * of a dismissed issue, and a baselined finding must not show up as new in a merge request.
 */
export function toGitlab(result: LintResult): CodeQualityIssue[] {
  return active(result.findings).map(toIssue);
}

function toIssue(f: Finding): CodeQualityIssue {
  return {
    type: "issue",
    description: f.message,
    check_name: f.ruleId,
    fingerprint: f.fingerprint,
    severity: GITLAB_SEVERITY[f.level],
    categories: ["Security"],
    location: { path: f.file, lines: { begin: f.region.startLine, end: Math.max(f.region.endLine, f.region.startLine) } },
  };
}

export function formatGitlab(result: LintResult): string {
  return joinChunks(gitlabReport(result));
}

/** formatGitlab as pieces: each issue is made and written in turn. */
export function* gitlabReport(result: LintResult): Chunks {
  yield* jsonChunks(streamed(active(result.findings), toIssue));
  yield "\n";
}
