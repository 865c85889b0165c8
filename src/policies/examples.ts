// `bulkhead --test-policies [paths]`: every policy's examples linted as the files they stand for.
// A `bad` example must raise its policy, a `good` one must not: a policy pack tests itself in CI.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { UsageError } from "../errors.js";
import { configTextOf, loadPolicyLoader, resolveRules } from "../engine/rules.js";
import { lint } from "../engine/lint.js";
import { loadPolicies } from "./load.js";
import { defaultExampleName } from "./rule.js";
import type { LoadedPolicy } from "./types.js";

export interface PolicyOptions {
  /** Policy files, directories or globs (relative to cwd); none: the configuration's and `policies`. */
  paths: string[];
  /** The configuration file (default: found upward from `start`). */
  config?: string;
  /** Where the configuration is looked for upward from, as a lint run does: its first path (default "."). */
  start?: string;
  /** `--policy` paths. */
  policies: string[];
  cwd?: string;
}

/** The policies named on the command line, or else those of the configuration and `--policy`. */
export async function policiesOf(options: PolicyOptions): Promise<LoadedPolicy[]> {
  await loadPolicyLoader();
  const base = realpathSync(path.resolve(options.cwd ?? process.cwd()));
  if (options.paths.length > 0) {
    const sources = [...options.paths, ...options.policies].map((pattern) => ({ pattern, dir: base, none: () => new UsageError(`${JSON.stringify(pattern)}: no policy file there (.yml, .yaml or .json)`) }));
    return loadPolicies(sources, base, [base]);
  }
  return resolveRules(configTextOf(options.config, base, options.start ?? ".", [base]), base, options.policies, [base]).policies;
}

export async function testPolicies(options: PolicyOptions): Promise<{ report: string; failed: boolean }> {
  const base = realpathSync(path.resolve(options.cwd ?? process.cwd()));
  const policies = await policiesOf(options);
  if (policies.length === 0) throw new UsageError("--test-policies: no policies to test; name policy files, or list them under `policies:` in .bulkhead.yml");
  // The examples are linted alone, in an empty directory: nothing of the repository joins them.
  const dir = mkdtempSync(path.join(os.tmpdir(), "bulkhead-policy-examples-"));
  const lines: string[] = [];
  let examples = 0;
  let failures = 0;
  try {
    for (const policy of policies) {
      const id = policy.spec.id;
      const file = path.resolve(base, policy.at.file);
      if (policy.examples.length === 0) lines.push(`${where(policy.at)}: ${id}: no examples (add a bad and a good one)`);
      for (const { example, at } of policy.examples) {
        examples++;
        const bad = example.bad !== undefined;
        const result = await lint({
          cwd: dir,
          config: false,
          policies: [file],
          stdin: { text: (bad ? example.bad : example.good) ?? "", filename: example.filename ?? defaultExampleName(policy.spec) },
          threads: false,
        });
        const raised = result.findings.filter((f) => f.ruleId === id && !f.suppressions?.length);
        const parseErrors = result.parseErrors.map((f) => `; the example does not parse: ${f.message}`).join("");
        if (bad && raised.length === 0) {
          failures++;
          lines.push(`${where(at)}: ${id}: bad example raised nothing${parseErrors}`);
        } else if (!bad && raised.length > 0) {
          failures++;
          lines.push(`${where(at)}: ${id}: good example raised ${raised.length} finding${raised.length === 1 ? "" : "s"}: ${raised.map((f) => `line ${f.region.startLine}: ${f.message}`).join("; ")}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const summary = failures > 0 ? `${failures} of ${examples} policy examples failed` : `${examples} policy examples of ${policies.length} ${policies.length === 1 ? "policy" : "policies"} passed`;
  return { report: [...lines, summary].join("\n") + "\n", failed: failures > 0 };
}

function where(at: { file: string; line: number; column: number }): string {
  return `${at.file}:${at.line}:${at.column}`;
}
