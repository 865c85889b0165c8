import { defineRule } from "../../../src/rule.js";
import { escalation, reportableRules } from "../../../src/selectors/k8s-rbac.js";

export default defineRule({
  meta: {
    id: "k8s/rbac-escalation",
    level: "error",
    summary: "A Role or ClusterRole grants `escalate` or `bind` on roles, `impersonate`, or `create` on serviceaccounts/token: its subjects can give themselves permissions they do not hold.",
    remediation:
      "Remove the verb, or limit the rule with `resourceNames` to the roles, users or ServiceAccounts the subject must manage or act as.",
    tags: ["security", "CWE-269"],
  },
  k8s(obj, ctx) {
    for (const rule of reportableRules(obj)) {
      const esc = escalation(rule);
      if (!esc) continue;
      const where = obj.kind === "Role" ? ` in namespace ${obj.namespace}` : "";
      ctx.report({
        node: esc.node,
        message: `rule ${rule.index + 1} of ${obj.kind} ${obj.name} grants ${esc.what}${where}, a path to every permission the cluster grants; remove it or limit it with \`resourceNames\``,
        logicalLocation: rule.logical,
      });
    }
  },
});
