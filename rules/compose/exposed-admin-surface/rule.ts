import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { adminSurfaces } from "../../../src/selectors/admin-surfaces.js";
import { isAllInterfaces, portBindings, serviceReporter, usesHostNetwork } from "../../../src/selectors/compose.js";

/** Whether a container port spec (`5432`, `8000-8010`) holds one of the ports. */
function targets(spec: string, ports: number[]): boolean {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  return ports.some((p) => p >= lo && p <= hi);
}

export default defineRule({
  meta: {
    id: "compose/exposed-admin-surface",
    level: "error",
    summary:
      "A compose service offers an unauthenticated admin or debug surface on every host interface: the Docker API on 2375, PostgreSQL `trust`, an empty MySQL/MariaDB root password, Elasticsearch security off, Grafana anonymous Admin, a JDWP or Node.js debugger, Jupyter without a token.",
    remediation:
      "Turn authentication on (a password, TLS client certificates, a token), and publish the port on 127.0.0.1 only — or not at all when only other services need it.",
    tags: ["security", "CWE-306", "CWE-668"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const surfaces = adminSurfaces(service);
      const hostNet = usesHostNetwork(service) ? service.node.entry("network_mode") : undefined;
      // Bindings on every interface; one whose address is a variable set nowhere is the operator's choice.
      const open = portBindings(service).filter((p) => isAllInterfaces(p.hostIp) && !p.hostIpFromVariable);
      for (const s of surfaces) {
        const how = s.setting ? ` (\`${quote(s.setting)}\`)` : "";
        if (hostNet) {
          // Host networking: the surface listens on the host's interfaces directly; only a setting says it is there.
          if (s.setting) {
            out.report(service, hostNet, (label) => `${label} runs ${s.what}${how} with \`network_mode: host\`, so it listens on every interface of the host: anyone who reaches the host ${s.impact}; turn authentication on and bind it to 127.0.0.1`);
          }
          continue;
        }
        for (const p of open) {
          if (s.ports ? !targets(p.target, s.ports) : p.protocol !== "tcp") continue;
          const port = p.published ? `host port ${p.published}` : "a random host port";
          out.report(
            service,
            p.node,
            (label) =>
              `${label} publishes ${s.what}${how} on ${port} of every host interface: anyone who reaches the host ${s.impact}; turn authentication on, and publish it on 127.0.0.1 only (or not at all)`,
          );
          if (!s.ports) break;
        }
      }
    }
    out.flush();
  },
});
