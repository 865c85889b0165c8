// Hostile pull requests (issue 10): what a pull request's author controls — names, paths, file
// contents — must not run code, forge output, bypass the gate, print a secret or stall the run.
import { test } from "node:test";
import assert from "node:assert/strict";

// ---- secrets in messages and regex cost (issue 10 items 3, 9) ----
//
// Item 3: every message, path, logical location and suppression reason that reaches a report
// (each format --help lists, the baseline file, the Action's log, annotations and job summary)
// shows a secret masked, wherever in the scanned files it was planted. Item 9: every pattern
// that runs on scanned text is linear: a 1 MB hostile value completes, in the function that
// runs the pattern and end to end through the CLI, within a time budget generous for a linear
// scan and minutes short of a quadratic one at 1 MB (measured by completesWithin; the CLI is
// killed when it runs past its budget).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { lint } from "../src/index.ts";
import type { Finding } from "../src/types.ts";
import { createSourceFile } from "../src/source.ts";
import {
  isReference,
  isSecretName,
  maskSecret,
  mightHoldToken,
  nameWords,
  quote,
  redactSecrets,
  scanTokens,
  urlPasswords,
  urlWithPassword,
} from "../src/secrets/index.ts";
import { expandArgs } from "../src/parsers/dockerfile.ts";
import { expandWith, normalizeSource } from "../src/selectors/docker.ts";
import { envFileEntries, hostPathOf, interpolate, noNewPrivileges, parseShortPort, parseShortVolume } from "../src/selectors/compose.ts";
import { credentialFile, privateKeyBlock } from "../src/selectors/repo.ts";
import { CLI, ROOT, gitCommitAll, runCli, tmpDir, writeTree } from "./helpers.ts";

/** One megabyte of hostile text: `unit` repeated. */
const MB = 1 << 20;
const megabyteOf = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);

/**
 * Runs `check` and fails when it took longer than `ms`: a linear scan of 1 MB takes milliseconds,
 * a quadratic one minutes. (Measured here because the test runner's `timeout` cannot stop
 * synchronous code: a test that blocks for 2 s passes a 500 ms timeout.)
 */
