// Kubernetes RBAC as the authorizer reads it: the policy rules of Roles and ClusterRoles (with
// `*` and `*/<subresource>` wildcards, API groups and resourceNames), and what a rule lets its
// subjects do that a reviewer calls dangerous. The bindings and the cross-file index are in
// k8s-rbac-index.ts.
import type { K8sObject, PMap, PScalar } from "../types.js";
import { asMap, asScalar, asSeq } from "../parsers/yaml.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** One item of a rule's list, with its scalar (the location of a finding about it). */
export interface RuleItem {
  value: string;
  node: PScalar;
}

/** One entry of a Role's or ClusterRole's `rules`. */
export interface PolicyRule {
  role: K8sObject;
  index: number;
  node: PMap;
  apiGroups: RuleItem[];
  resources: RuleItem[];
  verbs: RuleItem[];
  resourceNames: RuleItem[];
  nonResourceURLs: RuleItem[];
  /** `ClusterRole argocd-server rules[2]` — for logicalLocation. */
  logical: string;
}

export function isRbacObject(obj: K8sObject, kind: "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"): boolean {
  return obj.kind === kind && obj.apiVersion.startsWith(`${RBAC_GROUP}/`) && !obj.patch;
}

/** `ClusterRole x` (cluster-scoped), `Role ns/x`. */
export function rbacLogical(obj: K8sObject): string {
  const clusterScoped = obj.kind === "ClusterRole" || obj.kind === "ClusterRoleBinding";
  return `${obj.kind} ${clusterScoped ? "" : `${obj.namespace}/`}${obj.name || "(unnamed)"}`;
}

function items(map: PMap, key: string): RuleItem[] {
  return (asSeq(map.get(key))?.items ?? []).flatMap((i) => {
    const node = asScalar(i);
    const value = node && node.value !== null ? String(node.value) : undefined;
    return node && value !== undefined ? [{ value, node }] : [];
  });
}

/**
 * The rules a Role or ClusterRole writes. A ClusterRole with an `aggregationRule` has none of its
 * own: the controller manager overwrites them with those of the ClusterRoles it selects.
 */
export function policyRulesOf(role: K8sObject): PolicyRule[] {
  if (!isRbacObject(role, "Role") && !isRbacObject(role, "ClusterRole")) return [];
  if (role.node.get("aggregationRule") !== undefined) return [];
  const rules: PolicyRule[] = [];
  asSeq(role.node.get("rules"))?.items.forEach((item, index) => {
    const node = asMap(item);
    if (!node) return;
    rules.push({
      role,
      index,
      node,
      apiGroups: items(node, "apiGroups"),
      resources: items(node, "resources"),
      verbs: items(node, "verbs"),
      resourceNames: items(node, "resourceNames"),
      nonResourceURLs: items(node, "nonResourceURLs"),
      logical: `${rbacLogical(role)} rules[${index}]`,
    });
  });
  return rules;
}

/**
 * Kubernetes' own default ClusterRoles (the API server creates them; `kubectl get clusterroles`
 * lists them): a manifest that writes one down (a copy of cluster-admin, a controller's
 * `system:controller:` role) restates what every cluster already holds. What matters is who is
 * granted them, which the binding and workload checks read.
 */
const DEFAULT_CLUSTER_ROLES = new Set([
  "cluster-admin",
  "admin",
  "edit",
  "view",
  "system:basic-user",
  "system:discovery",
  "system:public-info-viewer",
  "system:auth-delegator",
  "system:heapster",
  "system:kube-aggregator",
  "system:kube-controller-manager",
  "system:kube-dns",
  "system:kube-scheduler",
  "system:kubelet-api-admin",
  "system:monitoring",
  "system:node",
  "system:node-bootstrapper",
  "system:node-problem-detector",
  "system:node-proxier",
  "system:persistent-volume-provisioner",
  "system:service-account-issuer-discovery",
  "system:volume-scheduler",
  "system:legacy-unknown-approver",
]);
const DEFAULT_CLUSTER_ROLE_PREFIXES = ["system:controller:", "system:certificates.k8s.io:", "system:aggregate-to-"];

export function isDefaultClusterRole(role: K8sObject): boolean {
  return role.kind === "ClusterRole" && (DEFAULT_CLUSTER_ROLES.has(role.name) || DEFAULT_CLUSTER_ROLE_PREFIXES.some((p) => role.name.startsWith(p)));
}

/** The rules a role check reports on: a role's own rules, none for Kubernetes' default ClusterRoles. */
export function reportableRules(role: K8sObject): PolicyRule[] {
  return isDefaultClusterRole(role) ? [] : policyRulesOf(role);
}

/** The item of the list that matches a value: the value itself, else `*`. */
function matching(list: RuleItem[], value: string): RuleItem | undefined {
  return list.find((i) => i.value === value) ?? list.find((i) => i.value === "*");
}

