// Deterministic benchmark tree: the same N gives the same bytes on every machine.
// A monorepo of services, each with Kubernetes manifests (multi-document: Deployment, Service,
// NetworkPolicy, Secret, ConfigMap), compose files, Dockerfiles, source files, .env and ignore
// files, plus non-Kubernetes YAML/JSON (CI configs, package.json) and docs.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Bump when the generated content changes, so cached trees are regenerated. */
export const GENERATOR_VERSION = 3;

/** mulberry32: small, fast, deterministic. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
    token: (n: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") => {
      let s = "";
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
  };
}
type Rng = ReturnType<typeof rng>;

const WORDS = ["user", "order", "cart", "payment", "invoice", "ledger", "session", "token", "cache", "queue", "event", "report", "search", "index", "profile", "message", "notify", "audit", "billing", "catalog"];
const IMAGES = ["python:3.11-slim", "node:20-alpine", "golang:1.22", "nginx:1.25", "redis:7", "postgres:16", "alpine:3.19", "ubuntu:22.04", "debian:bookworm-slim"];

function deployment(r: Rng, name: string, ns: string): string {
  const hardened = r.chance(0.6);
  const image = r.chance(0.2) ? `registry.example.com/${name}:latest` : r.chance(0.3) ? `registry.example.com/${name}@sha256:${r.token(64, "0123456789abcdef")}` : `registry.example.com/${name}:1.${r.int(0, 30)}.${r.int(0, 9)}`;
  const env = Array.from({ length: r.int(2, 6) }, (_, i) =>
    r.chance(0.3)
      ? `            - name: ${r.pick(WORDS).toUpperCase()}_PASSWORD_${i}\n              valueFrom:\n                secretKeyRef:\n                  name: ${name}-creds\n                  key: password`
      : `            - name: ${r.pick(WORDS).toUpperCase()}_${i}\n              value: "${r.pick(WORDS)}-${r.int(1, 999)}"`,
  ).join("\n");
  const sc = hardened
    ? `          securityContext:\n            runAsNonRoot: true\n            runAsUser: 10001\n            readOnlyRootFilesystem: true\n            allowPrivilegeEscalation: false\n            capabilities:\n              drop: ["ALL"]\n`
    : r.chance(0.3)
      ? `          securityContext:\n            privileged: true\n`
      : "";
  const mode = r.pick(["0400", "0600", "0644", "420", "0440"]);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
    team: ${r.pick(WORDS)}
spec:
  replicas: ${r.int(1, 5)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${hardened ? "      automountServiceAccountToken: false\n" : ""}${r.chance(0.1) ? "      hostNetwork: true\n" : ""}      containers:
        - name: app
          image: ${image}
          ports:
            - containerPort: ${r.pick([8080, 8443, 3000, 5000])}
          env:
${env}
${sc}          resources:
            requests:
              cpu: ${r.int(50, 500)}m
              memory: ${r.int(64, 512)}Mi
            limits:
              cpu: ${r.int(500, 2000)}m
              memory: ${r.int(512, 2048)}Mi
          volumeMounts:
            - name: creds
              mountPath: /var/lib/${name}
              readOnly: ${r.chance(0.7)}
            - name: tmp
              mountPath: /tmp
${r.chance(0.3) ? `        - name: sidecar\n          image: ${r.pick(IMAGES)}\n          args: ["--port", "9090"]\n` : ""}      volumes:
        - name: creds
          secret:
            secretName: ${name}-creds
            defaultMode: ${mode}
        - name: tmp
          emptyDir: {}
`;
}

function service(r: Rng, name: string, ns: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: ${r.pick(["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"])}
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;
}

function networkPolicy(r: Rng, name: string, ns: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}-egress
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: ${name}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: gateway
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              name: kube-system
      ports:
        - protocol: UDP
          port: 53
    - to:
        - ipBlock:
            cidr: ${r.chance(0.2) ? "0.0.0.0/0" : `10.${r.int(0, 255)}.0.0/16`}
      ports:
        - protocol: TCP
          port: 443
`;
}

function secret(r: Rng, name: string, ns: string): string {
  const b64 = () => Buffer.from(`${r.pick(WORDS)}:${r.token(r.int(12, 40))}`).toString("base64");
  const plain = r.chance(0.3) ? `stringData:\n  api-key: "${r.token(32)}"\n` : "";
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}-creds
  namespace: ${ns}
type: Opaque
data:
  password: ${b64()}
  account.json: ${b64()}
${plain}`;
}

function configMap(r: Rng, name: string, ns: string): string {
  const lines = Array.from({ length: r.int(3, 12) }, () => `  ${r.pick(WORDS)}.${r.pick(WORDS)}: "${r.pick(WORDS)}-${r.int(0, 1000)}"`);
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: ${ns}
data:
${[...new Set(lines.map((l) => l.split(":")[0]))].map((k, i) => `${k}: "${i}-${r.token(8)}"`).join("\n")}
`;
}

function manifest(r: Rng, name: string, ns: string, docs: ((r: Rng, name: string, ns: string) => string)[]): string {
  return `# ${name}: generated benchmark manifest\n` + docs.map((d) => d(r, name, ns)).join("---\n");
}

function compose(r: Rng, name: string): string {
  const services = Array.from({ length: r.int(1, 4) }, (_, i) => {
    const svc = `${name}-${r.pick(WORDS)}-${i}`;
    return `  ${svc}:
${i === 0 ? "    build: .\n" : `    image: ${r.pick(IMAGES)}\n`}${r.chance(0.5) ? `    user: "10001:10001"\n` : ""}${r.chance(0.2) ? "    privileged: true\n" : ""}    ports:
      - "${r.int(1024, 9999)}:8080"
    environment:
      - ${r.pick(WORDS).toUpperCase()}_URL=http://${r.pick(WORDS)}:8080
      - API_KEY=${r.chance(0.2) ? r.token(24) : "${API_KEY}"}
    volumes:
      - ./data:/var/lib/${svc}${r.chance(0.5) ? ":ro" : ""}
    restart: unless-stopped
`;
  });
  return `services:\n${services.join("\n")}\nvolumes:\n  data: {}\n`;
}

function dockerfile(r: Rng, name: string): string {
  const base = r.pick(IMAGES);
  const multi = r.chance(0.4);
  return `# syntax=docker/dockerfile:1
${multi ? `FROM ${base} AS build\nWORKDIR /src\nCOPY . .\nRUN make build\n\n` : ""}FROM ${r.chance(0.3) ? base.split(":")[0] : base}
ARG VERSION=1.0.${r.int(0, 99)}
ENV APP_HOME=/opt/${name} \\
    LOG_LEVEL=info
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \\
    && rm -rf /var/lib/apt/lists/*
${r.chance(0.5) ? `RUN groupadd -r app && useradd -r -g app app\n` : ""}WORKDIR /opt/${name}
${multi ? "COPY --from=build /src/bin ./bin\n" : "COPY . .\n"}${r.chance(0.1) ? `ENV DB_PASSWORD=${r.token(16)}\n` : ""}${r.chance(0.5) ? "USER app\n" : ""}EXPOSE 8080
HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1
CMD ["./bin/${name}", "--port", "8080"]
`;
}

function source(r: Rng, name: string, ext: string): string {
  const fns = r.int(5, 30);
  const out: string[] = [];
  const c = ext === "py" ? "#" : "//";
  out.push(`${c} ${name}: generated benchmark source`);
  for (let i = 0; i < fns; i++) {
    const fn = `${r.pick(WORDS)}_${r.pick(WORDS)}_${i}`;
    if (ext === "py") {
      out.push(`def ${fn}(${r.pick(WORDS)}, ${r.pick(WORDS)}=None):`, `    """${r.pick(WORDS)} the ${r.pick(WORDS)}."""`);
      for (let j = r.int(2, 8); j > 0; j--) out.push(`    ${r.pick(WORDS)}_${j} = ${r.pick(WORDS)}.get("${r.pick(WORDS)}", ${r.int(0, 1000)})`);
      out.push(`    return ${r.pick(WORDS)}`, "");
    } else if (ext === "go") {
      out.push(`func ${fn}(${r.pick(WORDS)} string) (int, error) {`);
      for (let j = r.int(2, 8); j > 0; j--) out.push(`\tv${j} := ${r.pick(WORDS)}Map["${r.pick(WORDS)}"] + ${r.int(0, 1000)}`);
      out.push(`\treturn 0, nil`, "}", "");
    } else {
      out.push(`export function ${fn}(${r.pick(WORDS)}: string): number {`);
      for (let j = r.int(2, 8); j > 0; j--) out.push(`  const v${j} = ${r.pick(WORDS)}.get("${r.pick(WORDS)}") ?? ${r.int(0, 1000)};`);
      out.push(`  return 0;`, "}", "");
    }
  }
  // Now and then a hardcoded credential, as real repositories have.
  if (r.chance(0.02)) out.splice(2, 0, `aws_access_key_id = "AKIA${r.token(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}"`);
  if (r.chance(0.02)) out.splice(2, 0, `GITHUB_TOKEN = "ghp_${r.token(36)}"`);
  if (r.chance(0.03)) out.splice(2, 0, `password = "${r.token(14)}"`);
  return out.join("\n") + "\n";
}

function dotenv(r: Rng): string {
  return Array.from({ length: r.int(3, 10) }, () => `${r.pick(WORDS).toUpperCase()}_${r.pick(["URL", "HOST", "PORT", "TOKEN", "SECRET", "MODE"])}=${r.token(r.int(4, 30))}`).join("\n") + "\n";
}

function ciYaml(r: Rng, name: string): string {
  return `name: ${name}
on:
  push:
    branches: [main]
  pull_request: {}
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${r.pick([18, 20, 22])}
      - run: npm ci
      - run: npm test -- --shard=${r.int(1, 4)}/4
`;
}

function packageJson(r: Rng, name: string): string {
  return JSON.stringify({ name, version: `1.${r.int(0, 9)}.0`, private: true, scripts: { build: "tsc", test: "node --test" }, dependencies: { [r.pick(WORDS)]: `^${r.int(1, 9)}.0.0` } }, null, 2) + "\n";
}

function markdown(r: Rng, name: string): string {
  return `# ${name}\n\n${Array.from({ length: r.int(3, 15) }, () => `The ${r.pick(WORDS)} service talks to ${r.pick(WORDS)} over TLS.`).join("\n")}\n`;
}

/** Files of one service directory (about 20 per service). */
function serviceFiles(r: Rng, i: number): Record<string, string> {
  const name = `svc-${String(i).padStart(4, "0")}`;
  const ns = `team-${i % 17}`;
  const dir = `services/${r.pick(WORDS)}/${name}`;
  const files: Record<string, string> = {};
  files[`${dir}/Dockerfile`] = dockerfile(r, name);
  files[`${dir}/.dockerignore`] = r.chance(0.7) ? ".git\n.env\n*.log\nnode_modules\n" : "node_modules\n";
  if (r.chance(0.5)) files[`${dir}/docker-compose.yml`] = compose(r, name);
  files[`${dir}/k8s/deployment.yaml`] = manifest(r, name, ns, [deployment, service]);
  files[`${dir}/k8s/network.yaml`] = manifest(r, name, ns, [networkPolicy]);
  files[`${dir}/k8s/secrets.yaml`] = manifest(r, name, ns, [secret, configMap]);
  if (r.chance(0.3)) files[`${dir}/k8s/worker.yaml`] = manifest(r, `${name}-worker`, ns, [deployment, secret, networkPolicy, service]);
  if (r.chance(0.4)) files[`${dir}/.env`] = dotenv(r);
  if (r.chance(0.5)) files[`${dir}/.gitignore`] = "*.log\nbuild/\ncoverage/\n";
  if (r.chance(0.3)) files[`${dir}/.env.example`] = dotenv(r);
  files[`${dir}/.github/ci.yml`] = ciYaml(r, name);
  files[`${dir}/package.json`] = packageJson(r, name);
  files[`${dir}/README.md`] = markdown(r, name);
  const ext = r.pick(["py", "go", "ts"]);
  for (let k = r.int(6, 12); k > 0; k--) files[`${dir}/src/${r.pick(WORDS)}_${k}.${ext}`] = source(r, name, ext);
  return files;
}

