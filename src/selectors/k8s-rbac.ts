// Kubernetes RBAC as the authorizer reads it: the policy rules of Roles and ClusterRoles (with
// `*` and `*/<subresource>` wildcards), the bindings that grant them, the rules an aggregated
// ClusterRole collects from the scanned ClusterRoles, and what a binding lets its subjects do that
// a reviewer calls dangerous. The index is cross-file (every scanned manifest), built once.
import type { K8sObject, PEntry, PMap, PScalar } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { asMap, asScalar, asSeq, scalarString } from "../parsers/yaml.js";
import { posixDir } from "../workspace/paths.js";
import { labelSelectorOf, matchesLabels, type LabelSelector } from "./k8s-network.js";

const RBAC_GROUP = "rbac.authorization.k8s.io";

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
  "system:public-info-viewer",
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

// ---------------------------------------------------------------- bindings

export interface Subject {
  kind: string;
  name: string;
  /** For a ServiceAccount: its namespace as written, else the binding's (undefined for a ClusterRoleBinding). */
  namespace: string | undefined;
  nameNode: PScalar | undefined;
  node: PMap;
}

export interface Binding {
  object: K8sObject;
  clusterWide: boolean;
  roleKind: string;
  roleName: string;
  roleRef: PEntry | undefined;
  /** The roleRef's `name` value: where a finding about the role bound goes. */
  roleNameNode: PScalar | undefined;
  subjects: Subject[];
}

export function bindingOf(obj: K8sObject): Binding | undefined {
  const clusterWide = isRbacObject(obj, "ClusterRoleBinding");
  if (!clusterWide && !isRbacObject(obj, "RoleBinding")) return undefined;
  const roleRef = obj.node.entry("roleRef");
  const ref = asMap(roleRef?.value);
  const roleNameNode = asScalar(ref?.get("name"));
  const subjects = (asSeq(obj.node.get("subjects"))?.items ?? []).flatMap((i) => {
    const node = asMap(i);
    if (!node) return [];
    const nameNode = asScalar(node.get("name"));
    const kind = scalarString(node.get("kind")) ?? "";
    const written = scalarString(node.get("namespace"));
    const namespace = written ?? (kind === "ServiceAccount" && !clusterWide ? obj.namespace : undefined);
    return [{ kind, name: scalarString(nameNode) ?? "", namespace, nameNode, node }];
  });
  return {
    object: obj,
    clusterWide,
    roleKind: scalarString(ref?.get("kind")) ?? "",
    roleName: scalarString(roleNameNode) ?? "",
    roleRef,
    roleNameNode,
    subjects,
  };
}

export interface RbacIndex {
  bindings: Binding[];
  /** The role a binding grants, when it is among the scanned manifests. */
  roleOf(binding: Binding): K8sObject | undefined;
  /** The rules in force for a role: its own, or for an aggregated ClusterRole those of the scanned ClusterRoles it selects. */
  effectiveRules(role: K8sObject): PolicyRule[];
  /**
   * The bindings deployed with an object: those of its own file when that file holds any (an
   * install bundle), else those of the files a scanned kustomization builds together with it, or
   * of its directory. Separate bundles of one repository (`install.yaml`, `namespace-install.yaml`)
   * are not applied together, so one's bindings say nothing about the other's workloads.
   */
  bindingsDeployedWith(obj: K8sObject): Binding[];
  /**
   * The bindings deployed with a ClusterRole that grant it: directly, or through an aggregated
   * ClusterRole that collects its rules (`via`).
   */
  grantsOf(clusterRole: K8sObject): { binding: Binding; via?: K8sObject }[];
  /** Whether the role is found and its rules are known (an aggregated ClusterRole's, when some scanned ClusterRole feeds it). */
  rulesKnown(role: K8sObject): boolean;
}

const indexes = new WeakMap<Workspace, RbacIndex>();

