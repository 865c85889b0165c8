// The baseline checks of Pod Security Admission (k8s.io/pod-security-admission, policy/check_*.go),
// each read from bulkhead's positioned model and returning its violations at the offending field.
// Field by field they follow admission: which fields, which values are allowed, pod before
// container, init and ephemeral containers alike (`containersOf`), names compared exactly.
import type { PEntry, PMap, PNode } from "../types.js";
import { asMap, asScalar, asSeq, isTrue } from "../parsers/yaml.js";
import {
  containersOf,
  intValue,
  normalizeCapability,
  podAnnotationEntries,
  podSecurityContext,
  setEntry,
  volumesOf,
  type ContainerRef,
  type PodSpecRef,
  type VolumeRef,
} from "../selectors/k8s.js";
import { quote } from "../secrets/index.js";
import { inUserNamespace, ownField, str, type PssViolation } from "./fields.js";

export type CheckFn = (pod: PodSpecRef) => PssViolation[];

const podWho = (pod: PodSpecRef) => `the pod's securityContext in ${pod.label}`;

/** The pod's own securityContext field and each container's, with who wrote it (patched objects' values are reported in their own file). */
function podAndContainerFields(pod: PodSpecRef, key: string): { entry: PEntry; who: string; logical: string }[] {
  const out: { entry: PEntry; who: string; logical: string }[] = [];
  const own = setEntry(podSecurityContext(pod), key);
  if (own) out.push({ entry: own, who: podWho(pod), logical: pod.logical });
  for (const c of containersOf(pod)) {
    const e = ownField(c, key);
    if (e) out.push({ entry: e, who: c.label, logical: c.logical });
  }
  return out;
}

/** HostProcess: `windowsOptions.hostProcess` must not be true, on the pod or any container. */
export const windowsHostProcess: CheckFn = (pod) =>
  podAndContainerFields(pod, "windowsOptions").flatMap(({ entry, who, logical }) => {
    const hp = asMap(entry.value)?.entry("hostProcess");
    if (!hp || !isTrue(hp.value)) return [];
    return [{ control: "hostProcess", node: hp.value, detail: `${who} sets \`windowsOptions.hostProcess: true\``, fix: "remove it", logical }];
  });

/** Host Namespaces: hostNetwork, hostPID, hostIPC must not be true. */
export const hostNamespaces: CheckFn = (pod) =>
  ["hostNetwork", "hostPID", "hostIPC"].flatMap((key) => {
    const e = pod.spec.entry(key);
    if (!e || !isTrue(e.value)) return [];
    return [{ control: "hostNamespaces", node: e.value, detail: `${pod.label} sets \`${key}: true\``, fix: "remove it", logical: pod.logical }];
  });

/** Privileged Containers. */
export const privileged: CheckFn = (pod) =>
  containersOf(pod).flatMap((c) => {
    const e = ownField(c, "privileged");
    if (!e || !isTrue(e.value)) return [];
    return [{ control: "privileged", node: e.value, detail: `${c.label} sets \`privileged: true\``, fix: "remove it and add only the capabilities it needs", logical: c.logical }];
  });

/** The capabilities a container adds, as written (admission compares the names exactly). */
export function addedCapabilities(c: ContainerRef): { name: string; node: PNode }[] {
  const caps = asMap(ownField(c, "capabilities")?.value);
  return (asSeq(caps?.get("add"))?.items ?? []).flatMap((node) => {
    const s = asScalar(node);
    return s ? [{ name: str(s), node }] : [];
  });
}

/** A capability written differently from the name admission allows (`chown`, `CAP_CHOWN`): how to write it. */
export function exactSpelling(name: string, allowed: ReadonlySet<string>): string {
  const canonical = normalizeCapability(name);
  return canonical !== name && allowed.has(canonical) ? `; admission compares names exactly: write \`${canonical}\`` : "";
}

/** The runtime's default capabilities: the only ones a baseline pod may add. */
const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Capabilities (baseline): `capabilities.add` only from the default set. */
export const capabilitiesBaseline: CheckFn = (pod) =>
  containersOf(pod).flatMap((c) =>
    addedCapabilities(c)
      .filter((a) => !DEFAULT_CAPABILITIES.has(a.name))
      .map((a): PssViolation => ({
        control: "capabilities.add",
        node: a.node,
        detail: `${c.label} adds capability \`${quote(a.name)}\`${exactSpelling(a.name, DEFAULT_CAPABILITIES)}`,
        fix: "remove it from `capabilities.add` (a baseline pod may add only the runtime's default capabilities)",
        logical: c.logical,
      })),
  );

