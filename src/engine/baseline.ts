import { readFileSync, writeFileSync } from "node:fs";
import type { Finding } from "../types.js";
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
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write baseline "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return (JSON.parse(text) as BaselineFile).findings.length;
}

/** Reads a baseline's fingerprints; a missing or malformed file is a usage error (exit 2). */
export function readBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read baseline "${file}": ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String(err)} (create one with --write-baseline)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`baseline "${file}" is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const entries = (doc as Partial<BaselineFile> | null)?.findings;
  if (!Array.isArray(entries) || entries.some((e) => typeof (e as BaselineEntry | null)?.fingerprint !== "string")) {
    throw new UsageError(`baseline "${file}" is not a bulkhead baseline: expected {"findings": [{"fingerprint": "…"}, …]} (create one with --write-baseline)`);
  }
  return new Set(entries.map((e: BaselineEntry) => e.fingerprint));
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
