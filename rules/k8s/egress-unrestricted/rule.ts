import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import type { K8sObject } from "../../../src/types.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { podLabels, podSpecOf } from "../../../src/selectors/k8s.js";
import { networkPolicies, selectsPod } from "../../../src/selectors/k8s-network.js";

const firstWorkload = new WeakMap<Workspace, K8sObject | null>();

/** The first workload of the scan (in file and document order), where the one "skipped" note goes. */
function firstWorkloadOf(workspace: Workspace): K8sObject | undefined {
  let first = firstWorkload.get(workspace);
  if (first === undefined) {
    first = workspace.k8sObjects.find((o) => !o.patch && podSpecOf(o) !== undefined) ?? null;
    firstWorkload.set(workspace, first);
  }
  return first ?? undefined;
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
    const index = networkPolicies(ctx.workspace);
    if (index.all.length === 0 && ctx.preset !== "strict") {
      // Policies are often kept elsewhere (another repo, a platform chart): without any in the
      // scan, every workload would fire. Say once that the check did not run.
      if (firstWorkloadOf(ctx.workspace) !== obj) return;
      ctx.report({
        node: pod.anchor,
        level: "note",
        message:
          "egress check skipped: the scanned manifests hold no NetworkPolicy, so bulkhead cannot tell whether the pods' egress is restricted; add NetworkPolicies with `policyTypes: [Egress]` to the scan, or run with `--preset strict` to report every workload",
        logicalLocation: pod.logical,
      });
      return;
    }
    const labels = podLabels(pod);
    const ns = obj.namespace;
    if (index.egressPoliciesFor(ns, labels).length > 0) return;

    const hints: string[] = [];
    const ingressOnly = index.inNamespace(ns).filter((p) => selectsPod(p, labels));
    if (ingressOnly.length > 0) {
      const names = ingressOnly.map((p) => `"${quote(p.object.name)}"`).join(", ");
      hints.push(
        `NetworkPolicy ${names} selects them but governs only Ingress (without \`policyTypes\`, Egress counts only when the policy has egress rules)`,
      );
    }
    const elsewhere = index.all.filter((p) => p.namespace !== ns && p.policyTypes.has("Egress") && selectsPod(p, labels));
    if (elsewhere.length > 0) {
      const names = elsewhere.map((p) => `"${quote(p.object.name)}" (namespace ${quote(p.namespace)})`).join(", ");
      hints.push(`NetworkPolicy ${names} matches their labels but applies only to its own namespace`);
    }
    ctx.report({
      node: pod.anchor,
      message: `the pods of ${pod.label} (namespace ${quote(ns)}, ${labelText(labels)}) are selected by no NetworkPolicy with Egress in policyTypes, so they can connect anywhere${hints.length > 0 ? `; ${hints.join("; ")}` : ""}; add a NetworkPolicy that selects them with \`policyTypes: [Egress]\` and allows only what they need`,
      logicalLocation: pod.logical,
    });
  },
});
