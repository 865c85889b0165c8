// The bindings that grant Roles and ClusterRoles, and the cross-file index over every scanned
// manifest (built once per workspace): which role a binding grants, the rules an aggregated
// ClusterRole collects, and which bindings are deployed with a role or a workload.
import type { K8sObject, PEntry, PMap, PScalar } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { asMap, asScalar, asSeq, scalarString } from "../parsers/yaml.js";
import { posixDir } from "../workspace/paths.js";
import { labelSelectorOf, matchesLabels, type LabelSelector } from "./k8s-network.js";
import { isRbacObject, policyRulesOf, type PolicyRule } from "./k8s-rbac.js";

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
   * The bindings deployed with an object (the path of its file): those of its own file when that file holds any (an
   * install bundle), else those of the files a scanned kustomization builds together with it, or
   * of its directory. Separate bundles of one repository (`install.yaml`, `namespace-install.yaml`)
   * are not applied together, so one's bindings say nothing about the other's workloads.
   */
  bindingsDeployedWith(file: string): Binding[];
  /**
   * The bindings deployed with a ClusterRole that grant it: directly, or through an aggregated
   * ClusterRole that collects its rules (`via`).
   */
  grantsOf(clusterRole: K8sObject): { binding: Binding; via?: K8sObject }[];
  /** Whether the role is found and its rules are known (an aggregated ClusterRole's, when some scanned ClusterRole feeds it). */
  rulesKnown(role: K8sObject): boolean;
}

const indexes = new WeakMap<Workspace, RbacIndex>();

/** The kinds the index reads. */
export const RBAC_OBJECT_KINDS: ReadonlySet<string> = new Set(["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

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
  for (const o of workspace.objectsOfKinds(RBAC_OBJECT_KINDS)) {
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
      const bindingsNear = index.bindingsDeployedWith(clusterRole.file.path).filter((b) => b.roleKind === "ClusterRole");
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
    bindingsDeployedWith(file) {
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
  return list.find((o) => o.file.path === from.file.path) ?? list.find((o) => posixDir(o.file.path) === dir) ?? list[0];
}

/** Kubernetes' superuser ClusterRole. */
export const CLUSTER_ADMIN = "cluster-admin";