async function completesWithin(ms: number, check: () => unknown): Promise<void> {
  const t0 = performance.now();
  await check();
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${Math.round(took)} ms, budget ${ms} ms`);
}

/** Budget of one group of 1 MB checks: a linear scan takes well under a second alone and about ten on a 2-core machine at load 20; a quadratic one takes hours. */
const LINEAR = 30_000;

// Built from parts, so this file holds no token a secret scanner would flag.
const j = (...parts: string[]) => parts.join("");

// -- item 3: the masking helper --

test("redactSecrets masks credentials in quoted text and leaves ordinary text alone", () => {
  const token = j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u");
  const cases: [string, string][] = [
    ["sudo mysql -uroot -pS3cretPassw0rdXy", "sudo mysql -uroot -pS3cr…(16 chars)"],
    ["mysql --password=S3cret!x db", "mysql --password=S3cr…(8 chars) db"],
    ["app --token Zq8Lk2Xv9Mn4Rt7Y --password-stdin user", "app --token Zq8L…(16 chars) --password-stdin user"],
    ["docker login -u bob -p Hunter2pass registry", "docker login -u bob -p Hunt…(11 chars) registry"],
    ["curl -u admin:S3cretPw https://x", "curl -u admin:S3cr…(8 chars) https://x"],
    ["curl -H 'Authorization: Bearer 9f8e7d6c5b4a3f2e'", "curl -H 'Authorization: Bearer 9f8e…(16 chars)'"],
    ["postgresql://admin:Sup3rS3cretPw@db.internal/app", "postgresql://admin:Sup3…(13 chars)@db.internal/app"],
    [`ghcr.io/${token}:latest`, "ghcr.io/ghp_…(40 chars):latest"],
    [j("AKIA", "Z3MHQT7XVRK4P2LD"), "AKIA…(20 chars)"],
    ["DB_PASSWORD=hunter2hunter2", "DB_PASSWORD=hunt…(14 chars)"],
    ['{"api_key": "Xk9mQ2vL7pR4tW8z"}', '{"api_key": "Xk9m…(16 chars)"}'],
    ["-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "-----BEGIN PRIVATE KEY-----\nMII…(34 chars)-----END PRIVATE KEY-----"],
    // not credentials: options, ports, digests, references, prose, bulkhead's own advice
    ["mkdir -pv /app && cp -pr a b && docker run -p8080:80 x", "mkdir -pv /app && cp -pr a b && docker run -p8080:80 x"],
    ["mysql -u root -p mydb", "mysql -u root -p mydb"],
    ["nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    ["password: ${DB_PASSWORD} and TOKEN=$GITHUB_TOKEN", "password: ${DB_PASSWORD} and TOKEN=$GITHUB_TOKEN"],
    ["anyone with the repository holds the credential: remove it", "anyone with the repository holds the credential: remove it"],
    ["write `DB_PASSWORD: ${DB_PASSWORD}` (or use compose `secrets:`), and rotate it", "write `DB_PASSWORD: ${DB_PASSWORD}` (or use compose `secrets:`), and rotate it"],
    ["(`${JWT_SECRET:?JWT_SECRET is required}`) and `RUN --mount=type=secret,id=<id>`", "(`${JWT_SECRET:?JWT_SECRET is required}`) and `RUN --mount=type=secret,id=<id>`"],
  ];
  for (const [text, expected] of cases) {
    assert.equal(redactSecrets(text), expected, text);
    assert.equal(redactSecrets(expected), expected, `masking is idempotent: ${expected}`);
  }
});

test("quote() cuts long text after masking it, so a secret across the cut is masked whole", () => {
  const token = j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u");
  assert.equal(quote("signal-bot"), "signal-bot");
  const long = `${"a ".repeat(120)}${token} ${"b".repeat(MB)}`;
  const shown = quote(long);
  assert.ok(shown.length < 300, `cut: ${shown.length} characters`);
  assert.ok(shown.endsWith(`…(${long.length} chars)`), shown.slice(-40));
  assert.ok(!shown.includes(token.slice(0, 8)), "the token crossing the cut shows no more than its mask's prefix");
});

test("k8s/committed-secret: a short data value's mask does not spell out what it decodes to", async () => {
  const pin = Buffer.from("k9Zq").toString("base64"); // azlacQ==: its first four characters decode to k9Z
  const word = Buffer.from("Zx9Tq2").toString("base64"); // Wng5VHEy: Wng5 decodes to Zx9
  const secret = (name: string, key: string, value: string) =>
    ["apiVersion: v1", "kind: Secret", "metadata:", `  name: ${name}`, "data:", `  ${key}: ${value}`, ""].join("\n");
  const dir = writeTree({ "pin.yaml": secret("pin", "password", pin), "word.yaml": secret("word", "password", word) });
  const found = (await lint({ cwd: dir, config: false })).findings.filter((f) => f.ruleId === "k8s/committed-secret");
  const message = (file: string) => found.find((f) => f.file === file)?.message ?? "";
  assert.ok(!message("pin.yaml").includes(pin.slice(0, 4)) && message("pin.yaml").includes("(first in data: …(4 chars) once decoded)"), message("pin.yaml"));
  assert.ok(!message("word.yaml").includes(word.slice(0, 4)) && message("word.yaml").includes(`(first in data: ${maskSecret("Zx9Tq2")} once decoded)`), message("word.yaml"));
});

// -- item 3: secrets planted everywhere a message can quote, every output --

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const alnum = (chars: string, length: number) => fc.string({ unit: fc.constantFrom(...chars), minLength: length, maxLength: length });

/** A random credential of `length` characters mixing upper case, lower case and digits: never a placeholder. */
const credential = (length: number) =>
  fc
    .tuple(alnum("ABCDEFGHJKMNPQRSTUVWYZ", 1), alnum("abcdefghjkmnpqrstuvwyz", 1), alnum("23456789", 1), alnum(ALNUM, length - 3))
    .map((parts) => parts.join(""))
    .filter((s) => !/([xX*])\1{4}/.test(s));

interface Planted {
  kind: string;
  /** What must never appear in any output. */
  secret: string;
  /** How it is written into the scanned files. */
  text: string;
  /** Whether `text` can be a file or directory name. */
  fileSafe: boolean;
}

const planted: fc.Arbitrary<Planted[]> = fc
  .record({ github: alnum(ALNUM, 36), aws: alnum("ABCDEFGHJKLMNPQRSTUVWYZ234567", 16), url: credential(16), mysql: credential(14), generic: credential(28) })
  .map((r) => [
    { kind: "GitHub token", secret: j("ghp_", r.github), text: j("ghp_", r.github), fileSafe: true },
    { kind: "AWS access key", secret: j("AKIA", r.aws), text: j("AKIA", r.aws), fileSafe: true },
    { kind: "password in a postgres URL", secret: r.url, text: `postgresql://app:${r.url}@db.internal:5432/app`, fileSafe: false },
    { kind: "mysql -p<password>", secret: r.mysql, text: `-p${r.mysql}`, fileSafe: true },
    { kind: "PASSWORD= assignment", secret: r.generic, text: `PASSWORD=${r.generic}`, fileSafe: true },
  ]);

