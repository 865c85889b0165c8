// Policy files: found from `policies:` in the configuration and `--policy`, parsed as YAML,
// validated against schemas/policy.schema.json and compiled into rules. Every mistake is a
// ConfigError naming the policy file, the line and column, and what was expected (exit 2).
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { globbySync, isDynamicPattern } from "globby";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { PEntry, PMap, PNode, Region } from "../types.js";
import schema from "../../schemas/policy.schema.json" with { type: "json" };
import { ConfigError, UsageError } from "../errors.js";
import { createSourceFile } from "../source.js";
import { asMap, parseYaml, toPlain } from "../parsers/yaml.js";
import { toPosix } from "../discover/discover.js";
import { locate, pickError, suggestion, yamlProblemDetail } from "../engine/config-errors.js";
import { assertNoEscape } from "../engine/policy-file.js";
import { compilePolicySchema } from "./schemas.js";
import { policyRule, TEMPLATE_FIELDS } from "./rule.js";
import { RESERVED_NAMESPACES, type LoadedPolicy, type PolicySpec } from "./types.js";

/** Where policies are named: a path, directory or glob, relative to `dir`. */
export interface PolicySource {
  pattern: string;
  dir: string;
  /** Raises the error for a path that names no policy file. */
  none(): Error;
  /** Where its files are read from; default: the work tree (workTreeReader). */
  reader?: PolicyReader;
}

/** Where policy files are found and read: the work tree, or a commit (src/policies/at-commit.ts). */
export interface PolicyReader {
  /** The policy files a source names: absolute paths, sorted. */
  files(source: PolicySource): string[];
  /** A file's text (`shown` names it in messages). */
  read(abs: string, shown: string): string;
  /** Where the files come from when not the work tree ("base commit 1a2b3c4"): messages say so. */
  origin?: string;
}

export const POLICY_EXTENSIONS = ["yml", "yaml", "json"];

/** Whether a file name has a policy file's extension. */
export function isPolicyFileName(file: string): boolean {
  return POLICY_EXTENSIONS.includes(path.extname(file).slice(1).toLowerCase());
}

/**
 * Loads every policy the sources name, in path order (a file named twice is read once). `base` is
 * the run's base directory (messages name files relative to it); a file inside one of `roots`
 * must not lead out of it through a symbolic link.
 */
export function loadPolicies(sources: PolicySource[], base: string, roots: string[]): LoadedPolicy[] {
  const tree = workTreeReader(roots);
  const files = new Map<string, PolicyReader>();
  for (const source of sources) {
    const reader = source.reader ?? tree;
    const found = reader.files(source);
    if (found.length === 0) throw source.none();
    for (const f of found) if (!files.has(f)) files.set(f, reader);
  }
  const policies: LoadedPolicy[] = [];
  const byId = new Map<string, LoadedPolicy>();
  for (const [abs, reader] of files) {
    const shown = shownPath(abs, base);
    for (const policy of parsePolicies(reader.read(abs, shown), shown, reader.origin)) {
      const other = byId.get(policy.spec.id);
      if (other) {
        const { file, line, column } = policy.at;
        throw new ConfigError(file, line, column, `duplicate policy id: the same id is defined at ${other.at.file}:${other.at.line}; ids are unique`, reader.origin);
      }
      byId.set(policy.spec.id, policy);
      policies.push(policy);
    }
  }
  return policies;
}

/**
 * Policy files of the work tree: a file, each policy file of a directory (recursively), or the
 * files a glob matches. A file inside one of `roots` must not lead out of it through a link.
 */
function workTreeReader(roots: string[]): PolicyReader {
  return {
    files(source) {
      if (isDynamicPattern(source.pattern)) {
        return globbySync(source.pattern, { cwd: source.dir, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: false }).filter(isPolicyFileName).sort();
      }
      const abs = path.resolve(source.dir, source.pattern);
      let isDir: boolean;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        return [];
      }
      if (!isDir) return [abs];
      return globbySync(`**/*.{${POLICY_EXTENSIONS.join(",")}}`, { cwd: abs, absolute: true, onlyFiles: true, followSymbolicLinks: false }).sort();
    },
    read(abs, shown) {
      assertNoEscape(abs, roots, "policy file");
      try {
        return readFileSync(abs, "utf8");
      } catch {
        throw new UsageError(`cannot read policy file "${shown}"`);
      }
    },
  };
}

/** How messages name a policy file: relative to the base when inside it, else absolute. */
function shownPath(abs: string, base: string): string {
  const rel = toPosix(path.relative(base, abs));
  return rel.startsWith("../") || rel === ".." || path.isAbsolute(rel) ? abs : rel;
}

/**
 * The policies of a policy file's text: one policy, a list of them, or several YAML documents of
 * either (`shown` names the file in messages, `origin` where it was read from if not the work tree).
 */
