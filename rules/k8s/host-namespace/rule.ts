import { defineRule } from "../../../src/rule.js";
import { isTrue, podField, podSpecOf } from "../../../src/selectors/k8s.js";

const WHAT: Record<string, string> = {
  hostNetwork: "the node's network stack (its interfaces, localhost services and traffic)",
  hostPID: "the node's process table (it can see and signal every process on the node)",
  hostIPC: "the node's IPC namespace (shared memory of every process on the node)",
};

export default defineRule({
  meta: {
    id: "k8s/host-namespace",
    level: "error",
    summary: "A pod shares a host namespace: `hostNetwork`, `hostPID` or `hostIPC` is true.",
    remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec; expose ports through a Service instead of the node's network.",
    tags: ["security", "CWE-653"],
    pss: ["hostNamespaces"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    for (const key of Object.keys(WHAT)) {
      const e = podField(pod, key);
      if (!e || !isTrue(e.value)) continue;
      ctx.report({
        node: e.value,
        message: `${pod.label} sets \`${key}: true\`: its containers share ${WHAT[key]}; remove it`,
        logicalLocation: pod.logical,
      });
    }
  },
});
