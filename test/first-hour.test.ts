// What a new user meets in the first hour (issue 11): output paths, closed pipes, engine rules
// turned off, mistyped flags. Each test runs the real CLI on a real git repository.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CLI, gitCommitAll, runCli, writeTree } from "./helpers.ts";

function repo(files: Record<string, string>): string {
  const dir = writeTree(files);
  gitCommitAll(dir);
  return dir;
}

const INSECURE = { Dockerfile: "FROM alpine:3.20\nRUN echo hi\n" };

test("-o and --sarif into a directory that does not exist create it; an unwritable path is exit 2 without a stack trace", () => {
  const dir = repo(INSECURE);
  const run = runCli(["-f", "json", "-o", "reports/new/bulkhead.json", "--sarif", "out/sarif/bulkhead.sarif"], { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stderr, "");
  assert.equal(JSON.parse(readFileSync(path.join(dir, "reports/new/bulkhead.json"), "utf8")).summary.error, 1);
  assert.equal(JSON.parse(readFileSync(path.join(dir, "out/sarif/bulkhead.sarif"), "utf8")).version, "2.1.0");
  const baseline = runCli(["--write-baseline", "b/base.json"], { cwd: dir });
  assert.equal(baseline.code, 0, baseline.stderr);
  assert.ok(existsSync(path.join(dir, "b/base.json")));
  // A path through a file: a usage error naming it.
  const bad = runCli(["-o", "Dockerfile/report.txt"], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, 'bulkhead: cannot write the report "Dockerfile/report.txt": a part of the path is a file, not a directory (EEXIST)\n');
});

test("a reader that closes the pipe early (bulkhead | head -1) ends the output quietly", () => {
  // Enough findings that the report is larger than a pipe's buffer.
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`svc${i}/Dockerfile`] = "FROM alpine:latest\nRUN curl https://x.example/i.sh | sh\n";
  const dir = repo(files);
  const r = spawnSync("bash", ["-c", `node ${JSON.stringify(CLI)} -f json . | head -c 10 >/dev/null; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.doesNotMatch(r.stderr, /EPIPE|Error|at /);
  assert.match(r.stderr, /^status 1\n$/, "the exit code still says what the run found");
});

test("an engine rule can be turned off, with --rule or in the configuration", () => {
  const dir = repo({ ...INSECURE, "logo.png": "\u0000\u0001PNG", "empty/Dockerfile": "# nothing\n" });
  const ids = (args: string[]) => (JSON.parse(runCli(["-f", "json", ...args], { cwd: dir }).stdout).findings as { ruleId: string }[]).map((f) => f.ruleId);
  assert.equal(ids([]).filter((id) => id === "bulkhead/file-skipped").length, 2, "a binary file and a Dockerfile without instructions");
  assert.deepEqual(ids(["--rule", "bulkhead/file-skipped=off"]).filter((id) => id.startsWith("bulkhead/")), []);
  const warned = JSON.parse(runCli(["-f", "json", "--rule", "bulkhead/file-skipped=warning"], { cwd: dir }).stdout).findings.filter((f: { ruleId: string }) => f.ruleId === "bulkhead/file-skipped");
  assert.deepEqual(warned.map((f: { level: string }) => f.level), ["warning", "warning"]);
  const configured = repo({ ...INSECURE, "logo.png": "\u0000\u0001PNG", ".bulkhead.yml": "rules:\n  bulkhead/file-skipped: off\n" });
  const out = runCli(["-f", "json"], { cwd: configured });
  assert.deepEqual(JSON.parse(out.stdout).findings.map((f: { ruleId: string }) => f.ruleId), ["docker/user-not-root"]);
});

test("an unknown flag gets a 'did you mean'", () => {
  const r = runCli(["--sarfi", "x.sarif"]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'bulkhead: unknown option "--sarfi"; did you mean "--sarif"?\nRun bulkhead --help for usage.\n');
  const eq = runCli(["--fail-no=warning"]);
  assert.equal(eq.stderr, 'bulkhead: unknown option "--fail-no"; did you mean "--fail-on"?\nRun bulkhead --help for usage.\n');
  const far = runCli(["--xyzzy"]);
  assert.equal(far.stderr, 'bulkhead: unknown option "--xyzzy"\nRun bulkhead --help for usage.\n');
});

test("a duplicate key is named: in a scanned file, and in the configuration when it is a key bulkhead knows", () => {
  const dir = repo({ "pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\nspec:\n  containers: []\n" });
  const r = runCli(["-f", "json"], { cwd: dir });
  const f = JSON.parse(r.stdout).findings.find((x: { ruleId: string }) => x.ruleId === "bulkhead/parse-error");
  assert.equal(f.message, 'duplicate key "name" (first at line 4): a key may appear only once in a mapping (pod.yaml:5:3)');
  const config = repo({ ...INSECURE, ".bulkhead.yml": "rules:\n  docker/sudo: off\n  docker/sudo: error\n" });
  const c = runCli([], { cwd: config });
  assert.equal(c.code, 2);
  assert.match(c.stderr, /\.bulkhead\.yml:3:3: invalid YAML \(DUPLICATE_KEY\): expected each key at most once \("docker\/sudo" is repeated\)\n$/);
  // A key bulkhead does not know is not quoted (the file may not be a configuration at all).
  const other = repo({ ...INSECURE, ".bulkhead.yml": "hunter2: a\nhunter2: b\n" });
  const o = runCli([], { cwd: other });
  assert.equal(o.code, 2);
  assert.doesNotMatch(o.stderr, /hunter2/);
});

test("a Dockerfile line bulkhead cannot read is a finding at its line, never read as something else", () => {
  const dir = repo({ "bare/Dockerfile": "FROM\nRUN echo hi\n", "typo/Dockerfile": "FROM alpine:3.20\nRUNN echo hi\nUSER app\n" });
  const findings = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout).findings as { ruleId: string; file: string; message: string; region: { startLine: number; startColumn: number; endColumn: number } }[];
  assert.deepEqual(
    findings.map((f) => [f.file, f.ruleId, f.region.startLine, f.region.startColumn, f.region.endColumn, f.message]),
    [
      ["bare/Dockerfile", "bulkhead/parse-error", 1, 1, 5, "FROM without an image: Docker cannot build this file; its instructions are not checked (bare/Dockerfile:1:1)"],
      ["typo/Dockerfile", "bulkhead/parse-error", 2, 1, 5, 'unknown instruction "RUNN": Docker cannot build this file (is it a typo?) (typo/Dockerfile:2:1)'],
    ],
  );
  assert.ok(!findings.some((f) => /FROM \)|FROM scratch|``/.test(f.message)), "no message about an image that is not there");
});

test("bulkhead does not lint what it wrote: this run's outputs are left out, an earlier run's reports are a note", () => {
  const dir = repo(INSECURE);
  const outputs = ["--sarif", "bulkhead.sarif", "-f", "json", "-o", "out/report.json"];
  const first = runCli(outputs, { cwd: dir });
  assert.equal(first.code, 1, first.stderr);
  const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: { ruleId: string; file: string; message: string }[] }).findings;
  const before = findingsOf(readFileSync(path.join(dir, "out/report.json"), "utf8"));

  // The same command again: the same findings (the SARIF's rule documentation holds example secrets).
  runCli(outputs, { cwd: dir });
  assert.deepEqual(findingsOf(readFileSync(path.join(dir, "out/report.json"), "utf8")), before);
  assert.equal(runCli(["--write-baseline", "bulkhead-baseline.json"], { cwd: dir }).code, 0);
  runCli(["-f", "junit", "-o", "report.xml"], { cwd: dir });
  runCli(["-f", "markdown", "-o", "report.md"], { cwd: dir });

  // A plain run afterwards: each report is one note, nothing in them is a finding, the exit code is
  // the first run's. The baseline is scanned (it raises nothing).
  const plain = runCli(["-f", "json"], { cwd: dir });
  assert.equal(plain.code, first.code);
  const after = findingsOf(plain.stdout);
  assert.deepEqual(after.filter((f) => f.file === "Dockerfile"), before);
  assert.deepEqual(
    after.filter((f) => f.file !== "Dockerfile").map((f) => `${f.ruleId} ${f.message}`),
    [
      "bulkhead/file-skipped bulkhead.sarif: a SARIF report bulkhead wrote, not scanned",
      "bulkhead/file-skipped out/report.json: a JSON report bulkhead wrote, not scanned",
      "bulkhead/file-skipped report.md: a markdown report bulkhead wrote, not scanned",
      "bulkhead/file-skipped report.xml: a JUnit report bulkhead wrote, not scanned",
    ],
  );
  // Something that only starts like a report is scanned.
  writeFileSync(path.join(dir, "fake.sarif"), `${readFileSync(path.join(dir, "bulkhead.sarif"), "utf8")}{}\n`);
  const fake = findingsOf(runCli(["-f", "json"], { cwd: dir }).stdout).filter((f) => f.file === "fake.sarif");
  assert.ok(fake.some((f) => f.ruleId === "repo/hardcoded-secret"), JSON.stringify(fake));
});

test("rule options are checked against the rule's options schema when the configuration loads: exit 2 naming file, line and what was expected", () => {
  const POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n  volumes:\n  - name: s\n    secret: {secretName: s, defaultMode: 0644}\n";
  const cases: [config: string, stderr: string][] = [
    [
      'rules:\n  k8s/secret-volume-mode: { level: error, options: { maxMode: "rw-------" } }\n',
      '.bulkhead.yml:2:54: "rules.k8s/secret-volume-mode.options.maxMode": expected the loosest mode allowed, in octal: "0600" (default) or "0400"',
    ],
    ['rules:\n  k8s/secret-volume-mode: { options: { maxMod: "0400" } }\n', '.bulkhead.yml:2:40: unknown option in "rules.k8s/secret-volume-mode.options": expected one of "maxMode"; did you mean "maxMode"?'],
    [
      'overrides:\n  - files: ["**"]\n    rules:\n      k8s/secret-volume-mode:\n        options:\n          maxMode: 999\n',
      '.bulkhead.yml:6:11: "overrides[0].rules.k8s/secret-volume-mode.options.maxMode": expected the loosest mode allowed, in octal: "0600" (default) or "0400"',
    ],
    ["rules:\n  docker/user-not-root: { options: { x: 1 } }\n", '.bulkhead.yml:2:27: "rules.docker/user-not-root.options": docker/user-not-root takes no options'],
  ];
  for (const [config, stderr] of cases) {
    const dir = repo({ "pod.yaml": POD, ".bulkhead.yml": config });
    const run = runCli(["."], { cwd: dir });
    assert.equal(run.code, 2, config);
    assert.equal(run.stderr, `bulkhead: ${path.join(dir, stderr)}\n`);
  }
  // Valid values as YAML 1.2 reads them: "0400", 0400 (the number 400), 0o400 (the number 256).
  for (const value of ['"0400"', "0400", "0o400"]) {
    const dir = repo({ "pod.yaml": POD, ".bulkhead.yml": `rules:\n  k8s/secret-volume-mode: { options: { maxMode: ${value} } }\n` });
    const run = runCli(["-f", "json", "."], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.ok((JSON.parse(run.stdout) as { findings: { ruleId: string }[] }).findings.some((f) => f.ruleId === "k8s/secret-volume-mode"));
  }
});

test("the text report says a rule's explanation and advice once and ends with a count per rule (JSON keeps every message whole)", () => {
  const dir = repo({
    "a/compose.yaml": 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  db:\n    image: postgres:16\n    ports: ["5432:5432"]\n',
    "b/compose.yaml": "services:\n  api:\n    image: node:22\n",
  });
  const text = runCli(["--no-color"], { cwd: dir }).stdout;
  const lines = text.split("\n");
  const NNP = 'does not set `no-new-privileges`: a process in the container can gain privileges through setuid/setgid binaries (su, sudo, ping …) or file capabilities; add `security_opt: ["no-new-privileges:true"]`';
  assert.ok(lines.includes(`  2:3   warning  service "web" ${NNP}  compose/no-new-privileges`), "the first finding of a rule is whole");
  assert.ok(lines.includes('  5:3   warning  service "db" does not set `no-new-privileges` …  compose/no-new-privileges'));
  assert.ok(lines.includes('  2:3   warning  service "api" does not set `no-new-privileges` …  compose/no-new-privileges'), "in another file too");
  // What differs stays: the port mapping to write instead.
  assert.ok(lines.includes('  7:13  warning  service "db" publishes container port 5432 on host port 5432 of every host interface (0.0.0.0 and ::) …; write it as "127.0.0.1:5432:5432" unless it must be public  compose/port-all-interfaces'));
  assert.ok(lines.includes('  2:3   warning  service "api" sets no `user`, so it runs as the default user of image "node:22" …  compose/user-not-root'));
  const byRule = text.slice(text.indexOf("by rule:\n"), text.indexOf("✖"));
  assert.equal(
    byRule,
    [
      "by rule:",
      "  3  warning  compose/no-new-privileges",
      "  2  warning  compose/port-all-interfaces",
      "  2  warning  compose/user-not-root",
      "  3  note     compose/cap-drop-all",
      "  3  note     compose/read-only-rootfs",
      "  1  note     compose/user-not-root",
      "",
      "",
    ].join("\n"),
  );
  const json = JSON.parse(runCli(["-f", "json"], { cwd: dir }).stdout) as { findings: { message: string }[] };
  assert.equal(json.findings.filter((f) => f.message.endsWith(NNP)).length, 3);
});

test("source code named after Dockerfiles (a parser's dockerfile.ts) is not read as a Dockerfile; Dockerfile.<variant> is", async () => {
  const { classify } = await import("../src/discover/classify.ts");
  for (const name of ["src/parsers/dockerfile.ts", "dockerfile.go", "lib/Dockerfile.py", "Dockerfile.md"]) assert.equal(classify(name), "text", name);
  for (const name of ["Dockerfile.dev", "Dockerfile.alpine", "docker/Dockerfile.prod", "Containerfile.ci", "app.Dockerfile"]) assert.equal(classify(name), "dockerfile", name);
  const dir = repo({ "src/dockerfile.ts": 'import { x } from "y";\nexport const parse = () => x;\n', "Dockerfile.dev": "FROM alpine:3.20\nUSER 1000\nRUNN echo hi\n" });
  const run = runCli(["-f", "json"], { cwd: dir });
  const findings = (JSON.parse(run.stdout) as { findings: { file: string; ruleId: string; region: { startLine: number } }[] }).findings;
  assert.deepEqual(findings.filter((f) => f.ruleId === "bulkhead/parse-error").map((f) => `${f.file}:${f.region.startLine}`), ["Dockerfile.dev:3"]);
});
