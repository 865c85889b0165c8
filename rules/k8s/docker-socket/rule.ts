import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { podSpecOf, volumesOf } from "../../../src/selectors/k8s.js";
import { scalarString } from "../../../src/parsers/yaml.js";
import { runtimeSocket } from "../../../src/selectors/runtime-socket.js";


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
      const sock = runtimeSocket(raw);
      if (!sock) continue;
      const what = sock.dir ? `\`${quote(raw)}\`, the directory holding ${sock.dir}` : `the container runtime's socket \`${quote(raw)}\``;
      ctx.report({
        node: pathEntry.value,
        message: `${v.label} mounts ${what}: whoever controls the pod can start privileged containers and take over the node; remove the volume`,
        logicalLocation: v.logical,
      });
    }
  },
});