export function parsePolicies(text: string, shown: string, origin?: string): LoadedPolicy[] {
  const fail = (region: { startLine: number; startColumn: number }, detail: string) => new ConfigError(shown, region.startLine, region.startColumn, detail, origin);
  const parsed = parseYaml(createSourceFile(shown, shown, "yaml", text), "1.2");
  if (parsed.problems.length > 0) throw fail(parsed.problems[0].region, yamlProblemDetail(parsed.problems[0].code));
  const out: LoadedPolicy[] = [];
  for (const doc of parsed.docs) {
    const root = doc.root;
    if (!root) continue;
    const nodes = root.type === "seq" ? root.items : [root];
    if (root.type === "seq" && root.items.length === 0) throw fail(root.range, "an empty list: expected one or more policies");
    for (const node of nodes) out.push(loadOne(node, shown, fail));
  }
  if (out.length === 0) throw fail({ startLine: 1, startColumn: 1 }, "no policy in the file: expected a policy (a mapping with id, level, summary, remediation, target and assert) or a list of them");
  return out;
}

function loadOne(node: PNode, shown: string, fail: (region: Region, detail: string) => Error): LoadedPolicy {
  const value = toPlain(node);
  const validate = policyValidator();
  if (!validate(value)) {
    // An unknown key first: a misspelt one also makes the key it stands for "missing".
    const errors = validate.errors ?? [];
    const err = errors.find((e) => e.keyword === "additionalProperties") ?? pickError(errors);
    throw fail(locate(node, err) ?? node.range, policyErrorDetail(err));
  }
  const spec = value as PolicySpec;
  const map = asMap(node) as PMap;
  const entry = (key: string) => map.entry(key) as PEntry;
  const namespace = spec.id.slice(0, spec.id.indexOf("/"));
  if (RESERVED_NAMESPACES.includes(namespace)) {
    throw fail(entry("id").value.range, `"id" uses a reserved namespace (${RESERVED_NAMESPACES.join(", ")} are bulkhead's own): expected your own, e.g. "acme/${spec.id.slice(namespace.length + 1)}"`);
  }
  if (spec.kinds && !spec.target.startsWith("k8s/")) {
    throw fail(entry("kinds").keyRange, `"kinds" applies to Kubernetes targets only (k8s/object, k8s/pod-spec, k8s/container); this policy's target is ${spec.target}`);
  }
  if (spec.message) {
    for (const m of spec.message.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)) {
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1])) {
        throw fail(entry("message").value.range, `"message" has an unknown placeholder: expected ${TEMPLATE_FIELDS.map((f) => `{{${f}}}`).join(", ")}`);
      }
    }
  }
  const compile = (key: "when" | "assert") => {
    const e = map.entry(key);
    return e ? compilePolicySchema(key, e.value, spec[key], fail) : undefined;
  };
  const when = compile("when");
  const assert = compile("assert")!;
  const idEntry = entry("id");
  const at = (e: PEntry) => ({ file: shown, line: e.keyRange.startLine, column: e.keyRange.startColumn });
  const exampleItems = asMap(node)?.get("examples");
  const examples = (spec.examples ?? []).map((example, i) => {
    const item = asMap(exampleItems?.type === "seq" ? exampleItems.items[i] : undefined);
    const e = item?.entry(example.bad !== undefined ? "bad" : "good") ?? idEntry;
    return { example, at: at(e) };
  });
  return { spec, at: at(idEntry), examples, rule: policyRule(spec, { when, assert }, at(idEntry)) };
}

// ---- validation of the policy file's shape ----

let validator: ValidateFunction | undefined;

function policyValidator(): ValidateFunction {
  if (validator) return validator;
  const Ajv = createRequire(import.meta.url)("ajv") as typeof import("ajv").default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema);
  validator = ajv.getSchema(`${schema.$id}#/definitions/policy`)!;
  return validator;
}

const POLICY_KEYS = Object.keys(schema.definitions.policy.properties);
const EXAMPLE_KEYS = Object.keys(schema.definitions.policy.properties.examples.items.properties);

/** What was expected, for an error of the policy's shape (keys the file writes are not quoted: only the schema's). */
function policyErrorDetail(err: ErrorObject): string {
  const segments = err.instancePath.split("/").slice(1);
  const known = [...POLICY_KEYS, ...EXAMPLE_KEYS];
  const where = segments.length === 0 ? "the policy" : `"${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : known.includes(s) ? `.${s}` : ".…")).join("").replace(/^\./, "")}"`;
  const inExample = segments[0] === "examples";
  switch (err.keyword) {
    case "additionalProperties": {
      const allowed = inExample ? EXAMPLE_KEYS : POLICY_KEYS;
      const typed = (err.params as { additionalProperty: string }).additionalProperty;
      return `unknown key in ${where}: expected one of ${allowed.map((k) => `"${k}"`).join(", ")}${suggestion(typed, allowed)}`;
    }
    case "required":
      return `${where} is missing "${(err.params as { missingProperty: string }).missingProperty}"${inExample ? "" : " (a policy has id, level, summary, remediation, target and assert)"}`;
    case "enum":
      return `${where} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      if (segments[0] === "id") return `"id" must be <namespace>/<slug> in lower case letters, digits and dashes, e.g. "acme/approved-registry"`;
      if (segments[2] === "filename") return `${where} must be a relative file name without ".." (e.g. "deploy/app.yaml")`;
      return `${where} must match ${(err.params as { pattern: string }).pattern}`;
    case "oneOf":
      return `${where} must have exactly one of "bad" and "good"`;
    case "type":
      return `${where} must be ${(err.params as { type: string | string[] }).type.toString().replace(",", " or ")}`;
    default:
      return `${where} ${err.message ?? "is invalid"}`;
  }
}
