// Hostile pull requests (issue 10): what a pull request's author controls — names, paths, file
// contents — must not run code, forge output, bypass the gate or print a secret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { parse as parseYaml } from "yaml";
import type { Log } from "sarif";
import type { Finding, Level } from "../src/types.ts";
import { format, FORMATS } from "../src/reporters/index.ts";
import { formatMarkdown } from "../src/reporters/markdown.ts";
import { ROOT, gitCommitAll, resultOf, runCli, sarifErrors, tmpDir, writeTree } from "./helpers.ts";

// ---- output (issue 10 items 2, 11, 12) ----

/** Names a pull request can give a compose service or a Kubernetes object to forge runner output. */
const HOSTILE_NAMES = ["a\n::error file=x::forged", "b\r::add-mask::x", "::stop-commands::abc", "##[error]x", "c\u2028d", "e\x1b[2Jf"];

/** Directory names (that git and bulkhead scan today) aimed at the same, and at annotation properties. */
const HOSTILE_DIRS = ["::stop-commands::abc", "##[error]x", "e\x1b[2Jf", "a,b:c", "%0A::error x::y", "::add-mask::z"];

/** A YAML double-quoted scalar spelling every control character as an escape. */
function yamlQuoted(s: string): string {
  return `"${s.replace(/[\\"]/g, "\\$&").replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

function hostileTree(): string {
  const files: Record<string, string> = {
    "compose.yaml": "services:\n" + HOSTILE_NAMES.map((n) => `  ${yamlQuoted(n)}:\n    image: nginx\n    privileged: true\n`).join(""),
    "pod.yaml": HOSTILE_NAMES.map((n) => `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${yamlQuoted(n)}\nspec:\n  containers:\n    - name: ${yamlQuoted(n)}\n      image: nginx\n`).join(""),
  };
  for (const d of HOSTILE_DIRS) files[`${d}/Dockerfile`] = "FROM nginx\n";
  const dir = writeTree(files);
  gitCommitAll(dir);
  return dir;
}

/** The workflow commands GitHub's runner registers (actions/runner: ActionCommandManager and its extensions). */
const RUNNER_COMMANDS = ["error", "warning", "notice", "debug", "group", "endgroup", "echo", "add-mask", "set-output", "save-state", "set-env", "add-path", "add-matcher", "remove-matcher", "stop-commands"];

interface RunnerCommand {
  command: string;
  props: Record<string, string>;
  data: string;
}

const unescapeData = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
const unescapeProperty = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");

/** `::name k=v,k=v::data` after leading blanks (the runner's ActionCommand.TryParseV2). */
function parseCommand(line: string, registered: Set<string>): RunnerCommand | undefined {
  const s = line.trimStart();
  if (!s.startsWith("::")) return undefined;
  const end = s.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = s.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!registered.has(command.toLowerCase())) return undefined;
  const props: Record<string, string> = {};
  if (space > 0) {
    for (const p of info.slice(space + 1).trim().split(",")) {
      const i = p.indexOf("=");
      if (i > 0 && i < p.length - 1) props[p.slice(0, i)] = unescapeProperty(p.slice(i + 1));
    }
  }
  return { command, props, data: unescapeData(s.slice(end + 2)) };
}

/** `##[name props]data` anywhere in a line (the runner's legacy ActionCommand.TryParse). */
function parseLegacyCommand(line: string, registered: Set<string>): RunnerCommand | undefined {
  const start = line.indexOf("##[");
  const close = start < 0 ? -1 : line.indexOf("]", start);
  if (close < 0) return undefined;
  const info = line.slice(start + 3, close);
  const command = info.split(" ")[0];
  return registered.has(command.toLowerCase()) ? { command, props: {}, data: line.slice(close + 1) } : undefined;
}

/**
 * The commands GitHub's runner would act on in a step's output: lines end at CR, LF or CRLF;
 * `::stop-commands::<token>` ignores every command until `::<token>::`.
 */
function runnerCommands(log: string): RunnerCommand[] {
  const registered = new Set(RUNNER_COMMANDS);
  const acted: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of log.split(/\r\n|\r|\n/)) {
    const c = parseCommand(line, registered) ?? parseLegacyCommand(line, registered);
    if (!c) continue;
    if (stopToken !== undefined) {
      if (c.command.toLowerCase() !== stopToken) continue;
      registered.delete(stopToken);
      stopToken = undefined;
    } else if (c.command === "stop-commands") {
      stopToken = c.data.toLowerCase();
      registered.add(stopToken);
    }
    acted.push(c);
  }
  return acted;
}

