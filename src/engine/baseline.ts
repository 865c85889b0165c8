import { readFileSync } from "node:fs";
import { writeOutput } from "../output-file.js";
import type { Finding } from "../types.js";
import { createSourceFile } from "../source.js";
import { withoutEnvironment } from "../parsers/yaml.js";
import { yamlLib } from "../parsers/yaml-lib.js";
import { assertNoEscape, type PolicyText } from "./policy-file.js";
import { UsageError } from "../errors.js";
import { VERSION } from "../version.js";

/**
 * A baseline records the fingerprints of known findings so that a team can adopt bulkhead on
 * an existing repository and fail only on new problems. Fingerprints (src/engine/fingerprint.ts)
 * hold the rule id, the file, the logical location and the normalized source text, never the
 * line, so lines inserted above a finding or unrelated reformatting do not void the baseline.
 * The other fields are there for people reading the file; only `fingerprint` is matched.
 */
export interface BaselineFile {
  tool: "bulkhead";
  version: 1;
  createdWith: string;
  findings: BaselineEntry[];
}

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  /** Informative only: the line when the baseline was written. */
  line: number;
  logicalLocation?: string;
}

export const BASELINE_JUSTIFICATION = "baseline";

/** The findings a baseline written now records: unsuppressed ones, and those a baseline already suppresses. */
export function baselineEntries(findings: Finding[]): BaselineEntry[] {
  return findings
    .filter((f) => !f.suppressions?.length || isBaselined(f))
    .map((f) => ({
      fingerprint: f.fingerprint,
      ruleId: f.ruleId,
      file: f.file,
      line: f.region.startLine,
      ...(f.logicalLocation ? { logicalLocation: f.logicalLocation } : {}),
    }));
}

export function serializeBaseline(findings: Finding[]): string {
  const doc: BaselineFile = { tool: "bulkhead", version: 1, createdWith: VERSION, findings: baselineEntries(findings) };
  return JSON.stringify(doc, null, 2) + "\n";
}

/** Writes a baseline of the current findings; returns how many it records. */
export function writeBaseline(file: string, findings: Finding[]): number {
  const text = serializeBaseline(findings);
  writeOutput(file, text, "baseline");
  return (JSON.parse(text) as BaselineFile).findings.length;
}

/** Reads a baseline file of the work tree (refusing one that a symbolic link leads out of `roots`). */
export function readBaselineFile(file: string, roots: string[]): PolicyText {
  assertNoEscape(file, roots, "baseline");
  try {
    return { text: readFileSync(file, "utf8"), path: file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read baseline "${file}": ${code === "ENOENT" ? "no such file" : (code ?? "error")} (create one with --write-baseline)`);
  }
}

/**
 * A baseline's fingerprints; a malformed one is a usage error (exit 2) that names the line and
 * column and what was expected, never quoting the file (it may be any file a link points to).
 */
export function parseBaseline(source: PolicyText): Set<string> {
  const name = `baseline "${source.path}"${source.origin ? ` (read from ${source.origin})` : ""}`;
  let doc: unknown;
  try {
    doc = JSON.parse(source.text);
  } catch (err) {
    const { offset, expected } = jsonError(source.text, err);
    const { startLine, startColumn } = createSourceFile(source.path, source.path, "text", source.text).regionOf(offset, offset);
    throw new UsageError(`${name} is not valid JSON: line ${startLine}, column ${startColumn}: ${expected}`);
  }
  const entries = (doc as Partial<BaselineFile> | null)?.findings;
  if (!Array.isArray(entries) || entries.some((e) => typeof (e as BaselineEntry | null)?.fingerprint !== "string")) {
    throw new UsageError(`${name} is not a bulkhead baseline: expected {"findings": [{"fingerprint": "…"}, …]} (create one with --write-baseline)`);
  }
  return new Set(entries.map((e: BaselineEntry) => e.fingerprint));
}

/**
 * Where JSON.parse failed and what it expected, in words that never quote the text. V8 names the
 * position in most of its messages ("Expected ',' or '}' after property value in JSON at position
 * 8"), which are fixed phrases; its "Unexpected token" messages quote the text instead and give
 * no position: then the yaml library's JSON parse locates the first error.
 */
function jsonError(text: string, err: unknown): { offset: number; expected: string } {
  const message = err instanceof Error ? err.message : "";
  const at = / in JSON at position (\d+)/.exec(message);
  if (at) return { offset: Number(at[1]), expected: message.slice(0, at.index).toLowerCase() };
  if (/^Unexpected end of JSON input/.test(message)) return { offset: text.length, expected: "unexpected end of the file" };
  const located = withoutEnvironment(() => yamlLib().parseDocument(text, { schema: "json", prettyErrors: false, uniqueKeys: false })).errors[0];
  return { offset: located?.pos[0] ?? 0, expected: "unexpected character" };
}

/**
 * Marks findings whose fingerprint the baseline holds as suppressed (kind `external`, as SARIF
 * has it for suppressions kept outside the source). Findings already suppressed in the source
 * or by the configuration keep that suppression. Returns the same array, for chaining.
 */
export function applyBaseline(findings: Finding[], fingerprints: Set<string>): Finding[] {
  for (const f of findings) {
    if (!f.suppressions?.length && fingerprints.has(f.fingerprint)) {
      f.suppressions = [{ kind: "external", justification: BASELINE_JUSTIFICATION }];
    }
  }
  return findings;
}

export function isBaselined(f: Finding): boolean {
  return f.suppressions?.some((s) => s.kind === "external" && s.justification === BASELINE_JUSTIFICATION) === true;
}