// The resources item that covers `resource` (`pods/exec`): itself, `*`, or `*/exec` (as in the authorizer's ResourceMatches).
export function matchingResource(rule: PolicyRule, resource: string): RuleItem | undefined {
  const sub = resource.includes("/") ? resource.slice(resource.indexOf("/")) : undefined;
  return (
    rule.resources.find((i) => i.value === resource) ??
    rule.resources.find((i) => i.value === "*") ??
    (sub ? rule.resources.find((i) => i.value === `*${sub}`) : undefined)
  );
}

/** What a rule grants on one resource: the verb and resource items that grant it, if it does. */
export interface Grant {
  verb: RuleItem;
  resource: RuleItem;
}

/**
 * Whether the rule grants one of `verbs` on `resource` of API group `group`, for every object of
 * it (a rule limited by `resourceNames` grants only the objects it names, and is not counted).
 */
export function grants(rule: PolicyRule, group: string, resource: string, verbs: readonly string[]): Grant | undefined {
  if (rule.resourceNames.length > 0 || !matching(rule.apiGroups, group)) return undefined;
  const res = matchingResource(rule, resource);
  if (!res) return undefined;
  for (const v of verbs) {
    const verb = matching(rule.verbs, v);
    if (verb) return { verb, resource: res };
  }
  return undefined;
}

// ---------------------------------------------------------------- what a rule grants

/** `get`, or `every verb` for `*`. */
export function verbText(verb: RuleItem): string {
  return verb.value === "*" ? "every verb on" : verb.value;
}

export interface Danger {
  /** What the rule lets its subjects do, for messages: `read every Secret`. */
  what: string;
  /** Where: the item that grants it. */
  node: PScalar;
  /** The rule id that reports it at the role. */
  ruleId: "k8s/rbac-wildcard" | "k8s/rbac-secrets-read" | "k8s/rbac-escalation" | "k8s/rbac-pod-exec";
}

const READ = ["get", "list", "watch"] as const;

/** Read-only verbs: every verb of the rule is get, list or watch. */
export function isReadOnly(rule: PolicyRule): boolean {
  return rule.verbs.length > 0 && rule.verbs.every((v) => (READ as readonly string[]).includes(v.value));
}

/**
 * The API groups whose objects run pods, hold credentials or change who may do what: the core
 * group, workloads, RBAC, admission, CRDs and API services, certificates, networking, storage,
 * authentication. (Leases, events, metrics and a project's own custom resources are not.)
 */
const BUILT_IN_GROUPS = new Set([
  "",
  "*",
  "apps",
  "batch",
  "extensions",
  "rbac.authorization.k8s.io",
  "admissionregistration.k8s.io",
  "apiextensions.k8s.io",
  "apiregistration.k8s.io",
  "certificates.k8s.io",
  "networking.k8s.io",
  "policy",
  "storage.k8s.io",
  "authentication.k8s.io",
]);

export function reachesBuiltInGroup(rule: PolicyRule): boolean {
  return rule.apiGroups.some((g) => BUILT_IN_GROUPS.has(g.value));
}

/** Every verb, every resource, in every API group or the core group: full control of what the role reaches. */
export function fullControl(rule: PolicyRule): RuleItem | undefined {
  if (rule.resourceNames.length > 0) return undefined;
  const verb = rule.verbs.find((i) => i.value === "*");
  const res = rule.resources.find((i) => i.value === "*");
  const group = rule.apiGroups.find((i) => i.value === "*" || i.value === "");
  return verb && res && group ? (verb.node.range.startLine <= res.node.range.startLine ? verb : res) : undefined;
}

/** Reading Secrets, named explicitly (a `*` resource is the wildcard rule's finding). */
export function secretsRead(rule: PolicyRule): Grant | undefined {
  const g = grants(rule, "", "secrets", READ);
  return g && g.resource.value === "secrets" ? g : undefined;
}

/**
 * The escalation paths, each with the verb that must be written explicitly or the resource that
 * must be named. `clusterOnly`: the resource is cluster-scoped, so a Role (namespaced) cannot
 * grant it (impersonating users and groups, updating ClusterRoles); binding a ClusterRole is
 * authorized in the namespace of the RoleBinding, so a Role can grant that.
 */
