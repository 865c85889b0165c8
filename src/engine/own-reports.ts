// Reports bulkhead wrote are not scanned (issue 11): a SARIF report carries every
// rule's documentation, bad examples included, and a run after `--sarif bulkhead.sarif` reported
// those examples as hardcoded secrets. A file this run writes is left out by its path (LintOptions
// `outputs`); one an earlier run wrote is recognised by the opening that bulkhead's deterministic
// output always has, and then by parsing, and is named in a `bulkhead/file-skipped` note, so a
// file made to look like a report hides nothing silently. A baseline is scanned like any file:
// it holds fingerprints, rule ids and paths, which raise nothing, and it is often committed, so a
// note would come with every run that does not name it.

const JSON_REPORTS: [kind: string, opening: RegExp][] = [
  ["SARIF report", /^\{\s*"version": "2\.1\.0",\s*"\$schema": "[^"\n]*",\s*"runs": \[\s*\{\s*"tool": \{\s*"driver": \{\s*"name": "bulkhead",/],
  ["JSON report", /^\{\s*"version": "[^"\n]*",\s*"preset": "(?:recommended|strict)",\s*"failOn": "\w+",\s*"filesScanned": \d+,/],
];

const OTHER_REPORTS: [kind: string, opening: RegExp][] = [
  ["JUnit report", /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="bulkhead" /],
  ["markdown report", /^## bulkhead: [✔✖] /],
];

/** What kind of bulkhead report the text is ("SARIF report", "JSON report", …), or undefined. */
export function ownOutputKind(text: string): string | undefined {
  const head = text.slice(0, 1024);
  for (const [kind, opening] of OTHER_REPORTS) if (opening.test(head)) return kind;
  for (const [kind, opening] of JSON_REPORTS) {
    if (!opening.test(head)) continue;
    try {
      JSON.parse(text);
      return kind;
    } catch {
      return undefined; // the opening of a report with something else after it: scanned
    }
  }
  return undefined;
}
