// A policy compiled into a rule: the same shape as the built-in rules (meta + visitors), so the
// engine runs it with the same levels, presets, overrides, suppressions, baselines and reports.
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Rule, RuleContext, RuleMeta } from "../rule.js";
import { renderRuleDoc } from "../catalog.js";
import type { Region } from "../types.js";
import { pathMatcher } from "../glob.js";
import { serviceReporter } from "../selectors/compose.js";
import { isHighEntropy, isLiteralSecretValue, isSecretName, maskSecret, quote, urlWithPassword } from "../secrets/index.js";
import { composeTargets, dockerfileTargets, k8sTargets, type Target } from "./targets.js";
import type { PolicyLocation, PolicySpec } from "./types.js";

/** The placeholders a `message` may use. */
export const TEMPLATE_FIELDS = ["label", "value", "path", "error"] as const;

/** The file name an example is linted as when it names none: one the target's parser reads. */
export function defaultExampleName(spec: PolicySpec): string {
  return spec.target.startsWith("k8s/") ? "example.yaml" : spec.target.startsWith("compose/") ? "compose.yaml" : "Dockerfile";
}

export function policyRule(spec: PolicySpec, schemas: { when?: ValidateFunction; assert: ValidateFunction }, at: PolicyLocation): Rule {
  const meta: RuleMeta = {
    id: spec.id,
    level: spec.level,
    summary: spec.summary,
    remediation: spec.remediation,
    tags: [...new Set(["policy", ...(spec.tags ?? [])])],
  };
  meta.docs = renderRuleDoc(meta, policyReadme(spec, at));
  const inFiles = spec.files ? pathMatcher(spec.files) : () => true;
  const kinds = spec.kinds ? new Set(spec.kinds) : undefined;

  /** Checks each target; reports every failing node once (its errors together). */
  const check = (targets: Target[], ctx: RuleContext) => {
    const shared = serviceReporter(ctx);
    const seen = new Set<string>();
    for (const t of targets) {
      if (schemas.when && !schemas.when(t.value)) continue;
      if (schemas.assert(t.value)) continue;
      const all = schemas.assert.errors ?? [];
      const atNode = new Map<string, { region: Region; errors: ErrorObject[] }>();
      for (const err of problems(all)) {
        if (err.keyword === "required" && t.partial) continue; // a patch need not repeat what it does not change
        // A missing property is reported at the object that should hold it (SPEC §10).
        const region = t.locate(err.keyword === "required" ? segmentsOf(err.instancePath) : pointer(err));
        const key = `${region.startLine}:${region.startColumn}:${region.endLine}:${region.endColumn}`;
        // A node another target reported already (shared through a YAML alias): once. Compose
        // services sharing a merge key's node are collected by the service reporter instead.
        if (!t.service && seen.has(key) && !atNode.has(key)) continue;
        seen.add(key);
        const group = atNode.get(key);
        if (group) group.errors.push(err);
        else atNode.set(key, { region, errors: [err] });
      }
      for (const { region, errors } of atNode.values()) {
        const message = (label: string) => render(spec, { label, errors, all, value: t.value }, ctx);
        if (t.service) shared.report(t.service, region, message);
        else ctx.report({ region, message: message(t.label), logicalLocation: t.logical });
      }
    }
    shared.flush();
  };

  const family = spec.target.slice(0, spec.target.indexOf("/"));
  if (family === "k8s") {
    return {
      meta,
      k8s(obj, ctx) {
        if (!inFiles(ctx.file.path) || (kinds && !kinds.has(obj.kind))) return;
        check(k8sTargets(spec.target, obj), ctx);
      },
    };
  }
  if (family === "compose") {
    return {
      meta,
      compose(doc, ctx) {
        if (inFiles(ctx.file.path)) check(composeTargets(spec.target, doc), ctx);
      },
    };
  }
  return {
    meta,
    dockerfile(doc, ctx) {
      if (inFiles(ctx.file.path)) check(dockerfileTargets(spec.target, doc), ctx);
    },
  };
}

/**
 * The errors that are problems of the target: a branch of a failing `anyOf`/`oneOf` is an
 * alternative, not a problem of its own (the combinator's error stands for them); an `if` error
 * only repeats its `then`/`else` errors, a `propertyNames` error the error about the key itself.
 */