/**
 * A repository with each planted text in every place a message quotes: a RUN's command words
 * (after sudo), a FROM image, ENV names and values, a suppression comment's rule ids, compose
 * service names, env keys and values and images, Kubernetes object, container and env names,
 * env values, images, ConfigMap keys and values, a YAML alias a parse error names, a Secret's
 * data, and (where the text can be one) a directory name and a file name.
 */
function plantedRepository(items: Planted[]): string {
  const files: Record<string, string> = {};
  items.forEach((p, i) => {
    const d = `p${i}`;
    const t = p.text;
    files[`${d}/Dockerfile`] = [
      `FROM registry.internal/${t}:latest`,
      `# bulkhead-disable-next-line ${t}`,
      "WORKDIR /app",
      `RUN sudo mysql -uroot ${t} -e "select 1"`,
      `ENV ${t}=1`,
      `ENV SETTING=${t}`,
      "",
    ].join("\n");
    // JSON is YAML: every name and value quoted safely.
    files[`${d}/compose.yml`] = JSON.stringify({
      services: { [t]: { image: `registry.internal/${t}:latest`, environment: { [t]: "x", SETTING: t } } },
    });
    const container = { name: t, image: `registry.internal/${t}:latest`, env: [{ name: "SETTING", value: t }, { name: t, value: "x" }] };
    files[`${d}/k8s.yaml`] = [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: t }, spec: { template: { spec: { containers: [container] } } } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: t }, data: { [t]: t, "app.properties": `db.url=${t}` } },
      { apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: Buffer.from(p.secret).toString("base64") } },
    ]
      .map((doc) => JSON.stringify(doc))
      .join("\n---\n");
    files[`${d}/broken.yaml`] = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: broken", "data:", `  a: *${t}`, ""].join("\n");
    if (p.fileSafe) {
      files[`${d}/${t}/Dockerfile`] = "FROM alpine:3.20\n";
      files[`${d}/.env.${t}`] = "LOG_LEVEL=debug\nDB_PASSWORD=Wq9xLk2Zv7Rt\n";
    }
  });
  const dir = writeTree(files);
  gitCommitAll(dir);
  return dir;
}

/** The report formats `bulkhead --help` lists. */
function helpFormats(): string[] {
  const line = runCli(["--help"]).stdout.split("\n").find((l) => /^\s*-f, --format\b/.test(l));
  assert.ok(line, "--help documents -f, --format");
  const formats = line.replace(/^\s*-f, --format <\w+>\s+/, "").split("|").map((s) => s.replace(/\(default\)/, "").trim());
  assert.ok(formats.includes("markdown") && formats.includes("github"), formats.join(", "));
  return formats;
}

