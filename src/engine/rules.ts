// The rules a run applies: the built-in catalog (rules/index.ts) and the custom policies the
// configuration (`policies:`) and `--policy` name, compiled into rules of the same shape.
import path from "node:path";
import type { Rule } from "../rule.js";
import { rules as builtinRules } from "../../rules/index.js";
import { BUILTIN_RULES } from "./builtin.js";
import { defaultConfig, findConfig, loadConfig, readConfigFile, type ResolvedConfig } from "./config.js";
import type { PolicyText } from "./policy-file.js";
import { ConfigError, UsageError } from "../errors.js";
import { loadPolicies, type PolicySource } from "../policies/load.js";
import { commitPolicyReader } from "../policies/at-commit.js";
import type { LoadedPolicy } from "../policies/types.js";

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
  const builtinIds = [...builtinRules.map((r) => r.meta.id), ...BUILTIN_RULES.map((m) => m.id)];
  const cli: PolicySource[] = cliPolicies.map((pattern) => ({ pattern, dir: base, none: () => new UsageError(`--policy ${JSON.stringify(pattern)}: no policy file there (.yml, .yaml or .json)`) }));
  let policies: LoadedPolicy[] = [];
  let loaded = false;
  const load = (fromConfig: PolicySource[]) => {
    policies = loadPolicies([...fromConfig, ...cli], base, roots);
    loaded = true;
    return policies.map((p) => p.spec.id);
  };
  let config: ResolvedConfig;
  if (configText) {
    // A configuration read from a commit names the policy files of that commit.
    const reader = configText.commit ? commitPolicyReader(base, configText.commit, configText.origin ?? `commit ${configText.commit}`) : undefined;
    const none = (region: { startLine: number; startColumn: number }) => () =>
      new ConfigError(configText.path, region.startLine, region.startColumn, `"policies" entry names no policy file${reader ? ` in the ${reader.origin}` : ""} (.yml, .yaml or .json; a file, a directory or a glob relative to the configuration)`, configText.origin);
    const optionSchemas = new Map(builtinRules.flatMap((r) => (r.meta.options ? [[r.meta.id, r.meta.options.schema] as const] : [])));
    config = loadConfig(configText, base, new Set(builtinIds), optionSchemas, (entries) => load(entries.map((e) => ({ pattern: e.pattern, dir: e.dir, none: none(e.region), reader }))));
  } else {
    config = defaultConfig(base);
  }
  if (!loaded) load([]); // no `policies:` in the configuration: the --policy files alone
  return {
    config,
    rules: [...builtinRules, ...policies.map((p) => p.rule)],
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
