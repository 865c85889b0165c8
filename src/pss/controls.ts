// The Pod Security Standards controls, as bulkhead names them: each PSA check reports violations of
// one or two of these, and each rule declares the controls it implements (`RuleMeta.pss`). The
// names are those of the Kubernetes documentation's Pod Security Standards page.

export type PssLevel = "baseline" | "restricted";

export type PssControl =
  | "hostProcess"
  | "hostNamespaces"
  | "privileged"
  | "capabilities.add"
  | "capabilities.drop"
  | "hostPath"
  | "hostPorts"
  | "hostProbes"
  | "appArmor"
  | "seLinux"
  | "procMount"
  | "seccomp"
  | "sysctls"
  | "volumeTypes"
  | "privilegeEscalation"
  | "runAsNonRoot"
  | "runAsUser";

export interface ControlInfo {
  /** The control's name on the Pod Security Standards page. */
  name: string;
  /** The lowest level that has the control (restricted includes every baseline control). */
  level: PssLevel;
  /** Why it matters, one clause: for messages outside the PSS presets. */
  why: string;
}

export const CONTROLS: Readonly<Record<PssControl, ControlInfo>> = {
  hostProcess: { name: "HostProcess", level: "baseline", why: "a HostProcess container runs directly on the Windows node, with the node's privileges" },
  hostNamespaces: { name: "Host Namespaces", level: "baseline", why: "the pod shares the node's namespaces" },
  privileged: { name: "Privileged Containers", level: "baseline", why: "a privileged container can take over the node" },
  "capabilities.add": { name: "Capabilities", level: "baseline", why: "capabilities beyond the runtime's default set widen what a compromised process can do to the node" },
  "capabilities.drop": { name: "Capabilities", level: "restricted", why: "the runtime's default capabilities remain" },
  hostPath: { name: "HostPath Volumes", level: "baseline", why: "the pod reads or writes the node's files" },
  hostPorts: {
    name: "Host Ports",
    level: "baseline",
    why: "a host port listens on the node's own address, bypassing Services and most NetworkPolicy implementations, and ties the pod to nodes where the port is free",
  },
  hostProbes: { name: "Host Probes / Lifecycle Hooks", level: "baseline", why: "the kubelet connects to that host from the node's network, a way to reach what the pod itself cannot" },
  appArmor: { name: "AppArmor", level: "baseline", why: "it turns off or overrides the runtime's default AppArmor confinement" },
  seLinux: { name: "SELinux", level: "baseline", why: "a custom SELinux type, user or role can lift the container's confinement (`spc_t` runs it unconfined)" },
  procMount: { name: "/proc Mount Type", level: "baseline", why: "an unmasked /proc exposes the node's kernel interfaces that the runtime hides" },
  seccomp: { name: "Seccomp", level: "baseline", why: "its system calls are not filtered" },
  sysctls: { name: "Sysctls", level: "baseline", why: "a sysctl outside the safe set can change the node's kernel for every pod on it" },
  volumeTypes: { name: "Volume Types", level: "restricted", why: "the pod mounts storage of the node or the network directly, outside the volume types a restricted pod may use" },
  privilegeEscalation: { name: "Privilege Escalation", level: "restricted", why: "a setuid binary can give its process more privileges than its parent" },
  runAsNonRoot: { name: "Running as Non-root", level: "restricted", why: "the container may run as root" },
  runAsUser: { name: "Running as Non-root user", level: "restricted", why: "the container runs as root" },
};

export const PSS_LEVELS: readonly PssLevel[] = ["baseline", "restricted"];

/** Whether a control is part of a level (restricted has them all). */
export function controlInLevel(control: PssControl, level: PssLevel): boolean {
  return level === "restricted" || CONTROLS[control].level === "baseline";
}
