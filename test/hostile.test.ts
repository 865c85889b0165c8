// Hostile inputs (SPEC §8): each gives a finding or a note with a sensible line, the other files
// are still linted, and the CLI exits 0 or 1 with no stack trace, in every format --help lists.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import type { Finding } from "../src/types.ts";
import { CLI, runCli, tmpDir } from "./helpers.ts";
import { writeHostileTree, writeWrongTypes, type Expectation } from "./hostile-tree.ts";

let dir: string;
let expectations: Expectation[];

before(() => {
  dir = tmpDir("bulkhead-hostile-");
  expectations = writeHostileTree(dir, { big: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The formats `bulkhead --help` lists for -f (a colleague may add more; they are tested too). */
function helpFormats(): string[] {
  const help = runCli(["--help"]).stdout;
  const line = help.split("\n").find((l) => /^\s*-f, --format\b/.test(l));
  assert.ok(line, "--help documents -f, --format");
  const list = line.replace(/^\s*-f, --format <\w+>\s+/, "");
  const formats = list.split("|").map((s) => s.replace(/\(default\)/, "").trim());
  assert.ok(formats.length >= 3 && formats.every((f) => /^[a-z]+$/.test(f)), `formats parsed from --help: ${formats.join(", ")}`);
  return formats;
}

/** A heap cap, so a runaway fails fast instead of taking the machine's memory. */
const ENV = { NO_COLOR: "1", CI: "true", NODE_OPTIONS: "--max-old-space-size=1024" };

const CRASH = /\n\s+at .+:\d+:\d+\)?\n|TypeError|RangeError|ReferenceError|FATAL ERROR|heap out of memory|Maximum call stack/;

function describe(findings: Finding[], file: string): string {
  return findings
    .filter((f) => f.file === file)
    .map((f) => `  ${f.ruleId} ${f.region.startLine}:${f.region.startColumn} ${f.message.slice(0, 160)}`)
    .join("\n");
}

test("hostile inputs: each gives its finding or note at a sensible line, and the run goes on (json)", () => {
  const run = runCli(["-f", "json", "."], { cwd: dir, env: ENV });
  assert.doesNotMatch(run.stderr, CRASH);
  assert.equal(run.stderr, "");
  assert.equal(run.code, 1, "parse errors are errors");
  const report = JSON.parse(run.stdout) as { findings: Finding[]; filesScanned: number };
  for (const e of expectations) {
    const hit = report.findings.find((f) => f.file === e.file && f.ruleId === e.ruleId && e.message.test(f.message) && (e.line === undefined || f.region.startLine === e.line));
    assert.ok(hit, `${e.file}: expected ${e.ruleId}${e.line ? ` at line ${e.line}` : ""} matching ${e.message}; got:\n${describe(report.findings, e.file) || "  (nothing)"}`);
    assert.ok(hit.region.startLine >= 1 && hit.region.startColumn >= 1 && hit.region.endLine >= hit.region.startLine, `${e.file}: region ${JSON.stringify(hit.region)}`);
  }
  // Parse errors carry the parser's line and column in the message too.
  for (const f of report.findings.filter((x) => x.ruleId === "bulkhead/parse-error")) {
    assert.match(f.message, new RegExp(`\\(${f.file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${f.region.startLine}:${f.region.startColumn}\\)$`), f.message);
  }
  // Symlinks are never followed: nothing from outside the tree, no duplicate of the tree through links/self.
  assert.ok(!report.findings.some((f) => f.file.startsWith("links/") && f.ruleId !== "bulkhead/file-skipped" && f.ruleId !== "bulkhead/scan-incomplete"), describe(report.findings, "links/outside.yaml"));
  assert.ok(report.filesScanned > 30, `files scanned: ${report.filesScanned}`);
});

/** The CLI, asynchronously (the formats run two at a time: the machine has two cores). */
function cliAsync(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...ENV } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

test("hostile inputs in every output format --help lists: exit 0 or 1, no stack trace, the report names the files", async () => {
  const formats = helpFormats();
  const queue = [...formats];
  const worker = async () => {
    for (let format = queue.shift(); format; format = queue.shift()) {
      const run = await cliAsync(["-f", format, "."], dir);
      assert.ok(run.code === 0 || run.code === 1, `${format}: exit ${run.code}\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, CRASH, `${format}: ${run.stderr}`);
      for (const file of ["canary/Dockerfile", "deep/flow.yaml", "bomb/lol.yaml", "malformed/broken.json"]) {
        assert.ok(run.stdout.includes(file), `${format}: the report mentions ${file}`);
      }
      if (format === "sarif") {
        // Structure only: schema validity is the SARIF tests' business (the multitool spends ~10 s per call here).
        const log = JSON.parse(run.stdout) as { version: string; runs: { results: { locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
        assert.equal(log.version, "2.1.0");
        assert.equal(log.runs.length, 1);
        for (const r of log.runs[0].results) assert.ok(r.locations[0].physicalLocation.region.startLine >= 1);
      }
      if (format === "json") JSON.parse(run.stdout);
    }
  };
  await Promise.all([worker(), worker()]);
});

test("the library API never throws on hostile inputs; CRLF files give the same findings at the same places as LF", async () => {
  const all = await lint({ cwd: dir, config: false });
  assert.ok(all.findings.length > 0);
  const strip = (findings: Finding[], prefix: string) =>
    findings.map((f) => `${f.ruleId} ${f.file.replace(prefix, "X/")} ${JSON.stringify(f.region)} ${f.message.split(prefix).join("X/")}`).sort();
  const lf = await lint({ cwd: dir, paths: ["lf"], config: false });
  const crlf = await lint({ cwd: dir, paths: ["crlf"], config: false });
  assert.ok(lf.findings.length >= 5, `LF findings: ${lf.findings.length}`);
  assert.deepEqual(strip(crlf.findings, "crlf/"), strip(lf.findings, "lf/"));
});

test("a named pipe given on the command line is a note, not a run that never ends", async () => {
  const result = await lint({ cwd: dir, paths: ["special/pipe.yaml", "canary/Dockerfile"], config: false });
  assert.ok(result.findings.some((f) => f.file === "special/pipe.yaml" && f.ruleId === "bulkhead/file-skipped" && /named pipe/.test(f.message)), describe(result.findings, "special/pipe.yaml"));
  assert.ok(result.findings.some((f) => f.file === "canary/Dockerfile" && f.ruleId === "docker/user-not-root"));
});

test("a file that vanishes between discovery and reading is a note, and the run goes on", async () => {
  writeFileSync(path.join(dir, "vanish.txt"), "password = hunter2hunter2\n");
  // Files other than YAML are read in path order: canary/Dockerfile, then vanish.txt (removed once the first is read).
  const result = await lint({
    cwd: dir,
    paths: ["vanish.txt", "canary"],
    config: false,
    onProgress: (done) => {
      if (done === 1) rmSync(path.join(dir, "vanish.txt"), { force: true });
    },
  });
  assert.ok(result.findings.some((f) => f.ruleId === "bulkhead/file-skipped" && f.file === "vanish.txt" && /cannot be read \(ENOENT\)/.test(f.message)), describe(result.findings, "vanish.txt"));
  assert.ok(result.findings.some((f) => f.ruleId === "docker/user-not-root" && f.file === "canary/Dockerfile"));
});

// Wrong types everywhere: rules must read what they can and skip the rest. An exception in a
// rule is caught by the engine and reported as "internal error in rule <id>" (a parse-error
// finding): the run goes on, but it is a bug of that rule. This test names the rule and the input.
test("wrong types everywhere: no rule fails with an internal error", async () => {
  const wt = tmpDir("bulkhead-wrong-types-");
  try {
    const files = writeWrongTypes(wt);
    assert.ok(files > 1000, `${files} wrong-typed files`);
    const result = await lint({ cwd: wt, config: false });
    const hostile = await lint({ cwd: dir, config: false });
    const internal = [...result.findings, ...hostile.findings].filter((f) => /internal error/.test(f.message));
    const byRule = new Map<string, string[]>();
    for (const f of internal) {
      const rule = /internal error in rule (\S+?):/.exec(f.message)?.[1] ?? "?";
      byRule.set(rule, [...(byRule.get(rule) ?? []), `${f.file}: ${f.message.replace(/^internal error in rule \S+ /, "")}`]);
    }
    assert.equal(
      internal.length,
      0,
      [...byRule].map(([rule, list]) => `${rule} (${list.length} inputs), e.g.\n    ${list.slice(0, 3).join("\n    ")}`).join("\n"),
    );
    assert.equal(result.filesScanned, files);
  } finally {
    rmSync(wt, { recursive: true, force: true });
  }
});
