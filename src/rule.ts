import type {
  ComposeDoc,
  DockerfileDoc,
  K8sObject,
  Level,
  PresetName,
  ReportInput,
  SourceFile,
  TextReport,
} from "./types.js";
import type { Workspace } from "./workspace/workspace.js";
import type { PssControl } from "./pss/controls.js";
import type { PssVersion } from "./pss/version.js";

export interface RuleMeta {
  /** `<target>/<slug>`, equal to the rule's folder under rules/. */
  id: string;
  /** Level in the recommended preset. */
  level: Level;
  /** One line: what fires, used by --list-rules and SARIF shortDescription. */
  summary: string;
  /** How to fix it, one or two sentences. */
  remediation: string;
  /** Always includes "security"; CWE ids as "CWE-250". */
  tags: string[];
  /**
   * More specific rules that report the same problem: a finding of this rule is dropped when
   * one of these rules reports on the same line of the same file (e.g. repo/hardcoded-secret
   * yields to k8s/committed-secret).
   */
  yieldsTo?: string[];
  /**
   * In test data, fixtures, vendored code and example docs (see src/discover/test-data.ts) a rule
   * does not run, unless it says "high-confidence": then it runs, and only its reports marked
   * `confidence: "high"` (a known token format, not a guess from a name) count there.
   */
  testData?: "high-confidence";
  /**
   * The documents of other files the rule reads through the workspace, besides those its own
   * visitor is given (docker/context-leaks-secrets reads the compose files' build contexts). A
   * file's documents are parsed only when a rule that may run reads them.
   */
  reads?: DocumentKind[];
  /**
   * Its documentation (markdown, as `--explain` prints it) when it has no README under rules/: a
   * custom policy's, written from the policy (src/policies/).
   */
  docs?: string;
  /**
   * The kinds of Kubernetes objects the rule's `k8s` visitor checks, for a rule that reads the
   * whole scan's RBAC objects (rbacIndex): the engine runs it once every file has been read, on
   * the scan's objects of these kinds (workspace.objectsOfKinds), not as each file is read.
   */
  k8sAtEnd?: readonly string[];
  /** JSON schema of the rule's options object and its defaults. */
  options?: { schema: Record<string, unknown>; defaults: Record<string, unknown> };
  /**
   * The Pod Security Standards controls the rule implements: the engine reports their violations
   * under this rule in the pss-* presets and for namespaces with pod-security labels (the rule's
   * own visitors do not run in the pss-* presets).
   */
  pss?: PssControl[];
}

/** What a file parses to: a Dockerfile, a compose file, Kubernetes objects (kustomizations among them). */
export type DocumentKind = "dockerfile" | "compose" | "k8s";

export interface RuleContext {
  file: SourceFile;
  workspace: Workspace;
  preset: PresetName;
  /** The Pod Security Standards version of the run (`--pss-version`, `pss.version`; default latest). */
  pssVersion: PssVersion;
  /** The rule's options, defaults merged with the config's. */
  options: Record<string, unknown>;
  /** True when the user's `secrets.allow` patterns accept this value as not secret. */
  isAllowedSecret(value: string): boolean;
  report(finding: ReportInput): void;
  /**
   * For a finding that depends on every file of the scan (every ServiceAccount, every
   * NetworkPolicy, every Dockerfile), which the engine has not all read yet: `at` is located
   * now, while the file is in memory; `data` is copied (plain values: structured clone); once
   * every file has been read, `decide(data, workspace)` runs with the complete workspace and
   * returns what to report at `at` (nothing, one finding or several). Write `decide` as a
   * module-level function of its arguments: what it closes over stays in memory until the end.
   */
  reportLater<T>(at: LaterLocation, data: T, decide: (data: T, workspace: Workspace) => LaterReport | LaterReport[] | undefined): void;
}

/** Where a `reportLater` finding points: a node or a region (of ctx.file), and optionally its logical location and snippet. */
export type LaterLocation = Pick<ReportInput, "node" | "region" | "logicalLocation" | "snippet">;

/** What a `reportLater` decision reports; logicalLocation and snippet default to the location's. */
export interface LaterReport {
  message: string;
  level?: Level;
  logicalLocation?: string;
  snippet?: string;
}

/**
 * What a `text` visitor sees: the file and nothing else (no workspace, no other file), so the
 * engine may run it on another thread. Its reports are plain data: a region, not a node.
 */
export interface TextContext {
  file: SourceFile;
  /** The rule's options, defaults merged with the config's. */
  options: Record<string, unknown>;
  /** True when the user's `secrets.allow` patterns accept this value as not secret. */
  isAllowedSecret(value: string): boolean;
  report(finding: TextReport): void;
}

/**
 * A rule visits the documents it targets; it never reads the disk or prints. A visitor may be
 * async (secret-pattern scanning is); the engine awaits it.
 */
export interface RuleVisitors {
  dockerfile?(doc: DockerfileDoc, ctx: RuleContext): void | Promise<void>;
  compose?(doc: ComposeDoc, ctx: RuleContext): void | Promise<void>;
  /** Called once per Kubernetes object (each document, each `List` item). */
  k8s?(obj: K8sObject, ctx: RuleContext): void | Promise<void>;
  /** Called for every scanned file, whatever its kind. */
  file?(file: SourceFile, ctx: RuleContext): void | Promise<void>;
  /**
   * Called for every scanned file, with its text alone. On large runs the engine calls it on a
   * worker thread while the main thread parses and runs the other visitors: it must depend on
   * nothing but its arguments (and the rule module's own imports).
   */
  text?(file: SourceFile, ctx: TextContext): void | Promise<void>;
  /**
   * Called once per run, for checks over everything on disk (including files that are not
   * scanned, such as git-ignored credential files); report with `path` set.
   */
  workspace?(workspace: Workspace, ctx: RuleContext): void | Promise<void>;
}

export interface Rule extends RuleVisitors {
  meta: RuleMeta;
}

/**
 * A built-in rule as rules/catalog.ts (generated) lists it: its metadata and the visitors its
 * module defines, known without loading the module, and the loader of that module.
 */
export interface RuleEntry {
  meta: RuleMeta;
  visitors: (keyof RuleVisitors)[];
  load(): Promise<{ default: Rule }>;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
