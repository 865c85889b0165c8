import type { RuleMeta } from "../rule.js";

/** Findings the engine itself raises; listed with the rules so every report can describe them. */
export const PARSE_ERROR: RuleMeta = {
  id: "bulkhead/parse-error",
  level: "error",
  summary: "A file could not be parsed, so its policies could not be checked.",
  remediation: "Fix the syntax error at the reported line and column.",
  tags: ["security", "correctness"],
};

export const UNUSED_SUPPRESSION: RuleMeta = {
  id: "bulkhead/unused-suppression",
  level: "note",
  summary: "A suppression comment or annotation matched no finding.",
  remediation: "Remove the stale suppression, or fix its rule id.",
  tags: ["maintainability"],
};

export const SUPPRESSION_REASON: RuleMeta = {
  id: "bulkhead/suppression-reason",
  level: "note",
  summary:
    "In the strict preset a suppression must give a meaningful reason (after `--` in a comment, as the value of an annotation): at least three letters or digits, not a placeholder such as `todo`; one without is not honoured.",
  remediation: "Say why: `# bulkhead-disable-next-line <rule> -- <why>`, or `ignore-check.bulkhead.dev/<rule>: \"<why>\"`.",
  tags: ["maintainability"],
};

export const FILE_SKIPPED: RuleMeta = {
  id: "bulkhead/file-skipped",
  level: "note",
  summary:
    "A file was not scanned, or not fully (binary, too large, unreadable, not UTF-8, a template, a symbolic link that is not followed, a Dockerfile without instructions). Files bulkhead lints are reported as bulkhead/scan-incomplete instead.",
  remediation: "Nothing to fix unless the file should be scanned: render templates and lint the output with --stdin.",
  tags: ["maintainability"],
};

export const SCAN_INCOMPLETE: RuleMeta = {
  id: "bulkhead/scan-incomplete",
  level: "warning",
  summary:
    "Something bulkhead lints was not scanned: a tracked Dockerfile, compose file, Kubernetes manifest or `.env` that is too large, binary or unreadable, or a tracked Dockerfile too large to parse; a symbolic link with such a name that leaves the scanned directory; a file or directory whose name is not UTF-8; or a git work tree where git is missing or refuses to run (tracked files unknown). The strict preset makes it an error.",
  remediation:
    "Make the file scannable (split it, fix its encoding, rename it, point the link inside the scanned directory), or make git usable (install it; for dubious ownership, `git config --global --add safe.directory <dir>`).",
  tags: ["security", "correctness"],
};

/** How a FILE_SKIPPED note about a binary file ends (the human-readable reports count these on one line). */
export const BINARY_SKIPPED = "binary file; not scanned";

export const BUILTIN_RULES: RuleMeta[] = [PARSE_ERROR, UNUSED_SUPPRESSION, SUPPRESSION_REASON, FILE_SKIPPED, SCAN_INCOMPLETE];
