// The Pod Security Standards presets agree with Pod Security Admission on our own corpus
// (test/pss-corpus/<control>/*.yaml): each file states, in its first two lines, the verdict of
// each level through the versions (`# restricted: admit, reject from v1.22`), as the Kubernetes
// check definitions (k8s.io/pod-security-admission policy/check_*.go) decide it. Every version
// from v1.0 to one past the newest boundary, and latest, is evaluated: a verdict may change only
// where a check's version range does. A rejected file must be reported at a line marked
// `# offending`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { lint } from "../src/index.ts";
import { rules } from "../rules/index.ts";
import { ROOT, gitCommitAll, runCli, tmpDir, writeTree } from "./helpers.ts";
import { runLocalAction } from "./local-action.ts";
import type { Finding } from "../src/types.ts";

const CORPUS = path.join(ROOT, "test/pss-corpus");
const LEVELS = ["baseline", "restricted"] as const;
type Level = (typeof LEVELS)[number];
type Verdict = "admit" | "reject";

interface CorpusFile {
  /** Relative to the corpus, as findings name it. */
  file: string;
  /** Per level, the verdict from each version on (ascending). */
  timeline: Record<Level, { from: number; verdict: Verdict }[]>;
  /** Lines where a rejection must be reported. */
  offending: Set<number>;
}

function parseTimeline(text: string, where: string): { from: number; verdict: Verdict }[] {
  return text.split(",").map((part, i) => {
    const m = /^\s*(admit|reject)(?: from v1\.(\d+))?\s*$/.exec(part);
    if (!m || (i === 0) !== (m[2] === undefined)) throw new Error(`${where}: cannot read verdict "${part}"`);
    return { from: m[2] === undefined ? 0 : Number(m[2]), verdict: m[1] as Verdict };
  });
}

