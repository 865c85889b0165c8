#!/usr/bin/env node
// Thin: arguments in, lint(), reporter, exit code. Heavy modules load only when a lint runs,
// so --version and --help stay fast.
import { parseArgs } from "node:util";
import { tuneJitForOneRun } from "./jit.js";
import { VERSION } from "./version.js";
import { visible } from "./visible.js";
import { writeOutput, writeStream } from "./output-file.js";
import type { Report } from "./reporters/index.js";
import type { PolicyText } from "./engine/policy-file.js";

const HELP = `bulkhead ${VERSION} — configuration-as-code security policy linter

Usage: bulkhead [paths...] [options]          (default path: .)

Options:
  -c, --config <file>          config file (default: .bulkhead.yml/.bulkhead.yaml found upward)
  -f, --format <name>          text (default) | json | sarif | github | junit | gitlab | markdown
  -o, --output <file>          write the report to a file instead of stdout
      --sarif <file>           also write a SARIF report (keeps the console report)
      --automation-id <id>     SARIF runs[0].automationDetails.id (several runs in one repo)
      --fail-on <level>        error (default) | warning | note | never
      --preset <name>          recommended (default) | strict | pss-baseline | pss-restricted
      --pss-version <v>        Kubernetes Pod Security Standards version: latest (default) | v1.N
      --rule <id>=<level|off>  override a rule's level (repeatable)
      --changed-since <ref>    report only files changed since the merge base of <ref> and HEAD
                               (committed, staged, unstaged, untracked), plus the files whose findings depend on them
      --staged                 report only the files in git's index (what a commit holds), not untracked ones
      --baseline <file>        suppress the findings recorded in a baseline file
      --config-from <ref>      read the config file (-c, default .bulkhead.yml/.bulkhead.yaml here) and the
                               --baseline from commit <ref> (git show), not from the work tree
      --write-baseline <file>  record the current findings in a baseline file and exit 0
      --stdin                  lint standard input ...
      --stdin-filename <name>  ... as if it were this file (e.g. chart.yaml)
      --namespace <ns>         namespace for Kubernetes objects that set none (default: default)
      --check-permissions      audit file modes of credential files (default: on outside a git work tree)
      --policy <path>          also apply the custom policies of a file, directory or glob (repeatable)
      --test-policies          check the examples of the policies (the paths given, else those of
                               the configuration and --policy): a bad one must raise its policy, a good one must not
      --list-rules             print the rule catalog (custom policies included)
      --explain <rule-id>      print a rule's documentation
      --no-color               no colors (also: NO_COLOR=1; FORCE_COLOR=1 forces them)
      --quiet                  report errors only
      --progress               show progress on stderr (default: only on a terminal, never in CI, runs of 300+ files)
  -v, --version                print the version
  -h, --help                   print this help

Exit codes: 0 no findings at or above --fail-on, 1 findings at or above it, 2 bulkhead could not run.
`;

