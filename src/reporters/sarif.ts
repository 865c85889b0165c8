import type * as Sarif from "sarif";
import type { LintResult, RuleDescriptor } from "../engine/lint.js";
import type { Level } from "../types.js";
import { HOMEPAGE } from "../version.js";
import { jsonForLogs } from "../visible.js";

export interface SarifOptions {
  /** runs[0].automationDetails.id, to tell several runs in one repository apart. */
  automationId?: string;
}

const SECURITY_SEVERITY: Record<Level, string> = { error: "8.0", warning: "5.0", note: "2.0" };

export function ruleHelpUri(id: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${id.replace("/", "-")}.md`;
}

/** A SARIF 2.1.0 log with one run, as GitHub code scanning accepts it. */
export function toSarif(result: LintResult, options: SarifOptions = {}): Sarif.Log {
  const rules = result.rules.filter((r) => r.effectiveLevel !== "off");
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Sarif.Result[] = result.findings
    .filter((f) => index.has(f.ruleId))
    .map((f) => {
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
    });
  const parseErrors = result.parseErrors.map(
    (f): Sarif.Notification => ({
      level: "error",
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(f.file), uriBaseId: "%SRCROOT%" }, region: { startLine: f.region.startLine, startColumn: f.region.startColumn } } }],
      descriptor: { id: f.ruleId },
    }),
  );
  return {
    version: "2.1.0",
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
        // The files of test data and vendored code (only secret formats checked there), counted.
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: parseErrors, ...(result.testData?.files ? { properties: { testData: result.testData } } : {}) }],
        results,
      },
    ],
  };
}

export function formatSarif(result: LintResult, options: SarifOptions = {}): string {
  return jsonForLogs(toSarif(result, options)) + "\n";
}

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
    helpUri: ruleHelpUri(r.id),
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