function readCorpus(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const control of readdirSync(CORPUS).sort()) {
    for (const name of readdirSync(path.join(CORPUS, control)).sort()) {
      const file = `${control}/${name}`;
      const lines = readFileSync(path.join(CORPUS, file), "utf8").split("\n");
      const header = (level: Level, line: string) => {
        const prefix = `# ${level}: `;
        if (!line.startsWith(prefix)) throw new Error(`${file}: line "${prefix}…" expected`);
        return parseTimeline(line.slice(prefix.length), file);
      };
      const offending = new Set(lines.flatMap((l, i) => (/# offending$/.test(l) ? [i + 1] : [])));
      out.push({ file, timeline: { baseline: header("baseline", lines[0]), restricted: header("restricted", lines[1]) }, offending });
    }
  }
  return out;
}

function verdictAt(f: CorpusFile, level: Level, version: number): Verdict {
  return f.timeline[level].filter((t) => t.from <= version).pop()!.verdict;
}

const corpus = readCorpus();
const pssRules = new Set(rules.filter((r) => r.meta.pss).map((r) => r.meta.id));
const newest = Math.max(...corpus.flatMap((f) => LEVELS.flatMap((l) => f.timeline[l].map((t) => t.from))));
const versions: (number | "latest")[] = [...Array.from({ length: newest + 2 }, (_, i) => i), "latest"];

test("the corpus has an admitted and a rejected manifest per control, and per version boundary both sides", () => {
  for (const control of new Set(corpus.map((f) => f.file.split("/")[0]))) {
    const files = corpus.filter((f) => f.file.startsWith(`${control}/`));
    const verdicts = new Set(files.flatMap((f) => LEVELS.flatMap((l) => f.timeline[l].map((t) => t.verdict))));
    assert.deepEqual([...verdicts].sort(), ["admit", "reject"], `${control} has admitted and rejected manifests`);
  }
  for (const f of corpus) {
    assert.ok(f.offending.size > 0 || LEVELS.every((l) => f.timeline[l].every((t) => t.verdict === "admit")), `${f.file} marks its offending lines`);
  }
});

for (const level of LEVELS) {
  test(`--preset pss-${level} agrees with Pod Security Admission on the corpus at every version`, async () => {
    const disagreements: string[] = [];
    let rejected = 0;
    for (const version of versions) {
      const pssVersion = version === "latest" ? "latest" : `v1.${version}`;
      const result = await lint({ cwd: CORPUS, config: false, preset: `pss-${level}`, pssVersion });
      // Nothing but the level's rules, and only errors.
      for (const f of result.findings) {
        if (!pssRules.has(f.ruleId) || f.level !== "error") disagreements.push(`${pssVersion} ${f.file}: unexpected ${f.level} ${f.ruleId}`);
      }
      for (const f of corpus) {
        const expected = verdictAt(f, level, version === "latest" ? Number.POSITIVE_INFINITY : version);
        const own = result.findings.filter((x) => x.file === f.file);
        const verdict: Verdict = own.length > 0 ? "reject" : "admit";
        if (verdict !== expected) {
          disagreements.push(`${pssVersion} ${f.file}: admission would ${expected}, bulkhead ${verdict === "reject" ? `rejects (${own.map((x) => `${x.region.startLine} ${x.ruleId}`).join(", ")})` : "admits"}`);
        } else if (verdict === "reject") {
          rejected++;
          if (!own.some((x) => f.offending.has(x.region.startLine))) {
            disagreements.push(`${pssVersion} ${f.file}: rejected, but not at an offending line (${[...f.offending].join(", ")}): ${own.map((x) => x.region.startLine).join(", ")}`);
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(rejected > 0);
  });
}

// ---------------------------------------------------------------- namespaces, flag, config (end to end)

const NAMESPACE = (labels: Record<string, string>) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n${Object.entries(labels).map(([k, v]) => `    pod-security.kubernetes.io/${k}: "${v}"\n`).join("")}`;

/** A Deployment in namespace shop: hardened for restricted except where `extra` lines say (container-level, under the first container). */
const DEPLOYMENT = (container = "", securityContext = '          allowPrivilegeEscalation: false\n          readOnlyRootFilesystem: true\n          capabilities:\n            drop: ["ALL"]\n') =>
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: web
        image: registry.example.com/web:1.0.0
${container}        securityContext:
${securityContext}`;
const HOST_PROBE = "        livenessProbe:\n          httpGet:\n            host: 10.0.0.1\n            port: 8080\n";
const HOST_PROBE_LINE = 24;

function scan(files: Record<string, string>, args: string[] = []): { code: number | null; findings: Finding[]; stderr: string } {
  const run = runCli(["-f", "json", ...args, "."], { cwd: writeTree(files) });
  return { code: run.code, findings: run.stdout ? (JSON.parse(run.stdout) as { findings: Finding[] }).findings : [], stderr: run.stderr };
}
const at = (fs: Finding[], ruleId: string, line?: number) => fs.filter((f) => f.ruleId === ruleId && (line === undefined || f.region.startLine === line));

test("namespace enforce label: the workload's violations of that level are errors saying admission would reject it, naming the control and the label", () => {
  const r = scan({ "ns.yaml": NAMESPACE({ enforce: "baseline" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  const [f] = at(r.findings, "k8s/host-probes", HOST_PROBE_LINE);
  assert.equal(f?.level, "error");
  assert.equal(f.file, "deploy.yaml");
  assert.match(f.message, /^Pod Security Admission would reject the pods of Deployment web: namespace "shop" \(ns\.yaml:6\) sets enforce baseline:latest, and container "web" in Deployment web sets `host: 10\.0\.0\.1`.*\(control "Host Probes \/ Lifecycle Hooks"\)/);
  assert.equal(r.code, 1);
  // The same workload in another namespace keeps the rule's own warning.
  const elsewhere = scan({ "ns.yaml": NAMESPACE({ enforce: "baseline" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE).replace("namespace: shop", "namespace: other") });
  assert.deepEqual(at(elsewhere.findings, "k8s/host-probes").map((x) => x.level), ["warning"]);
  assert.equal(elsewhere.code, 0);
});

test("namespace enforce-version: a pinned version decides as that version does (host probes from v1.34)", () => {
  const pinned = scan({ "ns.yaml": NAMESPACE({ enforce: "baseline", "enforce-version": "v1.33" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  // v1.33 admits it: only the recommended preset's own warning (at the run's version, latest) remains.
  assert.deepEqual(at(pinned.findings, "k8s/host-probes").map((x) => [x.level, /would reject/.test(x.message)]), [["warning", false]]);
  assert.equal(pinned.code, 0);
  const v134 = scan({ "ns.yaml": NAMESPACE({ enforce: "baseline", "enforce-version": "v1.34" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  assert.match(at(v134.findings, "k8s/host-probes")[0]?.message ?? "", /sets enforce baseline:v1\.34/);
  assert.equal(at(v134.findings, "k8s/host-probes")[0].level, "error");
});

test("namespace warn and audit labels give warnings and notes, never hiding a stronger finding of the rule", () => {
  // restricted: a pod-level runAsUser 0 breaks "Running as Non-root user"; its rule (k8s/run-as-non-root) is an error anyway.
  const files = { "ns.yaml": NAMESPACE({ warn: "restricted", audit: "restricted" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE, "          readOnlyRootFilesystem: true\n") };
  const r = scan(files);
  const drop = at(r.findings, "k8s/capabilities-not-dropped");
  assert.deepEqual(drop.map((f) => f.level), ["warning"]);
  assert.match(drop[0].message, /^Pod Security Admission would warn about the pods of Deployment web: namespace "shop" \(ns\.yaml:6\) sets warn restricted:latest/);
  const escalation = at(r.findings, "k8s/privilege-escalation");
  assert.deepEqual(escalation.map((f) => f.level), ["warning"]);
  // audit alone: notes, except where the rule itself reports more (host-probes' own warning stays).
  const audit = scan({ ...files, "ns.yaml": NAMESPACE({ audit: "restricted" }) });
  assert.deepEqual(at(audit.findings, "k8s/volume-types"), []);
  const auditDrop = at(audit.findings, "k8s/capabilities-not-dropped");
  assert.deepEqual(auditDrop.map((f) => f.level), ["warning"], "the rule's own warning is stronger than the audit note");
  assert.doesNotMatch(auditDrop[0].message, /audit/);
  const nfs = DEPLOYMENT(HOST_PROBE) + "      volumes:\n      - name: shared\n        nfs: {server: nfs.example.com, path: /x}\n";
  const auditNfs = scan({ "ns.yaml": NAMESPACE({ audit: "restricted", "audit-version": "v1.30" }), "deploy.yaml": nfs });
  const note = at(auditNfs.findings, "k8s/volume-types");
  assert.deepEqual(note.map((f) => f.level), ["note"]);
  assert.match(note[0].message, /^Pod Security Admission would record an audit violation for the pods of Deployment web: namespace "shop" \(ns\.yaml:6\) sets audit restricted:v1\.30/);
  assert.equal(at(auditNfs.findings, "k8s/host-probes")[0].level, "warning");
});

test("namespace labels: warn follows enforce; an enforce level admission cannot read fails closed (restricted), a bad version is latest", () => {
  const r = scan({ "ns.yaml": NAMESPACE({ enforce: "strict" }), "deploy.yaml": DEPLOYMENT("", "          readOnlyRootFilesystem: true\n") });
  const f = at(r.findings, "k8s/privilege-escalation");
  assert.deepEqual(f.map((x) => x.level), ["error"]);
  assert.match(f[0].message, /sets enforce restricted:latest \(the label `pod-security\.kubernetes\.io\/enforce: strict` is not a level \(privileged, baseline, restricted\), so admission enforces restricted\)/);
  const badVersion = scan({ "ns.yaml": NAMESPACE({ enforce: "baseline", "enforce-version": "1.33" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  assert.match(at(badVersion.findings, "k8s/host-probes")[0]?.message ?? "", /sets enforce baseline:latest \(the label `pod-security\.kubernetes\.io\/enforce-version: 1\.33` is not `latest` or `v1\.N`, so admission uses latest\)/);
  // privileged: nothing beyond the recommended preset.
  const privileged = scan({ "ns.yaml": NAMESPACE({ enforce: "privileged" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  assert.deepEqual(privileged.findings.filter((x) => /Pod Security Admission/.test(x.message)), []);
});

test("pss-* presets report only their level's rules, also in a namespace that enforces more", () => {
  const files = { "ns.yaml": NAMESPACE({ enforce: "restricted" }), "deploy.yaml": DEPLOYMENT(HOST_PROBE, "          readOnlyRootFilesystem: true\n") };
  const baseline = scan(files, ["--preset", "pss-baseline"]);
  assert.deepEqual(baseline.findings.map((f) => [f.ruleId, f.level, f.region.startLine]), [["k8s/host-probes", "error", HOST_PROBE_LINE]]);
  const restricted = scan(files, ["--preset", "pss-restricted"]);
  assert.deepEqual([...new Set(restricted.findings.map((f) => f.ruleId))].sort(), ["k8s/capabilities-not-dropped", "k8s/host-probes", "k8s/privilege-escalation"]);
  assert.ok(restricted.findings.every((f) => f.level === "error"));
});

test("--pss-version and pss.version: verdicts change at the boundary; a bad value is a usage error (exit 2) naming what is expected", () => {
  const files = { "deploy.yaml": DEPLOYMENT(HOST_PROBE) };
  assert.equal(scan(files, ["--preset", "pss-baseline", "--pss-version", "v1.33"]).code, 0);
  assert.equal(scan(files, ["--preset", "pss-baseline", "--pss-version", "v1.34"]).code, 1);
  assert.equal(scan({ ...files, ".bulkhead.yml": "pss:\n  version: v1.33\n" }, ["--preset", "pss-baseline"]).code, 0);
  // The flag wins over the configuration.
  assert.equal(scan({ ...files, ".bulkhead.yml": "pss:\n  version: v1.33\n" }, ["--preset", "pss-baseline", "--pss-version", "latest"]).code, 1);
  const bad = scan(files, ["--pss-version", "1.34"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--pss-version must be "latest" or "v1\.N" \(such as v1\.30\)/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const badConfig = scan({ ...files, ".bulkhead.yml": "pss:\n  version: v1.030\n" });
  assert.equal(badConfig.code, 2);
  assert.match(badConfig.stderr, /\.bulkhead\.yml:2.*must be "latest" or "v1\.N"/);
});

test("workload custom resources get the same container and pod checks as a Deployment", async () => {
  const deployment = DEPLOYMENT(HOST_PROBE, "          privileged: true\n");
  const rollout = deployment.replace("apiVersion: apps/v1\nkind: Deployment", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout");
  const ids = (text: string) => scan({ "w.yaml": text }).findings.map((f) => `${f.ruleId}@${f.region.startLine}:${f.region.startColumn}`).sort();
  const fromDeployment = ids(deployment);
  assert.ok(fromDeployment.includes(`k8s/privileged@${HOST_PROBE_LINE + 3}:23`), fromDeployment.join("\n"));
  assert.deepEqual(ids(rollout), fromDeployment);
});

test("the Action: preset and pss-version inputs gate at a level and version; a bad version fails the step naming it", () => {
  const dir = writeTree({ "deploy.yaml": DEPLOYMENT(HOST_PROBE) });
  gitCommitAll(dir);
  const run = (inputs: Record<string, string>) => runLocalAction(dir, { preset: "pss-baseline", "sarif-file": path.join(tmpDir(), "out.sarif"), ...inputs });
  const admitted = run({ "pss-version": "v1.33" });
  assert.equal(admitted.code, 0, admitted.stdout.slice(-3000));
  const rejected = run({ "pss-version": "v1.34" });
  assert.equal(rejected.code, 1, rejected.stdout.slice(-3000));
  assert.deepEqual(
    rejected.annotations.filter((a) => a.props.file).map((a) => `${a.level} ${a.props.file}:${a.props.line} ${a.props.title}`),
    [`error deploy.yaml:${HOST_PROBE_LINE} k8s/host-probes`],
  );
  const bad = run({ "pss-version": "1.34" });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /input "pss-version" must be "latest" or "v1\.N" \(such as v1\.30\), as Pod Security Admission writes versions \(got "1\.34"\)/);
});

test("PSS messages quote scanned values through quote(): a 601-character host, sysctl, annotation, SELinux option, Namespace name or label is cut", () => {
  const long = "h" + "a1".repeat(300);
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: ${long}
  namespace: ${long}
  annotations:
    container.apparmor.security.beta.kubernetes.io/${long}: ${long}
spec:
  securityContext:
    sysctls:
    - name: ${long}
      value: "1"
    seLinuxOptions:
      user: ${long}
      type: ${long}
  containers:
  - name: app
    image: registry.example.com/app:1.0.0
    securityContext:
      procMount: ${long}
      allowPrivilegeEscalation: ${long}
      capabilities:
        add: [${long}]
    livenessProbe:
      httpGet:
        host: ${long}
        port: 80
`;
  const ns = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${long}\n  labels:\n    pod-security.kubernetes.io/enforce: ${long}\n    pod-security.kubernetes.io/warn-version: ${long}\n`;
  for (const args of [["--preset", "pss-restricted"], []]) {
    const run = runCli(["-f", "json", ...args, "."], { cwd: writeTree({ "pod.yaml": pod, "ns.yaml": ns }) });
    const findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings.filter((f) => /Pod Security/.test(f.message));
    assert.ok(findings.length >= 8, run.stdout);
    for (const f of findings) {
      assert.ok(!f.message.includes(long), f.message);
      assert.match(f.message, /…\(601 chars\)/);
    }
  }
});
