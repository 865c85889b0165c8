// Linux capabilities that are a short path from a container to its host, shared by the compose and
// Kubernetes capability rules (capabilities(7); the Kubernetes Pod Security Standards allow none
// of them at the baseline level).

/** What each dangerous capability allows a compromised container (to follow "which allows"). */
export const DANGEROUS_CAPABILITIES: Readonly<Record<string, string>> = {
  ALL: "everything any capability allows: it undoes any drop and is nearly as powerful as privileged",
  SYS_ADMIN: "mounting filesystems and most other administrative kernel operations, the usual way out of a container",
  NET_ADMIN: "reconfiguring interfaces, routes and firewall rules, and intercepting other workloads' traffic",
  SYS_MODULE: "loading kernel modules, that is, running code in the host's kernel",
  SYS_PTRACE: "tracing and injecting code into other processes (the host's too when it shares their PID namespace)",
  SYS_RAWIO: "raw I/O port and memory access, such as the host's /dev/mem",
  DAC_READ_SEARCH: "opening host files by handle (`open_by_handle_at`), the known way to read any file on the host's filesystem",
  BPF: "loading eBPF programs into the host's kernel, which can read kernel and other processes' memory",
  PERFMON: "kernel performance monitoring, which leaks kernel memory and, with BPF, runs tracing programs in the kernel",
};

/** `cap_sys_admin` → `SYS_ADMIN`; `all` → `ALL`. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, "");
}

/** Why adding this capability is dangerous, or undefined for one that is not on the list. */
export function dangerousCapability(name: string): string | undefined {
  const n = normalizeCapability(name);
  return Object.prototype.hasOwnProperty.call(DANGEROUS_CAPABILITIES, n) ? DANGEROUS_CAPABILITIES[n] : undefined;
}
