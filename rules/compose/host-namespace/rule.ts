import { defineRule } from "../../../src/rule.js";
import { serviceReporter, scalarText, withDefaults } from "../../../src/selectors/compose.js";

/** The service keys that can share a host namespace, and what sharing it exposes. */
const NAMESPACES: Record<string, string> = {
  network_mode: "the host's network stack (every interface and every port on the host, including services bound to localhost)",
  pid: "the host's process table (it can see, signal and ptrace host processes and read their environment)",
  ipc: "the host's shared memory and IPC objects",
  userns_mode: "the host's user namespace (user namespace remapping is turned off for it)",
  uts: "the host's hostname and domain name",
  cgroup: "the host's cgroup namespace (it sees the host's whole cgroup tree instead of only its own, and can change it wherever it can write)",
};

export default defineRule({
  meta: {
    id: "compose/host-namespace",
    level: "error",
    summary: "A compose service shares a host namespace: `network_mode: host`, `pid: host`, `ipc: host`, `userns_mode: host`, `uts: host` or `cgroup: host`.",
    remediation: "Remove the `host` setting: publish ports with `ports:` instead of host networking, and keep the container in its own PID and IPC namespaces.",
    tags: ["security", "CWE-653"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const [key, what] of Object.entries(NAMESPACES)) {
        const value = service.node.get(key);
        const text = scalarText(value);
        if (!value || text === undefined) continue;
        const effective = text.includes("$") ? withDefaults(text, service.variables) : text;
        if (effective?.trim().toLowerCase() !== "host") continue;
        const fix =
          key === "network_mode"
            ? "use the default bridge network and publish only the ports it needs (bound to 127.0.0.1 where possible)"
            : `remove \`${key}: host\``;
        out.report(service, value, (label) => `${label} sets \`${key}: host\` and shares ${what}; ${fix}`);
      }
    }
    out.flush();
  },
});
