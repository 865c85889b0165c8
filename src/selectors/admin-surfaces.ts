// Well-known admin and debug surfaces a compose service can run without authentication: what
// turns each on (an environment setting, a command-line flag, the published port itself) and
// the container ports it listens on. Read by compose/exposed-admin-surface.
import type { ComposeService } from "../types.js";
import { asSeq } from "../parsers/yaml.js";
import { envVars, resolvedText, scalarText, withDefaults } from "./compose.js";

export interface AdminSurface {
  /** What is open, for the message: "the Docker Engine API without TLS". */
  what: string;
  /** What whoever reaches it can do. */
  impact: string;
  /** The setting that opens it, as written (`POSTGRES_HOST_AUTH_METHOD=trust`), or undefined when the port alone is the surface. */
  setting?: string;
  /** Container ports it listens on; undefined: whatever the service publishes. */
  ports?: number[];
}

const TRUE = /^(?:1|true|yes|on)$/i;

/** The service's environment after interpolation, by name. */
function environment(service: ComposeService): Map<string, string> {
  const env = new Map<string, string>();
  for (const v of envVars(service.node.get("environment"))) {
    if (v.value === undefined) continue;
    const value = v.value.includes("$") ? withDefaults(v.value, service.variables) : v.value;
    if (value !== undefined) env.set(v.name, value.trim());
  }
  return env;
}

/** `command` and `entrypoint`, string or list form, as one line of text. */
function commandLine(service: ComposeService): string {
  const parts: string[] = [];
  for (const key of ["entrypoint", "command"]) {
    const node = service.node.get(key);
    const items = asSeq(node)?.items;
    for (const item of items ?? [node]) {
      const text = item && (resolvedText(service, item) ?? scalarText(item));
      if (text) parts.push(text);
    }
  }
  return parts.join(" ");
}

/** Default ports of the images whose "no password" switch (Bitnami's ALLOW_EMPTY_PASSWORD) this rule knows. */
const IMAGE_PORTS: [RegExp, number[]][] = [
  [/(?:^|\/)(?:redis|valkey|keydb)(?:-cluster)?(?::|@|$)/, [6379]],
  [/(?:^|\/)(?:mysql|mariadb|percona)(?:-galera)?(?::|@|$)/, [3306]],
  [/(?:^|\/)postgres(?:ql)?(?:-repmgr)?(?::|@|$)/, [5432]],
  [/(?:^|\/)mongodb(?:-sharded)?(?::|@|$)/, [27017]],
  [/(?:^|\/)etcd(?::|@|$)/, [2379]],
  [/(?:^|\/)memcached(?::|@|$)/, [11211]],
];

function imagePorts(service: ComposeService): number[] | undefined {
  const image = (resolvedText(service, service.node.get("image")) ?? "").toLowerCase();
  return IMAGE_PORTS.find(([re]) => re.test(image))?.[1];
}

