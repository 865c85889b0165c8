// Hostile inputs for the robustness tests (test/hostile.test.ts, test/determinism.test.ts):
// each file is written at test time (the 50 MB one included) with what bulkhead must say about it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, symlinkSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDocument } from "yaml";

export interface Expectation {
  file: string;
  ruleId: string;
  /** 1-based line of the finding, when it matters. */
  line?: number;
  message: RegExp;
}

/** Creates a named pipe (mkfifo(1)); false where there is none. */
export function mkfifo(abs: string): boolean {
  mkdirSync(path.dirname(abs), { recursive: true });
  try {
    execFileSync("mkfifo", [abs], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Deterministic bytes: a little xorshift, so binary fixtures are the same on every run. */
function bytes(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function write(dir: string, rel: string, content: string | Buffer): void {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: registry.example.com/app:1.0
    securityContext:
      privileged: true
`;

/**
 * Writes the hostile tree into `dir` and returns what bulkhead must report. `big` adds the 50 MB
 * YAML file (over the 10 MB limit).
 */
export function writeHostileTree(dir: string, options: { big?: boolean } = {}): Expectation[] {
  const expect: Expectation[] = [];
  const parseError = (file: string, line: number | undefined, message: RegExp) => expect.push({ file, ruleId: "bulkhead/parse-error", line, message });
  const skipped = (file: string, message: RegExp) => expect.push({ file, ruleId: "bulkhead/file-skipped", line: 1, message });
  // A file of a kind bulkhead lints that it could not scan (issue 10 item 8): a warning, not a note.
  const incomplete = (file: string, message: RegExp) => expect.push({ file, ruleId: "bulkhead/scan-incomplete", line: 1, message });

  // The canary: an ordinary file whose finding proves the run went on.
  write(dir, "canary/Dockerfile", "FROM alpine:3.19\nRUN apk add --no-cache curl\nUSER root\nCMD [\"sh\"]\n");
  expect.push({ file: "canary/Dockerfile", ruleId: "docker/user-not-root", line: 3, message: /root/ });

  // Malformed YAML and JSON.
  write(dir, "malformed/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n  labels: {app: x\nspec:\n  containers: []\n");
  parseError("malformed/broken.yaml", undefined, /./);
  write(dir, "malformed/tabs.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabs\n");
  parseError("malformed/tabs.yaml", 4, /./);
  write(dir, "malformed/broken.json", '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "j",\n  "spec": [1, 2,, 3]\n}\n');
  parseError("malformed/broken.json", undefined, /./);
  write(dir, "malformed/docker-compose.yml", "services:\n  app:\n    image: nginx:1.25\n   ports: [\n");
  parseError("malformed/docker-compose.yml", undefined, /./);
  write(dir, "malformed/dup.yaml", "apiVersion: v1\nkind: Pod\nkind: Deployment\nmetadata: {name: d}\n");
  parseError("malformed/dup.yaml", 3, /duplicate key "kind" \(first at line 2\)/);
  write(dir, "malformed/no-anchor.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: *nowhere\n");
  parseError("malformed/no-anchor.yaml", 4, /alias \*nowhere refers to no anchor/);

  // Alias bombs ("billion laughs") and an alias cycle.
  let lol = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = "a";
  for (const c of "bcdefghi") {
    lol += `  ${c}: &${c} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    prev = c;
  }
  write(dir, "bomb/lol.yaml", lol);
  parseError("bomb/lol.yaml", 7, /alias bomb/);
  write(dir, "bomb/docker-compose.yml", `x-a: &a [${Array(10).fill('"x"').join(",")}]\n` + "bcdefgh".split("").map((c, i) => `x-${c}: &${c} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(",")}]`).join("\n") + "\nservices:\n  app:\n    image: nginx:1.25\n    command: *h\n");
  parseError("bomb/docker-compose.yml", 2, /alias bomb/);
  write(dir, "bomb/cycle.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: cycle}\nspec: &s\n  containers: [*s]\n");
  parseError("bomb/cycle.yaml", 5, /cycle/);

  // 20,000-deep nesting, flow and block, YAML and JSON.
  const N = 20000;
  write(dir, "deep/flow.yaml", `apiVersion: v1\nkind: Pod\nspec: ${"[".repeat(N)}${"]".repeat(N)}\n`);
  parseError("deep/flow.yaml", 3, /nesting deeper than \d+ levels/);
  write(dir, "deep/flow-map.yaml", `apiVersion: v1\nkind: Pod\nspec: ${"{a: ".repeat(N)}1${"}".repeat(N)}\n`);
  parseError("deep/flow-map.yaml", 3, /nesting deeper than \d+ levels/);
  write(dir, "deep/block.yaml", `apiVersion: v1\nkind: Pod\nspec:\n${"- ".repeat(N)}x\n`);
  parseError("deep/block.yaml", 4, /nesting deeper than \d+ levels/);
  write(dir, "deep/indent.yaml", "apiVersion: v1\nkind: Pod\nspec:\n" + Array.from({ length: 400 }, (_, i) => `${" ".repeat(i + 1)}k${i}:`).join("\n") + " x\n");
  parseError("deep/indent.yaml", undefined, /nesting deeper than \d+ levels/);
  write(dir, "deep/deep.json", `{"apiVersion": "v1", "kind": "Pod", "spec": ${'{"a": '.repeat(N)}1${"}".repeat(N)}}\n`);
  parseError("deep/deep.json", 1, /nesting deeper than \d+ levels/);
  write(dir, "deep/compose.yaml", `services:\n  app: ${"[".repeat(N)}${"]".repeat(N)}\n`);
  parseError("deep/compose.yaml", 2, /nesting deeper than \d+ levels/);
  write(dir, "deep/Dockerfile", `FROM alpine:3.19\nUSER app\nCMD ${"[".repeat(N)}${"]".repeat(N)}\n`);

  // Over the size limit: 50 MB of YAML, written in chunks.
  if (options.big) {
    const abs = path.join(dir, "big/huge.yaml");
    mkdirSync(path.dirname(abs), { recursive: true });
    const fd = openSync(abs, "w");
    writeSync(fd, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n");
    const chunk = Array.from({ length: 1000 }, (_, i) => `  key${i}: "${"v".repeat(40)}"\n`).join("");
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
    closeSync(fd);
    incomplete("big/huge.yaml", /larger than 10 MB/);
  }

  // Binary files with configuration names.
  write(dir, "binary/Dockerfile", Buffer.concat([Buffer.from("FROM alpine\n\0"), bytes(4096)]));
  incomplete("binary/Dockerfile", /binary/);
  write(dir, "binary/x.yaml", Buffer.concat([Buffer.from("apiVersion: v1\nkind: Pod\n\0\0"), bytes(4096, 11)]));
  incomplete("binary/x.yaml", /binary/);
  write(dir, "binary/docker-compose.yml", Buffer.concat([Buffer.from("\x7fELF\x02\x01\x01\0"), bytes(4096, 13)]));
  incomplete("binary/docker-compose.yml", /binary/);
  write(dir, "binary/.env", Buffer.concat([Buffer.from("TOKEN=\0"), bytes(512, 17)]));
  incomplete("binary/.env", /binary/);

  // Invalid UTF-8: a note, and the file is still checked (the finding below it).
  write(dir, "utf8/pod.yaml", Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9, 0xff, 0xfe]), Buffer.from("\n"), Buffer.from(POD("latin1"))]));
  skipped("utf8/pod.yaml", /not valid UTF-8/);
  expect.push({ file: "utf8/pod.yaml", ruleId: "k8s/privileged", line: 11, message: /privileged/ });
  write(dir, "utf8/Dockerfile", Buffer.concat([Buffer.from("FROM alpine:3.19\nRUN echo "), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from("\nUSER root\n")]));
  skipped("utf8/Dockerfile", /not valid UTF-8/);
  expect.push({ file: "utf8/Dockerfile", ruleId: "docker/user-not-root", line: 3, message: /root/ });

  // Unusual blanks in a RUN line (vertical tab, form feed, NBSP, U+2028, ideographic space): the
  // shell lexer once looped forever on them (out of memory).
  write(dir, "blanks/Dockerfile", "FROM alpine:3.19\nRUN echo a\u000bb\u000cc \u00a0d\u2028e\u3000f && curl -fsSL https://example.com/i.sh |\u00a0sh\nUSER root\n");
  expect.push({ file: "blanks/Dockerfile", ruleId: "docker/user-not-root", line: 3, message: /root/ });

  // Empty and comment-only Dockerfiles.
  write(dir, "dockerfiles/empty/Dockerfile", "");
  skipped("dockerfiles/empty/Dockerfile", /no instructions/);
  write(dir, "dockerfiles/comments/Dockerfile", "# syntax=docker/dockerfile:1\n# nothing here yet\n\n   \n");
  skipped("dockerfiles/comments/Dockerfile", /no instructions/);
  write(dir, "dockerfiles/odd/Dockerfile", "FROM\nUSER\nARG\nENV\nCOPY\nRUN <<EOF\nunterminated\nRUN [\"unterminated\nONBUILD ONBUILD RUN x\nFROM ${A:-${B:-${C}}}\nFROM ${\nEXPOSE 99999999999999999999/xyz\nHEALTHCHECK CMD\n");

  // Symbolic links: loops, out of the tree, broken; never followed.
  const outside = mkdtempSync(path.join(tmpdir(), "bulkhead-outside-"));
  write(outside, "secret.yaml", POD("outside"));
  mkdirSync(path.join(dir, "links"), { recursive: true });
  symlinkSync("loop-b", path.join(dir, "links/loop-a"));
  symlinkSync("loop-a", path.join(dir, "links/loop-b"));
  skipped("links/loop-a", /symbolic link loop/);
  symlinkSync(".", path.join(dir, "links/self"));
  symlinkSync("..", path.join(dir, "links/up"));
  symlinkSync("../..", path.join(dir, "links/out-dir"));
  skipped("links/out-dir", /outside the scanned directory/);
  symlinkSync(path.join(outside, "secret.yaml"), path.join(dir, "links/outside.yaml"));
  incomplete("links/outside.yaml", /outside the scanned directory/);
  symlinkSync(outside, path.join(dir, "links/outside-dir"));
  skipped("links/outside-dir", /outside the scanned directory/);
  symlinkSync("/nonexistent/nowhere", path.join(dir, "links/broken"));
  skipped("links/broken", /broken symbolic link/);

  // A named pipe: reading it would block forever.
  if (mkfifo(path.join(dir, "special/pipe.yaml"))) skipped("special/pipe.yaml", /not a regular file \(named pipe\)/);

  // 2 MB single lines: still scanned, findings after them at the right lines.
  const MB2 = 2 * 1024 * 1024;
  write(dir, "long/line.txt", `value = "${"a".repeat(MB2)}"\n`);
  write(dir, "long/secretish.txt", `password=${"A1b2".repeat(MB2 / 4)}\n`);
  write(dir, "long/tokens.py", `${'token = "xxxxxxxxxxxxxxxxxxxxxxxx"; '.repeat(MB2 / 36)}\n`);
  write(dir, "long/pod.yaml", `apiVersion: v1\nkind: Pod\nmetadata:\n  name: long\n  annotations:\n    a: "${"b".repeat(MB2)}"\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext:\n      privileged: true\n`);
  expect.push({ file: "long/pod.yaml", ruleId: "k8s/privileged", line: 12, message: /privileged/ });
  write(dir, "long/Dockerfile", `FROM alpine:3.19\nRUN echo ${"d".repeat(MB2 / 4)}\nUSER root\n`);
  expect.push({ file: "long/Dockerfile", ruleId: "docker/user-not-root", line: 3, message: /root/ });
  // Over the Dockerfile parse limit (1 MB): a note, not ten seconds and gigabytes in the parser.
  write(dir, "long/huge-line/Dockerfile", `FROM alpine:3.19\nRUN echo ${"d".repeat(MB2)}\nUSER root\n`);
  incomplete("long/huge-line/Dockerfile", /larger than 1 MB/);
  write(dir, "long/.env", `A=${"e".repeat(MB2)}\n`);

  // Ignore files with more patterns than are read.
  write(dir, "ignores/.gitignore", Array.from({ length: 3000 }, (_, i) => `generated-${i}/`).join("\n") + "\n");
  skipped("ignores/.gitignore", /3000 patterns; only the first \d+ are used/);
  write(dir, "ignores/.dockerignore", Array.from({ length: 3000 }, (_, i) => `generated-${i}/`).join("\n") + "\n");
  skipped("ignores/.dockerignore", /3000 patterns; only the first \d+ are used/);
  write(dir, "ignores/Dockerfile", "FROM alpine:3.19\nCOPY . /app\nUSER app\n");

  // CRLF: the same findings at the same lines and columns as LF (compared by the test).
  const compose = 'services:\n  app:\n    image: nginx:latest\n    privileged: true\n    ports:\n      - "8080:8080"\n';
  const dockerfile = "FROM alpine:3.19\n# comment\nRUN apk add curl \\\n    && echo hi\nENV A=1\nUSER root\nCMD [\"sh\"]\n";
  for (const [sub, nl] of [
    ["lf", "\n"],
    ["crlf", "\r\n"],
  ] as const) {
    write(dir, `${sub}/pod.yaml`, POD(`endings`).replace(/\n/g, nl));
    write(dir, `${sub}/docker-compose.yml`, compose.replace(/\n/g, nl));
    write(dir, `${sub}/Dockerfile`, dockerfile.replace(/\n/g, nl));
    write(dir, `${sub}/.env`, "PASSWORD=hunter2hunter2\nAPI_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n".replace(/\n/g, nl));
  }
  expect.push({ file: "crlf/Dockerfile", ruleId: "docker/user-not-root", line: 6, message: /root/ });
  expect.push({ file: "crlf/pod.yaml", ruleId: "k8s/privileged", line: 10, message: /privileged/ });

  // Wrong types: a handful here (the systematic set is writeWrongTypes).
  write(dir, "types/docker-compose.yml", 'services: []\n');
  write(dir, "types/a/compose.yaml", 'services: "x"\n');
  write(dir, "types/b/compose.yaml", "services:\n  a:\n  b: 5\n  c: [1]\n  d: {environment: 5, volumes: {a: 1}, ports: {a: 1}, build: 5, user: 0, cap_drop: ALL}\n");
  write(dir, "types/k8s.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec: \"x\"\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: c}\nspec: {containers: [{name: c, image: x, env: 5, volumeMounts: {a: 1}}], volumes: {a: 1}}\n---\napiVersion: 5\nkind: [1]\n---\napiVersion: v1\nkind: List\nitems: \"x\"\n");
  return expect;
}

