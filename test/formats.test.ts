// The CI formats (SPEC §6): github workflow commands, JUnit XML, GitLab Code Quality, markdown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { lint, type LintResult } from "../src/engine/lint.ts";
import { HOMEPAGE } from "../src/version.ts";
import type { Finding } from "../src/types.ts";
import { format, FORMATS } from "../src/reporters/index.ts";
import { EXAMPLES, ROOT, copyFixture, gitCommitAll, resultOf, runCli } from "./helpers.ts";

const region = (startLine: number, startColumn: number, endLine = startLine, endColumn = startColumn + 5) => ({ startLine, startColumn, endLine, endColumn });

function finding(partial: Partial<Finding> & Pick<Finding, "ruleId" | "file">): Finding {
  return { level: "error", message: "m", region: region(1, 1), fingerprint: `fp-${Math.random().toString(16).slice(2)}`, ...partial };
}

const SYNTHETIC = resultOf([
  finding({ ruleId: "docker/user-not-root", file: "a,b:c/Dockerfile", message: "100% root\r\nsecond line, with: colon", region: region(3, 1, 3, 12) }),
  finding({ ruleId: "k8s/run-as-non-root", file: "k8s/deploy.yaml", level: "warning", message: "spans | lines <b> & `x|y`", region: region(5, 3, 9, 1) }),
  finding({ ruleId: "k8s/run-as-non-root", file: "k8s/deploy.yaml", level: "note", message: "second of the rule", region: region(20, 3) }),
  finding({ ruleId: "k8s/seccomp-profile", file: "k8s/deploy.yaml", level: "note", message: "suppressed one", suppressions: [{ kind: "inSource", justification: "tracked in #12" }] }),
]);

const run = (name: string, result: LintResult) => format(name, result, { color: false, quiet: false });

test("every SPEC §6 format is registered and listed in --help", () => {
  for (const name of ["text", "json", "sarif", "github", "junit", "gitlab", "markdown"]) assert.ok((FORMATS as readonly string[]).includes(name), name);
  const help = runCli(["--help"]).stdout;
  assert.match(help, /text \(default\) \| json \| sarif \| github \| junit \| gitlab \| markdown/);
});

// ---------------------------------------------------------------- github