/** Raw characters no report line may carry: controls other than the line ends between lines, separators, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function jsonFindings(dir: string, args: string[] = [], input?: string): Finding[] {
  const r = runCli(["-f", "json", ...args], { cwd: dir, input });
  return (JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => !f.suppressions?.length);
}

/** Checks one report of the CLI: it forges no runner command (github: only bulkhead's annotations, on the exact files). */
function assertInert(name: string, stdout: string, findings: Finding[]): void {
  // An annotation's file= property is the exact path (escaped as @actions/core does; the runner
  // reads the command and does not print it): it may hold any character but CR and LF.
  const shown = name === "github" ? stdout.replace(/(?<=^::\w+ (?:[^:]*,)?)file=[^,:]*/gm, "") : stdout;
  assert.doesNotMatch(shown, RAW_CONTROL, `${name}: no raw control character, CR or separator`);
  const acted = runnerCommands(stdout);
  if (name !== "github") {
    assert.deepEqual(acted, [], `${name}: the runner finds no workflow command in it`);
    return;
  }
  assert.equal(acted.length, findings.length, "github: one command per finding, no other");
  const expected = findings.map((f) => `${f.level === "note" ? "notice" : f.level} ${f.ruleId} ${JSON.stringify(f.file)}:${f.region.startLine}`).sort();
  assert.deepEqual(acted.map((c) => `${c.command} ${c.props.title} ${JSON.stringify(c.props.file)}:${c.props.line}`).sort(), expected, "github: the runner reads the exact file of each finding");
  for (const c of acted) assert.doesNotMatch(c.data, RAW_CONTROL, "github: a message holds no raw control character");
}

test("CLI: hostile service, object, container and directory names forge no workflow command in any format; messages show them escaped", () => {
  const dir = hostileTree();
  const findings = jsonFindings(dir);
  const files = new Set(findings.map((f) => f.file));
  for (const d of HOSTILE_DIRS) assert.ok(files.has(`${d}/Dockerfile`), `scanned: ${JSON.stringify(d)}`);
  assert.ok(findings.every((f) => !RAW_CONTROL.test(f.message) && !f.message.includes("\n") && !f.message.includes("##[")), "json: messages hold no raw control character nor ##[");
  assert.ok(findings.some((f) => f.message.includes('service "a\\n::error file=x::forged"')), "a line feed is shown as \\n");
  assert.ok(findings.some((f) => f.message.includes('Pod b\\r::add-mask::x')), "a carriage return as \\r");
  assert.ok(findings.some((f) => f.message.includes('container "c\\u2028d"')), "U+2028 as \\u2028");
  assert.ok(findings.some((f) => f.message.includes('service "e\\x1b[2Jf"')), "ESC as \\x1b");
  assert.ok(findings.some((f) => f.message.includes('service "#\\#[error]x"')), "##[ as #\\#[");
  assert.ok(findings.some((f) => f.logicalLocation?.includes("a\\n::error")), "logical locations too");

  for (const name of FORMATS) {
    const r = runCli(["-f", name], { cwd: dir });
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assertInert(name, r.stdout, findings);
  }
  const text = runCli(["-f", "text"], { cwd: dir }).stdout.split("\n");
  assert.ok(text.includes("./::stop-commands::abc/Dockerfile"), "a path starting with :: is printed as ./::…");
  assert.ok(text.includes("e\\x1b[2Jf/Dockerfile") && text.includes("#\\#[error]x/Dockerfile"), "paths are shown escaped");
  const junit = new XMLParser({ ignoreAttributes: false }).parse(runCli(["-f", "junit"], { cwd: dir }).stdout) as { testsuites: unknown };
  assert.ok(junit.testsuites, "junit stays well-formed XML");
});