/** Valid base documents whose every value the wrong-types corpus replaces, one at a time. */
const BASES: Record<string, string> = {
  "deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: prod
  labels: {app: app}
  annotations: {note: x}
spec:
  replicas: 2
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      serviceAccountName: app
      automountServiceAccountToken: false
      hostNetwork: false
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      initContainers:
        - name: init
          image: busybox:1.36
          command: ["sh", "-c", "true"]
      containers:
        - name: app
          image: registry.example.com/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          ports: [{containerPort: 8080, protocol: TCP}]
          env:
            - {name: MODE, value: prod}
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: creds, key: password}}
          envFrom: [{secretRef: {name: creds}}]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
          resources: {limits: {cpu: "1", memory: 1Gi}, requests: {cpu: 100m, memory: 128Mi}}
          volumeMounts:
            - {name: creds, mountPath: /var/lib/app, readOnly: true}
            - {name: tmp, mountPath: /tmp}
      volumes:
        - name: creds
          secret: {secretName: creds, defaultMode: 0400, items: [{key: password, path: password, mode: 0400}]}
        - name: tmp
          emptyDir: {}
        - name: proj
          projected: {defaultMode: 0400, sources: [{secret: {name: creds, items: [{key: a, path: a}]}}]}
        - name: host
          hostPath: {path: /var/run/docker.sock}
