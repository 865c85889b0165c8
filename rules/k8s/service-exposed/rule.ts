import { defineRule, type LaterReport } from "../../../src/rule.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import { isAnySource, isIngressBackend, loadBalancerRestriction, serviceOf, sourceRanges } from "../../../src/selectors/k8s-service.js";

/** Web ports: a load balancer serving only these is usually the public entry point it is meant to be. */
const WEB_PORTS = new Set([80, 443]);

/** A NodePort Service is reported unless a scanned Ingress routes to it (known once every file is read). */
function decideNodePort(d: { namespace: string; name: string; web: boolean; message: string }, ws: Workspace): LaterReport | undefined {
  if (isIngressBackend(ws, d.namespace, d.name)) return undefined;
  return { message: d.message, ...(d.web ? { level: "note" as const } : {}) };
}

export default defineRule({
  meta: {
    id: "k8s/service-exposed",
    level: "warning",
    summary:
      "A Service of type LoadBalancer is open to every source (no loadBalancerSourceRanges, no internal-load-balancer annotation), or a NodePort Service opens its ports on every node.",
    remediation:
      "Keep the Service ClusterIP behind an Ingress or Gateway, or restrict the load balancer with `loadBalancerSourceRanges` (or your provider's internal-load-balancer annotation).",
    tags: ["security", "CWE-284", "CWE-668"],
  },
  k8s(obj, ctx) {
    const svc = serviceOf(obj);
    if (!svc?.typeEntry) return;
    const label = `Service ${obj.name || "(unnamed)"}`;
    const logicalLocation = objectLogical(obj);
    const web = svc.ports.length > 0 && svc.ports.every((p) => WEB_PORTS.has(p));
    const ports = svc.ports.length > 0 ? ` (port${svc.ports.length > 1 ? "s" : ""} ${svc.ports.join(", ")})` : "";
    if (svc.type === "LoadBalancer") {
      const written = sourceRanges(svc);
      const open = written.find((r) => isAnySource([r.value]));
      if (open) {
        ctx.report({
          node: open.node,
          message: `${label} lists ${open.value.trim()} in loadBalancerSourceRanges, which admits every source${ports}; list the address ranges that need to reach it`,
          logicalLocation,
        });
        return;
      }
      if (loadBalancerRestriction(svc)) return;
      ctx.report({
        node: svc.typeEntry.value,
        ...(web ? { level: "note" as const } : {}),
        message: `${label} is a LoadBalancer${ports} with no loadBalancerSourceRanges and no internal-load-balancer annotation, so on a cloud provider it is reachable from the internet${web ? " (web ports only: if it is the public entry point, suppress this with the reason)" : ""}; restrict it with \`loadBalancerSourceRanges\` or make it internal`,
        logicalLocation,
      });
    } else if (svc.type === "NodePort") {
      // An Ingress's backend: some controllers (GKE's without container-native load balancing) reach Services only through node ports.
      ctx.reportLater({ node: svc.typeEntry.value, logicalLocation }, {
        namespace: obj.namespace,
        name: obj.name,
        web,
        message: `${label} is a NodePort${ports}: it opens its node port on every node's addresses, past any Ingress or load-balancer source restriction${web ? " (web ports only: if it is the public entry point, suppress this with the reason)" : ""}; keep it ClusterIP behind an Ingress or Gateway, or a LoadBalancer restricted with \`loadBalancerSourceRanges\``,
      }, decideNodePort);
    }
  },
});