/** Where a hostPath volume is reported: its `path`, else the `hostPath` entry (as k8s/host-path does). */
export function hostPathViolation(v: VolumeRef, hostPath: PEntry): PssViolation {
  const pathEntry = asMap(hostPath.value)?.entry("path");
  const where = str(pathEntry?.value);
  return {
    control: "hostPath",
    node: pathEntry ? pathEntry.value : hostPath,
    detail: `${v.label} is a hostPath volume${where ? ` (the node's \`${quote(where)}\`)` : ""}`,
    fix: "use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a Secret instead",
    logical: v.logical,
  };
}

/** HostPath Volumes. */
export const hostPathVolumes: CheckFn = (pod) =>
  volumesOf(pod).flatMap((v) => {
    const hp = setEntry(v.node, "hostPath");
    return hp ? [hostPathViolation(v, hp)] : [];
  });

/** Host Ports: `ports[*].hostPort` unset or 0. */
export const hostPorts: CheckFn = (pod) =>
  containersOf(pod).flatMap((c) =>
    (asSeq(c.node.get("ports"))?.items ?? []).flatMap((item): PssViolation[] => {
      const e = asMap(item)?.entry("hostPort");
      const port = intValue(e?.value);
      if (!e || port === undefined || port === 0) return [];
      return [{ control: "hostPorts", node: e.value, detail: `${c.label} uses hostPort ${port}`, fix: "remove `hostPort` and reach the port through a Service", logical: c.logical }];
    }),
  );

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"];
const HOOKS = ["postStart", "preStop"];

/** Host Probes / Lifecycle Hooks (v1.34+): no `host` in a probe's or lifecycle hook's httpGet or tcpSocket. */
export const hostProbesAndHostLifecycle: CheckFn = (pod) =>
  containersOf(pod).flatMap((c) => {
    const handlers: [string, PMap | undefined][] = [
      ...PROBES.map((p): [string, PMap | undefined] => [p, asMap(c.node.get(p))]),
      ...HOOKS.map((h): [string, PMap | undefined] => [`lifecycle.${h}`, asMap(asMap(c.node.get("lifecycle"))?.get(h))]),
    ];
    return handlers.flatMap(([where, handler]) =>
      ["httpGet", "tcpSocket"].flatMap((kind): PssViolation[] => {
        const host = asMap(handler?.get(kind))?.entry("host");
        if (!host || str(host.value) === "") return [];
        return [
          {
            control: "hostProbes",
            node: host.value,
            detail: `${c.label} sets \`host: ${quote(str(host.value))}\` in its ${where}.${kind}`,
            fix: "remove `host`, so that the kubelet connects to the pod's own IP",
            logical: c.logical,
          },
        ];
      }),
    );
  });

const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** AppArmor: the `appArmorProfile` field (pod and containers) RuntimeDefault or Localhost; the beta annotations runtime/default, localhost/… or empty. */
export const appArmorProfile: CheckFn = (pod) => {
  const out: PssViolation[] = [];
  for (const { entry, who, logical } of podAndContainerFields(pod, "appArmorProfile")) {
    const type = asMap(entry.value)?.entry("type");
    const value = str(type?.value);
    if (value === "RuntimeDefault" || value === "Localhost") continue;
    out.push({
      control: "appArmor",
      node: type ? type.value : entry,
      detail: `${who} sets AppArmor profile type \`${quote(value)}\``,
      fix: "use `RuntimeDefault` or `Localhost`, or remove it",
      logical,
    });
  }
  for (const a of podAnnotationEntries(pod)) {
    if (!a.key.startsWith(APPARMOR_ANNOTATION)) continue;
    const value = str(a.value);
    if (value === "" || value === "runtime/default" || value.startsWith("localhost/")) continue;
    out.push({
      control: "appArmor",
      node: a.value,
      detail: `${pod.label} has the annotation \`${quote(a.key)}: ${quote(value)}\``,
      fix: "use `runtime/default` or `localhost/<profile>` (or the `appArmorProfile` field), or remove it",
      logical: pod.logical,
    });
  }
  return out;
};

const SELINUX_TYPES_1_0: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const SELINUX_TYPES_1_31: ReadonlySet<string> = new Set([...SELINUX_TYPES_1_0, "container_engine_t"]);

/** SELinux: `seLinuxOptions.type` from the allowed set, no `user`, no `role` (v1.31 allows container_engine_t). */
export function seLinuxOptions(version: "1.0" | "1.31"): CheckFn {
  const allowed = version === "1.31" ? SELINUX_TYPES_1_31 : SELINUX_TYPES_1_0;
  const names = [...allowed].filter(Boolean).join(", ");
  return (pod) =>
    podAndContainerFields(pod, "seLinuxOptions").flatMap(({ entry, who, logical }) => {
      const opts = asMap(entry.value);
      const out: PssViolation[] = [];
      const type = opts?.entry("type");
      if (!allowed.has(str(type?.value))) {
        out.push({ control: "seLinux", node: type!.value, detail: `${who} sets SELinux type \`${quote(str(type?.value))}\``, fix: `use one of ${names}, or none`, logical });
      }
      for (const key of ["user", "role"]) {
        const e = opts?.entry(key);
        if (e && str(e.value) !== "") out.push({ control: "seLinux", node: e.value, detail: `${who} sets SELinux ${key} \`${quote(str(e.value))}\``, fix: "remove it", logical });
      }
      return out;
    });
}

/** /proc Mount Type: `procMount` unset or Default; from v1.35 (baseline only) any value in a user namespace (`hostUsers: false`). */
export function procMount(relaxInUserNamespace: boolean): CheckFn {
  return (pod) => {
    if (relaxInUserNamespace && inUserNamespace(pod)) return [];
    return containersOf(pod).flatMap((c): PssViolation[] => {
      const e = ownField(c, "procMount");
      if (!e || str(e.value) === "Default") return [];
      return [{ control: "procMount", node: e.value, detail: `${c.label} sets \`procMount: ${quote(str(e.value))}\``, fix: "remove it (the Default /proc mount masks the node's kernel interfaces)", logical: c.logical }];
    });
  };
}

const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";

/** Seccomp before v1.19: the alpha annotations (pod, and per container name) runtime/default, docker/default or localhost/…. */
export const seccompAnnotations: CheckFn = (pod) => {
  const names = new Set(containersOf(pod).map((c) => `${SECCOMP_CONTAINER_ANNOTATION}${c.name}`));
  return podAnnotationEntries(pod).flatMap((a): PssViolation[] => {
    if (a.key !== SECCOMP_POD_ANNOTATION && !names.has(a.key)) return [];
    const value = str(a.value);
    if (value === "runtime/default" || value === "docker/default" || value.startsWith("localhost/")) return [];
    return [
      {
        control: "seccomp",
        node: a.value,
        detail: `${pod.label} has the annotation \`${quote(a.key)}: ${quote(value)}\``,
        fix: "use `runtime/default` or `localhost/<profile>` (or, from Kubernetes 1.19, the `seccompProfile` field)",
        logical: pod.logical,
      },
    ];
  });
};

/** A seccompProfile whose type is not RuntimeDefault or Localhost. */
export function badSeccompProfile(entry: PEntry, who: string, logical: string): PssViolation | undefined {
  const type = asMap(entry.value)?.entry("type");
  const value = str(type?.value);
  if (value === "RuntimeDefault" || value === "Localhost") return undefined;
  return { control: "seccomp", node: type ? type.value : entry, detail: `${who} sets seccomp profile type \`${quote(value)}\``, fix: "use `RuntimeDefault` or `Localhost`", logical };
}

/** Seccomp from v1.19: the `seccompProfile` field, where set, RuntimeDefault or Localhost (pod and containers). */
export const seccompFields: CheckFn = (pod) =>
  podAndContainerFields(pod, "seccompProfile").flatMap(({ entry, who, logical }) => badSeccompProfile(entry, who, logical) ?? []);

/** The safe sysctls, as each version extends the set. */
const SYSCTLS: readonly [number, readonly string[]][] = [
  [0, ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]],
  [27, ["net.ipv4.ip_local_reserved_ports"]],
  [29, ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]],
  [32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]],
  [37, ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"]],
];

/** The versions at which the safe set grows. */
export const SYSCTL_VERSIONS: readonly number[] = SYSCTLS.map(([v]) => v);

/** Sysctls: only the safe set of the version (`securityContext.sysctls[*].name`). */
export function sysctls(version: number): CheckFn {
  const allowed = new Set(SYSCTLS.filter(([v]) => v <= version).flatMap(([, names]) => names));
  return (pod) =>
    (asSeq(setEntry(podSecurityContext(pod), "sysctls")?.value)?.items ?? []).flatMap((item): PssViolation[] => {
      const name = asMap(item)?.entry("name");
      if (allowed.has(str(name?.value))) return [];
      return [
        {
          control: "sysctls",
          node: name ? name.value : item,
          detail: `${pod.label} sets sysctl \`${quote(str(name?.value))}\``,
          fix: "remove it: only the namespaced sysctls of the safe set are allowed (others need the kubelet's allow-list and a privileged namespace)",
          logical: pod.logical,
        },
      ];
    });
}
