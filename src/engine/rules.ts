// The rules a run applies: the built-in catalog (rules/catalog.ts) and the custom policies the
// configuration (`policies:`) and `--policy` name, compiled into rules of the same shape.
import path from "node:path";
import type { Rule, RuleEntry, RuleVisitors } from "../rule.js";
import type { FileKind } from "../types.js";
import { catalog } from "../../rules/catalog.js";
import { isKustomizationPath } from "../parsers/kustomize.js";
import { BUILTIN_RULES } from "./builtin.js";
import { defaultConfig, findConfig, loadConfig, readConfigFile, type ResolvedConfig } from "./config.js";
import type { PolicyText } from "./policy-file.js";
import { ConfigError, UsageError } from "../errors.js";
import type { PolicySource } from "../policies/load.js";
import type { LoadedPolicy } from "../policies/types.js";

/**
 * The policy loader (src/policies/load.ts, at-commit.ts and what they import: globby, the policy
 * schema, ajv's compiler, the policy rule templates), loaded only by a run that names policies:
 * importing it costs ~0.1 s of CPU, a fifth of a small run's.
 */
type PolicyModules = { load: typeof import("../policies/load.js"); atCommit: typeof import("../policies/at-commit.js") };
let policyModules: PolicyModules | undefined;

/** Loads the policy loader; resolveRules needs it once a run names policies (it throws PolicyLoaderNeeded before). */
export async function loadPolicyLoader(): Promise<void> {
  policyModules ??= { load: await import("../policies/load.js"), atCommit: await import("../policies/at-commit.js") };
}

/** Thrown by resolveRules when the configuration or `--policy` names policies and loadPolicyLoader() was not awaited: await it and resolve again. */
export class PolicyLoaderNeeded extends Error {
  constructor() {
    super("the policy loader is not loaded (await loadPolicyLoader())");
  }
}

/**
 * The built-in rules of a run start as their metadata alone (rules/catalog.ts); loadRules() loads
 * the modules of those that can visit something in the run's files, after discovery. A rule that
 * visits only Kubernetes objects or compose files is never loaded in a run of Dockerfiles (its
 * visitors would be given nothing): on a run of 40 Dockerfiles, loading every rule module and the
 * YAML and Kubernetes code they import was a third of the run's CPU time.
 */
const unloaded = new WeakMap<Rule, RuleEntry>();

function builtinRules(): Rule[] {
  return catalog.map((entry) => {
    const rule: Rule = { meta: entry.meta };
    unloaded.set(rule, entry);
    return rule;
  });
}

/** Whether a rule defines a visitor (a built-in rule not loaded yet: whether its module does). */
export function hasVisitor(rule: Rule, visitor: keyof RuleVisitors): boolean {
  return rule[visitor] !== undefined || (unloaded.get(rule)?.visitors.includes(visitor) ?? false);
}

/**
 * The rules with the modules of those that may visit something among `files` loaded: a rule
 * that visits every file, the workspace or the text of files always; a Dockerfile rule when a
 * Dockerfile is among them; a compose or Kubernetes rule when a file may hold compose services or
 * Kubernetes objects (a compose or YAML file, a kustomization). Order and metadata unchanged.
 */
export async function loadRules(rules: readonly Rule[], files: readonly { kind: FileKind; path: string }[]): Promise<Rule[]> {
  const dockerfiles = files.some((f) => f.kind === "dockerfile");
  const yaml = files.some((f) => f.kind === "compose" || f.kind === "yaml" || (f.kind === "text" && isKustomizationPath(f.path)));
  const needed = (visitor: keyof RuleVisitors) => (visitor === "dockerfile" ? dockerfiles : visitor === "compose" || visitor === "k8s" ? yaml : true);
  return Promise.all(
    rules.map(async (rule) => {
      const entry = unloaded.get(rule);
      if (!entry || !entry.visitors.some(needed)) return rule;
      return { ...(await entry.load()).default, meta: rule.meta };
    }),
  );
}

export interface RuleSet {
  config: ResolvedConfig;
  /** Built-in rules, then the policies. */
  rules: Rule[];
  /** Every rule id a setting may name (the engine's own included). */
  knownRules: ReadonlySet<string>;
  policies: LoadedPolicy[];
}

/**
 * The configuration and the rules of a run. The configuration's policies are loaded while it is
 * read (its `rules:` may set their levels); `cliPolicies` (`--policy`, relative to `base`) come after them.
 */
export function resolveRules(configText: PolicyText | undefined, base: string, cliPolicies: string[], roots: string[]): RuleSet {
  const builtin = builtinRules();
  const builtinIds = [...builtin.map((r) => r.meta.id), ...BUILTIN_RULES.map((m) => m.id)];
  const cli: PolicySource[] = cliPolicies.map((pattern) => ({ pattern, dir: base, none: () => new UsageError(`--policy ${JSON.stringify(pattern)}: no policy file there (.yml, .yaml or .json)`) }));
  let policies: LoadedPolicy[] = [];
  let loaded = false;
  const load = (fromConfig: PolicySource[]) => {
    const sources = [...fromConfig, ...cli];
    if (sources.length > 0 && !policyModules) throw new PolicyLoaderNeeded();
    policies = sources.length > 0 ? policyModules!.load.loadPolicies(sources, base, roots) : [];
    loaded = true;
    return policies.map((p) => p.spec.id);
  };
  let config: ResolvedConfig;
  if (configText) {
    // A configuration read from a commit names the policy files of that commit.
    const commit = configText.commit;
    const none = (region: { startLine: number; startColumn: number }, origin: string | undefined) => () =>
      new ConfigError(configText.path, region.startLine, region.startColumn, `"policies" entry names no policy file${origin ? ` in the ${origin}` : ""} (.yml, .yaml or .json; a file, a directory or a glob relative to the configuration)`, configText.origin);
    const optionSchemas = new Map(builtin.flatMap((r) => (r.meta.options ? [[r.meta.id, r.meta.options.schema] as const] : [])));
    config = loadConfig(configText, base, new Set(builtinIds), optionSchemas, (entries) => {
      if (entries.length > 0 && !policyModules) throw new PolicyLoaderNeeded();
      const reader = commit && entries.length > 0 ? policyModules!.atCommit.commitPolicyReader(base, commit, configText.origin ?? `commit ${commit}`) : undefined;
      return load(entries.map((e) => ({ pattern: e.pattern, dir: e.dir, none: none(e.region, reader?.origin), reader })));
    });
  } else {
    config = defaultConfig(base);
  }
  if (!loaded) load([]); // no `policies:` in the configuration: the --policy files alone
  return {
    config,
    rules: [...builtin, ...policies.map((p) => p.rule)],
    knownRules: new Set([...builtinIds, ...policies.map((p) => p.spec.id)]),
    policies,
  };
}

/** The configuration's text: the one given, the file named, or the file found upward from `start`. */
export function configTextOf(option: string | false | PolicyText | undefined, base: string, start: string, roots: string[]): PolicyText | undefined {
  if (option === false) return undefined;
  if (typeof option === "object") return option;
  const file = option ? path.resolve(base, option) : findConfig(path.resolve(base, start));
  return file ? readConfigFile(file, roots) : undefined;
}
