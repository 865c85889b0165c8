// NetworkPolicies as Kubernetes reads them: which pods a policy selects and which directions
// it governs. The index is cross-file (every scanned manifest): the workspace keeps each policy's
// entry, indexed by namespace once per run.
import type { K8sObject, PEntry, PMap, PNode } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { asMap, asSeq, scalarString, stringMap } from "../parsers/yaml.js";

export type PolicyType = "Ingress" | "Egress";

export interface SelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** A metav1.LabelSelector; `valid: false` (unknown operator, bad values) selects nothing, as the API server would reject it. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
  valid: boolean;
}

export interface NetworkPolicy {
  object: K8sObject;
  namespace: string;
  podSelector: LabelSelector;
  /** policyTypes after Kubernetes' defaulting. */
  policyTypes: ReadonlySet<PolicyType>;
  /** Whether `policyTypes` was written (non-empty) or defaulted. */
  policyTypesExplicit: boolean;
  /** The `spec.egress` rules (maps), in order. */
  egressRules: PMap[];
  /** The `spec.egress` entry, if any. */
  egressEntry: PEntry | undefined;
}

/** What the workspace index keeps of a NetworkPolicy: which pods it selects, which directions it governs. */
export interface PolicyEntry {
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  /** policyTypes after Kubernetes' defaulting. */
  policyTypes: ReadonlySet<PolicyType>;
}

export interface NetworkPolicyIndex {
  /** Every NetworkPolicy in the scan. */
  all: readonly PolicyEntry[];
  inNamespace(namespace: string): PolicyEntry[];
  /** Policies in that namespace that select a pod with these labels and govern its egress. */
  egressPoliciesFor(namespace: string, podLabels: Record<string, string>): PolicyEntry[];
}

/** Parses a label selector node; an absent or null selector is the empty selector (selects everything). */
export function labelSelectorOf(node: PNode | undefined): LabelSelector {
  const map = asMap(node);
  const selector: LabelSelector = { matchLabels: stringMap(map?.get("matchLabels")), matchExpressions: [], valid: true };
  for (const item of asSeq(map?.get("matchExpressions"))?.items ?? []) {
    const req = asMap(item);
    const key = scalarString(req?.get("key"));
    const operator = scalarString(req?.get("operator"));
    if (!key || !operator) {
      selector.valid = false;
      continue;
    }
    const values = (asSeq(req?.get("values"))?.items ?? []).map(scalarString).filter((v): v is string => v !== undefined);
    selector.matchExpressions.push({ key, operator, values });
  }
  return selector;
}

/** metav1.LabelSelectorAsSelector semantics: every matchLabels pair and every expression must hold. */
export function matchesLabels(selector: LabelSelector, labels: Record<string, string>): boolean {
  if (!selector.valid) return false;
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, k) || labels[k] !== v) return false;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case "In":
        if (values.length === 0 || !has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (values.length === 0) return false; // rejected by the API server
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (values.length > 0 || !has) return false;
        break;
      case "DoesNotExist":
        if (values.length > 0 || has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a policy selects a pod with these labels (the namespace is the caller's business). */
export function selectsPod(policy: Pick<PolicyEntry, "podSelector">, podLabels: Record<string, string>): boolean {
  return matchesLabels(policy.podSelector, podLabels);
}

/**
 * Reads one NetworkPolicy object. policyTypes default as in Kubernetes' SetDefaults_NetworkPolicy:
 * when the list is absent or empty, Ingress always, plus Egress when `spec.egress` has at least one rule
 * (an `egress: []` section does not count, like `len(spec.Egress) != 0` in the API server).
 */
export function networkPolicyOf(object: K8sObject): NetworkPolicy | undefined {
  if (object.kind !== "NetworkPolicy" || !object.apiVersion.startsWith("networking.k8s.io/")) return undefined;
  const spec = asMap(object.node.get("spec"));
  const egressEntry = spec?.entry("egress");
  const egressRules = (asSeq(egressEntry?.value)?.items ?? []).map((i) => asMap(i)).filter((m): m is PMap => m !== undefined);
  const egressCount = asSeq(egressEntry?.value)?.items.length ?? 0;
  const written = (asSeq(spec?.get("policyTypes"))?.items ?? []).map(scalarString).filter((t): t is string => t !== undefined);
  const types = new Set<PolicyType>();
  if (written.length > 0) {
    for (const t of written) if (t === "Ingress" || t === "Egress") types.add(t);
  } else {
    types.add("Ingress");
    if (egressCount > 0) types.add("Egress");
  }
  return {
    object,
    namespace: object.namespace,
    podSelector: labelSelectorOf(spec?.get("podSelector")),
    policyTypes: types,
    policyTypesExplicit: written.length > 0,
    egressRules,
    egressEntry,
  };
}

/** The index entry of a NetworkPolicy object (undefined for any other object). */
export function policyEntryOf(object: K8sObject): PolicyEntry | undefined {
  const policy = networkPolicyOf(object);
  return policy && { name: object.name, namespace: policy.namespace, podSelector: policy.podSelector, policyTypes: policy.policyTypes };
}

const indexes = new WeakMap<Workspace, NetworkPolicyIndex>();

/** The scan's NetworkPolicies, indexed by namespace; built on first use, once per workspace (complete: read it in a ctx.reportLater decision). */
export function networkPolicies(workspace: Workspace): NetworkPolicyIndex {
  const cached = indexes.get(workspace);
  if (cached) return cached;
  const all = workspace.networkPolicies;
  const byNamespace = new Map<string, PolicyEntry[]>();
  for (const policy of all) {
    const list = byNamespace.get(policy.namespace) ?? [];
    list.push(policy);
    byNamespace.set(policy.namespace, list);
  }
  const index: NetworkPolicyIndex = {
    all,
    inNamespace: (ns) => byNamespace.get(ns) ?? [],
    egressPoliciesFor: (ns, labels) => (byNamespace.get(ns) ?? []).filter((p) => p.policyTypes.has("Egress") && selectsPod(p, labels)),
  };
  indexes.set(workspace, index);
  return index;
}
