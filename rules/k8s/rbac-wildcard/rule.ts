import { defineRule } from "../../../src/rule.js";
import { fullControl, isReadOnly, reportableRules, reachesBuiltInGroup, type PolicyRule, type RuleItem } from "../../../src/selectors/k8s-rbac.js";

const byPosition = (a: RuleItem, b: RuleItem) => a.node.range.startLine - b.node.range.startLine || a.node.range.startColumn - b.node.range.startColumn;

function listText(items: RuleItem[], every: string): string {
  return items.some((i) => i.value === "*") ? every : items.map((i) => i.value || '""').join(", ");
}

function groupsText(rule: PolicyRule): string {
  const groups = rule.apiGroups.map((g) => g.value);
  if (groups.includes("*")) return "every API group";
  return `API group${groups.length > 1 ? "s" : ""} ${groups.map((g) => (g === "" ? '"" (core)' : g)).join(", ")}`;
}

/**
 * The wildcard item of a resource rule worth reporting, if any. A `*` counts where it reaches what
 * Kubernetes runs or guards — the core group, the built-in groups of workloads, RBAC, admission,
 * CRDs, certificates, networking and storage, or every group — and, for read-only verbs, only
 * where it reaches Secrets (the core group or every group). A `*` over a project's own API group
 * (its custom resources) reaches nothing else and is not reported.
 */
function resourceWildcard(rule: PolicyRule): RuleItem | undefined {
  // Status, scale and finalizer subresources take get, update and patch at most: `*` there is not wider.
  if (rule.resources.length > 0 && rule.resources.every((r) => /\/(status|scale|finalizers)$/.test(r.value))) return undefined;
  const stars = [...rule.verbs, ...rule.resources].filter((i) => i.value === "*").sort(byPosition);
  if (stars.length === 0) return undefined;
  if (isReadOnly(rule)) return rule.apiGroups.some((g) => g.value === "" || g.value === "*") && rule.resources.some((r) => r.value === "*") ? stars[0] : undefined;
  return reachesBuiltInGroup(rule) ? stars[0] : undefined;
}

export default defineRule({
  meta: {
    id: "k8s/rbac-wildcard",
    level: "warning",
    summary:
      "A Role or ClusterRole rule grants `*` verbs or `*` resources in the core or a built-in API group (read-only: where that includes Secrets), or `*` non-resource URLs; every verb on every resource there is an error.",
    remediation:
      "List the verbs and resources the subjects need (`get`, `list`, `watch` on `deployments` …) instead of `*`; a `*` on every verb and resource of the core or every API group is full control, as cluster-admin.",
    tags: ["security", "CWE-269"],
  },
  k8s(obj, ctx) {
    const roleLabel = `${obj.kind} ${obj.name || "(unnamed)"}`;
    const rules = reportableRules(obj);
    const fullRule = rules.find((r) => fullControl(r) !== undefined);
    for (const rule of rules) {
      // A rule limited to named objects (resourceNames) does not reach what a wildcard would suggest.
      if (rule.resourceNames.length > 0) continue;
      const full = fullControl(rule);
      const verbs = listText(rule.verbs, "every verb");
      const logicalLocation = rule.logical;
      if (full) {
        ctx.report({
          node: full.node,
          level: "error",
          message: `rule ${rule.index + 1} of ${roleLabel} grants every verb on every resource in ${groupsText(rule)}: full control ${obj.kind === "Role" ? `of namespace ${obj.namespace}` : "of the cluster"}, Secrets, pods and RBAC included, as cluster-admin${obj.kind === "Role" ? " has in a namespace" : ""}; list the verbs and resources its subjects need instead of \`*\``,
          logicalLocation,
        });
        continue;
      }
      const star = resourceWildcard(rule);
      if (star) {
        const everyResource = rule.resources.some((r) => r.value === "*");
        const reach = everyResource
          ? `${isReadOnly(rule) ? "every Secret and " : ""}resources added to the API later included`
          : "deletion and every other verb included";
        ctx.report({
          node: star.node,
          message: `rule ${rule.index + 1} of ${roleLabel} grants ${verbs} on ${listText(rule.resources, "every resource")} in ${groupsText(rule)} (${reach}); list the verbs and resources its subjects need instead of \`*\``,
          logicalLocation,
        });
      }
      // `*` URLs beside a full-control rule add nothing to say: that rule is the finding.
      const url = rule.nonResourceURLs.find((u) => u.value === "*");
      if (url && !fullRule) {
        ctx.report({
          node: url.node,
          message: `rule ${rule.index + 1} of ${roleLabel} grants ${verbs} on every non-resource URL (\`/metrics\`, \`/logs\`, \`/debug/pprof\` … of the API server); list the paths its subjects need`,
          logicalLocation,
        });
      }
    }
  },
});
