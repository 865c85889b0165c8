import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import picomatch from "picomatch";
import type { ErrorObject } from "ajv";
import type { LevelSetting, PNode, PresetName } from "../types.js";
import schema from "../../schemas/config.schema.json" with { type: "json" };
import { ConfigError, UsageError } from "../errors.js";
import { createSourceFile } from "../source.js";
import { asMap, asSeq, parseYaml, toPlain } from "../parsers/yaml.js";
import { toPosix } from "../discover/discover.js";
import type { TestDataSettings } from "../discover/test-data.js";

export type FailOn = "error" | "warning" | "note" | "never";

export interface RuleSetting {
  level?: LevelSetting;
  options?: Record<string, unknown>;
}

export interface ResolvedConfig {
  /** The config file, if one was found. */
  file: string | undefined;
  /** Globs are relative to this directory. */
  dir: string;
  preset: PresetName;
  include: string[];
  exclude: string[];
  failOn: FailOn;
  namespace: string | undefined;
  rules: Record<string, RuleSetting>;
  overrides: { matches: (absPath: string) => boolean; rules: Record<string, RuleSetting> }[];
  secretsAllow: RegExp[];
  /** Files declared as compose files (`compose:` globs); undefined when none are. */
  isCompose: ((absPath: string) => boolean) | undefined;
  /** Test data, fixtures, vendored code and example docs (`testData:`), see src/discover/test-data.ts. */
  testData: TestDataSettings;
  ignore: { rule: string; matchesFile: (absPath: string) => boolean; matchesObject?: (ref: string) => boolean; reason?: string }[];
}

interface RawConfig {
  preset?: PresetName;
  include?: string[];
  exclude?: string[];
  failOn?: FailOn;
  namespace?: string;
  rules?: Record<string, LevelSetting | RuleSetting>;
  overrides?: { files: string[]; rules?: Record<string, LevelSetting | RuleSetting> }[];
  secrets?: { allow?: string[] };
  compose?: string[];
  testData?: { defaults?: boolean; paths?: string[]; except?: string[] };
  ignore?: { rule: string; files?: string[]; object?: string; reason?: string }[];
}

const CONFIG_NAMES = [".bulkhead.yml", ".bulkhead.yaml"];

/** Finds .bulkhead.yml / .bulkhead.yaml upward from a directory. */
export function findConfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function defaultConfig(dir: string): ResolvedConfig {
  return resolve({}, undefined, dir);
}

/** Loads and validates a config file; every mistake is a ConfigError naming the line and column. */
export function loadConfig(file: string, knownRules: Set<string>): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read config file "${file}"`);
  }
  const source = createSourceFile(file, file, "yaml", text);
  const parsed = parseYaml(source, "1.2");
  if (parsed.problems.length > 0) {
    const p = parsed.problems[0];
    throw new ConfigError(file, p.region.startLine, p.region.startColumn, `invalid YAML: ${p.message}`);
  }
  const root = parsed.docs[0]?.root;
  const raw = (toPlain(root) ?? {}) as RawConfig;
  const validate = compileSchema();
  if (!validate(raw)) {
    const err = pickError(validate.errors ?? []);
    const { node, key } = locate(root, err);
    const region = key ?? node?.range ?? { startLine: 1, startColumn: 1 };
    throw new ConfigError(file, region.startLine, region.startColumn, explain(err));
  }
  const ruleMaps: [string[], Record<string, unknown> | undefined][] = [
    [["rules"], raw.rules],
    ...(raw.overrides ?? []).map((o, i): [string[], Record<string, unknown> | undefined] => [["overrides", String(i), "rules"], o.rules]),
  ];
  for (const [at, rules] of ruleMaps) {
    for (const id of Object.keys(rules ?? {})) {
      if (!knownRules.has(id)) {
        const entry = asMap(nodeAt(root, at))?.entry(id);
        const r = entry?.keyRange ?? { startLine: 1, startColumn: 1 };
        throw new ConfigError(file, r.startLine, r.startColumn, `unknown rule "${id}" (see bulkhead --list-rules)`);
      }
    }
  }
  return resolve(raw, file, path.dirname(file));
}

function resolve(raw: RawConfig, file: string | undefined, dir: string): ResolvedConfig {
  const globMatcher = (globs: string[]) => {
    const m = picomatch(globs, { dot: true });
    return (absPath: string) => m(toPosix(path.relative(dir, absPath)));
  };
  const normalize = (rules: RawConfig["rules"]): Record<string, RuleSetting> =>
    Object.fromEntries(Object.entries(rules ?? {}).map(([id, s]) => [id, typeof s === "string" ? { level: s } : s]));
  return {
    file,
    dir,
    preset: raw.preset ?? "recommended",
    include: raw.include ?? ["**/*"],
    exclude: raw.exclude ?? [],
    failOn: raw.failOn ?? "error",
    namespace: raw.namespace,
    rules: normalize(raw.rules),
    overrides: (raw.overrides ?? []).map((o) => ({ matches: globMatcher(o.files), rules: normalize(o.rules) })),
    secretsAllow: (raw.secrets?.allow ?? []).map((s) => new RegExp(s)),
    isCompose: raw.compose && raw.compose.length > 0 ? globMatcher(raw.compose) : undefined,
    testData: { defaults: raw.testData?.defaults ?? true, paths: raw.testData?.paths ?? [], except: raw.testData?.except ?? [], dir },
    ignore: (raw.ignore ?? []).map((i) => ({
      rule: i.rule,
      matchesFile: i.files ? globMatcher(i.files) : () => true,
      matchesObject: i.object ? picomatch(i.object, { dot: true }) : undefined,
      reason: i.reason,
    })),
  };
}

/** `//`, a `.` or `..` segment, or a trailing slash: path.relative would normalize it. */
const NOT_NORMALIZED = /\/\/|\/\.\.?(?:\/|$)|\/$/;

