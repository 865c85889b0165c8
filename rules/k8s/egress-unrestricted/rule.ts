import { defineRule, type LaterReport } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { podLabels, podSpecOf } from "../../../src/selectors/k8s.js";
import { networkPolicies, selectsPod } from "../../../src/selectors/k8s-network.js";

interface Pod {
  label: string;
  namespace: string;
  labels: Record<string, string>;
  /** The scan's first workload, where the one "skipped" note goes. */
  first: boolean;
}

function decide(pod: Pod, ws: Workspace): LaterReport | undefined {
  const index = networkPolicies(ws);
  if (index.all.length === 0 && ws.preset !== "strict") {
    // Policies are often kept elsewhere (another repo, a platform chart): without any in the
    // scan, every workload would fire. Say once that the check did not run.
    if (!pod.first) return undefined;
    return {
      level: "note",
      message:
        "egress check skipped: the scanned manifests hold no NetworkPolicy, so bulkhead cannot tell whether the pods' egress is restricted; add NetworkPolicies with `policyTypes: [Egress]` to the scan, or run with `--preset strict` to report every workload",
    };
  }
  const { labels, namespace: ns } = pod;
  if (index.egressPoliciesFor(ns, labels).length > 0) return undefined;

  const hints: string[] = [];
  const ingressOnly = index.inNamespace(ns).filter((p) => selectsPod(p, labels));
  if (ingressOnly.length > 0) {
    const names = ingressOnly.map((p) => `"${quote(p.name)}"`).join(", ");
    hints.push(
      `NetworkPolicy ${names} selects them but governs only Ingress (without \`policyTypes\`, Egress counts only when the policy has egress rules)`,
    );
  }
  const elsewhere = index.all.filter((p) => p.namespace !== ns && p.policyTypes.has("Egress") && selectsPod(p, labels));
  if (elsewhere.length > 0) {
    const names = elsewhere.map((p) => `"${quote(p.name)}" (namespace ${quote(p.namespace)})`).join(", ");
    hints.push(`NetworkPolicy ${names} matches their labels but applies only to its own namespace`);
  }
  return {
    message: `the pods of ${pod.label} (namespace ${quote(ns)}, ${labelText(labels)}) are selected by no NetworkPolicy with Egress in policyTypes, so they can connect anywhere${hints.length > 0 ? `; ${hints.join("; ")}` : ""}; add a NetworkPolicy that selects them with \`policyTypes: [Egress]\` and allows only what they need`,
  };
}

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => quote(`${k}=${v}`));
  return pairs.length > 0 ? `labels ${pairs.join(", ")}` : "no labels";
}

export default defineRule({
  meta: {
    id: "k8s/egress-unrestricted",
    level: "warning",
    summary: "A workload's pods are selected by no NetworkPolicy in their namespace that has `Egress` in its policyTypes: they can connect anywhere.",
    remediation:
      "Add a NetworkPolicy in the workload's namespace that selects its pods, lists `Egress` in `policyTypes` and allows only the destinations they need (a policy with no egress rules denies all egress).",
    tags: ["security", "CWE-284"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || pod.partial) return; // a patch runs no pods of its own: the object it modifies does
    // The NetworkPolicies that select the pods may be in files not read yet.
    const facts: Pod = { label: pod.label, namespace: obj.namespace, labels: podLabels(pod), first: ctx.workspace.isFirstWorkload(obj) };
    ctx.reportLater({ node: pod.anchor, logicalLocation: pod.logical }, facts, decide);
  },
});
