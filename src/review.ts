// What a pull request does to the policy that judges it, for the people who review it: which
// configuration and baseline the run used (and from where), the suppressions the pull request
// adds (comment directives and annotations in the files it changes), and what its version of
// the configuration loosens relative to the base's. The Action prints it in its log and job
// summary; nothing here changes a finding.
import { visible } from "./visible.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { LintResult } from "./engine/lint.js";
import type { PolicyText } from "./engine/policy-file.js";
import { parseRawConfig, type RawConfig } from "./engine/config.js";
import { commentRecord, parseCommentSuppressions, type SuppressionRecord } from "./engine/suppressions.js";
import { annotationRecord, annotationSuppressions } from "./engine/annotations.js";
import { createSourceFile } from "./source.js";
import { classify } from "./discover/classify.js";
import { parseYaml } from "./parsers/yaml.js";
import { k8sObjectsOf } from "./parsers/k8s.js";
import { changedFiles } from "./changed.js";
import { showAtCommit } from "./policy-ref.js";
import { UsageError } from "./errors.js";
import { escapeMarkdown } from "./reporters/markdown.js";
import { redactSecrets } from "./secrets/index.js";

export interface PolicyReview {
  /** The configuration and baseline used: path, and where the text came from. */
  config: string;
  baseline: string | undefined;
  /** Things a reviewer should know (a file the base lacks, a comparison that could not be made). */
  notes: string[];
  /** Suppressions in files the pull request changes that the base's version of the file does not have. */
  addedSuppressions: SuppressionRecord[] | undefined;
  /** What the configuration used loosens or changes relative to the base's (with config-from head). */
  configChanges: string[] | undefined;
}

export interface ReviewInput {
  /** The run's base directory (the workspace), where git runs. */
  cwd: string;
  result: LintResult;
  /** The pull request's base commit, if there is one in the clone. */
  baseCommit: string | undefined;
  /** The base's configuration (whatever config-from is), to compare the one used with. */
  baseConfig: PolicyText | false | undefined;
  /** Where the configuration came from: "head" (the work tree) or "base". */
  configFrom: "head" | "base";
  notes: string[];
}

export function reviewPolicy(input: ReviewInput, knownRules: ReadonlySet<string>): PolicyReview {
  const { cwd, result, baseCommit } = input;
  const notes = [...input.notes];
  const describe = (source: LintResult["policyFiles"]["config"]) => (source ? `${show(source.path)} from the ${source.origin ?? "work tree"}` : undefined);
  const review: PolicyReview = {
    config: describe(result.policyFiles.config) ?? "none: the defaults",
    baseline: describe(result.policyFiles.baseline),
    notes,
    addedSuppressions: undefined,
    configChanges: undefined,
  };
  if (!baseCommit) return review;

  try {
    const changed = changedFiles(baseCommit, cwd);
    const mergeBase = changed.mergeBase;
    review.addedSuppressions = addedSuppressions(result.suppressions, changed.paths, (file) => {
      if (mergeBase === undefined) return undefined;
      const at = showAtCommit(cwd, mergeBase, file);
      return "text" in at ? at.text : undefined;
    });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    notes.push(`the suppressions this pull request adds could not be listed: ${err.message}`);
  }

  const used = result.policyFiles.config;
  if (input.configFrom === "head" && input.baseConfig !== undefined) {
    try {
      const head = used ? parseRawConfig({ text: readFileSync(path.resolve(cwd, used.path), "utf8"), path: used.path }, knownRules) : {};
      const base = input.baseConfig ? parseRawConfig(input.baseConfig, knownRules) : {};
      review.configChanges = configChanges(head, base);
      const basePath = input.baseConfig ? input.baseConfig.path : undefined;
      if (used && basePath !== undefined && path.resolve(cwd, used.path) !== path.resolve(cwd, basePath)) {
        review.configChanges.unshift(`the configuration used is ${show(used.path)}, not the base's ${show(basePath)}`);
      }
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      notes.push(`the configuration could not be compared with the base's: ${err.message}`);
    }
  }
  return review;
}

