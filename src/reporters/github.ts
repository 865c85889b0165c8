import type { LintResult } from "../engine/lint.js";
import type { Finding, Level } from "../types.js";
import { closingNotes, humanView } from "./summary.js";
import { type Chunks, eachLine, joinChunks } from "./stream.js";

/** The workflow command for each level: notes become notices (GitHub has no "note"). */
export const GITHUB_COMMAND: Record<Level, "error" | "warning" | "notice"> = { error: "error", warning: "warning", note: "notice" };

/** Escapes a workflow command's message, as @actions/core does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a workflow command's property value: also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * The annotation properties of a finding. GitHub accepts columns only on a single-line
 * annotation, so a finding spanning lines carries line and endLine only.
 */
export function annotationOf(f: Finding): { file: string; startLine: number; endLine: number; startColumn?: number; endColumn?: number; title: string } {
  const { startLine, startColumn, endLine, endColumn } = f.region;
  const props: ReturnType<typeof annotationOf> = { file: f.file, startLine, endLine: Math.max(endLine, startLine), title: f.ruleId };
  if (props.endLine === startLine) {
    props.startColumn = startColumn;
    props.endColumn = Math.max(endColumn, startColumn);
  }
  return props;
}

/**
 * GitHub workflow commands, one per unsuppressed finding:
 * `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`; binary files not
 * scanned and test data are one notice each (see humanView).
 */
export function formatGithub(result: LintResult): string {
  return joinChunks(githubReport(result));
}

/** formatGithub as pieces, a command each. */
export function githubReport(result: LintResult): Chunks {
  return eachLine(githubLines(result));
}

function* githubLines(result: LintResult): Generator<string> {
  const { listed, binaryFiles } = humanView(result.findings);
  for (const f of listed) {
    const a = annotationOf(f);
    const props: [string, string | number | undefined][] = [
      ["file", a.file],
      ["line", a.startLine],
      ["col", a.startColumn],
      ["endLine", a.endLine],
      ["endColumn", a.endColumn],
      ["title", a.title],
    ];
    const list = props
      .filter((p): p is [string, string | number] => p[1] !== undefined)
      .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
      .join(",");
    yield `::${GITHUB_COMMAND[f.level]} ${list}::${escapeData(f.message)}`;
  }
  // One notice, on no file, for what was not fully checked.
  for (const line of closingNotes(result, binaryFiles)) yield `::notice title=bulkhead::${escapeData(line)}`;
}
