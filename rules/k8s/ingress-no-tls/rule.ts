import { defineRule } from "../../../src/rule.js";
import { asMap, asSeq, scalarString } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";

/** Whether a TLS host entry (exact, or `*.example.com` for one label) covers a rule's host. */
function covers(tlsHost: string, host: string): boolean {
  const a = tlsHost.toLowerCase();
  const b = host.toLowerCase();
  if (a === b) return true;
  if (a.startsWith("*.")) {
    const dot = b.indexOf(".");
    return dot > 0 && b.slice(dot) === a.slice(1);
  }
  return false;
}

/**
 * Cloud load balancers that take their certificate from an annotation rather than `tls`
 * (AWS Load Balancer Controller, GKE pre-shared and managed certificates).
 */
const TLS_ANNOTATIONS = [
  "alb.ingress.kubernetes.io/certificate-arn",
  "ingress.gcp.kubernetes.io/pre-shared-cert",
  "networking.gke.io/pre-shared-cert",
  "networking.gke.io/managed-certificates",
];

export default defineRule({
  meta: {
    id: "k8s/ingress-no-tls",
    level: "warning",
    summary: "An Ingress serves plain HTTP: it has no `tls` section, or a host that no `tls` entry covers.",
    remediation: "Add a `tls` section listing the Ingress's hosts and the Secret holding their certificate (e.g. issued by cert-manager).",
    tags: ["security", "CWE-319"],
  },
  k8s(obj, ctx) {
    if (obj.kind !== "Ingress") return;
    const specEntry = obj.node.entry("spec");
    const spec = asMap(specEntry?.value);
    const logicalLocation = objectLogical(obj);
    // A patch that does not write both `tls` and `rules`: the Ingress it modifies keeps the other.
    if (obj.patch && !(spec?.get("tls") && spec.get("rules"))) return;
    const tls = asSeq(spec?.get("tls"))?.items.map(asMap).filter((m) => m !== undefined) ?? [];
    if (tls.length === 0) {
      if (TLS_ANNOTATIONS.some((a) => (obj.annotations[a] ?? "").trim() !== "")) return;
      const tlsEntry = spec?.entry("tls");
      ctx.report({
        region: tlsEntry?.keyRange ?? specEntry?.keyRange ?? obj.kindNode?.range ?? obj.node.range,
        message: `Ingress ${obj.name} has no \`tls\` section, so it serves its hosts over plain HTTP; add \`tls\` with the hosts and a certificate Secret`,
        logicalLocation,
      });
      return;
    }
    // A tls entry without hosts is the controller's default certificate for every host.
    if (tls.some((t) => (asSeq(t.get("hosts"))?.items.length ?? 0) === 0)) return;
    const tlsHosts = tls.flatMap((t) => (asSeq(t.get("hosts"))?.items ?? []).map(scalarString)).filter((h): h is string => !!h);
    for (const rule of asSeq(spec?.get("rules"))?.items ?? []) {
      const hostNode = asMap(rule)?.get("host");
      const host = scalarString(hostNode);
      if (!hostNode || !host || tlsHosts.some((t) => covers(t, host))) continue;
      ctx.report({
        node: hostNode,
        message: `host "${host}" of Ingress ${obj.name} is not listed in any \`tls\` entry, so it is served over plain HTTP; add it to \`tls[].hosts\``,
        logicalLocation: `${logicalLocation} host ${host}`,
      });
    }
  },
});
