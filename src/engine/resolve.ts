// Resolve, the first phase of a run (DESIGN.md, "The pipeline"): the options and the
// configuration become what the run applies: the rules (built-in and custom policies), the
// preset and each rule's settings, the documents those rules read, the baseline, and what git
// says has changed (--changed-since). Every usage or configuration error is thrown here or in
// discover, before a file is read.
import { realpathSync } from "node:fs";
import path from "node:path";
import type { DocumentKind, Rule } from "../rule.js";
import type { PresetName } from "../types.js";
import { toPosix } from "../discover/discover.js";
import type { FailOn, ResolvedConfig } from "./config.js";
import { configTextOf, resolveRules } from "./rules.js";
import { unknownRuleDetail } from "./config-errors.js";
import type { PolicyText } from "./policy-file.js";
import type { FileIdentity } from "./fingerprint.js";
import { parseBaseline, readBaselineFile } from "./baseline.js";
import { documentsRead, SettingsResolver } from "./settings.js";
import { UsageError } from "../errors.js";
import { changedFiles, policyChanged, type ChangedFiles } from "../changed.js";
import { GitRepositories } from "../git.js";
import { parsePssVersion, type PssVersion } from "../pss/version.js";
import type { LoadedPolicy } from "../policies/types.js";
import type { LintOptions } from "./lint.js";

/** A run as resolved from its options: what every later phase reads (and none changes). */
export interface Run {
  options: LintOptions;
  /** Absolute base directory; finding paths are relative to it. */
  base: string;
  /** The paths scanned (default ["."]). */
  paths: string[];
  /** Directories a policy file inside them must stay inside (symbolic links): the base and the scanned paths. */
  roots: string[];
  configText: PolicyText | undefined;
  config: ResolvedConfig;
  /** Built-in rules, then the policies. */
  rules: Rule[];
  policies: LoadedPolicy[];
  preset: PresetName;
  strict: boolean;
  pssVersion: PssVersion;
  failOn: FailOn;
  /** Namespace for Kubernetes objects that set none. */
  defaultNamespace: string;
  maxFileSize: number;
  baselineText: PolicyText | undefined;
  baselinePrints: Set<string> | undefined;
  /** Git runs once per repository per run: --changed-since and discovery share what they found. */
  repositories: GitRepositories;
  /** How fingerprints name a file: its path in its repository (baselines match from any directory). */
  identity: FileIdentity;
  changed: ChangedFiles | undefined;
  /**
   * With --changed-since, whether the report is limited to some files: not when the configuration
   * or a custom policy file changed (then every file is reported).
   */
  selective: boolean;
  settings: SettingsResolver;
  /**
   * The documents a rule that may run reads: a file whose documents none reads is not parsed (its
   * syntax errors go unreported). --changed-since follows every kind across files.
   */
  reads: Set<DocumentKind>;
}

export function resolve(options: LintOptions): Run {
  const base = realpathSync(path.resolve(options.cwd ?? process.cwd()));
  const paths = options.paths && options.paths.length > 0 ? options.paths : ["."];

  // A policy file inside the base directory or a scanned path must stay inside it (symbolic links).
  const roots = [base, ...(options.stdin ? [] : paths.map((p) => path.resolve(base, p)))];
  const configText = configTextOf(options.config, base, options.stdin ? "." : paths[0], roots);
  // The built-in rules and the custom policies (`policies:`, `--policy`), compiled into rules.
  const { config, rules, knownRules, policies } = resolveRules(configText, base, options.policies ?? [], roots);
  for (const id of Object.keys(options.rules ?? {})) {
    if (!knownRules.has(id)) throw new UsageError(`--rule: ${unknownRuleDetail(id, knownRules)}`);
  }
  const preset = options.preset ?? config.preset;
  const pssVersion = pssVersionOf(options.pssVersion, config.pssVersion);
  const failOn = options.failOn ?? config.failOn;
  const defaultNamespace = options.namespace ?? config.namespace ?? "default";
  const maxFileSize = options.maxFileSize ?? 10 * 1024 * 1024;
  const baselineText = typeof options.baseline === "string" ? readBaselineFile(path.resolve(base, options.baseline), roots) : options.baseline;
  const baselinePrints = baselineText ? parseBaseline(baselineText) : undefined;
  const repositories = new GitRepositories();
  const identity = repositoryPath(base, repositories);
  if (options.staged && options.stdin) throw new UsageError("--staged reports the files of git's index; standard input is none of them");
  const changed = options.changedSince !== undefined && !options.stdin ? changedFiles(options.changedSince, base, repositories, { tracked: options.staged }) : undefined;

  const settings = new SettingsResolver(config, options.rules ?? {}, preset);
  const reads = changed ? new Set<DocumentKind>(["dockerfile", "compose", "k8s"]) : documentsRead(settings, rules);
  return {
    options,
    base,
    paths,
    roots,
    configText,
    config,
    rules,
    policies,
    preset,
    strict: preset === "strict",
    pssVersion,
    failOn,
    defaultNamespace,
    maxFileSize,
    baselineText,
    baselinePrints,
    repositories,
    identity,
    changed,
    selective: changed !== undefined && !policyChanged(changed, base, [config.file, ...policies.map((p) => path.resolve(base, p.at.file))]),
    settings,
    reads,
  };
}

/** The run's PSS version: the option's (a usage error when it is not a version), else the configuration's, else latest. */
function pssVersionOf(option: string | undefined, configured: PssVersion): PssVersion {
  if (option === undefined) return configured;
  const v = parsePssVersion(option);
  if (v === undefined) throw new UsageError(`--pss-version must be "latest" or "v1.N" (such as v1.30), as Pod Security Admission writes versions; got ${JSON.stringify(option)}`);
  return v;
}

/**
 * A file's path in the git work tree that holds it (a path relative to `base` otherwise): what
 * fingerprints name, so that baselines match from any working directory. No git runs: the work
 * tree is the nearest directory with `.git`, found as discovery finds it.
 */
function repositoryPath(base: string, repositories: GitRepositories): (file: string) => string {
  return (file) => {
    const abs = path.resolve(base, file);
    const top = repositories.workTreeOf(path.dirname(abs));
    return top === undefined ? file : toPosix(path.relative(top, abs)) || ".";
  };
}
