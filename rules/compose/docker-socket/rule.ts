import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { mounts, serviceReporter } from "../../../src/selectors/compose.js";
import { runtimeSocket } from "../../../src/selectors/runtime-socket.js";

export default defineRule({
  meta: {
    id: "compose/docker-socket",
    level: "error",
    summary: "A compose service mounts the Docker socket (`/var/run/docker.sock`) or another container-runtime socket.",
    remediation:
      "Do not mount the runtime socket; if a tool must talk to Docker, put a filtering proxy (e.g. a docker-socket-proxy allowing only the API calls it needs) in between, or use rootless Docker.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const m of mounts(doc, service)) {
        if (m.type !== "bind") continue;
        const sock = runtimeSocket(m.hostPath);
        // `${DOCKER_SOCK}:/var/run/docker.sock` with the variable set nowhere in the project: what is
        // mounted where Docker clients look for the socket is the socket.
        const targetSock = runtimeSocket(m.target);
        const atSocketPath = !sock && m.hostPath?.includes("$VAR") && targetSock && !targetSock.dir;
        if (!sock && !atSocketPath) continue;
        const what = sock
          ? sock.dir
            ? `\`${quote(m.hostPath ?? "")}\`, the directory that holds ${sock.dir}`
            : `the container-runtime socket \`${quote(sock.path)}\`${m.source !== sock.path && m.source.includes("$") ? ` (\`${quote(m.source)}\`)` : ""}`
          : `\`${quote(m.source)}\` (set outside the project) at \`${quote(m.target)}\`, the path through which clients reach the container runtime`;
        out.report(
          service,
          m.node,
          (label) =>
            `${label} mounts ${what}: whoever controls the container can start a privileged container and take over the host (read-only does not help, the API is still writable); remove the mount or go through a socket proxy that allows only the calls it needs`,
        );
      }
    }
    out.flush();
  },
});