/** Parses `::cmd k=v,k=v::message` as GitHub's runner does (properties split on "," then the first "="), then unescapes. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? "").split(",").filter(Boolean)) {
    const i = kv.indexOf("=");
    props[kv.slice(0, i)] = unescape(kv.slice(i + 1));
  }
  return { command: m[1], props, message: m[3].replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%") };
}

test("github: one workflow command per unsuppressed finding, escaped like @actions/core", () => {
  const out = run("github", SYNTHETIC);
  const lines = out.trimEnd().split("\n");
  assert.equal(lines.length, 3, "the suppressed finding is left out");
  for (const l of lines) assert.ok(!/[\r]/.test(l), "no raw carriage return");

  const first = parseCommand(lines[0]);
  assert.equal(first.command, "error");
  assert.deepEqual(first.props, { file: "a,b:c/Dockerfile", line: "3", col: "1", endLine: "3", endColumn: "12", title: "docker/user-not-root" });
  assert.equal(first.message, "100% root\r\nsecond line, with: colon");
  assert.ok(lines[0].startsWith("::error file=a%2Cb%3Ac/Dockerfile,line=3,col=1,endLine=3,endColumn=12,title=docker/user-not-root::100%25 root%0D%0Asecond"));

  const multi = parseCommand(lines[1]);
  assert.equal(multi.command, "warning");
  assert.deepEqual(multi.props, { file: "k8s/deploy.yaml", line: "5", endLine: "9", title: "k8s/run-as-non-root" }, "no columns on a multi-line annotation");
  assert.equal(parseCommand(lines[2]).command, "notice", "notes are notices");
});

test("github: an empty result prints nothing", () => {
  assert.equal(run("github", resultOf([])), "");
});

// ---------------------------------------------------------------- junit

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name), processEntities: true, htmlEntities: true });

test("junit: one testsuite per file, one testcase per rule per file, failures for findings (parsed by fast-xml-parser)", () => {
  const out = run("junit", { ...SYNTHETIC, failOn: "warning" });
  assert.ok(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  const doc = xml.parse(out) as { testsuites: { tests: string; failures: string; skipped: string; testsuite: { name: string; tests: string; failures: string; testcase: { name: string; classname: string; failure?: { type: string; message: string; "#text": string }; skipped?: { message: string } }[] }[] } };
  const suites = doc.testsuites.testsuite;
  assert.deepEqual(suites.map((s) => s.name), ["a,b:c/Dockerfile", "k8s/deploy.yaml"]);
  assert.equal(doc.testsuites.tests, "3");
  assert.equal(doc.testsuites.failures, "2");
  assert.equal(doc.testsuites.skipped, "1");

  const [docker, k8s] = suites;
  assert.deepEqual(docker.testcase.map((c) => c.name), ["docker/user-not-root"]);
  assert.equal(docker.testcase[0].failure?.type, "error");
  assert.equal(docker.testcase[0].failure?.message, "100% root\r\nsecond line, with: colon", "attribute newlines survive as character references");

  assert.deepEqual(k8s.testcase.map((c) => c.name), ["k8s/run-as-non-root", "k8s/seccomp-profile"]);
  const rnr = k8s.testcase[0];
  assert.equal(rnr.classname, "k8s/deploy.yaml");
  assert.equal(rnr.failure?.type, "warning", "the highest level of the rule's findings in the file");
  assert.match(rnr.failure!.message, /^2 findings: spans \| lines <b> & `x\|y`$/);
  assert.match(rnr.failure!["#text"], /k8s\/deploy.yaml:5:3 warning spans \| lines <b> & `x\|y`\nk8s\/deploy.yaml:20:3 note second of the rule/);
  assert.equal(k8s.testcase[1].skipped?.message, "suppressed: tracked in #12");
  assert.equal(k8s.failures, "1");
});

type JunitCase = { name: string; failure?: { type: string }; "system-out"?: string; skipped?: unknown };
type JunitDoc = { testsuites: { tests: string; failures: string; skipped: string; testsuite: { name: string; failures: string; testcase: JunitCase[] }[] } };

test("junit: only findings at or above --fail-on are failures; the others pass and are listed in system-out", () => {
  const doc = xml.parse(run("junit", SYNTHETIC)) as JunitDoc;
  assert.equal(doc.testsuites.failures, "1", "the error fails; the warning and the note are below fail-on error");
  const [docker, k8s] = doc.testsuites.testsuite;
  assert.equal(docker.testcase[0].failure?.type, "error");
  assert.equal(k8s.failures, "0");
  const rnr = k8s.testcase[0];
  assert.equal(rnr.name, "k8s/run-as-non-root");
  assert.equal(rnr.failure, undefined);
  assert.equal(rnr["system-out"], "k8s/deploy.yaml:5:3 warning spans | lines <b> & `x|y`\nk8s/deploy.yaml:20:3 note second of the rule");
  assert.ok(k8s.testcase[1].skipped, "suppressed stays skipped");

  const never = xml.parse(run("junit", { ...SYNTHETIC, failOn: "never" })) as JunitDoc;
  assert.equal(never.testsuites.failures, "0");
  assert.equal(never.testsuites.tests, "3");
  const note = xml.parse(run("junit", { ...SYNTHETIC, failOn: "note" })) as JunitDoc;
  assert.equal(note.testsuites.failures, "2");
});

test("junit: characters XML cannot hold do not break the document", () => {
  const out = run("junit", resultOf([finding({ ruleId: "r/x", file: "f", message: "nul\u0000 bell\u0007 ]]> end" })]));
  const doc = xml.parse(out) as { testsuites: { testsuite: { testcase: { failure: { message: string } }[] }[] } };
  assert.equal(doc.testsuites.testsuite[0].testcase[0].failure.message, "nul\uFFFD bell\uFFFD ]]> end");
});

test("junit: a clean run is one passing testcase", () => {
  const doc = xml.parse(run("junit", resultOf([]))) as { testsuites: { tests: string; failures: string; testsuite: { testcase: { name: string }[] }[] } };
  assert.equal(doc.testsuites.tests, "1");
  assert.equal(doc.testsuites.failures, "0");
  assert.equal(doc.testsuites.testsuite[0].testcase[0].name, "no findings");
});

// ---------------------------------------------------------------- gitlab

test("gitlab: Code Quality issues with description, check_name, fingerprint, severity, location", () => {
  const issues = JSON.parse(run("gitlab", SYNTHETIC)) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
  assert.equal(issues.length, 3, "suppressed findings are left out");
  assert.deepEqual(
    issues.map((i) => [i.check_name, i.severity, i.location.path, i.location.lines.begin]),
    [
      ["docker/user-not-root", "critical", "a,b:c/Dockerfile", 3],
      ["k8s/run-as-non-root", "minor", "k8s/deploy.yaml", 5],
      ["k8s/run-as-non-root", "info", "k8s/deploy.yaml", 20],
    ],
  );
  assert.equal(issues[0].description, SYNTHETIC.findings[0].message);
  assert.equal(issues[0].fingerprint, SYNTHETIC.findings[0].fingerprint);
  assert.deepEqual(JSON.parse(run("gitlab", resultOf([]))), [], "an empty report is an empty array");
});

// ---------------------------------------------------------------- markdown

test("markdown: counts per level, counts per rule, then the findings; `|` escaped", () => {
  const out = run("markdown", SYNTHETIC);
  const lines = out.split("\n");
  assert.match(lines[0], /^## bulkhead: ✖ 3 problems \(1 error, 1 warning, 1 note\) in 2 files of 7 scanned$/);
  assert.ok(lines.includes("| 🔴 error | 1 |"));
  assert.ok(lines.includes("| 🟡 warning | 1 |"));
  assert.ok(lines.includes("| 🔵 note | 1 |"));
  assert.ok(lines.includes("| suppressed | 1 |"));
  assert.ok(lines.some((l) => /^\| \[`k8s\/run-as-non-root`\]\(https:\/\/\S+\) \| 🟡 warning \| 2 \|$/.test(l)), "per-rule row with the rule's highest level and count");
  const row = lines.find((l) => l.startsWith("| `k8s/deploy.yaml:5:3`"));
  assert.ok(row, "a finding row");
  // A GFM table row splits on unescaped pipes only: the row keeps exactly 4 cells.
  const cells = row!.replace(/\\\|/g, "").split("|").slice(1, -1);
  assert.equal(cells.length, 4, row);
  assert.match(row!, /spans \\\| lines \\<b\\> \\& `x\\\|y` \|$/);
  const docker = lines.find((l) => l.startsWith("| `a,b:c/Dockerfile:3:1`"))!;
  assert.ok(!docker.includes("\r") && docker.includes("100% root second line"), "no line break inside a cell");
  assert.ok(!out.includes("suppressed one"), "suppressed findings are counted, not listed");
});

test("markdown: maxFindings caps the list and says how many are left", () => {
  const out = format("markdown", SYNTHETIC, { color: false, quiet: false, maxFindings: 1 });
  assert.equal(out.split("\n").filter((l) => /^\| `/.test(l)).length, 1);
  assert.match(out, /… and 2 more findings/);
});

test("markdown: a clean run says so", () => {
  assert.match(run("markdown", resultOf([])), /^## bulkhead: ✔ no problems in 7 files\n/);
});

// ---------------------------------------------------------------- end to end

test("the CLI writes each CI format for an example, consistent with its json report", () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  gitCommitAll(dir);
  const json = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as { findings: Finding[] };
  const open = json.findings.filter((f) => !f.suppressions?.length);
  assert.ok(open.length > 0);

  const gh = runCli(["-f", "github"], { cwd: dir });
  assert.equal(gh.code, 1);
  assert.equal(gh.stdout.trimEnd().split("\n").length, open.length);
  assert.ok(gh.stdout.split("\n").every((l) => l === "" || /^::(error|warning|notice) file=/.test(l)));

  const gl = JSON.parse(runCli(["-f", "gitlab"], { cwd: dir }).stdout) as { fingerprint: string }[];
  assert.deepEqual(gl.map((i) => i.fingerprint), open.map((f) => f.fingerprint));

  const junit = xml.parse(runCli(["-f", "junit"], { cwd: dir }).stdout) as JunitDoc;
  assert.deepEqual(junit.testsuites.testsuite.map((s) => s.name), [...new Set(open.map((f) => f.file))].sort());
  // GitLab, SARIF and JUnit agree: every unsuppressed finding once; JUnit fails the rules of the findings that fail the run.
  const cases = junit.testsuites.testsuite.flatMap((s) => s.testcase);
  const listed = cases.flatMap((c) => (c.failure ? (c.failure as unknown as { "#text": string })["#text"] : c["system-out"] ?? "").split("\n").filter(Boolean));
  assert.equal(listed.length, gl.length);
  const sarif = JSON.parse(runCli(["-f", "sarif"], { cwd: dir }).stdout) as { runs: { results: { suppressions?: unknown[] }[] }[] };
  assert.equal(sarif.runs[0].results.filter((r) => !r.suppressions?.length).length, gl.length);
  const failing = new Set(open.filter((f) => f.level === "error").map((f) => `${f.file} ${f.ruleId}`));
  assert.ok(failing.size > 0 && failing.size < cases.length, "the example has errors and findings below them");
  assert.equal(Number(junit.testsuites.failures), failing.size);
  const never = xml.parse(runCli(["-f", "junit", "--fail-on", "never"], { cwd: dir }).stdout) as JunitDoc;
  assert.equal(never.testsuites.failures, "0");

  const md = runCli(["-f", "markdown", "-o", "report.md"], { cwd: dir });
  assert.equal(md.stdout, "");
  assert.equal(md.code, 1);
});

test("every SARIF rule descriptor's helpUri names a page of this repository (the engine's own rules too)", async () => {
  const dir = copyFixture(path.join(EXAMPLES, "signal-bot-compose"));
  const sarif = JSON.parse(format("sarif", await lint({ cwd: dir }), { color: false })) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] };
  const rules = sarif.runs[0].tool.driver.rules;
  assert.ok(rules.some((r) => r.id === "bulkhead/parse-error") && rules.some((r) => r.id === "docker/user-not-root"));
  for (const r of rules) {
    assert.ok(r.helpUri?.startsWith(`${HOMEPAGE}/blob/main/`), `${r.id}: ${r.helpUri}`);
    const page = r.helpUri.slice(`${HOMEPAGE}/blob/main/`.length);
    assert.ok(existsSync(path.join(ROOT, page)), `${r.id}: ${page} exists`);
  }
});
