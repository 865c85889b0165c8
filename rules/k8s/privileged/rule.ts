import { defineRule } from "../../../src/rule.js";
import { effectiveSecurityField, forEachContainer, isTrue } from "../../../src/selectors/k8s.js";

export default defineRule({
  meta: {
    id: "k8s/privileged",
    level: "error",
    summary: "A container runs privileged (`securityContext.privileged: true`).",
    remediation: "Remove `privileged: true`; grant the one capability the workload needs with `capabilities.add` instead.",
    tags: ["security", "CWE-250"],
    pss: ["privileged"],
  },
  k8s(obj, ctx) {
    // Only the container's field exists: a `privileged` key on the pod's securityContext is ignored by Kubernetes.
    forEachContainer(obj, (c) => {
      const p = effectiveSecurityField(c, "privileged");
      if (!p || !isTrue(p.value)) return;
      ctx.report({
        node: p.value,
        message: `${c.label} runs privileged: it gets every capability and the host's devices, so escaping to the node is trivial; remove \`privileged: true\` and add only the capabilities it needs`,
        logicalLocation: c.logical,
      });
    });
  },
});
