import type { LintResult } from "../engine/lint.js";
import type { Finding } from "../types.js";
import { visible, visibleLineStart } from "../visible.js";
import { binaryFilesLine, failsRun, humanView } from "./summary.js";
import { type Chunks, joinChunks } from "./stream.js";

/**
 * JUnit XML: one <testsuite> per file with findings, one <testcase> per rule in that file.
 * A rule with an unsuppressed finding at or above the run's fail-on level is a <failure>
 * (type = the highest level, every finding of the rule there listed in the body), so a CI's test
 * view fails exactly when the exit code does; a rule whose findings there are all below it is a
 * passing testcase that lists them in <system-out>; a rule whose findings there are all
 * suppressed is <skipped>. Every unsuppressed finding is listed once, as in the GitLab and SARIF
 * reports. Binary files not scanned are one <skipped> testcase with their count, not a failing
 * suite each (see humanView). A run without findings gives one passing testcase, so CI systems
 * that reject an empty report still show a green test. File paths are shown `visible` (the
 * messages already are).
 */
export function formatJunit(result: LintResult): string {
  return joinChunks(junitReport(result));
}

/** formatJunit as pieces: the totals are counted first, then each file's suite is written in turn. */
export function* junitReport(result: LintResult): Chunks {
  const { listed, binaryFiles } = humanView(result.findings);
  const shown = new Set(listed);
  const byFile = new Map<string, Map<string, Finding[]>>();
  for (const f of result.findings) {
    if (!f.suppressions?.length && !shown.has(f)) continue; // counted in the binary-files testcase

    let rules = byFile.get(f.file);
    if (!rules) byFile.set(f.file, (rules = new Map()));
    const list = rules.get(f.ruleId);
    if (list) list.push(f);
    else rules.set(f.ruleId, [f]);
  }
  const files = [...byFile.keys()].sort();

  // A rule with unsuppressed findings at or above fail-on in a file fails; one whose findings there
  // are all suppressed is skipped; the others pass.
  const open = (findings: Finding[]) => findings.filter((f) => !f.suppressions?.length);
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  for (const rules of byFile.values()) {
    for (const findings of rules.values()) {
      totalTests++;
      const unsuppressed = open(findings);
      if (unsuppressed.some((f) => failsRun(f.level, result.failOn))) totalFailures++;
      else if (unsuppressed.length === 0) totalSkipped++;
    }
  }
  if (binaryFiles > 0) {
    totalTests++;
    totalSkipped++;
  }
  // A run without findings gives one passing testcase.
  const clean = files.length === 0 && binaryFiles === 0;
  if (clean) totalTests = 1;

  yield `<?xml version="1.0" encoding="UTF-8"?>\n`;
  yield `<testsuites name="bulkhead" tests="${totalTests}" failures="${totalFailures}" errors="0" skipped="${totalSkipped}">\n`;
  for (const file of files) {
    const rules = byFile.get(file)!;
    const shown = visible(file);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const ruleId of [...rules.keys()].sort()) {
      const findings = rules.get(ruleId)!;
      const unsuppressed = open(findings);
      const head = `    <testcase name="${attr(ruleId)}" classname="${attr(shown)}" file="${attr(shown)}"`;
      if (unsuppressed.length === 0) {
        skipped++;
        const why = findings[0].suppressions?.[0]?.justification;
        cases.push(`${head}>\n      <skipped message="${attr(`suppressed${why ? `: ${why}` : ""}`)}"/>\n    </testcase>`);
        continue;
      }
      const body = unsuppressed.map((f) => `${visibleLineStart(file)}:${f.region.startLine}:${f.region.startColumn} ${f.level} ${f.message}`).join("\n");
      if (!unsuppressed.some((f) => failsRun(f.level, result.failOn))) {
        cases.push(`${head}>\n      <system-out>${text(body)}</system-out>\n    </testcase>`);
        continue;
      }
      failures++;
      const level = unsuppressed.some((f) => f.level === "error") ? "error" : unsuppressed.some((f) => f.level === "warning") ? "warning" : "note";
      const message = unsuppressed.length === 1 ? unsuppressed[0].message : `${unsuppressed.length} findings: ${unsuppressed[0].message}`;
      cases.push(`${head}>\n      <failure type="${level}" message="${attr(message)}">${text(body)}</failure>\n    </testcase>`);
    }
    yield `  <testsuite name="${attr(shown)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>\n`;
  }
  if (binaryFiles > 0) {
    yield `  <testsuite name="bulkhead" tests="1" failures="0" errors="0" skipped="1">\n    <testcase name="binary files" classname="bulkhead">\n      <skipped message="${attr(binaryFilesLine(binaryFiles))}"/>\n    </testcase>\n  </testsuite>\n`;
  }
  if (clean) {
    yield `  <testsuite name="bulkhead" tests="1" failures="0" errors="0" skipped="0">\n    <testcase name="no findings" classname="bulkhead"/>\n  </testsuite>\n`;
  }
  yield `</testsuites>\n`;
}

/** Characters XML 1.0 cannot hold at all (even escaped) become U+FFFD. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

function text(s: string): string {
  return clean(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function attr(s: string): string {
  return text(s).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
