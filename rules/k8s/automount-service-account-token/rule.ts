import { defineRule, type LaterReport } from "../../../src/rule.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { isFalse, isTrue, podField, podSpecOf, serviceAccountNameOf } from "../../../src/selectors/k8s.js";

/** A pod spec that sets no automountServiceAccountToken: reported unless its ServiceAccount sets it to false. */
function decide(pod: { label: string; namespace: string; saName: string }, ws: Workspace): LaterReport | undefined {
  const sa = ws.serviceAccount(pod.namespace, pod.saName);
  if (sa?.automountServiceAccountToken === false) return undefined;
  const about = !sa
    ? `nor does its ServiceAccount "${pod.saName}" in the scanned manifests`
    : sa.automountServiceAccountToken
      ? `and its ServiceAccount "${pod.saName}" sets it to true`
      : `nor does its ServiceAccount "${pod.saName}"`;
  return {
    message: `${pod.label} does not set \`automountServiceAccountToken: false\`, ${about}, so every container gets a token for the Kubernetes API; set it to \`false\` on the pod spec unless the workload calls the API`,
  };
}

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
    // The pod's own setting wins over its ServiceAccount's, as in Kubernetes.
    const own = podField(pod, "automountServiceAccountToken");
    if (own && isFalse(own.value)) return;
    if (own && isTrue(own.value)) {
      ctx.report({
        node: own.value,
        message: `${pod.label} sets \`automountServiceAccountToken: true\`, so every container gets a token for the Kubernetes API; set it to \`false\` unless the workload calls the API`,
        logicalLocation: pod.logical,
      });
      return;
    }
    // Whether its ServiceAccount turns the token off is known once every manifest has been read.
    ctx.reportLater({ node: pod.anchor, logicalLocation: pod.logical }, { label: pod.label, namespace: obj.namespace, saName: serviceAccountNameOf(pod) }, decide);
  },
});
