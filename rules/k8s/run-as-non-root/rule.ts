import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import {
  containersOf,
  effectiveSecurityField,
  intValue,
  isFalse,
  isTrue,
  podSecurityContext,
  podSpecOf,
  type ContainerRef,
  type ScField,
} from "../../../src/selectors/k8s.js";

export default defineRule({
  meta: {
    id: "k8s/run-as-non-root",
    level: "error",
    summary: "A container may run as root: neither it nor its pod sets `runAsNonRoot: true` or a non-zero `runAsUser`, or `runAsUser` is 0.",
    remediation: "Set `securityContext.runAsNonRoot: true` and a non-zero `runAsUser` on the pod (or the container), and never `runAsUser: 0`.",
    tags: ["security", "CWE-250"],
    pss: ["runAsNonRoot", "runAsUser"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    // A `runAsUser: 0` on the pod is one finding at that value, naming every container that inherits it.
    const inheritRoot: { c: ContainerRef; user: ScField }[] = [];
    const containers = containersOf(pod);
    for (const c of containers) {
      const user = effectiveSecurityField(c, "runAsUser");
      const uid = intValue(user?.value);
      if (user && uid === 0) {
        if (user.from === "base") continue; // the patched object's pod spec, reported in its file
        if (user.from === "pod") inheritRoot.push({ c, user });
        else
          ctx.report({
            node: user.value,
            message: `${c.label} runs as root: its securityContext sets \`runAsUser: 0\`; use a non-zero UID and \`runAsNonRoot: true\``,
            logicalLocation: c.logical,
          });
        continue;
      }
      if (uid !== undefined && uid > 0) continue;
      const nonRoot = effectiveSecurityField(c, "runAsNonRoot");
      if (nonRoot && isTrue(nonRoot.value)) continue;
      if (nonRoot && isFalse(nonRoot.value)) {
        if (nonRoot.from === "base") continue;
        ctx.report({
          node: nonRoot.value,
          message: `${c.label} may run as root: ${nonRoot.from === "pod" ? "the pod's" : "its"} securityContext sets \`runAsNonRoot: false\` and no non-zero \`runAsUser\`; set \`runAsNonRoot: true\` and \`runAsUser\` to a non-zero UID`,
          logicalLocation: c.logical,
        });
        continue;
      }
      if (c.partial) continue; // a patch that does not write it: the object it modifies decides
      ctx.report({
        node: c.anchor,
        message: `${c.label} may run as root: neither it nor the pod sets \`securityContext.runAsNonRoot: true\` or a non-zero \`runAsUser\`; set both in the pod's securityContext`,
        logicalLocation: c.logical,
      });
    }
    if (inheritRoot.length > 0) {
      const names = inheritRoot.map((r) => `"${quote(r.c.name)}"`).join(", ");
      ctx.report({
        node: inheritRoot[0].user.value,
        message: `the pod's securityContext in ${pod.label} sets \`runAsUser: 0\`, so container${inheritRoot.length > 1 ? "s" : ""} ${names} run${inheritRoot.length > 1 ? "" : "s"} as root; use a non-zero UID and \`runAsNonRoot: true\``,
        logicalLocation: pod.logical,
      });
    }
    // A patch's pod-level values with no container of its own to inherit them: the patched object's containers do.
    if (pod.partial && containers.length === 0) {
      const sc = podSecurityContext(pod);
      const user = sc?.entry("runAsUser");
      const nonRoot = sc?.entry("runAsNonRoot");
      if (user && intValue(user.value) === 0) {
        ctx.report({
          node: user.value,
          message: `the pod's securityContext in ${pod.label} (a patch) sets \`runAsUser: 0\`, so the containers that set no runAsUser of their own run as root; use a non-zero UID and \`runAsNonRoot: true\``,
          logicalLocation: pod.logical,
        });
      } else if (nonRoot && isFalse(nonRoot.value) && !((intValue(user?.value) ?? 0) > 0)) {
        ctx.report({
          node: nonRoot.value,
          message: `the pod's securityContext in ${pod.label} (a patch) sets \`runAsNonRoot: false\`, so its containers may run as root; set \`runAsNonRoot: true\` and a non-zero \`runAsUser\``,
          logicalLocation: pod.logical,
        });
      }
    }
  },
});