/**
 * The suppressions of `head` in a changed file that the file's base version does not have, as a
 * multiset of (kind, scope, rules, reason): moving a suppression is not adding one; adding a
 * second identical one is.
 */
export function addedSuppressions(head: SuppressionRecord[], changed: ReadonlySet<string>, baseText: (file: string) => string | undefined): SuppressionRecord[] {
  const added: SuppressionRecord[] = [];
  const byFile = new Map<string, SuppressionRecord[]>();
  for (const s of head) {
    if (!changed.has(s.file)) continue;
    const list = byFile.get(s.file);
    if (list) list.push(s);
    else byFile.set(s.file, [s]);
  }
  for (const [file, records] of byFile) {
    const text = baseText(file);
    const before = new Map<string, number>();
    for (const s of text === undefined ? [] : suppressionsIn(file, text)) before.set(keyOf(s), (before.get(keyOf(s)) ?? 0) + 1);
    for (const s of records) {
      const left = before.get(keyOf(s)) ?? 0;
      if (left > 0) before.set(keyOf(s), left - 1);
      else added.push(s);
    }
  }
  return added;
}

function keyOf(s: SuppressionRecord): string {
  return [s.kind, s.scope, s.rules.join(","), s.reason ?? ""].join("\0");
}

/** The suppressions a version of a file holds: its comment directives and, in YAML, the annotations of its Kubernetes objects. */
function suppressionsIn(file: string, text: string): SuppressionRecord[] {
  const source = createSourceFile(file, file, classify(file), text);
  const out = parseCommentSuppressions(source).map((s) => commentRecord(file, s, true));
  if (source.kind === "yaml" && text.includes("ignore-check.bulkhead.dev/")) {
    for (const doc of parseYaml(source, "1.1").docs) {
      for (const o of k8sObjectsOf(source, doc.root, doc.index, "default")) out.push(...annotationSuppressions(o).map((a) => annotationRecord(file, a, true)));
    }
  }
  return out;
}

/** What `head` changes relative to `base`, one line each, the loosening kind first. */
export function configChanges(head: RawConfig, base: RawConfig): string[] {
  const out: string[] = [];
  const changedValue = (key: string, h: unknown, b: unknown, fallback: unknown) => {
    if (JSON.stringify(h ?? fallback) !== JSON.stringify(b ?? fallback)) out.push(`${key}: ${show(b ?? fallback)} → ${show(h ?? fallback)}`);
  };
  changedValue("failOn", head.failOn, base.failOn, "error");
  changedValue("preset", head.preset, base.preset, "recommended");
  const level = (s: RawConfig["rules"] extends Record<string, infer S> | undefined ? S | undefined : never) =>
    typeof s === "string" ? s : (s?.level ?? "default");
  for (const id of [...new Set([...Object.keys(base.rules ?? {}), ...Object.keys(head.rules ?? {})])].sort()) {
    const [h, b] = [head.rules?.[id], base.rules?.[id]];
    if (JSON.stringify(h) === JSON.stringify(b)) continue;
    const options = (s: typeof h) => JSON.stringify(typeof s === "object" ? s.options : undefined);
    out.push(`rules: ${id}: ${level(b)} → ${level(h)}${options(h) !== options(b) ? " (options changed)" : ""}`);
  }
  for (const [key, h, b] of [
    ["exclude", head.exclude, base.exclude],
    ["secrets.allow", head.secrets?.allow, base.secrets?.allow],
  ] as const) {
    for (const glob of h ?? []) if (!(b ?? []).includes(glob)) out.push(`${key}: adds ${show(glob)}`);
  }
  changedValue("include", head.include, base.include, ["**/*"]);
  changedValue("namespace", head.namespace, base.namespace, "default");
  const added = <T>(h: T[] | undefined, b: T[] | undefined) => (h ?? []).filter((e) => !(b ?? []).some((x) => JSON.stringify(x) === JSON.stringify(e)));
  for (const o of added(head.overrides, base.overrides)) out.push(`overrides: adds files ${show(o.files)} with rules ${show(o.rules ?? {})}`);
  for (const i of added(head.ignore, base.ignore)) {
    out.push(`ignore: adds ${i.rule}${i.files ? ` in ${show(i.files)}` : " everywhere"}${i.object ? ` for ${show(i.object)}` : ""}${i.reason !== undefined ? `, reason ${show(i.reason)}` : ", no reason"}`);
  }
  return out;
}

