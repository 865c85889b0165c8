// What an invalid configuration file is told, without quoting it. The file may not be a
// configuration at all (`-c /etc/shadow`, a `.bulkhead.yml` linked to a key file): a message
// names the file, the line and column and what was expected, and never repeats the file's text
// (no key, value or YAML snippet). Names the message does print come from bulkhead itself: the
// schema's keys, the rule catalog.
import type { ErrorObject } from "ajv";
import type { PNode, Region } from "../types.js";
import { asMap, asSeq } from "../parsers/yaml.js";
import schema from "../../schemas/config.schema.json" with { type: "json" };

/** What the YAML grammar expected, per error code of the yaml library (and of src/parsers/yaml.ts). */
const YAML_EXPECTED: Record<string, string> = {
  BAD_INDENT: "items indented consistently, and brackets closed",
  TAB_AS_INDENT: "spaces for indentation, not tabs",
  MISSING_CHAR: "a character that is missing here: a closing bracket or quote, a `,` or `:` between items, or a space",
  UNEXPECTED_TOKEN: "a key, a value or a list item here",
  BAD_SCALAR_START: "a value that does not start with an indicator character (quote it)",
  BAD_DQ_ESCAPE: "a valid escape sequence in a double-quoted string",
  BLOCK_IN_FLOW: "no block collection inside `[…]` or `{…}`",
  BLOCK_AS_IMPLICIT_KEY: "a key on a single line",
  MULTILINE_IMPLICIT_KEY: "a key on a single line",
  KEY_OVER_1024_CHARS: "a key shorter than 1024 characters",
  DUPLICATE_KEY: "each key at most once",
  NON_STRING_KEY: "plain string keys",
  MULTIPLE_DOCS: "a single YAML document",
  MULTIPLE_ANCHORS: "at most one anchor per node",
  MULTIPLE_TAGS: "at most one tag per node",
  BAD_PROP_ORDER: "anchors and tags after the indicator",
  ALIAS_PROPS: "an alias without anchor or tag",
  BAD_ALIAS: "aliases to anchors defined before them",
  ALIAS_BOMB: "a document that aliases do not expand a million-fold",
  TOO_DEEP: "a nesting depth a configuration has",
  BAD_DIRECTIVE: "a valid %YAML or %TAG directive",
  TAG_RESOLVE_FAILED: "no YAML tags (`!…`)",
  BAD_COLLECTION_TYPE: "no YAML tags (`!…`)",
};

/**
 * The message for a YAML syntax error of a configuration file: its kind, never its text. A
 * duplicate key is named when it is one bulkhead knows (a schema key, a rule id).
 */
export function yamlProblemDetail(code: string, key?: string, knownRules?: ReadonlySet<string>): string {
  const known = key !== undefined && (SCHEMA_KEYS.has(key) || knownRules?.has(key));
  return `invalid YAML (${code}): expected ${YAML_EXPECTED[code] ?? "valid YAML"}${known ? ` (${JSON.stringify(key)} is repeated)` : ""}`;
}

/** The names the schema defines (keys bulkhead knows): the only keys a message may print. */
const SCHEMA_KEYS: ReadonlySet<string> = collectKeys(schema);

function collectKeys(node: unknown, out = new Set<string>()): Set<string> {
  if (node === null || typeof node !== "object") return out;
  const props = (node as { properties?: Record<string, unknown> }).properties;
  for (const key of Object.keys(props ?? {})) out.add(key);
  for (const value of Object.values(node)) collectKeys(value, out);
  return out;
}

/** The most useful of ajv's errors: the deepest, preferring a concrete one over a oneOf summary. */
export function pickError(errors: ErrorObject[]): ErrorObject {
  const concrete = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "if" && e.keyword !== "propertyNames");
  const pool = concrete.length > 0 ? concrete : errors;
  return pool.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best), pool[0]);
}

/**
 * What was expected, for an ajv error. The path is printed with the schema's key names and the
 * rule ids bulkhead knows; any other key of the file (a typo, or the text of a file that is not
 * a configuration) is shown as `…`, found by the line and column.
 */
