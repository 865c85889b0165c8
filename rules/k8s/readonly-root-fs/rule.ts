import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { effectiveSecurityField, forEachContainer, isTrue, isWindowsPod, podSpecOf } from "../../../src/selectors/k8s.js";

export default defineRule({
  meta: {
    id: "k8s/readonly-root-fs",
    level: "warning",
    summary: "A container's root filesystem is writable: `securityContext.readOnlyRootFilesystem` is not `true`.",
    remediation: "Set `readOnlyRootFilesystem: true` in the container's securityContext and mount an `emptyDir` where the application must write.",
    tags: ["security", "CWE-732"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || isWindowsPod(pod)) return;
    forEachContainer(obj, (c) => {
      const ro = effectiveSecurityField(c, "readOnlyRootFilesystem");
      if (ro && isTrue(ro.value)) return;
      if (ro) {
        ctx.report({
          node: ro.value,
          message: `${c.label} sets \`readOnlyRootFilesystem: ${ro.value.type === "scalar" ? quote(ro.value.source) : "…"}\`, so an attacker can rewrite its binaries and configuration; set it to \`true\` and mount an emptyDir for writable paths`,
          logicalLocation: c.logical,
        });
        return;
      }
      if (c.partial) return;
      ctx.report({
        node: c.anchor,
        message: `${c.label} has a writable root filesystem; set \`securityContext.readOnlyRootFilesystem: true\` and mount an emptyDir where it must write`,
        logicalLocation: c.logical,
      });
    });
  },
});
