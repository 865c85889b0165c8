import { defineRule, type LaterReport } from "../../../src/rule.js";
import { asMap, asSeq } from "../../../src/parsers/yaml.js";
import { isFalse, podField, podSpecOf, serviceAccountNameOf, volumesOf, type PodSpecRef } from "../../../src/selectors/k8s.js";
import { dangersOf } from "../../../src/selectors/k8s-rbac.js";
import { CLUSTER_ADMIN, rbacIndex, type Binding } from "../../../src/selectors/k8s-rbac-index.js";
import type { Workspace } from "../../../src/workspace/workspace.js";

/** Whether the pods hold their ServiceAccount's token by their own spec (a projected token, `automountServiceAccountToken`), or undefined: as their ServiceAccount says. */
function ownToken(pod: PodSpecRef): boolean | undefined {
  const projected = volumesOf(pod).some(
    (v) => v.type === "projected" && (asSeq(v.source?.get("sources"))?.items ?? []).some((s) => asMap(s)?.get("serviceAccountToken") !== undefined),
  );
  if (projected) return true;
  const own = podField(pod, "automountServiceAccountToken");
  return own ? !isFalse(own.value) : undefined;
}

/** What is decided once every file is read: the workload's pods, their ServiceAccount and where they are deployed. */
interface Pods {
  label: string;
  file: string;
  namespace: string;
  namespaceExplicit: boolean;
  sa: string;
  token: boolean | undefined;
}

/**
 * Whether a binding's ServiceAccount subject is the pods' ServiceAccount. Manifests kept without a
 * namespace (a kustomization or `kubectl -n` sets it) match a subject of the same name in any
 * namespace — except "default", which every namespace has.
 */
function boundTo(b: Binding, pods: Pods): boolean {
  return b.subjects.some(
    (s) =>
      s.kind === "ServiceAccount" &&
      s.name === pods.sa &&
      (s.namespace === pods.namespace || (s.namespace !== undefined && !pods.namespaceExplicit && pods.sa !== "default")),
  );
}

function decide(pods: Pods, ws: Workspace): LaterReport | undefined {
  if (!(pods.token ?? ws.serviceAccount(pods.namespace, pods.sa)?.automountServiceAccountToken !== false)) return undefined;
  const index = rbacIndex(ws);
  const grants = new Set<string>();
  for (const b of index.bindingsDeployedWith(pods.file)) {
    if (!boundTo(b, pods)) continue;
    const binding = `${b.object.kind} "${b.object.name}"`;
    if (b.roleKind === "ClusterRole" && b.roleName === CLUSTER_ADMIN) {
      grants.add(`${binding} grants it cluster-admin${b.clusterWide ? "" : ` in namespace ${b.object.namespace}`}`);
      continue;
    }
    const role = index.roleOf(b);
    if (!role) continue;
    const dangers = dangersOf(index.effectiveRules(role), b.clusterWide);
    if (dangers.length === 0) continue;
    const what = [...new Set(dangers.map((d) => d.what))].join("; ");
    grants.add(`${binding} grants it ${b.roleKind} "${b.roleName}"${b.clusterWide ? "" : ` in namespace ${b.object.namespace}`} (${what})`);
  }
  if (grants.size === 0) return undefined;
  return {
    message: `the pods of ${pods.label} run as ServiceAccount "${pods.sa}" with its token mounted, and ${[...grants].join("; ")}: whoever compromises these pods holds that power; give the workload a ServiceAccount bound to only what it uses, or set \`automountServiceAccountToken: false\` if it does not call the API`,
  };
}

export default defineRule({
  meta: {
    id: "k8s/workload-privileged-service-account",
    level: "warning",
    summary:
      "A workload runs as a ServiceAccount that a binding grants cluster-admin, full control, escalation, exec into pods or cluster-wide Secret reads: whoever compromises its pods holds that power.",
    remediation:
      "Give the workload its own ServiceAccount bound to a role with only the permissions it uses, or set `automountServiceAccountToken: false` if it does not call the Kubernetes API.",
    tags: ["security", "CWE-250", "CWE-269"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || pod.partial) return; // a patch: the object it modifies runs the pods
    const token = ownToken(pod);
    if (token === false) return;
    const saEntry = pod.spec.entry("serviceAccountName") ?? pod.spec.entry("serviceAccount");
    const pods: Pods = { label: pod.label, file: obj.file.path, namespace: obj.namespace, namespaceExplicit: obj.namespaceExplicit, sa: serviceAccountNameOf(pod), token };
    ctx.reportLater({ node: saEntry ? saEntry.value : pod.anchor, logicalLocation: pod.logical }, pods, decide);
  },
});