export interface GeneratedTree {
  dir: string;
  files: number;
  bytes: number;
  reused: boolean;
}

/** Generates (or reuses) the tree of `count` files in `dir`, committed to a git repository. */
export function generateTree(dir: string, count: number): GeneratedTree {
  const marker = path.join(dir, ".bench-tree.json");
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, count });
  if (existsSync(marker) && readFileSync(marker, "utf8").split("\n")[0] === stamp) {
    const info = JSON.parse(readFileSync(marker, "utf8").split("\n")[1]) as { files: number; bytes: number };
    return { dir, ...info, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(20261122);
  const files: Record<string, string> = {
    // Nothing generated is git-ignored: the floor and bulkhead see the same files.
    ".gitignore": "node_modules/\n*.log\nbuild/\n",
    "README.md": "# benchmark monorepo\n",
  };
  // The marker counts as one of the N files (it is scanned like any other).
  let n = Object.keys(files).length + 1;
  for (let i = 0; n < count; i++) {
    for (const [p, text] of Object.entries(serviceFiles(r, i))) {
      if (n >= count) break;
      if (files[p] === undefined) n++;
      files[p] = text;
    }
  }
  let bytes = 0;
  const made = new Set<string>();
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    const d = path.dirname(abs);
    if (!made.has(d)) {
      mkdirSync(d, { recursive: true });
      made.add(d);
    }
    writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
  }
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A", ".");
  git("-c", "user.email=bench@example.com", "-c", "user.name=bench", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "benchmark tree");
  // Written after the commit, so the marker is an untracked file like a developer's scratch file.
  writeFileSync(marker, `${stamp}\n${JSON.stringify({ files: n, bytes })}\n`);
  return { dir, files: n, bytes, reused: false };
}