`,
  "cronjob.yaml": `apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox:1.36
              args: ["date"]
`,
  "netpol.yaml": `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: np, namespace: prod}
spec:
  podSelector: {matchLabels: {app: app}, matchExpressions: [{key: tier, operator: In, values: [web]}]}
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: gw}}}, {namespaceSelector: {matchLabels: {name: x}}}]
      ports: [{port: 8080, protocol: TCP}]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]
      ports: [{port: 443, protocol: TCP}, {port: 53, protocol: UDP, endPort: 60}]
`,
  "secret.yaml": `apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: prod}
type: Opaque
data: {password: aHVudGVyMg==}
stringData: {token: abc}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {mode: prod, api_key: abcdef0123456789abcdef}
`,
  "service.yaml": `apiVersion: v1
kind: Service
metadata: {name: svc, annotations: {a: b}}
spec:
  type: LoadBalancer
  selector: {app: app}
  ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30080}]
  loadBalancerSourceRanges: [0.0.0.0/0]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: prod}
automountServiceAccountToken: false
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ing}
spec:
  tls: [{hosts: [a.example.com], secretName: tls}]
  rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: svc, port: {number: 80}}}}]}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
subjects: [{kind: ServiceAccount, name: app, namespace: prod}]
roleRef: {kind: ClusterRole, name: cluster-admin, apiGroup: rbac.authorization.k8s.io}
`,
  "docker-compose.yml": `x-defaults: &defaults
  restart: unless-stopped
