import { defineRule, type LaterReport } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { isFalse, isTrue, podField, podSpecOf, serviceAccountNameOf } from "../../../src/selectors/k8s.js";

/** A pod spec that sets no automountServiceAccountToken: reported unless its ServiceAccount sets it to false. */
function decide(pod: { label: string; namespace: string; saName: string }, ws: Workspace): LaterReport | undefined {
  const sa = ws.serviceAccount(pod.namespace, pod.saName);
  if (sa && sa.automountServiceAccountToken !== undefined) return undefined;
  const about = sa ? `nor does its ServiceAccount "${quote(pod.saName)}"` : `nor does its ServiceAccount "${quote(pod.saName)}" in the scanned manifests`;
  return {
    message: `${pod.label} does not set \`automountServiceAccountToken: false\`, ${about}, so every container gets a token for the Kubernetes API by default; set it to \`false\` on the pod spec unless the workload calls the API (then set it to \`true\` to say so)`,
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
    // The pod's own setting wins over its ServiceAccount's, as in Kubernetes. An explicit `true`
    // (on the pod, or on its ServiceAccount when the pod says nothing) is a deliberate choice:
    // the workload calls the API. Only the default, a token nobody asked for, is reported.
    const own = podField(pod, "automountServiceAccountToken");
    if (own && (isFalse(own.value) || isTrue(own.value))) return;
    if (pod.partial) return; // a patch: the object it modifies decides
    // Whether its ServiceAccount sets it is known once every manifest has been read.
    ctx.reportLater({ node: pod.anchor, logicalLocation: pod.logical }, { label: pod.label, namespace: obj.namespace, saName: serviceAccountNameOf(pod) }, decide);
  },
});