/** The Action (its compiled source, as the bundle runs it) on `dir`: its log, job summary and SARIF file. */
function runAction(dir: string, extraEnv: Record<string, string> = {}): string {
  const summary = path.join(dir, "..", `${path.basename(dir)}-summary.md`);
  const output = path.join(dir, "..", `${path.basename(dir)}-output`);
  writeFileSync(summary, "");
  writeFileSync(output, "");
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" };
  Object.assign(env, { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
  Object.assign(env, { INPUT_PATH: ".", "INPUT_SARIF-FILE": "action.sarif", INPUT_ANNOTATIONS: "true", "INPUT_FAIL-ON": "never" }, extraEnv);
  const action = pathToFileURL(path.join(ROOT, "dist/src/action.js")).href;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", `(await import(${JSON.stringify(action)})).run()`], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 28 });
  const log = `${r.stdout}\n${r.stderr}`;
  assert.match(readFileSync(summary, "utf8"), /^## bulkhead: /, `the Action wrote its job summary:\n${log.slice(-2000)}`);
  return [log, readFileSync(summary, "utf8"), readFileSync(path.join(dir, "action.sarif"), "utf8"), readFileSync(output, "utf8")].join("\n");
}

test("no output shows a planted secret in full: every format, the baseline file, the Action's log, annotations and job summary", { timeout: 240_000 }, () => {
  const formats = helpFormats();
  fc.assert(
    fc.property(planted, (items) => {
      const dir = plantedRepository(items);
      try {
        const outputs: [string, string][] = [];
        for (const format of formats) {
          const r = runCli([".", "-f", format, "--fail-on", "never"], { cwd: dir });
          assert.equal(r.code, 0, `${format}: ${r.stderr}`);
          outputs.push([`--format ${format}`, r.stdout + r.stderr]);
        }
        const baseline = runCli([".", "--write-baseline", "baseline.json"], { cwd: dir });
        outputs.push(["--write-baseline", `${baseline.stdout}${baseline.stderr}${readFileSync(path.join(dir, "baseline.json"), "utf8")}`]);
        outputs.push(["the Action", runAction(dir)]);

        for (const p of items) {
          for (const secret of [p.secret, Buffer.from(p.secret).toString("base64")]) {
            for (const [where, out] of outputs) assert.ok(!out.includes(secret), `${where} prints the ${p.kind} ${secret} in full`);
          }
        }
        // The planted places were reported, masked: the test looks where the secrets were.
        const findings = (JSON.parse(outputs.find(([w]) => w === "--format json")![1]) as { findings: Finding[] }).findings;
        items.forEach((p, i) => {
          const rules = (file: string) => findings.filter((f) => f.file === `p${i}/${file}`).map((f) => f.ruleId);
          // (rules that quote the planted text whatever it is: the FROM image, the RUN's words, the
          // comment's ids, the service and its image, the Deployment and its container)
          for (const rule of ["docker/sudo", "docker/user-not-root", "bulkhead/unused-suppression"]) {
            assert.ok(rules("Dockerfile").includes(rule), `${p.kind}: ${rule} in p${i}/Dockerfile`);
          }
          assert.ok(rules("compose.yml").includes("compose/user-not-root"), `${p.kind}: p${i}/compose.yml`);
          for (const rule of ["k8s/run-as-non-root", "k8s/committed-secret"]) assert.ok(rules("k8s.yaml").includes(rule), `${p.kind}: ${rule} in p${i}/k8s.yaml`);
          assert.ok(rules("broken.yaml").includes("bulkhead/parse-error"), `${p.kind}: p${i}/broken.yaml`);
          const sudo = findings.find((f) => f.file === `p${i}/Dockerfile` && f.ruleId === "docker/sudo")!;
          assert.match(sudo.message, /`sudo mysql -uroot \S*…\(\d+ chars\)/, "the command words are shown, the credential masked");
          if (p.fileSafe) {
            const maskedPaths = new Set(findings.filter((f) => f.file.startsWith(`p${i}/`) && f.file.includes("…(")).map((f) => f.ruleId));
            for (const rule of ["docker/user-not-root", "repo/committed-dotenv"]) assert.ok(maskedPaths.has(rule), `${p.kind}: ${rule} on a planted path, reported masked`);
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    // A failure is reported as found: shrinking would rerun the CLI nine times per step.
    { numRuns: 2, endOnFailure: true, includeErrorInReport: true },
  );
});

test("the Action's policy review masks what a pull request adds: a suppression's reason, its rule ids, the configuration's values", () => {
  const token = j("ghp_", "R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u");
  const password = j("Xk9mQ2vL", "7pR4tW8zN3bC");
  const dir = writeTree({ ".bulkhead.yml": "preset: recommended\n", Dockerfile: "FROM alpine:3.20\nUSER app\n" });
  gitCommitAll(dir);
  const base = spawnSync("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" }).stdout.trim();
  writeFileSync(path.join(dir, ".bulkhead.yml"), `preset: recommended\nignore:\n  - rule: docker/curl-pipe-shell\n    files: ["**"]\n    reason: "the build host logs in with PASSWORD=${password}"\n`);
  writeFileSync(path.join(dir, "Dockerfile"), `FROM alpine:3.20\n# bulkhead-disable-next-line docker/sudo, ${token} -- CI runs mysql -uci -p${password}\nRUN sudo true\nUSER app\n`);
  spawnSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qam", "pr"], { cwd: dir });
  const event = path.join(dir, "..", `${path.basename(dir)}-event.json`);
  writeFileSync(event, JSON.stringify({ pull_request: { base: { sha: base } } }));
  const out = runAction(dir, { GITHUB_EVENT_PATH: event });
  assert.match(out, /Suppressions added by this pull request \(1\)/, out.slice(0, 3000));
  assert.match(out, /ghp_…\(40 chars\)/);
  for (const secret of [token, password]) assert.ok(!out.includes(secret), `the Action prints ${secret}:\n${out.slice(0, 3000)}`);
});

// -- item 9: every pattern over scanned text is linear --

test("urlWithPassword: 1 MB of letters, of `://`, of `a:b@` complete; a URL at the end is still found", () =>
  completesWithin(LINEAR, () => {
    for (const unit of ["a", "aB1-", "://", "x://", "a:b@", "${"]) assert.equal(urlWithPassword(megabyteOf(unit)), undefined, unit);
    const value = `${megabyteOf("a")} postgres://app:Xk9mQ2vL7pR4@db/app`;
    const found = urlWithPassword(value);
    assert.equal(found && value.slice(found.start, found.end), "Xk9mQ2vL7pR4");
    assert.equal([...urlPasswords(`${megabyteOf("x://")}y://u:Zq8Lk2Xv@h`)].length, 1);
  }),
);

test("secret-looking names: a 1 MB upper-case name completes", () =>
  completesWithin(LINEAR, () => {
    assert.deepEqual(nameWords(`${megabyteOf("A")}_Password`).slice(-1), ["PASSWORD"]);
    assert.equal(isSecretName(`${megabyteOf("A")}_PASSWORD`), true);
    assert.equal(isSecretName(megabyteOf("Aa")), false);
  }),
);

test("references and templates: 8 MB of hostile 1 KB values complete", () =>
  completesWithin(LINEAR, () => {
    for (const unit of ["{{", "${{", "{${{}", "}{{", "${"]) {
      // (isReference reads at most 1 KB of a value; each of these took a millisecond)
      for (let i = 0; i < (8 * MB) / 1024 / 5; i++) assert.equal(isReference(unit.repeat(Math.floor(1024 / unit.length))), false, unit);
    }
  }),
);

test("token prefilter and scan: 1 MB of `eyJ` (the JWT trigger) completes with no token", () =>
  completesWithin(LINEAR, async () => {
    const text = megabyteOf("eyJ");
    assert.equal(mightHoldToken(text), false);
    assert.deepEqual(await scanTokens(`${megabyteOf("eyJa")}.eyJ`, "x.txt"), []);
  }),
);

test("compose interpolation, ports, volumes and host paths: 1 MB of `${` and nested defaults complete", () =>
  completesWithin(LINEAR, () => {
    const nested = `${"${A:-".repeat(MB / 10)}x${"}".repeat(MB / 10)}`;
    assert.equal(interpolate(nested).hasReference, true);
    assert.equal(parseShortPort(megabyteOf("${"))?.target, megabyteOf("${"));
    assert.equal(parseShortVolume(`${megabyteOf("${")}:/data`)?.target, "/data");
    // an unresolved `${X}` first: the rest is then read as references
    assert.equal(hostPathOf(`\${X}${megabyteOf("${")}/.ssh`), `$VAR${megabyteOf("${")}/.ssh`);
  }),
);

test("compose env files and security options: 1 MB of blanks complete", () =>
  completesWithin(LINEAR, () => {
    assert.deepEqual(envFileEntries(`TOKEN=${megabyteOf("\t")}abc\u2028 #x`).map((e) => e.name), ["TOKEN"]);
    assert.equal(envFileEntries(`A=a${megabyteOf(" ")}b # comment`)[0]?.value.endsWith("b"), true);
    assert.equal(noNewPrivileges(`no-new-privileges${megabyteOf("\t")}x`), undefined);
    assert.equal(noNewPrivileges(`no-new-privileges:${megabyteOf("\t")}true`), "on");
  }),
);

test("Dockerfile variable expansion and COPY sources: 1 MB of `${A:-` and of slashes complete", () =>
  completesWithin(LINEAR, () => {
    assert.equal(expandArgs(megabyteOf("${A:-"), new Map()), megabyteOf("${A:-"));
    assert.equal(expandWith(megabyteOf("${A+"), new Map([["A", "1"]])), megabyteOf("${A+"));
    assert.equal(normalizeSource(`a${megabyteOf("/")}b`), `a${megabyteOf("/")}b`);
  }),
);

test("credential files: private-key blocks and .npmrc/.pypirc settings with 1 MB of blanks complete", () =>
  completesWithin(LINEAR, () => {
    for (const unit of [" ", "\n", "\t", "-----BEGIN-"]) assert.equal(privateKeyBlock(`-----BEGIN PRIVATE KEY-----${megabyteOf(unit)}`), undefined);
    const file = (name: string, text: string) => createSourceFile(name, `/${name}`, "text", text);
    assert.equal(credentialFile(file(".npmrc", `_authToken=a${megabyteOf(" ")}"x`)), undefined);
    assert.equal(credentialFile(file(".pypirc", `[pypi]\npassword = Zq8${megabyteOf(" ")}Lk2\n`))?.kind, "PyPI credentials (.pypirc)");
  }),
);

test("the masking helper itself: 1 MB of options, assignments, token prefixes and key headers complete", () =>
  completesWithin(LINEAR, () => {
    for (const unit of ["-p", "-pAb1", " --password=", "a=", "PASSWORD=Ab1 ", "ghp_", "AKIA", "Bearer ", "x://a:b@", "-----BEGIN PRIVATE KEY-----", "(]}"]) {
      assert.ok(redactSecrets(megabyteOf(unit)).length > 0, unit);
      assert.ok(quote(megabyteOf(unit)).length < 400, unit);
    }
  }),
);

/** Lints `files` with the CLI in JSON, killed after `ms`. */
function lintWithin(files: Record<string, string>, ms: number): Finding[] {
  const dir = writeTree(files);
  try {
    const r = spawnSync(process.execPath, [CLI, ".", "-f", "json", "--fail-on", "never"], { cwd: dir, encoding: "utf8", timeout: ms, maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(r.signal, null, `the CLI did not finish within ${ms} ms`);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("end to end: a compose file and a ConfigMap with 1 MB values are linted in seconds, the values masked and cut", { timeout: 60_000 }, () => {
  const long = j("Zq8", megabyteOf("aB1-"));
  const compose = JSON.stringify({
    services: {
      app: {
        image: "app:1.2.3",
        environment: { NOTES: megabyteOf("a"), DB_PASSWORD: long, DATABASE_URL: `postgres://app:Xk9mQ2vL7pR4@db/app?notes=${megabyteOf("a")}`, LABEL: megabyteOf("${A:-") },
        volumes: [`${megabyteOf("${")}:/data`],
      },
    },
  });
  const configMap = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app" }, data: { notes: megabyteOf("a"), "app.properties": `password: a${megabyteOf(" ")}b`, db_password: long } });
  const secret = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "app" }, stringData: { template: megabyteOf("{{") } });
  const findings = lintWithin({ "compose.yml": compose, "k8s/config.yaml": configMap, "k8s/secret.yaml": secret }, 30_000);
  const messages = (rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => f.message);
  assert.equal(messages("compose/literal-secret-env").length, 2, JSON.stringify(messages("compose/literal-secret-env")));
  assert.equal(messages("k8s/configmap-secret").length, 2, JSON.stringify(messages("k8s/configmap-secret")));
  assert.deepEqual(messages("k8s/committed-secret"), [], "a template is a stand-in");
  for (const f of findings) {
    assert.ok(f.message.length < 2000, `${f.ruleId}: a message of ${f.message.length} characters`);
    assert.ok(!f.message.includes(long.slice(0, 64)), `${f.ruleId} prints the value`);
  }
});
