// Container-runtime sockets on a host, for compose bind mounts and Kubernetes hostPath volumes:
// whoever can talk to one can start a privileged container and own the host.

const SOCKET = /(?:^|\/)(docker|containerd|crio|cri-dockerd|dockershim|podman|frakti|rktlet)\.sock$/;

/** Directories that hold a runtime's socket: mounting one exposes the socket inside. */
const SOCKET_DIRS = new Map<string, string>([
  ["/var/run", "Docker's and containerd's sockets"],
  ["/run", "Docker's and containerd's sockets"],
  ["/var/run/docker", "Docker's socket"],
  ["/run/docker", "Docker's socket"],
  ["/var/run/containerd", "containerd's socket"],
  ["/run/containerd", "containerd's socket"],
  ["/run/k3s/containerd", "k3s's containerd socket"],
  ["/var/run/crio", "CRI-O's socket"],
  ["/run/crio", "CRI-O's socket"],
  ["/var/run/podman", "Podman's socket"],
  ["/run/podman", "Podman's socket"],
]);

/** `/var/run//docker.sock/` → `/var/run/docker.sock` */
function normalize(p: string): string {
  const out = p.trim().replace(/\/{2,}/g, "/").replace(/\/\.(?=\/|$)/g, "");
  return out.length > 1 ? out.replace(/\/+$/, "") : out;
}

/**
 * The runtime socket a host path exposes: the socket itself (`/var/run/docker.sock`, a rootless
 * `…/docker.sock`), or a directory that holds one (`dir` names what it holds).
 */
export function runtimeSocket(hostPath: string | undefined): { path: string; dir?: string } | undefined {
  if (!hostPath) return undefined;
  const p = normalize(hostPath);
  if (SOCKET.test(p)) return { path: p };
  const dir = SOCKET_DIRS.get(p);
  return dir ? { path: p, dir } : undefined;
}