export function rbacIndex(workspace: Workspace): RbacIndex {
  const cached = indexes.get(workspace);
  if (cached) return cached;
  const clusterRoles = new Map<string, K8sObject[]>();
  const roles = new Map<string, K8sObject[]>();
  const add = (map: Map<string, K8sObject[]>, key: string, o: K8sObject) => {
    const list = map.get(key);
    if (list) list.push(o);
    else map.set(key, [o]);
  };
  const bindings: Binding[] = [];
  for (const o of workspace.k8sObjects) {
    if (isRbacObject(o, "ClusterRole")) add(clusterRoles, o.name, o);
    else if (isRbacObject(o, "Role")) add(roles, `${o.namespace}/${o.name}`, o);
    else {
      const b = bindingOf(o);
      if (b) bindings.push(b);
    }
  }
  const aggregated = new Map<K8sObject, PolicyRule[]>();
  const effectiveRules = (role: K8sObject): PolicyRule[] => {
    const agg = asMap(role.node.get("aggregationRule"));
    if (role.kind !== "ClusterRole" || !agg) return policyRulesOf(role);
    let rules = aggregated.get(role);
    if (!rules) {
      // One level, as the controller does: an aggregated role's own rules are others' too, but its selection is not followed.
      rules = [...clusterRoles.values()]
        .map((list) => nearest(list, role))
        .filter((c): c is K8sObject => c !== undefined && c !== role && selectsClusterRole(role, c))
        .flatMap((c) => policyRulesOf(c));
      aggregated.set(role, rules);
    }
    return rules;
  };
  const index: RbacIndex = {
    bindings,
    roleOf(b) {
      if (b.roleKind === "ClusterRole") return nearest(clusterRoles.get(b.roleName), b.object);
      if (b.roleKind === "Role" && !b.clusterWide) return nearest(roles.get(`${b.object.namespace}/${b.roleName}`), b.object);
      return undefined;
    },
    effectiveRules,
    grantsOf(clusterRole) {
      const bindingsNear = index.bindingsDeployedWith(clusterRole).filter((b) => b.roleKind === "ClusterRole");
      const out: { binding: Binding; via?: K8sObject }[] = bindingsNear.filter((b) => b.roleName === clusterRole.name).map((binding) => ({ binding }));
      for (const list of clusterRoles.values()) {
        const aggregator = nearest(list, clusterRole);
        if (!aggregator || aggregator === clusterRole || !selectsClusterRole(aggregator, clusterRole)) continue;
        for (const binding of bindingsNear) if (binding.roleName === aggregator.name) out.push({ binding, via: aggregator });
      }
      return out;
    },
    rulesKnown(role) {
      return role.kind !== "ClusterRole" || role.node.get("aggregationRule") === undefined || effectiveRules(role).length > 0;
    },
    bindingsDeployedWith(obj) {
      const file = obj.file.path;
      const own = bindings.filter((b) => b.object.file.path === file);
      if (own.length > 0) return own;
      const dir = posixDir(file);
      const builds = workspace.kustomize.kustomizations.map((k) => workspace.kustomize.filesOf(k)).filter((files) => files.has(file));
      return bindings.filter((b) => posixDir(b.object.file.path) === dir || builds.some((files) => files.has(b.object.file.path)));
    },
  };
  indexes.set(workspace, index);
  return index;
}

/** Whether an aggregated ClusterRole's `clusterRoleSelectors` select another ClusterRole (an empty selector selects nothing here). */
function selectsClusterRole(aggregator: K8sObject, role: K8sObject): boolean {
  const agg = asMap(aggregator.node.get("aggregationRule"));
  if (!agg) return false;
  const selectors: LabelSelector[] = (asSeq(agg.get("clusterRoleSelectors"))?.items ?? []).map((s) => labelSelectorOf(s));
  return selectors.some((s) => (Object.keys(s.matchLabels).length > 0 || s.matchExpressions.length > 0) && matchesLabels(s, role.labels));
}

/** Of the objects of one name, the one written nearest to `from`: in its file, else its directory, else the first. */
function nearest<T extends K8sObject>(list: T[] | undefined, from: K8sObject): T | undefined {
  if (!list) return undefined;
  const dir = posixDir(from.file.path);
  return list.find((o) => o.file === from.file) ?? list.find((o) => posixDir(o.file.path) === dir) ?? list[0];
}

/** Kubernetes' superuser ClusterRole. */
export const CLUSTER_ADMIN = "cluster-admin";