/** Whether a file passes the config's include/exclude globs. */
export function fileFilter(config: ResolvedConfig): (absPath: string, root: string) => boolean {
  const include = picomatch(config.include, { dot: true });
  const excludes = config.exclude.map((glob) => picomatch(glob, { dot: true }));
  const dir = path.resolve(config.dir);
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  const relative = (absPath: string) =>
    // A normalized absolute path below the config's directory (as discovery builds them): a plain
    // slice is what path.relative returns (one path.relative per file was ~10 ms on 10,000 files).
    path.sep === "/" && absPath.startsWith(prefix) && !NOT_NORMALIZED.test(absPath) ? absPath.slice(prefix.length) : toPosix(path.relative(config.dir, absPath));
  // A directory named on the command line is linted even when an exclude glob covers it
  // (`bulkhead vendor/lib` means it): below it, only the globs that do not cover it apply.
  const excludesByRoot = new Map<string, picomatch.Matcher[]>();
  const excludesFor = (root: string) => {
    let active = excludesByRoot.get(root);
    if (!active) {
      const rel = relative(root);
      active = rel === "" || rel.startsWith("../") ? excludes : excludes.filter((m) => !m(rel));
      excludesByRoot.set(root, active);
    }
    return active;
  };
  return (absPath, root) => {
    const rel = relative(absPath);
    if (rel.startsWith("../")) return true; // outside the config's tree: its globs do not apply
    return include(rel) && !excludesFor(root).some((m) => m(rel));
  };
}

// ---- validation ----

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validator | undefined;

function compileSchema(): Validator {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const Ajv = require("ajv") as typeof import("ajv").default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("regex", (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  validator = ajv.compile(schema) as Validator;
  return validator;
}

/** The most useful of ajv's errors: the deepest, preferring a concrete one over a oneOf summary. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const concrete = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "if");
  const pool = concrete.length > 0 ? concrete : errors;
  return pool.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best), pool[0]);
}

function explain(err: ErrorObject): string {
  const where = err.instancePath ? `"${pointerSegments(err.instancePath).join(".")}"` : "the configuration";
  switch (err.keyword) {
    case "additionalProperties":
      return `unknown key "${(err.params as { additionalProperty: string }).additionalProperty}" in ${where}`;
    case "enum":
      return `${where} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${where} must be ${(err.params as { type: string }).type}`;
    case "required":
      return `${where} is missing "${(err.params as { missingProperty: string }).missingProperty}"`;
    case "format":
      return `${where} is not a valid regular expression`;
    case "pattern":
      return `${where}: rule ids look like "docker/user-not-root"`;
    default:
      return `${where} ${err.message ?? "is invalid"}`;
  }
}

function nodeAt(root: PNode | undefined, segments: string[]): PNode | undefined {
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

function locate(root: PNode | undefined, err: ErrorObject) {
  const segments = pointerSegments(err.instancePath);
  const node = nodeAt(root, segments);
  let key;
  if (err.keyword === "additionalProperties") {
    key = asMap(node)?.entry((err.params as { additionalProperty: string }).additionalProperty)?.keyRange;
  } else if (segments.length > 0) {
    const parent = nodeAt(root, segments.slice(0, -1));
    const last = segments[segments.length - 1];
    key = parent?.type === "map" ? parent.entry(last)?.range : asSeq(parent)?.items[Number(last)]?.range;
  }
  return { node, key };
}
