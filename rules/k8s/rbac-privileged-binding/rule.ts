import { defineRule } from "../../../src/rule.js";
import { onlyReadsPublicObjects, rbacLogical } from "../../../src/selectors/k8s-rbac.js";
import { bindingOf, CLUSTER_ADMIN, rbacIndex } from "../../../src/selectors/k8s-rbac-index.js";

/** Groups (and the anonymous user) that stand for everyone, or every workload. */
const EVERYONE = new Map([
  ["system:anonymous", "every request that carries no credentials"],
  ["system:unauthenticated", "every request that carries no credentials"],
  ["system:authenticated", "every authenticated identity, including every ServiceAccount of every namespace"],
  ["system:serviceaccounts", "every ServiceAccount of every namespace, so every pod of the cluster"],
]);

/** The roles Kubernetes itself grants to everyone: discovery and public information. */
const PUBLIC_ROLES = new Set(["system:discovery", "system:basic-user", "system:public-info-viewer", "system:service-account-issuer-discovery"]);

/** Built-in roles written for one namespace: granted cluster-wide, they reach every namespace's Secrets and pods. */
const NAMESPACE_ROLES = new Set(["admin", "edit"]);

export default defineRule({
  meta: {
    id: "k8s/rbac-privileged-binding",
    level: "error",
    summary:
      "A RoleBinding or ClusterRoleBinding grants cluster-admin (or admin/edit cluster-wide), or grants a role to system:anonymous, system:unauthenticated, system:authenticated or system:serviceaccounts.",
    remediation:
      "Bind a role that lists only the permissions the subject needs, in the namespaces it needs them, to the named ServiceAccounts, users or groups that need them.",
    tags: ["security", "CWE-269", "CWE-284"],
    k8sAtEnd: ["RoleBinding", "ClusterRoleBinding"],
  },
  k8s(obj, ctx) {
    const b = bindingOf(obj);
    if (!b) return;
    const label = `${obj.kind} ${obj.name || "(unnamed)"}`;
    const logicalLocation = rbacLogical(obj);
    const clusterRole = b.roleKind === "ClusterRole";
    const who = b.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}`).join(", ") || "no subjects";
    // system:masters bypasses RBAC anyway (the default cluster-admin binding grants it to them).
    const onlyMasters = b.subjects.length > 0 && b.subjects.every((s) => s.kind === "Group" && s.name === "system:masters");
    if (clusterRole && b.roleName === CLUSTER_ADMIN && b.roleNameNode && !onlyMasters) {
      ctx.report({
        node: b.roleNameNode,
        message: `${label} grants cluster-admin to ${who}: full control of ${b.clusterWide ? "the cluster" : `namespace ${obj.namespace}`}, every Secret and the power to grant anything included; bind a role that lists only what they need`,
        logicalLocation,
      });
    } else if (clusterRole && b.clusterWide && NAMESPACE_ROLES.has(b.roleName) && b.roleNameNode) {
      ctx.report({
        node: b.roleNameNode,
        message: `${label} grants the "${b.roleName}" ClusterRole cluster-wide to ${who}: it is meant for one namespace (a RoleBinding), and cluster-wide it reads every Secret and runs commands in every pod of every namespace; bind it with RoleBindings in the namespaces they need`,
        logicalLocation,
      });
    }
    if (PUBLIC_ROLES.has(b.roleName)) return;
    // A role found in the scan that only reads public objects (a public ConfigMap, a PodSecurityPolicy's `use`) is meant for everyone.
    const index = rbacIndex(ctx.workspace);
    const role = index.roleOf(b);
    if (role && index.rulesKnown(role) && onlyReadsPublicObjects(index.effectiveRules(role))) return;
    for (const s of b.subjects) {
      const everyone = (s.kind === "Group" || (s.kind === "User" && s.name === "system:anonymous")) && EVERYONE.get(s.name);
      if (!everyone || !s.nameNode) continue;
      ctx.report({
        node: s.nameNode,
        message: `${label} grants ${b.roleKind} ${b.roleName} to ${s.kind} ${s.name}, i.e. ${everyone}${b.clusterWide ? "" : ` (in namespace ${obj.namespace})`}; bind it to the subjects that need it`,
        logicalLocation,
      });
    }
  },
});
