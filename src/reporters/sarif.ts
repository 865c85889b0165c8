import type * as Sarif from "sarif";
import type { LintResult, RuleDescriptor } from "../engine/lint.js";
import type { Finding, Level } from "../types.js";
import { type Counts, LEVELS, countFindings, plural } from "./summary.js";
import { type Chunks, joinChunks, jsonChunks, streamed } from "./stream.js";
import { HOMEPAGE } from "../version.js";

export interface SarifOptions {
  /** runs[0].automationDetails.id, to tell several runs in one repository apart. */
  automationId?: string;
}

const SECURITY_SEVERITY: Record<Level, string> = { error: "8.0", warning: "5.0", note: "2.0" };

export function ruleHelpUri(id: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${id.replace("/", "-")}.md`;
}

/**
 * What GitHub code scanning accepts of an uploaded SARIF file (its documentation, "SARIF support
 * for code scanning" and "SARIF results exceed one or more limits"): a file of at most 10 MB
 * gzip-compressed, 20 runs, 25,000 results and 25,000 rules per run, 1,000 locations per result
 * (100 shown), 20 tags per rule (10 shown). A run with more than 5,000 results is accepted but
 * only 5,000 are kept. bulkhead writes one run, one location per result and at most a handful of
 * tags per rule; it keeps the results within the 5,000 (choosing them itself: the most severe) and
 * the file itself under 10 MB, so that compressed it is too.
 */
export const SARIF_LIMITS = { results: 5000, bytes: 10_000_000 } as const;

/** Results left out to keep the SARIF within SARIF_LIMITS. */
export interface SarifCut {
  /** Results written (the most severe). */
  kept: number;
  /** Results there were. */
  total: number;
  /** What was left out, per level (suppressed apart). */
  left: Counts;
  /** What bounded it: the count of results, or the file's size. */
  by: "results" | "bytes";
}

/** The run-level notification (and the Action's log line and job summary note) for a cut SARIF. */
export function sarifCutMessage(cut: SarifCut): string {
  const left = [...LEVELS.filter((l) => cut.left[l] > 0).map((l) => plural(cut.left[l], l)), ...(cut.left.suppressed > 0 ? [`${cut.left.suppressed} suppressed`] : [])];
  const limit =
    cut.by === "results"
      ? `GitHub code scanning keeps at most ${SARIF_LIMITS.results} results of a run`
      : `GitHub code scanning rejects a SARIF file over 10 MB`;
  return `${limit}: this SARIF file holds the ${cut.kept} most severe of ${cut.total} results; ${cut.total - cut.kept} left out (${left.join(", ")}). The text and JSON reports list every finding.`;
}

/** The SARIF report as pieces (results made and written one by one), and what it left out. */
export function sarifReport(result: LintResult, options: SarifOptions = {}): { chunks: Chunks; cut?: SarifCut } {
  const { log, kept, cut } = sarifRun(result, options);
  const run = log.runs[0];
  const chunks = (function* () {
    yield* jsonChunks({ ...log, runs: streamed([{ ...run, results: streamed(kept, run.toResult) }]) });
    yield "\n";
  })();
  return { chunks, ...(cut ? { cut } : {}) };
}

export function formatSarif(result: LintResult, options: SarifOptions = {}): string {
  return joinChunks(sarifReport(result, options).chunks);
}

/** A SARIF 2.1.0 log with one run, as GitHub code scanning accepts it (the whole log as objects). */
export function toSarif(result: LintResult, options: SarifOptions = {}): Sarif.Log {
  const { log, kept } = sarifRun(result, options);
  const { toResult, ...run } = log.runs[0];
  return { ...log, runs: [{ ...run, results: kept.map(toResult) }] };
}

type RunWithoutResults = Omit<Sarif.Run, "results"> & { toResult: (f: Finding) => Sarif.Result };

/**
 * Everything of the log but its results, the findings that become results (in their order) and
 * what was left out. Within SARIF_LIMITS: unsuppressed errors first, then warnings, notes, and
 * suppressed findings last, each in report order, as many as fit.
 */
function sarifRun(result: LintResult, options: SarifOptions): { log: Omit<Sarif.Log, "runs"> & { runs: [RunWithoutResults] }; kept: Finding[]; cut?: SarifCut } {
  const rules = result.rules.filter((r) => r.effectiveLevel !== "off");
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const toResult = (f: Finding): Sarif.Result => {
    const r: Sarif.Result = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.level,
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(f.file), uriBaseId: "%SRCROOT%" },
            region: {
              startLine: f.region.startLine,
              startColumn: f.region.startColumn,
              endLine: f.region.endLine,
              endColumn: Math.max(f.region.endColumn, f.region.endLine === f.region.startLine ? f.region.startColumn + 1 : 1),
            },
          },
          ...(f.logicalLocation ? { logicalLocations: [{ fullyQualifiedName: f.logicalLocation }] } : {}),
        },
      ],
      partialFingerprints: { "bulkhead/v1": f.fingerprint },
    };
    if (f.suppressions?.length) {
      r.suppressions = f.suppressions.map((s) => ({ kind: s.kind, ...(s.justification ? { justification: s.justification } : {}) }));
    }
    return r;
  };
  const findings = result.findings.filter((f) => index.has(f.ruleId));
  const notifications = result.parseErrors.map(
    (f): Sarif.Notification => ({
      level: "error",
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(f.file), uriBaseId: "%SRCROOT%" }, region: { startLine: f.region.startLine, startColumn: f.region.startColumn } } }],
      descriptor: { id: f.ruleId },
    }),
  );
  const invocation: Sarif.Invocation = {
    executionSuccessful: true,
    toolExecutionNotifications: notifications,
    // The files of test data and vendored code (only secret formats checked there), counted.
    ...(result.testData?.files ? { properties: { testData: result.testData } } : {}),
  };
  const log = {
    version: "2.1.0" as const,
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: {
          driver: {
            name: "bulkhead",
            semanticVersion: result.version,
            version: result.version,
            informationUri: HOMEPAGE,
            rules: rules.map(describeRule),
          },
        },
        ...(options.automationId ? { automationDetails: { id: options.automationId } } : {}),
        originalUriBaseIds: { "%SRCROOT%": { uri: pathToUri(result.base) } },
        invocations: [invocation],
        toResult,
      },
    ] as [RunWithoutResults],
  };

  // The bytes left for the results: the limit less the rest of the log (and room for the notice below).
  const { toResult: _, ...rest } = log.runs[0];
  let room = SARIF_LIMITS.bytes - Buffer.byteLength(JSON.stringify({ ...log, runs: [{ ...rest, results: [] }] }, null, 2)) - CUT_NOTICE_BYTES;
  const rank = (f: Finding) => (f.suppressions?.length ? LEVELS.length : LEVELS.indexOf(f.level));
  const bySeverity = findings.map((f, i) => ({ f, i, rank: rank(f) })).sort((a, b) => a.rank - b.rank || a.i - b.i);
  const keep = new Set<number>();
  let by: SarifCut["by"] | undefined;
  for (const { f, i } of bySeverity) {
    if (keep.size >= SARIF_LIMITS.results) {
      by = "results";
      break;
    }
    // A result's size as written: its JSON with every line indented by 8 spaces, after ",\n".
    const json = JSON.stringify(toResult(f), null, 2);
    room -= Buffer.byteLength(json) + 8 * json.split("\n").length + 2;
    if (room < 0) {
      by = "bytes";
      break;
    }
    keep.add(i);
  }
  if (!by) return { log, kept: findings };
  const kept = findings.filter((_, i) => keep.has(i));
  const cut: SarifCut = { kept: kept.length, total: findings.length, left: countFindings(findings.filter((_, i) => !keep.has(i))), by };
  invocation.toolExecutionNotifications = [...notifications, { level: "warning", message: { text: sarifCutMessage(cut) }, descriptor: { id: "bulkhead/sarif-limits" } }];
  return { log, kept, cut };
}

/** Bytes kept for the notification that counts what was left out. */
const CUT_NOTICE_BYTES = 1000;

function describeRule(r: RuleDescriptor): Sarif.ReportingDescriptor {
  const level = r.effectiveLevel === "off" ? r.level : r.effectiveLevel;
  const cwes = r.tags.filter((t) => /^CWE-\d+$/.test(t)).map((t) => `external/cwe/${t.toLowerCase()}`);
  const tags = [...new Set([...r.tags.filter((t) => !/^CWE-\d+$/.test(t)), ...cwes])];
  const markdown = r.docs ?? `${r.summary}\n\n**How to fix:** ${r.remediation}`;
  return {
    id: r.id,
    name: toPascal(r.id),
    shortDescription: { text: r.summary },
    fullDescription: { text: `${r.summary} ${r.remediation}` },
    help: { text: `${r.summary}\n\nHow to fix: ${r.remediation}`, markdown },
    // A custom policy's documentation is its help text: bulkhead's site has no page for it.
    ...(r.tags.includes("policy") ? {} : { helpUri: ruleHelpUri(r.id) }),
    defaultConfiguration: { level },
    properties: {
      tags,
      ...(tags.includes("security") ? { "security-severity": SECURITY_SEVERITY[level] } : {}),
      precision: "high",
    },
  };
}

function toPascal(id: string): string {
  return id
    .split(/[/-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/**
 * A path relative to the scanned root as a relative URI reference: each segment
 * percent-encoded (UTF-8) except the characters RFC 3986 allows in a segment as they are, so
 * `#`, `?`, `%`, spaces and non-ASCII names stay part of the path. A colon is encoded too: a
 * first segment such as `https:` or `file:` would otherwise make the URI absolute, pointing
 * outside `%SRCROOT%`.
 */
function relativeUri(file: string): string {
  return file.split("/").map((segment) => encodeSegment(segment, /[^A-Za-z0-9\-._~!$&'()*+,;=@]/gu)).join("/");
}

/** The scanned root as a `file:` URI (with a trailing slash, as a base must have). */
function pathToUri(abs: string): string {
  const p = abs.split("\\").join("/");
  const segments = p.split("/").map((segment) => encodeSegment(segment, /[^A-Za-z0-9\-._~!$&'()*+,;=@:]/gu));
  return `file://${p.startsWith("/") ? "" : "/"}${segments.join("/")}/`;
}

function encodeSegment(segment: string, unsafe: RegExp): string {
  // Buffer.from encodes a lone surrogate as U+FFFD rather than throwing as encodeURIComponent would.
  return segment.replace(unsafe, (c) => [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""));
}