services:
  app:
    <<: *defaults
    build: {context: ., dockerfile: Dockerfile, args: {A: "1"}, secrets: [s]}
    image: registry.example.com/app:1.0
    user: "1000:1000"
    read_only: true
    privileged: false
    cap_drop: [ALL]
    cap_add: [NET_BIND_SERVICE]
    security_opt: ["no-new-privileges:true"]
    ports: ["127.0.0.1:8080:8080", {target: 9090, published: 9090, host_ip: 127.0.0.1}]
    volumes: ["./data:/data:ro", {type: bind, source: ./cfg, target: /cfg, read_only: true}]
    environment: {MODE: prod, API_TOKEN: "\${API_TOKEN}"}
    env_file: [.env.app, {path: .env.extra, required: false}]
    network_mode: bridge
    pid: ""
    ipc: private
    secrets: [s]
    tmpfs: [/tmp]
    healthcheck: {test: ["CMD", "true"], interval: 30s}
    deploy: {resources: {limits: {memory: 512M}}}
    command: ["serve"]
  db:
    image: postgres:16
    environment: ["POSTGRES_PASSWORD_FILE=/run/secrets/db", "A=b"]
    volumes: ["db:/var/lib/postgresql/data"]
volumes: {db: {}}
secrets: {s: {file: ./s.txt}}
`,
};

/** The wrong-typed values put in place of each value in turn. */
const WRONG: [string, unknown][] = [
  ["null", null],
  ["num", 5],
  ["str", "x"],
  ["list", [1, null, "x"]],
  ["emptylist", []],
  ["map", { a: 1 }],
  ["emptymap", {}],
  ["bool", true],
];

/**
 * "Wrong types everywhere": for each base document and each value in it (every path, list
 * items included), one file with that value replaced by each wrong-typed value. The file name
 * says which (`<base>/<path>=<kind>.yaml`), so an internal error names its input.
 */
export function writeWrongTypes(dir: string): number {
  let count = 0;
  for (const [name, text] of Object.entries(BASES)) {
    const docs = text.split(/^---\n/m);
    docs.forEach((docText, docIndex) => {
      const paths: (string | number)[][] = [];
      const walk = (value: unknown, at: (string | number)[]) => {
        if (at.length > 0) paths.push(at);
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
        else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) if (k !== "<<") walk(v, [...at, k]);
      };
      walk(parseDocument(docText, { merge: true }).toJS({ maxAliasCount: -1 }), []);
      for (const p of paths) {
        for (const [kind, value] of WRONG) {
          const doc = parseDocument(docText, { version: "1.1" });
          doc.setIn(p, doc.createNode(value));
          const ext = name.endsWith(".yml") ? ".yml" : ".yaml";
          const base = name.replace(/\.ya?ml$/, "");
          const slug = p.map(String).join(".").replace(/[^A-Za-z0-9_.-]/g, "_");
          const file = base.includes("compose") ? `${base}/${docIndex}.${slug}=${kind}/docker-compose${ext}` : `${base}/${docIndex}.${slug}=${kind}${ext}`;
          let mutated: string;
          try {
            mutated = String(doc);
          } catch {
            continue; // replaced an anchor that an alias still uses
          }
          write(dir, file, docs.map((d, i) => (i === docIndex ? mutated : d)).join("---\n"));
          count++;
        }
      }
    });
  }
  return count;
}
