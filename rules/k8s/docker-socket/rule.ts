import { defineRule } from "../../../src/rule.js";
import { podSpecOf, volumesOf } from "../../../src/selectors/k8s.js";
import { scalarString } from "../../../src/parsers/yaml.js";

/** Sockets of container runtimes and the directories that hold them. */
const SOCKET = /(?:^|\/)(docker|containerd|crio|cri-dockerd|dockershim|podman|frakti|rktlet)\.sock$/;
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

export default defineRule({
  meta: {
    id: "k8s/docker-socket",
    level: "error",
    summary: "A hostPath volume mounts the container runtime's socket (docker.sock, containerd.sock, crio.sock …) or the directory that holds it.",
    remediation: "Remove the hostPath volume; build images with a rootless builder (BuildKit rootless, kaniko, buildah) instead of the node's runtime.",
    tags: ["security", "CWE-250"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    for (const v of volumesOf(pod)) {
      if (v.type !== "hostPath") continue;
      const pathEntry = v.source?.entry("path");
      const raw = scalarString(pathEntry?.value);
      if (!pathEntry || !raw) continue;
      const p = normalize(raw);
      const sock = SOCKET.exec(p);
      const dir = SOCKET_DIRS.get(p);
      if (!sock && !dir) continue;
      const what = sock ? `the container runtime's socket \`${raw}\`` : `\`${raw}\`, the directory holding ${dir}`;
      ctx.report({
        node: pathEntry.value,
        message: `${v.label} mounts ${what}: whoever controls the pod can start privileged containers and take over the node; remove the volume`,
        logicalLocation: v.logical,
      });
    }
  },
});
