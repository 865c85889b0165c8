// Services as the cloud controllers read them: the type, the ports, and what keeps a
// LoadBalancer off the internet (loadBalancerSourceRanges, the providers' internal annotations,
// a private address).
import type { K8sObject, PEntry, PMap, PNode, PScalar } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { asMap, asScalar, asSeq, path, scalarString } from "../parsers/yaml.js";

export interface ServiceRef {
  obj: K8sObject;
  spec: PMap;
  /** `type` as written, else ClusterIP. */
  type: string;
  typeEntry: PEntry | undefined;
  /** The service ports (`port`), numbers only. */
  ports: number[];
}

/** A core Service that is not a Kustomize patch. */
export function serviceOf(obj: K8sObject): ServiceRef | undefined {
  if (obj.kind !== "Service" || obj.apiVersion !== "v1" || obj.patch) return undefined;
  const spec = asMap(obj.node.get("spec"));
  if (!spec) return undefined;
  const typeEntry = spec.entry("type");
  const ports = (asSeq(spec.get("ports"))?.items ?? []).flatMap((p) => {
    const n = Number(scalarString(asMap(p)?.get("port")));
    return Number.isInteger(n) ? [n] : [];
  });
  return { obj, spec, type: scalarString(typeEntry?.value) ?? "ClusterIP", typeEntry, ports };
}

const ANY = new Set(["0.0.0.0/0", "::/0"]);

/** A CIDR or address list that admits every source (or nothing is listed). */
export function isAnySource(cidrs: string[]): boolean {
  return cidrs.length === 0 || cidrs.some((c) => ANY.has(c.trim()));
}

/**
 * Annotations with which a provider's load balancer is internal (a private address in the VPC),
 * each with the values that mean so.
 */
const INTERNAL: [string, (v: string) => boolean][] = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", (v) => v !== "" && v.toLowerCase() !== "false"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", (v) => v.toLowerCase() === "internal"],
  ["networking.gke.io/load-balancer-type", (v) => v.toLowerCase() === "internal"],
  ["cloud.google.com/load-balancer-type", (v) => v.toLowerCase() === "internal"],
  ["service.beta.kubernetes.io/azure-load-balancer-internal", (v) => v.toLowerCase() === "true"],
  ["service.beta.kubernetes.io/oci-load-balancer-internal", (v) => v.toLowerCase() === "true"],
  ["oci-network-load-balancer.oraclecloud.com/internal", (v) => v.toLowerCase() === "true"],
  ["service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", (v) => v.toLowerCase() === "private"],
  ["service.beta.kubernetes.io/openstack-internal-load-balancer", (v) => v.toLowerCase() === "true"],
  ["service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type", (v) => v.toLowerCase() === "intranet"],
  ["service.kubernetes.io/qcloud-loadbalancer-internal-subnetid", (v) => v !== ""],
  ["load-balancer.hetzner.cloud/disable-public-network", (v) => v.toLowerCase() === "true"],
];

/** Annotations that restrict a load balancer's sources (comma-separated ranges or provider-side rules). */
const SOURCE_RANGES = ["service.beta.kubernetes.io/load-balancer-source-ranges", "service.beta.kubernetes.io/azure-allowed-ip-ranges"];
const PROVIDER_FIREWALL = ["service.beta.kubernetes.io/azure-allowed-service-tags", "service.beta.kubernetes.io/aws-load-balancer-security-groups"];

/** Addresses that the internet does not route: RFC 1918, shared, link-local, unique-local. */
function isPrivateAddress(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(ip.trim());
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a === 127;
  }
  return /^f[cd][0-9a-f]{2}:/i.test(ip.trim());
}

/** Why a LoadBalancer Service is not open to the internet, or undefined when nothing says it is not. */
export function loadBalancerRestriction(svc: ServiceRef): string | undefined {
  const ann = svc.obj.annotations;
  for (const [key, internal] of INTERNAL) if (Object.hasOwn(ann, key) && internal(ann[key])) return `internal (${key})`;
  for (const key of SOURCE_RANGES) {
    if (!Object.hasOwn(ann, key)) continue;
    const ranges = ann[key].split(",").filter((r) => r.trim() !== "");
    if (!isAnySource(ranges)) return `restricted by ${key}`;
  }
  for (const key of PROVIDER_FIREWALL) if (Object.hasOwn(ann, key) && ann[key].trim() !== "") return `restricted by ${key}`;
  const ranges = sourceRanges(svc).map((r) => r.value);
  if (!isAnySource(ranges)) return "restricted by loadBalancerSourceRanges";
  // A fixed private address (bare-metal load balancers such as MetalLB, or an internal VIP).
  const ips = [scalarString(svc.spec.get("loadBalancerIP")), ann["metallb.universe.tf/loadBalancerIPs"], ann["metallb.io/loadBalancerIPs"]]
    .filter((v): v is string => v !== undefined && v.trim() !== "")
    .flatMap((v) => v.split(","));
  if (ips.length > 0 && ips.every(isPrivateAddress)) return "a private address";
  return undefined;
}

/** The `loadBalancerSourceRanges` items. */
export function sourceRanges(svc: ServiceRef): { value: string; node: PScalar }[] {
  return (asSeq(svc.spec.get("loadBalancerSourceRanges"))?.items ?? []).flatMap((i) => {
    const node = asScalar(i);
    const value = scalarString(node);
    return node && value !== undefined ? [{ value, node }] : [];
  });
}

const INGRESS: ReadonlySet<string> = new Set(["Ingress"]);

const ingressBackends = new WeakMap<Workspace, Set<string>>();

/** The Services that a scanned Ingress routes to, as `namespace/name` (v1 `service.name`, and the older `serviceName`). */
function ingressBackendsOf(workspace: Workspace): Set<string> {
  let set = ingressBackends.get(workspace);
  if (set) return set;
  set = new Set();
  for (const o of workspace.objectsOfKinds(INGRESS)) {
    const spec = asMap(o.node.get("spec"));
    const backends: (PNode | undefined)[] = [spec?.get("defaultBackend"), spec?.get("backend")];
    for (const rule of asSeq(spec?.get("rules"))?.items ?? []) {
      for (const p of asSeq(path(rule, "http", "paths"))?.items ?? []) backends.push(asMap(p)?.get("backend"));
    }
    for (const b of backends) {
      const name = scalarString(path(b, "service", "name")) ?? scalarString(asMap(b)?.get("serviceName"));
      if (name) set.add(`${o.namespace}/${name}`);
    }
  }
  ingressBackends.set(workspace, set);
  return set;
}

/** Whether a scanned Ingress routes to the Service (some controllers, such as GKE's without NEGs, need NodePort backends). */
export function isIngressBackend(workspace: Workspace, namespace: string, name: string): boolean {
  return ingressBackendsOf(workspace).has(`${namespace}/${name}`);
}
