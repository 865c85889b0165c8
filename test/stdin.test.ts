// Rendered manifests: `helm template . | bulkhead --stdin --stdin-filename chart.yaml` (and the
// same with `kustomize build`) must lint the rendered stream like a file of that name, with
// findings on the lines of the rendered text, and honour --namespace for objects without one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "./helpers.ts";

interface JsonFinding {
  ruleId: string;
  level: string;
  file: string;
  message: string;
  region: { startLine: number; startColumn: number };
}

/** What `helm template signal-bot ./chart` prints: `# Source:` comments, several documents, no namespaces. */
const RENDERED = `---
# Source: signal-bot/templates/networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: signal-bot
  namespace: bots
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: signal-bot
  policyTypes:
    - Egress
  egress:
    - to: []
      ports:
        - protocol: TCP
          port: 443
---
# Source: signal-bot/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: signal-bot
  labels:
    app.kubernetes.io/name: signal-bot
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: signal-bot
  template:
    metadata:
      labels:
        app.kubernetes.io/name: signal-bot
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: signal-bot
          image: "registry.example.com/signal-bot:1.4.0"
          volumeMounts:
            - name: credentials
              mountPath: /app/credentials
      volumes:
        - name: credentials
          secret:
            secretName: signal-bot
            defaultMode: 420
---
# Source: signal-bot/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: signal-bot
type: Opaque
data:
  api-token: "cTh2VDJMeFAwYk43bVpzNA=="
  unset: ""
`;

function lintStdin(args: string[], input = RENDERED): JsonFinding[] {
  const run = runCli(["--stdin", "--stdin-filename", "chart.yaml", "-f", "json", ...args], { input });
  assert.equal(run.stderr, "");
  assert.ok(run.code === 0 || run.code === 1, `exit code ${run.code}: ${run.stdout}`);
  return (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
}

const at = (fs: JsonFinding[], ruleId: string) => fs.filter((f) => f.ruleId === ruleId).map((f) => f.region.startLine);

/** 1-based line of the only rendered line matching re. */
function lineOf(re: RegExp, text = RENDERED): number {
  const hits = text.split("\n").flatMap((l, i) => (re.test(l) ? [i + 1] : []));
  assert.equal(hits.length, 1, `one line matches ${re}`);
  return hits[0];
}

test("--stdin: a rendered multi-document manifest is linted as chart.yaml, at the rendered lines", () => {
  const findings = lintStdin([]);
  assert.ok(findings.length > 0);
  for (const f of findings) assert.equal(f.file, "chart.yaml");
  assert.deepEqual(at(findings, "k8s/egress-any-destination"), [lineOf(/^ {4}- to: \[\]$/)]);
  assert.equal(lineOf(/- to: \[\]/), 15);
  // decimal 420 = 0644 (what helm prints for a `defaultMode: 0644` taken from values.yaml)
  assert.deepEqual(at(findings, "k8s/secret-volume-mode"), [lineOf(/defaultMode: 420/)]);
  assert.match(findings.find((f) => f.ruleId === "k8s/secret-volume-mode")!.message, /420 \(0644\)/);
  // the mount without readOnly, at its `- name:` line
  assert.deepEqual(at(findings, "k8s/secret-mount-writable"), [lineOf(/^ {12}- name: credentials$/)]);
  // a value rendered into a Secret from values.yaml: at its key line, masked
  assert.deepEqual(at(findings, "k8s/committed-secret"), [lineOf(/api-token:/)]);
  const secret = findings.find((f) => f.ruleId === "k8s/committed-secret")!;
  assert.doesNotMatch(secret.message, /cTh2VDJMeFAwYk43bVpzNA|q8vT2LxP0bN7mZs4/);
  assert.match(secret.message, /q8vT…\(16 chars\) once decoded/);
});

test("--stdin --namespace: objects without a namespace land in it, so a policy there selects them", () => {
  // The Deployment sets no namespace: by default it is in "default", where no policy is.
  const inDefault = lintStdin([]);
  assert.deepEqual(at(inDefault, "k8s/egress-unrestricted"), [lineOf(/^ {4}spec:$/)], "pod template `spec:` line of the Deployment");
  assert.match(inDefault.find((f) => f.ruleId === "k8s/egress-unrestricted")!.message, /namespace default/);
  // `helm template --namespace bots … | bulkhead --stdin --namespace bots`: the policy in bots now selects it.
  assert.deepEqual(at(lintStdin(["--namespace", "bots"]), "k8s/egress-unrestricted"), []);
  // and a namespace where the policy is not: unrestricted again
  const inOther = lintStdin(["--namespace", "other"]);
  assert.match(inOther.find((f) => f.ruleId === "k8s/egress-unrestricted")!.message, /namespace other/);
});

test("--stdin: a kustomize-style List of objects is linted item by item", () => {
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata:
    name: web
  spec:
    rules:
    - host: bot.example.com
`;
  const findings = lintStdin([], list);
  assert.deepEqual(at(findings, "k8s/ingress-no-tls"), [8]);
});

test("--stdin: a render that is not YAML is a parse-error finding, not a crash", () => {
  const run = runCli(["--stdin", "--stdin-filename", "chart.yaml", "-f", "json"], { input: "apiVersion: v1\nkind: Secret\ndata: [unclosed\n" });
  assert.equal(run.code, 1);
  const findings = (JSON.parse(run.stdout) as { findings: JsonFinding[] }).findings;
  assert.ok(findings.some((f) => f.ruleId === "bulkhead/parse-error" && f.file === "chart.yaml"));
});

test("--stdin checks its bytes as a file's: binary input is not scanned (a Dockerfile: scan-incomplete, other files: a note), invalid UTF-8 a note and scanned", () => {
  const findings = (stdout: string) => (JSON.parse(stdout).findings as JsonFinding[]).map((f) => [f.ruleId, f.region.startLine, f.message]);
  const binary = runCli(["-f", "json", "--stdin", "--stdin-filename", "Dockerfile"], { input: "FROM alpine:3.20\0\u0001\u0002 RUN curl x | sh\n" });
  assert.equal(binary.code, 0, binary.stderr);
  assert.deepEqual(findings(binary.stdout), [
    ["bulkhead/scan-incomplete", 1, "Dockerfile: binary file; not scanned; it is a Dockerfile bulkhead lints, so its policies are not checked"],
  ]);
  const binaryText = runCli(["-f", "json", "--stdin", "--stdin-filename", "notes.txt"], { input: "hello\0world\n" });
  assert.deepEqual(findings(binaryText.stdout), [["bulkhead/file-skipped", 1, "notes.txt: binary file; not scanned"]]);

  // A Latin-1 byte (0xE9) in a Dockerfile without a USER: noted, and the rest still checked.
  const latin1 = Buffer.concat([Buffer.from('FROM alpine:3.20\nLABEL maintainer="Ren'), Buffer.from([0xe9]), Buffer.from('"\n')]);
  const invalid = runCli(["-f", "json", "--stdin", "--stdin-filename", "Dockerfile"], { input: latin1 });
  assert.equal(invalid.code, 1, invalid.stderr);
  assert.deepEqual(
    findings(invalid.stdout).map(([rule, line]) => [rule, line]),
    [
      ["bulkhead/file-skipped", 1],
      ["docker/user-not-root", 1],
    ],
  );
  assert.equal(findings(invalid.stdout)[0][2], "Dockerfile: not valid UTF-8; scanned with invalid bytes replaced");
});
