import { lstatSync, readFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type picomatch from "picomatch";
import { pathMatcher } from "../glob.js";
import type { ErrorObject } from "ajv";
import type { LevelSetting, PresetName } from "../types.js";
import schema from "../../schemas/config.schema.json" with { type: "json" };
import { ConfigError, UsageError } from "../errors.js";
import { createSourceFile } from "../source.js";
import { asMap, asSeq, parseYaml, toPlain } from "../parsers/yaml.js";
import { toPosix } from "../discover/discover.js";
import { locate, nodeAt, optionErrorDetail, pickError, schemaErrorDetail, shownPath, unknownRuleDetail, yamlProblemDetail } from "./config-errors.js";
import { fileModeOption } from "../selectors/file-mode.js";
import { assertNoEscape, type PolicyText } from "./policy-file.js";
import type { TestDataSettings } from "../discover/test-data.js";
import { LATEST, parsePssVersion, type PssVersion } from "../pss/version.js";

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
  /** `pss.version`: the Pod Security Standards version (default latest). */
  pssVersion: PssVersion;
  rules: Record<string, RuleSetting>;
  overrides: { matches: (absPath: string) => boolean; rules: Record<string, RuleSetting> }[];
  secretsAllow: RegExp[];
  /** Files declared as compose files (`compose:` globs); undefined when none are. */
  isCompose: ((absPath: string) => boolean) | undefined;
  /** Test data, fixtures, vendored code and example docs (`testData:`), see src/discover/test-data.ts. */
  testData: TestDataSettings;
  ignore: { rule: string; matchesFile: (absPath: string) => boolean; matchesObject?: (ref: string) => boolean; reason?: string }[];
}

export interface RawConfig {
  preset?: PresetName;
  include?: string[];
  exclude?: string[];
  failOn?: FailOn;
  namespace?: string;
  pss?: { version?: string };
  rules?: Record<string, LevelSetting | RuleSetting>;
  overrides?: { files: string[]; rules?: Record<string, LevelSetting | RuleSetting> }[];
  secrets?: { allow?: string[] };
  compose?: string[];
  testData?: { defaults?: boolean; paths?: string[]; except?: string[] };
  ignore?: { rule: string; files?: string[]; object?: string; reason?: string }[];
  policies?: string[];
}

/** Each rule's options schema (RuleMeta `options.schema`), by rule id; a rule not in it takes no options. */
export type OptionSchemas = ReadonlyMap<string, Record<string, unknown>>;

/**
 * Loads the policies a configuration names (`policies:`, each entry relative to `dir`, with the
 * place it is written for errors) and returns their ids, which its `rules` and `overrides` may
 * then set like any rule's.
 */
export type PolicyLoader = (entries: { pattern: string; dir: string; region: { startLine: number; startColumn: number } }[]) => string[];

export const CONFIG_NAMES = [".bulkhead.yml", ".bulkhead.yaml"];

