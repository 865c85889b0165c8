import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { mounts, segments, serviceReporter } from "../../../src/selectors/compose.js";
import { runtimeSocket } from "../../../src/selectors/runtime-socket.js";

/** Host directories that are sensitive as a whole (their subdirectories are not, e.g. /home/app/data). */
const DIRECTORIES: Record<string, string> = {
  "/": "the host's whole filesystem",
  "/etc": "the host's configuration, including password hashes and keys",
  "/root": "root's home directory on the host",
  "/home": "every user's home directory on the host",
  "/proc": "the host's process information",
  "/sys": "the host's kernel and device settings",
  "/boot": "the host's kernel and boot loader",
  "/dev": "every device of the host",
  "~": "a user's whole home directory on the host",
};

/** Host paths that are sensitive with everything below them (`/var/lib/docker/containers`, `/proc/sys/kernel/core_pattern`). */
const PREFIXES: Record<string, string> = {
  "/etc/ssl/private": "the host's TLS private keys",
  "/etc/letsencrypt": "the host's Let's Encrypt certificates and private keys",
  "/etc/kubernetes": "the host's Kubernetes credentials",
  "/etc/rancher": "the host's k3s/RKE2 configuration, including its admin kubeconfig",
  "/etc/shadow": "the host's password hashes",
  "/etc/gshadow": "the host's group password hashes",
  "/proc/sys": "the host's kernel parameters (writing `kernel/core_pattern` runs a program on the host)",
  "/proc/sysrq-trigger": "the host's SysRq trigger, which reboots or crashes the host",
  "/proc/kcore": "the host's kernel memory",
  "/sys/kernel": "the host's kernel settings and debug interfaces (writing `uevent_helper` runs a program on the host)",
  "/sys/firmware": "the host's firmware tables and variables",
  "/dev/mem": "the host's physical memory",
  "/dev/kmem": "the host's kernel memory",
  "/dev/port": "the host's I/O ports",
  "/dev/kmsg": "the host's kernel log",
  "/var/lib/docker": "Docker's data: every container's filesystem, logs and configuration, environment variables and their secrets included",
  "/var/lib/containerd": "containerd's data: every container's image and filesystem",
  "/run/containerd": "containerd's runtime state: every running container's root filesystem and configuration",
  "/var/run/containerd": "containerd's runtime state: every running container's root filesystem and configuration",
  "/var/lib/kubelet": "the kubelet's data: every pod's volumes, mounted Secrets and service account tokens included, and the kubelet's credentials",
  "/var/lib/etcd": "etcd's data, which holds every Secret of the cluster",
  "/var/lib/rancher": "k3s/RKE2 data: the cluster's tokens, certificates and datastore",
};

/** A process's own directory in /proc (`/proc/1`, `/proc/1/root`): its memory, environment and root filesystem. */
const PROC_PID = /^\/proc\/\d+(\/|$)/;

/** Credential directories anywhere in a path (`~/.ssh`, `/root/.aws/credentials`, `./.kube/config`). */
const CREDENTIAL_SEGMENTS: Record<string, string> = {
  ".ssh": "SSH keys",
  ".aws": "AWS credentials",
  ".kube": "Kubernetes credentials",
  ".gnupg": "GnuPG keys",
  ".docker": "Docker registry credentials",
  ".azure": "Azure credentials",
};

/** What makes a host path sensitive, or undefined. */
function sensitivity(hostPath: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(DIRECTORIES, hostPath)) return DIRECTORIES[hostPath];
  for (const [prefix, what] of Object.entries(PREFIXES)) {
    if (hostPath === prefix || hostPath.startsWith(`${prefix}/`)) return what;
  }
  if (PROC_PID.test(hostPath)) return "a host process's memory, environment and root filesystem";
  const segs = segments(hostPath);
  for (const s of segs) if (CREDENTIAL_SEGMENTS[s]) return CREDENTIAL_SEGMENTS[s];
  const gcloud = segs.findIndex((s, i) => s === ".config" && segs[i + 1] === "gcloud");
  if (gcloud !== -1) return "Google Cloud credentials";
  return undefined;
}

export default defineRule({
  meta: {
    id: "compose/sensitive-host-mount",
    level: "warning",
    summary:
      "A compose service bind-mounts a sensitive host path: `/`, `/etc`, `/root`, `/home`, `/proc`, `/sys`, `/boot`, `/dev`; anything under `/proc/sys`, `/sys/kernel`, `/dev/mem`, `/dev/kmsg`, `/var/lib/docker`, `/var/lib/kubelet`, `/run/containerd` and the like; or a credential location such as `~/.ssh`, `~/.aws`, `~/.kube`.",
    remediation: "Mount only the specific files or directories the service needs, read-only; give it credentials through compose `secrets:` instead of the host's credential directories.",
    tags: ["security", "CWE-668"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const m of mounts(doc, service)) {
        if (!m.hostPath || (m.type !== "bind" && m.type !== "volume")) continue;
        if (runtimeSocket(m.hostPath)) continue; // compose/docker-socket
        const what = sensitivity(m.hostPath);
        if (!what) continue;
        const mode = m.readOnly ? "read-only" : "read-write";
        out.report(
          service,
          m.node,
          (label) =>
            `${label} mounts ${m.type === "volume" ? `the volume \`${quote(m.source)}\`, which binds the host path \`${quote(m.hostPath ?? "")}\`` : `the host path \`${quote(m.source)}\``} (${what}) ${mode} at \`${quote(m.target)}\`: a compromised container can read${m.readOnly ? "" : " and change"} it; mount only the files the service needs, read-only, and pass credentials as compose secrets`,
        );
      }
    }
    out.flush();
  },
});
