import { defineRule } from "../../../src/rule.js";
import { asScalar, asSeq, scalarString } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import { serviceOf } from "../../../src/selectors/k8s-service.js";

export default defineRule({
  meta: {
    id: "k8s/service-external-ips",
    level: "warning",
    summary: "A Service sets `externalIPs`: every node answers for those addresses, with no source restriction, and the cluster's traffic to them is captured (CVE-2020-8554).",
    remediation:
      "Use a LoadBalancer Service (restricted with `loadBalancerSourceRanges`) or an Ingress instead, and block externalIPs cluster-wide with the DenyServiceExternalIPs admission plugin.",
    tags: ["security", "CWE-284", "CWE-668"],
  },
  k8s(obj, ctx) {
    const svc = serviceOf(obj);
    if (!svc) return;
    for (const item of asSeq(svc.spec.get("externalIPs"))?.items ?? []) {
      const node = asScalar(item);
      const ip = scalarString(node);
      if (!node || !ip) continue;
      ctx.report({
        node,
        message: `Service ${obj.name || "(unnamed)"} claims external IP ${ip}: nodes that receive traffic for it forward it to the service from any source, and every pod's traffic to ${ip} goes to this service instead (CVE-2020-8554); use a LoadBalancer with \`loadBalancerSourceRanges\` or an Ingress`,
        logicalLocation: objectLogical(obj),
      });
    }
  },
});
