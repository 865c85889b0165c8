import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { isFalse, isTrue, podField, podSpecOf, serviceAccountNameOf, serviceAccountOf } from "../../../src/selectors/k8s.js";

export default defineRule({
  meta: {
    id: "k8s/automount-service-account-token",
    level: "note",
    summary: "A pod gets a Kubernetes API token mounted: `automountServiceAccountToken` is not false on the pod or its ServiceAccount.",
    remediation: "Set `automountServiceAccountToken: false` on the pod spec (or on its ServiceAccount) unless the workload calls the Kubernetes API.",
    tags: ["security", "CWE-250"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    // The pod's own setting wins over its ServiceAccount's, as in Kubernetes. An explicit `true`
    // (on the pod, or on its ServiceAccount when the pod says nothing) is a deliberate choice:
    // the workload calls the API. Only the default, a token nobody asked for, is reported.
    const own = podField(pod, "automountServiceAccountToken");
    if (own && (isFalse(own.value) || isTrue(own.value))) return;
    if (pod.partial) return; // a patch: the object it modifies decides
    const saName = serviceAccountNameOf(pod);
    const sa = serviceAccountOf(pod, ctx.workspace);
    const saValue = sa?.node.get("automountServiceAccountToken");
    if (sa && (isFalse(saValue) || isTrue(saValue))) return;
    const about = sa ? `nor does its ServiceAccount "${quote(saName)}"` : `nor does its ServiceAccount "${quote(saName)}" in the scanned manifests`;
    ctx.report({
      node: pod.anchor,
      message: `${pod.label} does not set \`automountServiceAccountToken: false\`, ${about}, so every container gets a token for the Kubernetes API by default; set it to \`false\` on the pod spec unless the workload calls the API (then set it to \`true\` to say so)`,
      logicalLocation: pod.logical,
    });
  },
});