const ESCALATIONS: { group: string; resource: string; verbs: string[]; what: string; explicit: "verb" | "resource"; clusterOnly?: boolean }[] = [
  { group: RBAC_GROUP, resource: "clusterroles", verbs: ["escalate"], what: "grant permissions it does not hold", explicit: "verb", clusterOnly: true },
  { group: RBAC_GROUP, resource: "clusterroles", verbs: ["bind"], what: "grant permissions it does not hold", explicit: "verb" },
  { group: RBAC_GROUP, resource: "roles", verbs: ["escalate", "bind"], what: "grant permissions it does not hold", explicit: "verb" },
  { group: "", resource: "users", verbs: ["impersonate"], what: "act as any user", explicit: "verb", clusterOnly: true },
  { group: "", resource: "groups", verbs: ["impersonate"], what: "act as any group (system:masters included)", explicit: "verb", clusterOnly: true },
  { group: "", resource: "serviceaccounts", verbs: ["impersonate"], what: "act as any ServiceAccount", explicit: "verb" },
  { group: "authentication.k8s.io", resource: "uids", verbs: ["impersonate"], what: "act as any user", explicit: "verb", clusterOnly: true },
  { group: "authentication.k8s.io", resource: "userextras/scopes", verbs: ["impersonate"], what: "act as any user", explicit: "verb", clusterOnly: true },
  { group: "", resource: "serviceaccounts/token", verbs: ["create"], what: "mint tokens for any ServiceAccount", explicit: "resource" },
];

/**
 * Escalate, bind, impersonate or minting ServiceAccount tokens: the first that the rule grants.
 * `explicit`: only where the verb (or the resource) is written by name; a `*` there is the
 * wildcard rule's finding.
 */
export function escalation(rule: PolicyRule, explicit = true): { grant: Grant; node: PScalar; what: string } | undefined {
  for (const e of ESCALATIONS) {
    if (e.clusterOnly && rule.role.kind === "Role") continue;
    const g = grants(rule, e.group, e.resource, e.verbs);
    if (!g) continue;
    if (explicit && e.explicit === "verb" && g.verb.value === "*") continue;
    if (explicit && e.explicit === "resource" && g.resource.value !== e.resource) continue;
    return { grant: g, node: e.explicit === "verb" ? g.verb.node : g.resource.node, what: `${verbText(g.verb)} ${e.resource}: ${e.what}` };
  }
  return undefined;
}

/** Running commands in other pods: exec, attach, ephemeral containers, and the kubelet API through nodes/proxy. */
const EXEC_PATHS: { resource: string; verbs: string[]; what: string; clusterOnly?: boolean }[] = [
  { resource: "pods/exec", verbs: ["create"], what: "run commands in pods" },
  { resource: "pods/attach", verbs: ["create"], what: "attach to the processes of pods" },
  { resource: "pods/ephemeralcontainers", verbs: ["create", "update", "patch"], what: "add debug containers to running pods" },
  { resource: "nodes/proxy", verbs: ["get", "create"], what: "reach the kubelet API of nodes, which runs commands in any pod on them", clusterOnly: true },
];

// The first exec path the rule grants; `explicit`: only a resource named (`pods/exec`, `*/exec`), not `*`.
export function podExec(rule: PolicyRule, explicit = true): { grant: Grant; resource: string; what: string } | undefined {
  for (const e of EXEC_PATHS) {
    if (e.clusterOnly && rule.role.kind === "Role") continue; // nodes are cluster-scoped: a Role cannot grant them
    const g = grants(rule, "", e.resource, e.verbs);
    if (g && (!explicit || g.resource.value !== "*")) return { grant: g, resource: e.resource, what: e.what };
  }
  return undefined;
}

/**
 * What a role's rules let its subjects do that amounts to holding other identities' power, for
 * the workload check: full control, escalation, exec, and (when bound cluster-wide) reading Secrets.
 */
export function dangersOf(rules: PolicyRule[], clusterWide: boolean): Danger[] {
  const out: Danger[] = [];
  for (const r of rules) {
    const full = fullControl(r);
    if (full) {
      out.push({ what: "every verb on every resource", node: full.node, ruleId: "k8s/rbac-wildcard" });
      continue;
    }
    const esc = escalation(r, false);
    if (esc) out.push({ what: esc.what, node: esc.node, ruleId: "k8s/rbac-escalation" });
    const exec = podExec(r, false);
    if (exec) out.push({ what: `${verbText(exec.grant.verb)} ${exec.resource}: ${exec.what}`, node: exec.grant.resource.node, ruleId: "k8s/rbac-pod-exec" });
    if (clusterWide) {
      const g = grants(r, "", "secrets", READ);
      if (g) out.push({ what: `${verbText(g.verb)} secrets in every namespace`, node: g.resource.node, ruleId: "k8s/rbac-secrets-read" });
    }
  }
  return out;
}

/**
 * Rules that only read objects other than Secrets (or `use` a PodSecurityPolicy or
 * SecurityContextConstraints): public information, what Kubernetes grants everyone by default.
 */
export function onlyReadsPublicObjects(rules: PolicyRule[]): boolean {
  return rules.every((r) => r.verbs.every((v) => v.value === "use" || (READ as readonly string[]).includes(v.value)) && !grants(r, "", "secrets", READ));
}