test("CLI: a path with a line feed (--stdin-filename) stays exact in the data and in annotation properties, and forges nothing", () => {
  const dir = tmpDir();
  const filename = "x\n::error file=y::forged, with: colon/Dockerfile";
  const args = ["--stdin", "--stdin-filename", filename];
  const findings = jsonFindings(dir, args, "FROM nginx\n");
  assert.ok(findings.length > 0 && findings.every((f) => f.file === filename), "json keeps the exact path");
  for (const name of FORMATS) {
    const r = runCli(["-f", name, ...args], { cwd: dir, input: "FROM nginx\n" });
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assertInert(name, r.stdout, findings);
  }
  const text = runCli(args, { cwd: dir, input: "FROM nginx\n" }).stdout;
  assert.ok(text.startsWith("x\\n::error file=y::forged, with: colon/Dockerfile\n"), text.slice(0, 200));
  const md = runCli(["-f", "markdown", ...args], { cwd: dir, input: "FROM nginx\n" }).stdout;
  assert.match(md, /^\| `x\\n::error file=y::forged, with: colon\/Dockerfile:\d+:\d+` \|/m, "markdown shows the path escaped, on one row");
});

test("CLI: a usage error quoting a name prints it escaped on stderr", () => {
  const r = runCli(["--stdin", "--stdin-filename", "../a\n::error::forged"], { input: "" });
  assert.equal(r.code, 2);
  assert.deepEqual(runnerCommands(r.stderr), []);
});

test("json, gitlab: what JSON.stringify leaves raw (U+2028, C1, bidi controls, ##[) is written as \\u escapes, read back as the exact path", () => {
  const file = "c\u2028d\u0085e\u202e##[error]x/Dockerfile";
  const result = resultOf([finding(file, "m")]);
  // (SARIF holds paths only as percent-encoded URIs; the CLI test above covers it.)
  for (const name of ["json", "gitlab"]) {
    const out = format(name, result, { color: false, quiet: false });
    assert.doesNotMatch(out, RAW_CONTROL, name);
    assert.deepEqual(runnerCommands(out), [], name);
    assert.ok(out.includes("#\\u0023[error]"), name);
  }
  assert.equal((JSON.parse(format("json", result, { color: false, quiet: false })) as { findings: Finding[] }).findings[0].file, file);
  assert.equal((JSON.parse(format("gitlab", result, { color: false, quiet: false })) as { location: { path: string } }[])[0].location.path, file);
});

// -- the Action, as GitHub's runner runs it (the real @actions/core, compiled sources)

interface RunnerRun {
  code: number | null;
  stdout: string;
  summary: string;
}

const ACTION_INPUTS = (parseYaml(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }> }).inputs;

/** Runs dist/src/action.js with the runner's environment: INPUT_* (action.yml's defaults), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
function runAction(workspace: string, inputs: Record<string, string> = {}): RunnerRun {
  const scratch = tmpDir("bulkhead-runner-");
  const summaryFile = path.join(scratch, "summary.md");
  writeFileSync(path.join(scratch, "output"), "");
  writeFileSync(summaryFile, "");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  Object.assign(env, { NO_COLOR: "1", GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: path.join(scratch, "output"), GITHUB_STEP_SUMMARY: summaryFile });
  for (const [name, spec] of Object.entries(ACTION_INPUTS)) env[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? "";
  env["INPUT_SARIF-FILE"] = inputs["sarif-file"] ?? path.join(scratch, "bulkhead.sarif"); // not in the scanned tree
  const action = path.join(ROOT, "dist/src/action.js");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `const { run } = await import(${JSON.stringify(action)}); await run();`], { cwd: workspace, encoding: "utf8", env, maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout + r.stderr, summary: readFileSync(summaryFile, "utf8") };
}

/** The lines the runner reads outside `::stop-commands::<token>` … `::<token>::`, and the token. */
function outsideStopCommands(stdout: string): { outside: string[]; inside: string[]; tokens: string[] } {
  const outside: string[] = [];
  const inside: string[] = [];
  const tokens: string[] = [];
  let token: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    if (token === undefined) {
      const m = /^::stop-commands::(.+)$/.exec(line);
      if (m) tokens.push((token = m[1]));
      else outside.push(line);
    } else if (line === `::${token}::`) token = undefined;
    else inside.push(line);
  }
  assert.equal(token, undefined, "every stop-commands block is closed");
  return { outside, inside, tokens };
}

