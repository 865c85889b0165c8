import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { portBindings, serviceReporter, usesHostNetwork } from "../../../src/selectors/compose.js";

export default defineRule({
  meta: {
    id: "compose/port-all-interfaces",
    level: "warning",
    summary: "A compose service publishes a port with no host IP, so it listens on every interface of the host (0.0.0.0 and ::).",
    remediation:
      "Bind the port to the loopback interface (`\"127.0.0.1:8080:8080\"`, or `host_ip: 127.0.0.1` in long syntax) unless it must be reachable from other machines; services that only talk to each other need no published port at all.",
    tags: ["security", "CWE-668"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      // With host networking ports are not published at all; compose/host-namespace reports that.
      if (usesHostNetwork(service)) continue;
      for (const p of portBindings(service)) {
        if (p.hostIp !== "" || p.hostIpFromVariable) continue;
        const port = p.published ? `host port ${quote(p.published)}` : `a random host port`;
        const example = p.node.type === "map" ? "add `host_ip: 127.0.0.1`" : `write it as "${quote(`127.0.0.1:${p.published || ""}:${p.target}${p.protocol !== "tcp" ? `/${p.protocol}` : ""}`)}"`;
        out.report(
          service,
          p.node,
          (label) =>
            `${label} publishes container port ${quote(p.target)} on ${port} of every host interface (0.0.0.0 and ::), reachable from other machines unless a firewall stops it — and Docker's rules bypass ufw/firewalld; ${example} unless it must be public`,
        );
      }
    }
    out.flush();
  },
});