/** The surfaces a service runs, whether or not they are published. */
export function adminSurfaces(service: ComposeService): AdminSurface[] {
  const env = environment(service);
  const cmd = commandLine(service);
  const all = [cmd, ...env.values()].join(" ");
  const out: AdminSurface[] = [];
  out.push({ what: "the Docker Engine API without TLS (port 2375)", impact: "runs any container on the host, so it owns the host", ports: [2375] });
  const pgAuth = env.get("POSTGRES_HOST_AUTH_METHOD");
  if (pgAuth?.toLowerCase() === "trust") {
    out.push({ what: "PostgreSQL with no password check", impact: "logs in as any user, superuser included", setting: `POSTGRES_HOST_AUTH_METHOD=${pgAuth}`, ports: [5432] });
  }
  for (const name of ["MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_PASSWORD"]) {
    const v = env.get(name);
    // The images' entrypoints only test that the variable is non-empty.
    if (v && !/^(?:0|no|false)$/i.test(v)) {
      out.push({ what: "MySQL/MariaDB with an empty root password", impact: "logs in as root", setting: `${name}=${v}`, ports: [3306] });
      break;
    }
  }
  const bitnami = env.get("ALLOW_EMPTY_PASSWORD");
  if (bitnami && TRUE.test(bitnami)) {
    out.push({ what: "a database with an empty password", impact: "logs in without a password", setting: `ALLOW_EMPTY_PASSWORD=${bitnami}`, ports: imagePorts(service) });
  }
  const etcd = env.get("ALLOW_NONE_AUTHENTICATION");
  if (etcd && TRUE.test(etcd)) {
    out.push({ what: "etcd with authentication off", impact: "reads and writes every key", setting: `ALLOW_NONE_AUTHENTICATION=${etcd}`, ports: [2379] });
  }
  const xpack = env.get("xpack.security.enabled");
  if (xpack && /^false$/i.test(xpack)) {
    out.push({ what: "Elasticsearch with security off", impact: "reads, changes and deletes every index", setting: `xpack.security.enabled=${xpack}`, ports: [9200] });
  }
  const osOff = env.get("DISABLE_SECURITY_PLUGIN") ?? env.get("plugins.security.disabled");
  if (osOff && TRUE.test(osOff)) {
    out.push({ what: "OpenSearch with its security plugin off", impact: "reads, changes and deletes every index", setting: `${env.has("DISABLE_SECURITY_PLUGIN") ? "DISABLE_SECURITY_PLUGIN" : "plugins.security.disabled"}=${osOff}`, ports: [9200] });
  }
  const anon = env.get("GF_AUTH_ANONYMOUS_ENABLED");
  const role = env.get("GF_AUTH_ANONYMOUS_ORG_ROLE");
  if (anon && TRUE.test(anon) && role?.toLowerCase() === "admin") {
    out.push({ what: "Grafana with anonymous Admin access", impact: "administers Grafana: data sources and their credentials, users, plugins", setting: `GF_AUTH_ANONYMOUS_ORG_ROLE=${role}`, ports: [3000] });
  }
  // JDWP listening on every interface: `address=*:5005` or `address=0.0.0.0:5005` (JDK 9+ reads a bare port as localhost only).
  for (const m of all.matchAll(/-(?:agentlib:jdwp=|Xrunjdwp:)([^\s"']+)/g)) {
    const address = /(?:^|,)address=(?:\*|0\.0\.0\.0):(\d+)(?:,|$)/.exec(m[1]);
    if (!address || !/(?:^|,)server=y(?:,|$)/.test(m[1])) continue;
    out.push({ what: "a Java debugger (JDWP)", impact: "runs any code in the JVM", setting: m[0], ports: [Number(address[1])] });
    break;
  }
  // Node's inspector bound to every interface: `--inspect=0.0.0.0:9229`, `--inspect-brk=0.0.0.0`.
  const inspect = /--inspect(?:-brk|-wait)?=(?:0\.0\.0\.0|\[?::\]?)(?::(\d+))?(?=[\s"']|$)/.exec(all);
  if (inspect) {
    out.push({ what: "the Node.js inspector", impact: "runs any code in the process", setting: inspect[0], ports: [Number(inspect[1] ?? 9229)] });
  }
  // Jupyter with its token emptied and no password: `--NotebookApp.token=''`, `--ServerApp.token=`, `--IdentityProvider.token ""`.
  const token = /--(?:NotebookApp|ServerApp|IdentityProvider)\.token(?:=|\s+)(?:''|""|(?=\s|$))/.exec(cmd);
  const password = /--(?:NotebookApp|ServerApp|PasswordIdentityProvider)\.(?:hashed_)?password=(?!''|""|\s|$)/.test(cmd);
  if (token && !password) {
    out.push({ what: "Jupyter with no token or password", impact: "runs any code in the container", setting: token[0].trim(), ports: [8888] });
  }
  return out;
}