export function schemaErrorDetail(err: ErrorObject, knownRules: ReadonlySet<string>): string {
  const segments = pointerSegments(err.instancePath);
  const shown = segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : SCHEMA_KEYS.has(s) || knownRules.has(s) ? `.${s}` : ".…"));
  const where = shown.length > 0 ? `"${shown.join("").replace(/^\./, "")}"` : "the configuration";
  switch (err.keyword) {
    case "additionalProperties": {
      const parent = allowedKeys(err);
      return `unknown key in ${where}${parent.length > 0 ? `: expected one of ${parent.map((k) => `"${k}"`).join(", ")}${suggestion((err.params as { additionalProperty: string }).additionalProperty, parent)}` : ""}`;
    }
    case "enum":
      return `${where} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${where} must be ${(err.params as { type: string }).type}`;
    case "required":
      return `${where} is missing "${(err.params as { missingProperty: string }).missingProperty}"`;
    case "format":
      return `${where} is not a valid regular expression`;
    case "pattern":
      if (err.propertyName === undefined && err.instancePath === "/pss/version") return `${where} must be "latest" or "v1.N" (such as "v1.30"), as Pod Security Admission writes versions`;
      return `a key of ${where} is not a rule id: rule ids look like "docker/user-not-root" (see bulkhead --list-rules)`;
    case "minLength":
      return `${where} must not be empty`;
    default:
      // ajv's messages state the constraint (from the schema), never the value.
      return `${where} ${err.message ?? "is invalid"}`;
  }
}

/** A path of the configuration as messages print it (`overrides[0].rules.k8s/x.options`): keys bulkhead knows only. */
export function shownPath(segments: string[]): string {
  return segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("").replace(/^\./, "");
}

/**
 * What was expected of a rule's options (`where`: their path, see shownPath), from an ajv error
 * against the rule's options schema: the option's description, or the names of the options there
 * are. An unknown option's name is not repeated (it is the file's text), only the closest known one.
 */
export function optionErrorDetail(err: ErrorObject, where: string, optionSchema: Record<string, unknown>): string {
  const properties = (optionSchema.properties ?? {}) as Record<string, { description?: string }>;
  const names = Object.keys(properties);
  if (err.keyword === "additionalProperties") {
    const typed = (err.params as { additionalProperty: string }).additionalProperty;
    return `unknown option in "${where}": expected ${names.length > 0 ? `one of ${names.map((k) => `"${k}"`).join(", ")}${suggestion(typed, names)}` : "none"}`;
  }
  const name = pointerSegments(err.instancePath)[0];
  const option = name !== undefined && Object.hasOwn(properties, name) ? properties[name] : undefined;
  if (option?.description) return `"${where}.${name}": expected ${option.description}`;
  return `"${where}${option ? `.${name}` : ""}" ${err.message ?? "is invalid"}`;
}

/** The message for a rule id the catalog does not have (the id itself is not repeated). */
export function unknownRuleDetail(id: string, knownRules: ReadonlySet<string>): string {
  return `unknown rule id${suggestion(id, [...knownRules])} (see bulkhead --list-rules)`;
}

/** `; did you mean "x"?` for the known name closest to a mistyped one, if one is close. */
export function suggestion(typed: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(typed.length / 3)) + 1;
  if (typed.length > 100) return "";
  for (const candidate of known) {
    const d = distance(typed.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best ? `; did you mean "${best}"?` : "";
}

/** Levenshtein distance (short strings only). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The keys the schema allows where an additionalProperties error was raised (its schema path's parent). */
function allowedKeys(err: ErrorObject): string[] {
  let node: unknown = schema;
  for (const s of pointerSegments(err.schemaPath.replace(/^#/, "")).slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[s];
  return Object.keys((node as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
}

/** Where in the file an ajv error points: the offending key if there is one, else the value. */
export function locate(root: PNode | undefined, err: ErrorObject): Region | undefined {
  const segments = pointerSegments(err.instancePath);
  const node = nodeAt(root, segments);
  const badKey = err.keyword === "additionalProperties" ? (err.params as { additionalProperty: string }).additionalProperty : err.propertyName;
  if (badKey !== undefined) return asMap(node)?.entry(badKey)?.keyRange ?? node?.range;
  if (segments.length > 0) {
    const parent = nodeAt(root, segments.slice(0, -1));
    const last = segments[segments.length - 1];
    const at = parent?.type === "map" ? parent.entry(last)?.range : asSeq(parent)?.items[Number(last)]?.range;
    if (at) return at;
  }
  return node?.range;
}

export function nodeAt(root: PNode | undefined, segments: string[]): PNode | undefined {
  let cur = root;
  for (const s of segments) {
    if (!cur) return undefined;
    cur = cur.type === "map" ? cur.get(s) : cur.type === "seq" ? cur.items[Number(s)] : undefined;
  }
  return cur;
}

function pointerSegments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}
