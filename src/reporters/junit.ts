import type { LintResult } from "../engine/lint.js";
import type { Finding } from "../types.js";
import { visible, visibleLineStart } from "../visible.js";
import { binaryFilesLine, humanView } from "./summary.js";

/**
 * JUnit XML: one <testsuite> per file with findings, one <testcase> per rule in that file.
 * A rule with unsuppressed findings in the file is a <failure> (type = the highest level,
 * every finding listed in the body); a rule whose findings there are all suppressed is
 * <skipped>. Binary files not scanned are one <skipped> testcase with their count, not a
 * failing suite each (see humanView). A run without findings gives one passing testcase, so CI
 * systems that reject an empty report still show a green test. File paths are shown `visible`
 * (the messages already are).
 */
export function formatJunit(result: LintResult): string {
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

  const suites: string[] = [];
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  for (const file of [...byFile.keys()].sort()) {
    const rules = byFile.get(file)!;
    const shown = visible(file);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const ruleId of [...rules.keys()].sort()) {
      const findings = rules.get(ruleId)!;
      const open = findings.filter((f) => !f.suppressions?.length);
      const head = `    <testcase name="${attr(ruleId)}" classname="${attr(shown)}" file="${attr(shown)}"`;
      if (open.length === 0) {
        skipped++;
        const why = findings[0].suppressions?.[0]?.justification;
        cases.push(`${head}>\n      <skipped message="${attr(`suppressed${why ? `: ${why}` : ""}`)}"/>\n    </testcase>`);
        continue;
      }
      failures++;
      const level = open.some((f) => f.level === "error") ? "error" : open.some((f) => f.level === "warning") ? "warning" : "note";
      const message = open.length === 1 ? open[0].message : `${open.length} findings: ${open[0].message}`;
      const body = open.map((f) => `${visibleLineStart(file)}:${f.region.startLine}:${f.region.startColumn} ${f.level} ${f.message}`).join("\n");
      cases.push(`${head}>\n      <failure type="${level}" message="${attr(message)}">${text(body)}</failure>\n    </testcase>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite name="${attr(shown)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  if (binaryFiles > 0) {
    totalTests++;
    totalSkipped++;
    suites.push(
      `  <testsuite name="bulkhead" tests="1" failures="0" errors="0" skipped="1">\n    <testcase name="binary files" classname="bulkhead">\n      <skipped message="${attr(binaryFilesLine(binaryFiles))}"/>\n    </testcase>\n  </testsuite>`,
    );
  }
  if (suites.length === 0) {
    totalTests = 1;
    suites.push(
      `  <testsuite name="bulkhead" tests="1" failures="0" errors="0" skipped="0">\n    <testcase name="no findings" classname="bulkhead"/>\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="bulkhead" tests="${totalTests}" failures="${totalFailures}" errors="0" skipped="${totalSkipped}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
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