function problems(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  return errors.filter((e) => e.keyword !== "if" && e.keyword !== "propertyNames" && !combinators.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`)));
}

function segmentsOf(instancePath: string): string[] {
  return instancePath === "" ? [] : instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The pointer of the node an error is about: for `required` and `additionalProperties`, the property itself. */
function pointer(err: ErrorObject): string[] {
  const segments = segmentsOf(err.instancePath);
  if (err.propertyName !== undefined) return [...segments, err.propertyName]; // propertyNames: the offending key
  if (err.keyword === "additionalProperties") return [...segments, (err.params as { additionalProperty: string }).additionalProperty];
  if (err.keyword === "required") return [...segments, (err.params as { missingProperty: string }).missingProperty];
  return segments;
}

function valueAt(value: unknown, segments: string[]): unknown {
  let v = value;
  for (const s of segments) {
    if (v === null || typeof v !== "object") return undefined;
    v = Array.isArray(v) ? v[Number(s)] : Object.prototype.hasOwnProperty.call(v, s) ? (v as Record<string, unknown>)[s] : undefined;
  }
  return v;
}

/** `securityContext.runAsUser`, `ports[0].hostPort` (keys are the scanned file's: quoted, as every message quotes scanned text). */
function pathWords(segments: string[]): string {
  return quote(segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("").replace(/^\./, ""));
}

/** The error in words with its path: `image does not match ^registry\.acme\.io/`. */
function withPath(err: ErrorObject, all: ErrorObject[]): string {
  const path = pathWords(pointer(err));
  return `${path ? `${path} ` : ""}${errorWords(err, all)}`;
}

/** The schema error in words, read after the path; a failing `anyOf`/`oneOf` says what each form lacks. */
function errorWords(err: ErrorObject, all: ErrorObject[]): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "required":
      return "is missing";
    case "additionalProperties":
      return "is not allowed";
    case "pattern":
      return `does not match ${String(p.pattern)}`;
    case "const":
      return `is not ${JSON.stringify(p.allowedValue)}`;
    case "enum":
      return `is not one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `is not ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${String(p.type)}`;
    case "not":
      return "is not allowed";
    case "anyOf":
    case "oneOf": {
      // The first error of each alternative (`…/anyOf/0/…`, `…/anyOf/1/…`).
      const firsts = new Map<string, ErrorObject>();
      for (const e of all) {
        const branch = e.schemaPath.startsWith(`${err.schemaPath}/`) ? e.schemaPath.slice(err.schemaPath.length + 1).split("/")[0] : undefined;
        if (branch !== undefined && !firsts.has(branch)) firsts.set(branch, e);
      }
      if (err.keyword === "oneOf" && firsts.size === 0) return "matches more than one of the allowed forms";
      return `matches none of the allowed forms (${[...firsts.values()].map((e) => withPath(e, all)).join("; or ")})`;
    }
    default:
      return err.message ?? "is invalid";
  }
}

interface Fill {
  label: string;
  /** The errors at one node (the first is the template's); `all` of the target, for combinators. */
  errors: ErrorObject[];
  all: ErrorObject[];
  /** The target's value. */
  value: unknown;
}

/**
 * The finding's message: the policy's template filled in with the node's first error, or the
 * label, every error at the node in words, and the summary.
 */
function render(spec: PolicySpec, fill: Fill, ctx: RuleContext): string {
  const first = fill.errors[0];
  const segments = pointer(first);
  if (spec.message) {
    const fields: Record<(typeof TEMPLATE_FIELDS)[number], string> = {
      label: fill.label,
      value: shownValue(valueAt(fill.value, segments), segments[segments.length - 1], ctx),
      path: pathWords(segments),
      error: errorWords(first, fill.all),
    };
    return spec.message.replace(/\{\{\s*(label|value|path|error)\s*\}\}/g, (_, f: keyof typeof fields) => fields[f]);
  }
  return `${fill.label}: ${fill.errors.map((e) => withPath(e, fill.all)).join("; ")}. ${spec.summary}`;
}

const MAX_SHOWN = 80;

/**
 * A value for a message, masked wherever it looks like a secret (SPEC §4): by its name (a
 * `DB_PASSWORD` of low entropy), then by quote()'s look at the text itself; shortened.
 */
function shownValue(value: unknown, name: string | undefined, ctx: RuleContext): string {
  if (value === undefined) return "(none)";
  const masked = redact(value, name, ctx, 0);
  return quote(typeof masked === "string" ? masked : JSON.stringify(masked), MAX_SHOWN);
}

/** Strings that look secret replaced by their masked form, inside lists and mappings too. */
function redact(value: unknown, name: string | undefined, ctx: RuleContext, depth: number): unknown {
  if (typeof value === "string") return looksSecret(value, name, ctx) ? maskSecret(value) : value;
  if (value === null || typeof value !== "object" || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, name, ctx, depth + 1));
  const obj = value as Record<string, unknown>;
  // `{ name: DB_PASSWORD, value: … }` (a Kubernetes env entry): the value is named by its sibling.
  const named = typeof obj.name === "string" ? obj.name : undefined;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redact(v, k === "value" && named ? named : k, ctx, depth + 1)]));
}

function looksSecret(value: string, name: string | undefined, ctx: RuleContext): boolean {
  if (!isLiteralSecretValue(value, ctx.isAllowedSecret, name)) return false;
  return (name !== undefined && isSecretName(name)) || urlWithPassword(value) !== undefined || isHighEntropy(value);
}

/** `--explain` and SARIF help for a policy: what it requires, what it checks, how to fix, its examples. */
function policyReadme(spec: PolicySpec, at: PolicyLocation): string {
  const scope = [spec.kinds ? `objects of kind ${spec.kinds.join(", ")}` : undefined, spec.files ? `files matching ${spec.files.map((f) => `\`${f}\``).join(", ")}` : undefined].filter(Boolean);
  const fence = (text: string) => {
    const ticks = "`".repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
    return `${ticks}${spec.target.startsWith("dockerfile/") ? "dockerfile" : "yaml"}\n${text.trimEnd()}\n${ticks}`;
  };
  const examples = (spec.examples ?? []).map((e) => (e.bad !== undefined ? `Bad:\n\n${fence(e.bad)}` : `Good:\n\n${fence(e.good ?? "")}`));
  return [
    `# ${spec.id}`,
    "",
    "## What it does",
    "",
    `A custom policy (\`${at.file}\` line ${at.line}): it checks each \`${spec.target}\`${scope.length ? ` (${scope.join("; ")})` : ""} against its schema.`,
    "",
    "## How to fix",
    "",
    spec.remediation,
    ...(examples.length ? ["", "## Examples", "", examples.join("\n\n")] : []),
    "",
  ].join("\n");
}
