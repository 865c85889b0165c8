// What Pod Security Admission reads of a pod, from bulkhead's positioned model: fields as Go
// decodes them (an absent or null field is nil), pod-level values through a Kustomize patch, and
// the violations the checks return.
import type { Locatable, PEntry, PNode } from "../types.js";
import { isFalse, scalarString } from "../parsers/yaml.js";
import { containerSecurityContext, podSecurityContext, setEntry, type ContainerRef, type PodSpecRef } from "../selectors/k8s.js";
import type { PssControl } from "./controls.js";

/** One reason admission would reject a pod, located at the offending field. */
export interface PssViolation {
  control: PssControl;
  /** The offending value, or where a missing field belongs (the container's `- name:`, the pod's `spec:`). */
  node: Locatable;
  /** What is wrong, naming the container or pod: `container "app" in Deployment web uses hostPort 8080`. */
  detail: string;
  /** How to fix it. */
  fix: string;
  /** For the finding's logicalLocation. */
  logical: string;
  /** The offending value where a rule's level depends on it (a volume type). */
  value?: string;
}

/** A pod-level field as admission would see it, and whether it is written in another file (the object a patch modifies, which reports it). */
export interface PodValue {
  entry: PEntry;
  inBase: boolean;
}

/**
 * A field of the pod spec (`hostUsers`) or of its securityContext (`runAsNonRoot`): the pod's own,
 * else, for a Kustomize patch, that of the object it modifies (a strategic merge keeps it).
 */
export function podValue(pod: PodSpecRef, key: string, where: "spec" | "securityContext"): PodValue | undefined {
  const mapOf = (p: PodSpecRef) => (where === "spec" ? p.spec : podSecurityContext(p));
  const own = setEntry(mapOf(pod), key);
  if (own) return { entry: own, inBase: false };
  const base = pod.base && setEntry(mapOf(pod.base), key);
  return base ? { entry: base, inBase: true } : undefined;
}

/** A field of the container's own securityContext (never the pod's). */
export function ownField(c: ContainerRef, key: string): PEntry | undefined {
  return setEntry(containerSecurityContext(c), key);
}

/** A string field as Go decodes it: absent or null is "". */
export function str(node: PNode | undefined): string {
  return scalarString(node) ?? "";
}

/** `spec.os.name: windows`, compared exactly as admission does. */
export function isWindowsOs(pod: PodSpecRef): boolean {
  const os = podValue(pod, "os", "spec");
  return os !== undefined && os.entry.value.type === "map" && str(os.entry.value.get("name")) === "windows";
}

/** `hostUsers: false`: the pod runs in a user namespace, for which admission relaxes some checks from v1.35. */
export function inUserNamespace(pod: PodSpecRef): boolean {
  return isFalse(podValue(pod, "hostUsers", "spec")?.entry.value);
}
