import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { PMap, PNode } from "../../../src/types.js";
import { asMap, asSeq, scalarString } from "../../../src/parsers/yaml.js";
import { networkPolicyOf } from "../../../src/selectors/k8s-network.js";
import { objectLogical } from "../../../src/selectors/k8s.js";

const ANY_CIDR = new Set(["0.0.0.0/0", "::/0"]);

/** `TCP 443, UDP 53`, or undefined when the rule lists no ports (all ports). */
function portsOf(rule: PMap): string | undefined {
  const items = asSeq(rule.get("ports"))?.items ?? [];
  if (items.length === 0) return undefined;
  return items
    .map((p) => {
      const m = asMap(p);
      const protocol = scalarString(m?.get("protocol")) ?? "TCP";
      const port = scalarString(m?.get("port"));
      const end = scalarString(m?.get("endPort"));
      return port === undefined ? `all ${protocol} ports` : `${protocol} ${port}${end ? `-${end}` : ""}`;
    })
    .map((p) => quote(p))
    .join(", ");
}

export default defineRule({
  meta: {
    id: "k8s/egress-any-destination",
    level: "warning",
    summary: "A NetworkPolicy egress rule allows any destination: no `to`, an empty `to`, or an ipBlock of 0.0.0.0/0 or ::/0.",
    remediation:
      "List the destinations the pods need in `to` (an ipBlock with the service's address ranges, or namespace/pod selectors) and keep the `ports` restriction.",
    tags: ["security", "CWE-284"],
  },
  k8s(obj, ctx) {
    const policy = networkPolicyOf(obj);
    // Egress rules are ignored by Kubernetes unless the policy governs egress.
    if (!policy || !policy.policyTypes.has("Egress")) return;
    policy.egressRules.forEach((rule, i) => {
      const ports = portsOf(rule);
      const scope = ports ? `on ${ports} only` : "on every port";
      const name = `NetworkPolicy ${quote(obj.name)}`;
      const logicalLocation = `${objectLogical(obj)} egress[${i}]`;
      const to = rule.entry("to");
      const peers = asSeq(to?.value)?.items;
      const empty = !to || (to.value.type === "scalar" && to.value.value === null) || (peers !== undefined && peers.length === 0);
      if (empty) {
        const what = to ? "an empty `to`" : "no `to`";
        ctx.report({
          node: to ? { range: to.range } : { range: firstLine(rule) },
          message: `egress rule ${i + 1} of ${name} has ${what}, so it allows traffic to any destination ${scope}; list the allowed destinations in \`to\` (ipBlock, namespaceSelector, podSelector)`,
          logicalLocation,
        });
        return;
      }
      for (const peer of peers ?? []) {
        const cidrNode: PNode | undefined = asMap(asMap(peer)?.get("ipBlock"))?.get("cidr");
        const cidr = scalarString(cidrNode);
        if (cidrNode && cidr && ANY_CIDR.has(cidr.trim())) {
          ctx.report({
            node: cidrNode,
            message: `egress rule ${i + 1} of ${name} allows ipBlock ${quote(cidr.trim())}, i.e. any destination ${scope}; narrow the ipBlock to the address ranges the pods need`,
            logicalLocation,
          });
        }
      }
    });
  },
});

/** The first line of a map item: where `- ports:` (or whatever the rule starts with) is written. */
function firstLine(map: PMap) {
  const first = map.entries[0];
  return first ? first.keyRange : map.range;
}
