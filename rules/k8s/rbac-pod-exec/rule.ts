import { defineRule } from "../../../src/rule.js";
import { podExec, reportableRules } from "../../../src/selectors/k8s-rbac.js";
import { rbacIndex } from "../../../src/selectors/k8s-rbac-index.js";

export default defineRule({
  meta: {
    id: "k8s/rbac-pod-exec",
    level: "warning",
    summary: "A Role or ClusterRole grants exec or attach into pods, ephemeral debug containers, or the kubelet API through nodes/proxy.",
    remediation:
      "Remove the rule from roles that workloads hold; keep interactive access for people, in a role bound to them alone, or limit it with `resourceNames` to the pods it must reach.",
    tags: ["security", "CWE-269"],
    k8sAtEnd: ["Role", "ClusterRole"],
  },
  k8s(obj, ctx) {
    // A ClusterRole nothing deployed with it grants is a template, often a piece of a role for
    // people (admin and edit include exec by design): it counts where it is bound.
    const rules = reportableRules(obj);
    if (obj.kind === "ClusterRole" && rules.length > 0 && rbacIndex(ctx.workspace).grantsOf(obj).length === 0) return;
    for (const rule of rules) {
      const exec = podExec(rule);
      if (!exec) continue;
      const scope = exec.resource === "nodes/proxy" ? "" : obj.kind === "Role" ? ` in namespace ${obj.namespace}` : " in every namespace it is bound in";
      ctx.report({
        node: exec.grant.resource.node,
        message: `rule ${rule.index + 1} of ${obj.kind} ${obj.name} grants "${exec.grant.verb.value}" on ${exec.grant.resource.value}: its subjects can ${exec.what}${scope}, and so use their tokens and read their Secrets; remove it or limit it with \`resourceNames\``,
        logicalLocation: rule.logical,
      });
    }
  },
});
