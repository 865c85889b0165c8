import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { effectiveSecurityField, forEachContainer, isFalse, isWindowsPod, podSpecOf } from "../../../src/selectors/k8s.js";

export default defineRule({
  meta: {
    id: "k8s/privilege-escalation",
    level: "warning",
    summary: "A container does not set `securityContext.allowPrivilegeEscalation: false`.",
    remediation: "Set `allowPrivilegeEscalation: false` in every container's securityContext (the field exists only on containers).",
    tags: ["security", "CWE-269"],
    pss: ["privilegeEscalation"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || isWindowsPod(pod)) return;
    forEachContainer(obj, (c) => {
      const ape = effectiveSecurityField(c, "allowPrivilegeEscalation");
      if (ape && isFalse(ape.value)) return;
      if (ape) {
        ctx.report({
          node: ape.value,
          message: `${c.label} sets \`allowPrivilegeEscalation: ${ape.value.type === "scalar" ? quote(ape.value.source) : "…"}\`: a setuid binary or file capability can give its process more privileges than its parent; set it to \`false\``,
          logicalLocation: c.logical,
        });
        return;
      }
      if (c.partial) return;
      ctx.report({
        node: c.anchor,
        message: `${c.label} does not set \`securityContext.allowPrivilegeEscalation: false\`, so its processes can gain privileges through setuid binaries; add it to the container's securityContext`,
        logicalLocation: c.logical,
      });
    });
  },
});
