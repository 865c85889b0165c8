import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
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

const TRAEFIK = "traefik.ingress.kubernetes.io/";
const ALB = "alb.ingress.kubernetes.io/";

/**
 * Whether the annotations of a widely used ingress controller give an Ingress without `tls` its
 * HTTPS (each documented in the rule's README with its reference). Like a `tls` section, they
 * give the hosts TLS; whether port 80 still answers, or redirects, is the controller's business.
 */
function tlsByAnnotations(a: Record<string, string>): boolean {
  const value = (key: string) => (a[key] ?? "").trim();
  const set = (key: string) => value(key) !== "";
  const yes = (key: string) => value(key).toLowerCase() === "true";
  // Traefik: `router.tls: "true"`, or a `router.tls.*` option (certresolver, domains, options),
  // enables TLS on the router; `websecure` is the TLS entry point of Traefik's own install.
  if (yes(`${TRAEFIK}router.tls`)) return true;
  const tlsOption = Object.keys(a).some((k) => k.startsWith(`${TRAEFIK}router.tls.`) && set(k));
  if (tlsOption && value(`${TRAEFIK}router.tls`).toLowerCase() !== "false") return true;
  const entryPoints = value(`${TRAEFIK}router.entrypoints`).split(",").map((e) => e.trim()).filter(Boolean);
  if (entryPoints.length > 0 && entryPoints.every((e) => e === "websecure")) return true;
  // AWS Load Balancer Controller: an HTTPS listener; without listen-ports, a certificate-arn makes
  // the listener HTTPS:443 (with listen-ports of HTTP only, the certificate is not used).
  if (set(`${ALB}listen-ports`) ? albListenPorts(value(`${ALB}listen-ports`))?.has("HTTPS") : set(`${ALB}certificate-arn`)) return true;
  // GKE: plain HTTP turned off, or a certificate for the load balancer.
  if (value("kubernetes.io/ingress.allow-http").toLowerCase() === "false") return true;
  if (set("ingress.gcp.kubernetes.io/pre-shared-cert") || set("networking.gke.io/managed-certificates")) return true;
  // ingress-nginx behind a load balancer that terminates TLS: every HTTP request is redirected.
  if (yes("nginx.ingress.kubernetes.io/force-ssl-redirect")) return true;
  // Azure Application Gateway: a certificate installed on the gateway.
  return set("appgw.ingress.kubernetes.io/appgw-ssl-certificate");
}

/** The protocols of `alb.ingress.kubernetes.io/listen-ports` (`[{"HTTP": 80}, {"HTTPS": 443}]`), or undefined if it is not that. */
function albListenPorts(text: string): Set<string> | undefined {
  if (text === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const protocols = new Set<string>();
  for (const item of parsed) {
    if (!item || typeof item !== "object") return undefined;
    for (const key of Object.keys(item)) protocols.add(key.toUpperCase());
  }
  return protocols;
}

/** cert-manager issues a certificate for the hosts of `tls` only: its annotation without `tls` secures nothing. */
const CERT_MANAGER = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer", "kubernetes.io/tls-acme"];

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
      if (tlsByAnnotations(obj.annotations)) return;
      const tlsEntry = spec?.entry("tls");
      const issuer = CERT_MANAGER.find((a) => (obj.annotations[a] ?? "").trim() !== "");
      const certManager = issuer ? ` (${issuer} is set, but cert-manager only issues certificates for the hosts listed in \`tls\`)` : "";
      ctx.report({
        region: tlsEntry?.keyRange ?? specEntry?.keyRange ?? obj.kindNode?.range ?? obj.node.range,
        message: `Ingress ${quote(obj.name)} has no \`tls\` section, so it serves its hosts over plain HTTP${certManager}; add \`tls\` with the hosts and a certificate Secret, or the TLS annotation of your ingress controller`,
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
        message: `host "${quote(host)}" of Ingress ${quote(obj.name)} is not listed in any \`tls\` entry, so it is served over plain HTTP; add it to \`tls[].hosts\``,
        logicalLocation: `${logicalLocation} host ${quote(host)}`,
      });
    }
  },
});
