// lint(): one run of bulkhead, the pipeline of DESIGN.md ("The pipeline") in five phases, each a
// module of its own:
//   1. resolve.ts   the configuration, the rules (built-in and policies), the preset and settings
//   2. discover.ts  the files, their kinds, what git tracks
//   3. read.ts      each file read and parsed (parse.ts), what keeps it from being checked reported
//   4. check.ts     the rules run on each file, then those that need every file
//   5. finalize.ts  suppressions, baseline, order, redaction: the result
// scan.ts runs 3 and 4 one file at a time (the streaming loop); context.ts is what they share.
import { performance } from "node:perf_hooks";
import type { RuleMeta } from "../rule.js";
import type { Finding, Level, LevelSetting, PresetName } from "../types.js";
import type { FailOn } from "./config.js";
import type { PolicyText } from "./policy-file.js";
import type { SuppressionRecord } from "./suppressions.js";
import { resolve, type Run } from "./resolve.js";
import { hasVisitor, loadPolicyLoader, loadRules, PolicyLoaderNeeded } from "./rules.js";
import { discoverFiles } from "./discover.js";
import { ScanContext } from "./context.js";
import { scan } from "./scan.js";
import { Offload } from "./offload.js";
import { finalize } from "./finalize.js";

export { raiseForStrict } from "./settings.js";
export { compareFindings } from "./finalize.js";

export async function lint(options: LintOptions = {}): Promise<LintResult> {
  const start = performance.now();
  const run = await resolveLoading(options); // resolve.ts: configuration, rules, preset, settings, baseline, git
  const offload = new Offload(run.rules.flatMap((r) => (hasVisitor(r, "text") ? [r.meta.id] : [])), run.config.secretsAllow, run.reads); // offload.ts: the worker thread of a large run
  // A worker for a large run; not for --changed-since, which reads the few files its report needs.
  const discovery = await discoverFiles(run, () => (run.selective ? undefined : offload.start())).catch((err: unknown) => {
    offload.stop(); // started by a discovery that failed later
    throw err;
  }); // discover.ts: the files, their kinds, what git tracks
  run.rules = await loadRules(run.rules, discovery.files); // rules.ts: the modules of the rules these files need
  const discovered = performance.now();
  const ctx = new ScanContext(run, discovery); // context.ts: sources, suppressions, findings
  const scanned = await scan(ctx, offload); // scan.ts: each file read and parsed (read.ts), indexed, checked (check.ts); the worker stopped
  const perFile = await scanned.checker.atEnd(); // check.ts: the rules that need every file, decisions made later
  return finalize(ctx, scanned, perFile, { start, discovered }); // finalize.ts: suppressions, baseline, order, redaction
}

/** resolve(), with the policy loader loaded first when `--policy` is given, or when the configuration turns out to name policies. */
async function resolveLoading(options: LintOptions): Promise<Run> {
  if (options.policies && options.policies.length > 0) await loadPolicyLoader();
  try {
    return resolve(options);
  } catch (err) {
    if (!(err instanceof PolicyLoaderNeeded)) throw err;
    await loadPolicyLoader();
    return resolve(options);
  }
}

export interface LintOptions {
  /** Files or directories to scan (default "."). */
  paths?: string[];
  /** Base directory: paths in reports are relative to it (default process.cwd()). */
  cwd?: string;
  /**
   * Config file; default: .bulkhead.yml/.bulkhead.yaml found upward from the first path. false:
   * none. Or the configuration's text with the path it has in the tree (relative to cwd: its
   * directory is the base of its globs) and, for messages, where it came from (`origin`, e.g. a
   * commit: see src/policy-ref.ts).
   */
  config?: string | false | PolicyText;
  preset?: PresetName;
  /** The Pod Security Standards version (`latest` or `v1.N`) the pss-* presets and the new PSS rules evaluate; default: the config's `pss.version`, else latest. */
  pssVersion?: string;
  /** `--rule id=level` overrides, applied after the config. */
  rules?: Record<string, LevelSetting>;
  failOn?: FailOn;
  /** Namespace for Kubernetes objects that set none (default "default"). */
  namespace?: string;
  /** Audit file modes; default: on outside a git work tree. */
  checkPermissions?: boolean;
  /**
   * Lint this text as if it were the file `filename` (relative to cwd). Given as bytes, it is
   * checked like a file: binary input is a note and not scanned, invalid UTF-8 a note.
   */
  stdin?: { text: string | Uint8Array; filename: string };
  /** Largest file scanned, in bytes (default 10 MiB). */
  maxFileSize?: number;
  /** Baseline file (relative to cwd), or its text: findings whose fingerprint it records are suppressed (kind external). */
  baseline?: string | PolicyText;
  /** Report only files changed since the merge base of this git ref and HEAD, plus the files whose findings depend on them. */
  changedSince?: string;
  /**
   * Report only the files in git's index (tracked, or staged to be added): what a commit holds.
   * Files git does not know are still read as context (a build context holds them) but never
   * reported, nor changes for `changedSince`. Needs a git work tree.
   */
  staged?: boolean;
  /** Files this run writes (reports, SARIF, a baseline; relative to cwd): not scanned. The `baseline` file is not scanned either. */
  outputs?: string[];
  /** Custom policy files, directories or globs (relative to cwd), besides the configuration's `policies:` (`--policy`). */
  policies?: string[];
  /** Called after each file is parsed. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Run the rules that read text alone (the secret scans) and the Dockerfile parsing on a worker
   * thread while the main thread parses YAML and runs the other rules (same results either way).
   * Default: when the run has at least 2,000 files.
   */
  threads?: boolean;
}

export interface RuleDescriptor extends RuleMeta {
  /** Level in force for this run (after preset and configuration), or "off". */
  effectiveLevel: LevelSetting;
  /** Markdown documentation (the rule's README), when available. */
  docs?: string;
}

export interface LintResult {
  version: string;
  /** Absolute base directory; finding paths are relative to it. */
  base: string;
  preset: PresetName;
  failOn: FailOn;
  /** Every finding, sorted by file, line, column, rule; suppressed ones carry `suppressions`. */
  findings: Finding[];
  /** The rules that ran (and the engine's own), in id order. */
  rules: RuleDescriptor[];
  filesScanned: number;
  /** Parse failures (also present in findings as bulkhead/parse-error). */
  parseErrors: Finding[];
  /** The configuration and baseline the run used (paths relative to `base` when inside it), and where their text came from. */
  policyFiles: { config?: PolicySource; baseline?: PolicySource };
  /** Every suppression comment and annotation of the scanned files, in file and line order. */
  suppressions: SuppressionRecord[];
  /**
   * Files in test data, fixtures, vendored code or example docs, where only high-confidence secret
   * checks ran (see the `testData` setting): how many, and how many per directory name or glob
   * that marked them (`{ "fixtures/": 120, "node_modules/": 3 }`).
   */
  testData: { files: number; by: Record<string, number> };
  timing: {
    discoverMs: number;
    parseMs: number;
    rulesMs: number;
    totalMs: number;
    /** Whether the text rules ran on a worker thread (see LintOptions.threads). */
    textWorker: boolean;
    /** Files whose documents the worker thread parsed (the rest were parsed on the main thread). */
    parsedOnWorker: number;
  };
}

/** A policy file as a result names it: its path and, when not read from the work tree, where from. */
export interface PolicySource {
  path: string;
  origin?: string;
}

const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/** Whether a result fails the run at the given threshold (suppressed findings never fail). */
export function failsAt(result: Pick<LintResult, "findings">, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  return result.findings.some((f) => !f.suppressions?.length && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]);
}