test("Action: hostile names forge nothing; the text report is printed only inside ::stop-commands::<random token>", () => {
  const dir = hostileTree();
  const findings = jsonFindings(dir);
  const run = runAction(dir);
  assert.equal(run.code, 1, run.stdout.slice(-2000));

  const { outside, inside, tokens } = outsideStopCommands(run.stdout);
  assert.equal(tokens.length, 1);
  assert.match(tokens[0], /^bulkhead-[0-9a-f]{32}$/, "the token is 128 random bits");
  assert.ok(inside.some((l) => /✖ \d+ problems/.test(l)) && inside.some((l) => l.includes("compose/privileged")), "the text report is inside the block");
  assert.ok(!outside.some((l) => l.includes("compose/privileged") && !l.startsWith("::")), "and nowhere else");
  for (const line of outside) {
    // Our annotations' file= properties hold the exact paths (a `##[` there is inert: the runner
    // reads the line as the `::error` command it starts with); any other line must hold no `##[`.
    if (line.trimStart().startsWith("::")) assert.match(line, /^::(error|warning|notice) [^:]*::|^::error::bulkhead found \d+ problems at or above/, `only bulkhead's own annotations start with :: (${JSON.stringify(line.slice(0, 120))})`);
    else assert.ok(!line.includes("##["), `no ##[ outside the block: ${JSON.stringify(line.slice(0, 120))}`);
  }

  const acted = runnerCommands(run.stdout);
  const annotations = acted.filter((c) => c.props.file !== undefined);
  assert.deepEqual(
    acted.filter((c) => c.props.file === undefined).map((c) => c.command),
    ["stop-commands", tokens[0], "error"],
    "besides annotations: the block's start and end, and the step's failure",
  );
  assert.deepEqual(
    annotations.map((c) => `${c.command} ${c.props.title} ${JSON.stringify(c.props.file)}:${c.props.line}`).sort(),
    findings.map((f) => `${f.level === "note" ? "notice" : f.level} ${f.ruleId} ${JSON.stringify(f.file)}:${f.region.startLine}`).sort(),
    "one annotation per finding, on the exact file (`,`, `:` and `%` escaped as @actions/core does)",
  );
  for (const c of annotations) assert.doesNotMatch(c.data, RAW_CONTROL);
  assert.doesNotMatch(run.summary, RAW_CONTROL, "the job summary holds no raw control character or separator");

  assert.notEqual(outsideStopCommands(runAction(dir).stdout).tokens[0], tokens[0], "a new token on every run");
});

// -- SARIF URIs (item 11)

test("SARIF: URIs are encoded per segment and stay relative to %SRCROOT% (directories named file: and https:); valid for the multitool", () => {
  const base = path.join(tmpDir(), "root #?% é");
  mkdirSync(base);
  const dirs = ["file:", "https:", "sp #?%é", "pct%41", "h#x", "q?x", "a:b", "[x]"];
  writeTree(Object.fromEntries(dirs.map((d) => [`${d}/Dockerfile`, "FROM nginx\n"])), base);
  const r = runCli(["-f", "sarif"], { cwd: base });
  assert.equal(r.code, 1, r.stderr);
  const sarifFile = path.join(tmpDir(), "out.sarif");
  writeFileSync(sarifFile, r.stdout);
  assert.deepEqual(sarifErrors(sarifFile), []);

  const log = JSON.parse(r.stdout) as Log;
  const run = log.runs[0];
  const root = run.originalUriBaseIds!["%SRCROOT%"].uri!;
  assert.equal(fileURLToPath(root), realpathSync(base) + "/", "the base URI names the scanned directory");
  const uris = run.results!.map((res) => res.locations![0].physicalLocation!.artifactLocation!.uri!);
  for (const uri of uris) assert.doesNotMatch(uri, /^[A-Za-z][A-Za-z0-9+.-]*:/, `relative, not absolute: ${uri}`);
  const resolved = new Set(uris.map((uri) => fileURLToPath(new URL(uri, root))));
  assert.deepEqual([...resolved].sort(), dirs.map((d) => path.join(realpathSync(base), d, "Dockerfile")).sort(), "each URI resolves to its file under %SRCROOT%");
  assert.ok(uris.includes("file%3A/Dockerfile") && uris.includes("sp%20%23%3F%25%C3%A9/Dockerfile") && uris.includes("%5Bx%5D/Dockerfile"), uris.join(" "));
});