/**
 * Finds .bulkhead.yml / .bulkhead.yaml upward from a directory: the nearest wins. A symbolic link
 * counts as a file (it is then checked, not skipped for another). Both names in one directory
 * is a usage error: neither may silently shadow the other.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const found = CONFIG_NAMES.map((name) => path.join(dir, name)).filter(isEntry);
    if (found.length > 1) throw bothConfigNames(found);
    if (found.length === 1) return found[0];
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Whether a directory entry exists (a symbolic link counts, whatever it points to). */
function isEntry(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export function bothConfigNames(files: string[], origin?: string): UsageError {
  return new UsageError(`two configuration files, ${files.map((f) => `"${f}"`).join(" and ")}${origin ? ` (${origin})` : ""}: keep one (bulkhead does not choose)`);
}

/** Reads a configuration file of the work tree (refusing one that a symbolic link leads out of `roots`). */
export function readConfigFile(file: string, roots: string[]): PolicyText {
  assertNoEscape(file, roots, "config file");
  try {
    return { text: readFileSync(file, "utf8"), path: file };
  } catch {
    throw new UsageError(`cannot read config file "${file}"`);
  }
}

export function defaultConfig(dir: string): ResolvedConfig {
  return resolve({}, undefined, dir);
}

/**
 * Validates a configuration's text; every mistake is a ConfigError naming the line and column and
 * what was expected, never quoting the text (see config-errors.ts). `source.path` is resolved
 * against `base`: its directory is the base of the globs.
 */
export function loadConfig(source: PolicyText, base: string, knownRules: ReadonlySet<string>, optionSchemas?: OptionSchemas, loadPolicies?: PolicyLoader): ResolvedConfig {
  const file = path.resolve(base, source.path);
  return resolve(parseRawConfig(source, knownRules, optionSchemas, loadPolicies && ((entries) => loadPolicies(entries.map((e) => ({ ...e, dir: path.dirname(file) }))))), file, path.dirname(file));
}

/** The configuration as written (validated): for comparing two versions of it. */
export function parseRawConfig(
  source: PolicyText,
  knownRules: ReadonlySet<string>,
  optionSchemas: OptionSchemas = new Map(),
  loadPolicies?: (entries: { pattern: string; region: { startLine: number; startColumn: number } }[]) => string[],
): RawConfig {
  const fail = (region: { startLine: number; startColumn: number }, detail: string) =>
    new ConfigError(source.path, region.startLine, region.startColumn, detail, source.origin);
  const parsed = parseYaml(createSourceFile(source.path, source.path, "yaml", source.text), "1.2");
  if (parsed.problems.length > 0) throw fail(parsed.problems[0].region, yamlProblemDetail(parsed.problems[0].code, parsed.problems[0].key, knownRules));
  const root = parsed.docs[0]?.root;
  const raw = (toPlain(root) ?? {}) as RawConfig;
  const validate = compileSchema();
  if (!validate(raw)) {
    const err = pickError(validate.errors ?? []);
    throw fail(locate(root, err) ?? { startLine: 1, startColumn: 1 }, schemaErrorDetail(err, knownRules));
  }
  if (raw.policies && loadPolicies) {
    const items = asSeq(nodeAt(root, ["policies"]))?.items ?? [];
    const ids = loadPolicies(raw.policies.map((pattern, i) => ({ pattern, region: items[i]?.range ?? { startLine: 1, startColumn: 1 } })));
    knownRules = new Set([...knownRules, ...ids]);
  }
  const ruleMaps: [string[], Record<string, unknown> | undefined][] = [
    [["rules"], raw.rules],
    ...(raw.overrides ?? []).map((o, i): [string[], Record<string, unknown> | undefined] => [["overrides", String(i), "rules"], o.rules]),
  ];
  for (const [at, rules] of ruleMaps) {
    for (const [id, setting] of Object.entries(rules ?? {})) {
      if (!knownRules.has(id)) throw fail(asMap(nodeAt(root, at))?.entry(id)?.keyRange ?? { startLine: 1, startColumn: 1 }, unknownRuleDetail(id, knownRules));
      const options = typeof setting === "object" && setting !== null ? (setting as RuleSetting).options : undefined;
      if (options === undefined) continue;
      // Each rule's options against the rule's schema, here rather than as an error on every file the rule checks.
      const where = [...at, id, "options"];
      const optionSchema = optionSchemas.get(id);
      const node = nodeAt(root, where);
      if (!optionSchema) {
        if (Object.keys(options).length > 0) throw fail(asMap(nodeAt(root, [...at, id]))?.entry("options")?.keyRange ?? node?.range ?? { startLine: 1, startColumn: 1 }, `"${shownPath(where)}": ${id} takes no options`);
        continue;
      }
      const validate = optionValidator(optionSchema);
      if (!validate(options)) {
        const err = pickError(validate.errors ?? []);
        throw fail(locate(node, err) ?? node?.range ?? { startLine: 1, startColumn: 1 }, optionErrorDetail(err, shownPath(where), optionSchema));
      }
    }
  }
  return raw;
}

function resolve(raw: RawConfig, file: string | undefined, dir: string): ResolvedConfig {
  const globMatcher = (globs: string[]) => {
    const m = pathMatcher(globs);
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
    // The schema's pattern has checked it.
    pssVersion: raw.pss?.version !== undefined ? (parsePssVersion(raw.pss.version) ?? LATEST) : LATEST,
    rules: normalize(raw.rules),
    overrides: (raw.overrides ?? []).map((o) => ({ matches: globMatcher(o.files), rules: normalize(o.rules) })),
    secretsAllow: (raw.secrets?.allow ?? []).map((s) => new RegExp(s)),
    isCompose: raw.compose && raw.compose.length > 0 ? globMatcher(raw.compose) : undefined,
    testData: { defaults: raw.testData?.defaults ?? true, paths: raw.testData?.paths ?? [], except: raw.testData?.except ?? [], dir },
    ignore: (raw.ignore ?? []).map((i) => ({
      rule: i.rule,
      matchesFile: i.files ? globMatcher(i.files) : () => true,
      matchesObject: i.object ? pathMatcher(i.object) : undefined,
      reason: i.reason,
    })),
  };
}

/** `//`, a `.` or `..` segment, or a trailing slash: path.relative would normalize it. */
const NOT_NORMALIZED = /\/\/|\/\.\.?(?:\/|$)|\/$/;

/** Whether a file passes the config's include/exclude globs. */
export function fileFilter(config: ResolvedConfig): (absPath: string, root: string) => boolean {
  const include = pathMatcher(config.include);
  const excludes = config.exclude.map((glob) => pathMatcher(glob));
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
let ajvInstance: import("ajv").default | undefined;
let validator: Validator | undefined;
const optionValidators = new Map<object, Validator>();

function ajv(): import("ajv").default {
  if (ajvInstance) return ajvInstance;
  const require = createRequire(import.meta.url);
  const Ajv = require("ajv") as typeof import("ajv").default;
  ajvInstance = new Ajv({ allErrors: true, strict: false });
  ajvInstance.addFormat("regex", (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  // For rule options that are file modes, which JSON Schema cannot describe ("0600", 0400, 384).
  ajvInstance.addKeyword({ keyword: "fileMode", schemaType: "boolean", validate: (on: boolean, data: unknown) => !on || fileModeOption(data) !== undefined });
  return ajvInstance;
}

function compileSchema(): Validator {
  validator ??= ajv().compile(schema) as Validator;
  return validator;
}

function optionValidator(optionSchema: object): Validator {
  let v = optionValidators.get(optionSchema);
  if (!v) optionValidators.set(optionSchema, (v = ajv().compile(optionSchema) as Validator));
  return v;
}