/** Text from the pull request (a path, a reason, a glob, an error naming them) for a log line or a summary: secret-looking parts masked, then shown escaped (src/visible.ts). */
function inert(s: string): string {
  return visible(redactSecrets(s));
}

/** A value from the pull request's files, quoted as JSON, masked (before it is cut), shown escaped, and cut to a line's length. */
function show(value: unknown): string {
  const json = redactSecrets(JSON.stringify(value) ?? "");
  return visible(json.length <= MAX_VALUE ? json : `${json.slice(0, MAX_VALUE)}…`);
}

const MAX_VALUE = 300;

function suppressionLine(s: SuppressionRecord): string {
  const what = s.kind === "comment" ? `bulkhead-disable-${s.scope}` : "annotation";
  const rules = s.rules.length > 0 ? inert(s.rules.join(", ")) : "all rules";
  const reason = s.reason ? `reason ${show(s.reason)}` : "no reason";
  return `${show(s.file)}:${s.line} ${what} ${rules}, ${reason}${s.honoured ? "" : " (not honoured: the strict preset needs a meaningful reason)"}`;
}

/** Lines listed at most per list (a job summary holds 1 MiB; a list this long is itself the news). */
const MAX_LISTED = 200;

function capped(lines: string[]): string[] {
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), `… and ${lines.length - MAX_LISTED} more`];
}

/** The review as log lines. */
export function reviewText(review: PolicyReview): string {
  const out = [`Configuration: ${review.config}`, `Baseline: ${review.baseline ?? "none"}`];
  for (const n of review.notes) out.push(`Note: ${inert(n)}`);
  if (review.addedSuppressions) {
    out.push(review.addedSuppressions.length === 0 ? "Suppressions added by this pull request: none" : `Suppressions added by this pull request (${review.addedSuppressions.length}):`);
    out.push(...capped(review.addedSuppressions.map(suppressionLine)).map((l) => `  ${l}`));
  }
  if (review.configChanges) {
    out.push(review.configChanges.length === 0 ? "Configuration changes relative to the base: none" : "Configuration changes relative to the base:");
    out.push(...capped(review.configChanges).map((l) => `  ${l}`));
  }
  return out.join("\n");
}

/** The review as a job summary section. */
export function reviewMarkdown(review: PolicyReview): string {
  const out = ["### Policy", "", `- Configuration: ${escapeMarkdown(review.config)}`, `- Baseline: ${escapeMarkdown(review.baseline ?? "none")}`];
  for (const n of review.notes) out.push(`- Note: ${escapeMarkdown(inert(n))}`);
  if (review.addedSuppressions) {
    out.push("", `#### Suppressions added by this pull request: ${review.addedSuppressions.length || "none"}`, "");
    out.push(...capped(review.addedSuppressions.map(suppressionLine)).map((l) => `- ${escapeMarkdown(l)}`));
  }
  if (review.configChanges) {
    out.push("", `#### Configuration changes relative to the base: ${review.configChanges.length || "none"}`, "");
    out.push(...capped(review.configChanges).map((l) => `- ${escapeMarkdown(l)}`));
  }
  out.push("");
  return out.join("\n");
}
