import { defineRule } from "../../../src/rule.js";
import { fullControl, policyRulesOf, type PolicyRule, type RuleItem } from "../../../src/selectors/k8s-rbac.js";

/** The wildcards of a rule that widen it: `*` verbs, resources or non-resource URLs, in the order written. */
function wildcards(rule: PolicyRule): { field: string; item: RuleItem }[] {
  const out: { field: string; item: RuleItem }[] = [];
  for (const field of ["verbs", "resources", "nonResourceURLs"] as const) {
    const item = rule[field].find((i) => i.value === "*");
    if (item) out.push({ field, item });
  }
  return out.sort((a, b) => a.item.node.range.startLine - b.item.node.range.startLine || a.item.node.range.startColumn - b.item.node.range.startColumn);
}

function scopeOf(rule: PolicyRule): string {
  const groups = rule.apiGroups.map((g) => g.value);
  if (groups.includes("*")) return "in every API group";
  if (groups.length === 0) return "";
  return `in API group${groups.length > 1 ? "s" : ""} ${groups.map((g) => (g === "" ? '"" (core)' : g)).join(", ")}`;
}

export default defineRule({
  meta: {
    id: "k8s/rbac-wildcard",
    level: "warning",
    summary: "A Role or ClusterRole rule grants `*` verbs, `*` resources or `*` non-resource URLs: every current and future permission of that kind.",
    remediation:
      "List the verbs and resources the subjects need (`get`, `list`, `watch` on `deployments` …) instead of `*`; a `*` on every verb and resource of the core or every API group is full control, as cluster-admin.",
    tags: ["security", "CWE-269"],
  },
  k8s(obj, ctx) {
    const roleLabel = `${obj.kind} ${obj.name || "(unnamed)"}`;
    for (const rule of policyRulesOf(obj)) {
      // A rule limited to named objects (resourceNames) does not reach what a wildcard would suggest.
      if (rule.resourceNames.length > 0) continue;
      const found = wildcards(rule);
      if (found.length === 0) continue;
      const full = fullControl(rule);
      const fields = found.map((w) => (w.field === "nonResourceURLs" ? "every non-resource URL" : w.field === "verbs" ? "every verb" : "every resource")).join(", ");
      const scope = found.some((w) => w.field === "resources") ? ` ${scopeOf(rule)}` : "";
      const consequence = full
        ? `: full control${obj.kind === "Role" ? " of its namespace" : " of the cluster"}, Secrets, pods and RBAC included, as cluster-admin${obj.kind === "Role" ? " has in a namespace" : ""}`
        : ", including permissions added to the API later";
      ctx.report({
        node: (full ?? found[0].item).node,
        ...(full ? { level: "error" as const } : {}),
        message: `rule ${rule.index + 1} of ${roleLabel} grants ${fields}${scope}${consequence}; list the verbs and resources its subjects need instead of \`*\``,
        logicalLocation: rule.logical,
      });
    }
  },
});