test("--stdin-filename: an absolute path or a .. segment is exit 2 with a message; without --stdin too", () => {
  for (const name of ["/etc/passwd", "../outside.yaml", "deploy/../../x.yaml", "..\\x.yaml", "C:\\x\\Dockerfile", "C:x.yaml", "\\\\server\\share\\a.yaml", "deploy/", "."]) {
    const r = runCli(["--stdin", "--stdin-filename", name], { input: "FROM nginx\n" });
    assert.equal(r.code, 2, `${name}: ${r.stdout}`);
    assert.match(r.stderr, /^bulkhead: --stdin-filename ".*" (is an absolute path|has a "\.\." segment|does not name a file); give a path relative to the directory scanned/, name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  }
  const ok = runCli(["--stdin", "--stdin-filename", "deploy/..x/Dockerfile", "-f", "json"], { input: "FROM nginx\n" });
  assert.equal(ok.code, 1, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { findings: Finding[] }).findings[0].file, "deploy/..x/Dockerfile", "a name that merely starts with .. is fine");
  const alone = runCli(["--stdin-filename", "chart.yaml"]);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--stdin-filename names what --stdin reads; add --stdin/);
});

// -- the job summary (markdown, item 12)

const region = (line: number) => ({ startLine: line, startColumn: 1, endLine: line, endColumn: 5 });
let fingerprints = 0;
const finding = (file: string, message: string, level: Level = "error", line = 1, ruleId = "compose/privileged"): Finding => ({
  ruleId,
  level,
  message,
  file,
  region: region(line),
  fingerprint: `fp${++fingerprints}`,
});
/** A GFM table row's cells as GitHub (cmark-gfm) splits them: a backslash pairs with the next character, an unpaired `|` ends a cell. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = "";
  for (let i = 1; i < row.length; i++) {
    if (row[i] === "\\" && i + 1 < row.length) cell += row[i] + row[++i];
    else if (row[i] === "|") out.push(cell.trim()), (cell = "");
    else cell += row[i];
  }
  return out;
}

/** Drops code spans (a backtick run, then the first run of the same length), leaving the text markdown interprets. */
function outsideCode(s: string): string {
  return s.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
}

const findingRows = (md: string) => md.split("\n").filter((l) => /^\| `/.test(l));

test("markdown: code spans use a fence longer than any backtick run; rows keep four cells", () => {
  const md = formatMarkdown(resultOf([finding("a``b`c/x|y\\|z/Dockerfile", "uses `a``b` and ```", "error")]));
  const [row] = findingRows(md);
  const c = cells(row);
  assert.equal(c.length, 4, row);
  assert.equal(c[0], "``` a``b`c/x\\|y\\\\\\|z/Dockerfile:1:1 ```", "fence of 3 for a run of 2; pipes escaped, a backslash before a pipe doubled");
});

test("markdown: no raw HTML, links or emphasis from names; CR, LF and U+2028 never break a row", () => {
  const names = ['<img src=x onerror="alert(1)">', "<script>alert(1)</script>", "**bold** [link](https://evil.example) ~~x~~ _u_ &amp;", "a\rb\nc\u2028d\u2029e\r\nf\x1b[2J"];
  const md = formatMarkdown(resultOf(names.map((n, i) => finding(`${n}/Dockerfile`, `service "${n}" runs privileged`, "error", i + 1))));
  const rows = findingRows(md);
  assert.equal(rows.length, names.length, "one line per finding");
  for (const row of rows) assert.equal(cells(row).length, 4, row);
  assert.doesNotMatch(md, RAW_CONTROL);
  assert.ok(!md.includes("\r"));
  const text = outsideCode(md.split("\n").filter((l) => l.startsWith("| `")).join("\n"));
  assert.doesNotMatch(text, /(?<!\\)[<>&*[\]~]/, "outside code spans every HTML or markdown special is backslash-escaped");
  assert.doesNotMatch(text, /(?<![\\A-Za-z0-9])_/);
});

test("markdown: errors first, then warnings, then notes; capped by bytes, saying how many findings were left out", () => {
  const findings: Finding[] = [];
  for (let i = 0; i < 6000; i++) {
    const level: Level = i % 3 === 0 ? "note" : i % 3 === 1 ? "warning" : "error";
    findings.push(finding(`dir${String(i).padStart(5, "0")}/Dockerfile`, `${level} ${"é".repeat(150)} number ${i}`, level, 1 + (i % 50)));
  }
  findings.push(finding("zz/Dockerfile", `huge ${"x".repeat(300_000)}`, "error"));
  const md = formatMarkdown(resultOf(findings), { maxBytes: 1_000_000 });
  const bytes = Buffer.byteLength(md);
  assert.ok(bytes <= 1_000_000 && bytes > 900_000, `${bytes} bytes`);
  const rows = findingRows(md);
  const levels = rows.map((r) => cells(r)[1].split(" ")[1]);
  assert.deepEqual(levels, [...levels].sort((a, b) => ["error", "warning", "note"].indexOf(a) - ["error", "warning", "note"].indexOf(b)), "errors, then warnings, then notes");
  assert.equal(levels.filter((l) => l === "error").length, 2001, "every error is listed");
  const huge = rows.find((r) => r.includes("huge"))!;
  assert.ok(huge.length < 2100 && huge.endsWith("… |"), `a long message is cut (${huge.length} characters)`);
  const m = /^… and (\d+) more findings \((\d+) warnings?, (\d+) notes?\) not listed: see the SARIF or text report\.$/m.exec(md);
  assert.ok(m, md.slice(-300));
  assert.equal(rows.length + Number(m[1]), findings.length);
  assert.equal(Number(m[2]) + Number(m[3]), Number(m[1]));
});