const OPTIONS = {
  config: { type: "string", short: "c" },
  format: { type: "string", short: "f", default: "text" },
  output: { type: "string", short: "o" },
  sarif: { type: "string" },
  "automation-id": { type: "string" },
  "fail-on": { type: "string" },
  preset: { type: "string" },
  "pss-version": { type: "string" },
  rule: { type: "string", multiple: true },
  stdin: { type: "boolean" },
  "stdin-filename": { type: "string" },
  "changed-since": { type: "string" },
  staged: { type: "boolean" },
  baseline: { type: "string" },
  "config-from": { type: "string" },
  "write-baseline": { type: "string" },
  namespace: { type: "string" },
  "check-permissions": { type: "boolean" },
  "list-rules": { type: "boolean" },
  policy: { type: "string", multiple: true },
  "test-policies": { type: "boolean" },
  explain: { type: "string" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  quiet: { type: "boolean" },
  progress: { type: "boolean" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }

  tuneJitForOneRun();
  const { UsageError } = await import("./errors.js");
  const oneOf = <T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
    return value as T;
  };

  if (values["test-policies"]) {
    const { testPolicies } = await import("./policies/examples.js");
    const run = await testPolicies({ paths: positionals, config: values.config, policies: values.policy ?? [] });
    process.stdout.write(run.report);
    return run.failed ? 1 : 0;
  }

  if (values["list-rules"] || values.explain) {
    const { listRules, explainRule } = await import("./catalog.js");
    const { policiesOf } = await import("./policies/examples.js");
    // The policies the same command would lint with: the configuration found from the first path, and --policy.
    const policies = (await policiesOf({ paths: [], start: positionals[0], config: values.config, policies: values.policy ?? [] })).map((p) => p.rule.meta);
    process.stdout.write(values.explain ? explainRule(values.explain, policies) : listRules(policies));
    return 0;
  }

  const { FORMATS, report, sarifCutMessage } = await import("./reporters/index.js");
  // A SARIF that had to leave results out says so, on stderr (stdout may be the report).
  const noteCut = ({ sarifCut }: Report) => {
    if (sarifCut) process.stderr.write(`bulkhead: ${sarifCutMessage(sarifCut)}\n`);
  };
  // Reports are written as they are produced, never held whole.
  const written = (file: string, r: Report, what: string) => {
    writeOutput(file, r.chunks, what);
    noteCut(r);
  };
  const formatName = oneOf("format", values.format, FORMATS)!;
  const failOn = oneOf("fail-on", values["fail-on"], ["error", "warning", "note", "never"] as const);
  const { PRESETS } = await import("./types.js");
  const preset = oneOf("preset", values.preset, PRESETS);
  const rules: Record<string, "error" | "warning" | "note" | "off"> = {};
  for (const [i, r] of (values.rule ?? []).entries()) {
    const m = /^([^=]+)=(error|warning|note|off)$/.exec(r);
    // The value is not repeated: it may be anything a script passed (the text of a file).
    if (!m) throw new UsageError(`--rule expects <rule-id>=<error|warning|note|off>; the ${ordinal(i + 1)} --rule is not of that form`);
    rules[m[1]] = m[2] as "error" | "warning" | "note" | "off";
  }
  let stdin: { text: Buffer; filename: string } | undefined;
  if (values.stdin) {
    if (!values["stdin-filename"]) throw new UsageError("--stdin needs --stdin-filename <name> (e.g. chart.yaml) to know what kind of file it reads");
    if (positionals.length > 0) throw new UsageError("--stdin takes no paths");
    stdin = { text: await readStdin(), filename: values["stdin-filename"] };
  } else if (values["stdin-filename"] !== undefined) {
    throw new UsageError("--stdin-filename names what --stdin reads; add --stdin (and pipe the text in)");
  }

  let config: string | false | PolicyText | undefined = values.config;
  let baseline: string | PolicyText | undefined = values.baseline;
  if (values["config-from"] !== undefined) {
    const { policyAtCommit, resolveCommit } = await import("./policy-ref.js");
    const ref = values["config-from"];
    const commit = resolveCommit(process.cwd(), ref, "--config-from");
    const policy = policyAtCommit(process.cwd(), commit, `commit ${commit.slice(0, 12)} (${ref})`, { config: values.config, baseline: values.baseline });
    for (const note of policy.notes) process.stderr.write(`bulkhead: ${note}\n`);
    config = policy.config;
    baseline = policy.baseline;
  }

  const { lint, failsAt } = await import("./engine/lint.js");
  const { progressEnabled, startProgress } = await import("./progress.js");
  const progress = startProgress(process.stderr, {
    enabled: progressEnabled({ forced: values.progress, stderrIsTTY: process.stderr.isTTY === true, stdoutIsTTY: process.stdout.isTTY === true, env: process.env }),
    minFiles: values.progress ? 0 : undefined,
  });
  let result;
  try {
    result = await lint({
      paths: positionals,
      config,
      preset,
      pssVersion: values["pss-version"],
      rules,
      failOn,
      namespace: values.namespace,
      checkPermissions: values["check-permissions"],
      stdin,
      changedSince: values["changed-since"],
      staged: values.staged,
      baseline,
      outputs: [values.output, values.sarif, values["write-baseline"]].filter((f) => f !== undefined),
      policies: values.policy,
      onProgress: progress.update,
    });
  } finally {
    progress.done();
  }

  const reportOptions = { quiet: values.quiet === true, automationId: values["automation-id"] };
  const sarif = () => report("sarif", result, { color: false, quiet: false, automationId: values["automation-id"] });
  if (values["write-baseline"]) {
    const { writeBaseline } = await import("./engine/baseline.js");
    const n = writeBaseline(values["write-baseline"], result.findings);
    process.stderr.write(`bulkhead: wrote ${n} finding${n === 1 ? "" : "s"} to the baseline ${values["write-baseline"]}\n`);
    if (values.output) written(values.output, report(formatName, result, { color: false, ...reportOptions }), "report");
    if (values.sarif) written(values.sarif, sarif(), "SARIF report");
    return 0;
  }

  const stream = process.stdout;
  const color = useColor(values, stream.isTTY === true && !values.output);
  const primary = report(formatName, result, { color, ...reportOptions });
  if (values.output) written(values.output, primary, "report");
  else {
    // A reader that stops early (`bulkhead | head -1`) closes the pipe: that ends the output
    // quietly, the exit code still says what the run found.
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") return;
      process.stderr.write(`bulkhead: cannot write the report to standard output (${err.code ?? err.message})\n`);
      process.exitCode = 2;
    });
    await writeStream(stream, primary.chunks);
    noteCut(primary);
  }
  if (values.sarif) written(values.sarif, sarif(), "SARIF report");
  return failsAt(result, result.failOn) ? 1 : 0;
}


function ordinal(n: number): string {
  return n === 1 ? "first" : n === 2 ? "second" : n === 3 ? "third" : `${n}th`;
}

function useColor(values: { color?: boolean; "no-color"?: boolean }, tty: boolean): boolean {
  if (values["no-color"]) return false;
  if (values.color) return true;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return tty;
}

/** Standard input's bytes: the engine checks them as it checks a file's (binary, invalid UTF-8). */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** parseArgs' own message for an unknown option, with the closest known one. */
async function unknownOption(message: string): Promise<string | undefined> {
  const typed = /^Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
  if (typed === undefined) return undefined;
  const { suggestion } = await import("./engine/config-errors.js");
  const known = Object.entries(OPTIONS).flatMap(([name, o]) => [`--${name}`, ...("short" in o ? [`-${o.short}`] : [])]);
  return `unknown option "${typed}"${suggestion(typed.replace(/=.*$/, ""), known)}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    const e = err as Error & { code?: string };
    const usage = e?.name === "UsageError" || e?.name === "ConfigError" || e?.code?.startsWith("ERR_PARSE_ARGS");
    const message = (e?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && (await unknownOption(e.message))) || e?.message;
    // An error's text can quote a scanned repository's configuration: masked and shown visible,
    // like report text.
    const { redactSecrets } = await import("./secrets/redact.js");
    process.stderr.write(`bulkhead: ${usage ? visible(redactSecrets(message)) : redactSecrets(e?.stack ?? String(err))}\n`);
    if (usage && e?.code?.startsWith("ERR_PARSE_ARGS")) process.stderr.write("Run bulkhead --help for usage.\n");
    process.exitCode = 2;
  },
);
