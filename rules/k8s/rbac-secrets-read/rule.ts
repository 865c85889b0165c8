import { defineRule } from "../../../src/rule.js";
import { isRbacObject, reportableRules, secretsRead } from "../../../src/selectors/k8s-rbac.js";
import { rbacIndex } from "../../../src/selectors/k8s-rbac-index.js";

export default defineRule({
  meta: {
    id: "k8s/rbac-secrets-read",
    level: "warning",
    summary: "A ClusterRole lets its subjects get, list or watch Secrets in every namespace.",
    remediation:
      "Grant Secret access with a Role in the namespaces that need it, or limit the rule to the Secrets it needs with `resourceNames`; if the controller truly needs every Secret, suppress with the reason.",
    tags: ["security", "CWE-200", "CWE-269"],
    k8sAtEnd: ["ClusterRole"],
  },
  k8s(obj, ctx) {
    if (!isRbacObject(obj, "ClusterRole")) return;
    const rules = reportableRules(obj).flatMap((r) => {
      const g = secretsRead(r);
      return g ? [{ r, g }] : [];
    });
    if (rules.length === 0) return;
    // Only a ClusterRoleBinding (of the role, or of an aggregated role that collects its rules)
    // reaches every namespace; a ClusterRole that RoleBindings grant, or that nothing deployed
    // with it grants, is a template for namespaces.
    const clusterGrants = rbacIndex(ctx.workspace)
      .grantsOf(obj)
      .filter((g) => g.binding.clusterWide);
    if (clusterGrants.length === 0) return;
    const how = clusterGrants
      .map((g) => `ClusterRoleBinding "${g.binding.object.name}" grants it cluster-wide${g.via ? ` through the aggregated ClusterRole "${g.via.name}"` : ""}`)
      .join(", ");
    for (const { r, g } of rules) {
      ctx.report({
        node: g.resource.node,
        message: `rule ${r.index + 1} of ClusterRole ${obj.name} grants ${g.verb.value === "*" ? "every verb" : `"${g.verb.value}"`} on secrets (${how}): its subjects can read every Secret, ServiceAccount tokens and other applications' credentials included; grant it with a Role in the namespaces that need it or limit it with \`resourceNames\``,
        logicalLocation: r.logical,
      });
    }
  },
});