test("Action: the job summary stays under 1,000,000 bytes and says how many findings it leaves out", () => {
  // 400 services with 3,000-character names (explicit keys: YAML caps implicit ones at 1,024),
  // which messages quote cut to 256 characters: 2,400 findings, about 1.6 MB of rows.
  const names = Array.from({ length: 400 }, (_, i) => `s${i}-${"n".repeat(3000)}`);
  const dir = writeTree({ "compose.yaml": "services:\n" + names.map((n) => `  ? ${n}\n  : image: nginx\n    privileged: true\n`).join("") });
  gitCommitAll(dir);
  const run = runAction(dir);
  assert.equal(run.code, 1, run.stdout.slice(-2000));
  const bytes = Buffer.byteLength(run.summary);
  assert.ok(bytes <= 1_000_000, `${bytes} bytes`);
  const m = /^… and (\d+) more findings \(.*\) not listed/m.exec(run.summary);
  assert.ok(m, run.summary.slice(-500));
  assert.equal(findingRows(run.summary).length + Number(m[1]), jsonFindings(dir).length);
  assert.ok(findingRows(run.summary).slice(0, 400).every((r) => r.includes("🔴 error")), "the errors come first");
});

// ---- where reports are written (a committed link in the way) ----

test("reports and baselines are never written through a committed symbolic link; missing directories are created", () => {
  const outside = tmpDir("bulkhead-victim-");
  const victim = path.join(outside, "victim.txt");
  writeFileSync(victim, "untouched\n");
  const dir = writeTree({ "Dockerfile": "FROM alpine:3.20\nUSER app\n" });
  for (const name of ["bulkhead.sarif", "report.json", "baseline.json"]) symlinkSync(victim, path.join(dir, name));
  gitCommitAll(dir);

  const run = runCli(["--sarif", "bulkhead.sarif", "-f", "json", "-o", "report.json", "--fail-on", "never", "."], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const base = runCli(["--write-baseline", "baseline.json", "."], { cwd: dir });
  assert.equal(base.code, 0, base.stderr);
  assert.equal(readFileSync(victim, "utf8"), "untouched\n");
  for (const name of ["bulkhead.sarif", "report.json", "baseline.json"]) {
    assert.ok(lstatSync(path.join(dir, name)).isFile(), `${name} is a regular file now`);
    JSON.parse(readFileSync(path.join(dir, name), "utf8"));
  }

  const nested = runCli(["-f", "json", "-o", "out/deep/report.json", "--sarif", "out/sarif/b.sarif", "--fail-on", "never", "."], { cwd: dir });
  assert.equal(nested.code, 0, nested.stderr);
  assert.ok(existsSync(path.join(dir, "out/deep/report.json")) && existsSync(path.join(dir, "out/sarif/b.sarif")));
});

test("Action: a sarif-file whose directory a committed link leads out of the workspace fails the step; nothing is written there", () => {
  const outside = tmpDir("bulkhead-victim-");
  const dir = writeTree({ "Dockerfile": "FROM alpine:3.20\nUSER app\n" });
  symlinkSync(outside, path.join(dir, "reports"));
  gitCommitAll(dir);
  const run = runAction(dir, { "sarif-file": "reports/bulkhead.sarif" });
  assert.equal(run.code, 1, run.stdout.slice(-2000));
  assert.match(run.stdout, /::error::cannot write the SARIF report "[^"]*reports\/bulkhead\.sarif": its directory leads out of .* through a symbolic link/);
  assert.deepEqual(readdirSync(outside), []);
});
