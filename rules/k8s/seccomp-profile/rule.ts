import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { asMap, scalarString } from "../../../src/parsers/yaml.js";
import {
  containersOf,
  effectiveSecurityField,
  isWindowsPod,
  podAnnotations,
  podSecurityContext,
  podSpecOf,
  type ContainerRef,
  type PodSpecRef,
  type ScField,
} from "../../../src/selectors/k8s.js";
import type { K8sObject } from "../../../src/types.js";

const CONFINED = new Set(["RuntimeDefault", "Localhost"]);
const ALPHA_POD = "seccomp.security.alpha.kubernetes.io/pod";
const ALPHA_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";

/** Names of the old seccomp annotations on the pod (or, mistakenly, on the workload object). */
function alphaAnnotations(obj: K8sObject, pod: PodSpecRef): string[] {
  const keys = new Set([...Object.keys(podAnnotations(pod)), ...Object.keys(obj.annotations)]);
  return [...keys].filter((k) => k === ALPHA_POD || k.startsWith(ALPHA_CONTAINER)).sort();
}

/** A pod-level seccompProfile that does not confine (a type other than RuntimeDefault or Localhost). */
function effectivePodProfile(pod: PodSpecRef): ScField | undefined {
  const entry = podSecurityContext(pod)?.entry("seccompProfile");
  if (!entry || (entry.value.type === "scalar" && entry.value.value === null)) return undefined;
  const type = scalarString(asMap(entry.value)?.get("type"));
  return type && CONFINED.has(type) ? undefined : { entry, value: entry.value, from: "pod" };
}

export default defineRule({
  meta: {
    id: "k8s/seccomp-profile",
    level: "note",
    summary: "A pod's containers run without a seccomp profile: no `seccompProfile` of type RuntimeDefault or Localhost.",
    remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod spec (or Localhost with a profile) and remove `Unconfined`.",
    tags: ["security", "CWE-250"],
    pss: ["seccomp"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || isWindowsPod(pod)) return;
    const containers = containersOf(pod);
    const alpha = alphaAnnotations(obj, pod);
    const alphaNote =
      alpha.length > 0
        ? ` (the ${alpha.map((a) => `\`${quote(a)}\``).join(", ")} annotation${alpha.length > 1 ? "s have" : " has"} been ignored since Kubernetes 1.27: only the \`seccompProfile\` field counts)`
        : "";
    const fix = "set `securityContext.seccompProfile.type: RuntimeDefault` on the pod spec";

    const missing: ContainerRef[] = [];
    const wrongFromPod: ContainerRef[] = [];
    let podProfile: ScField | undefined;
    for (const c of containers) {
      const eff = effectiveSecurityField(c, "seccompProfile");
      if (!eff) {
        missing.push(c);
        continue;
      }
      const typeEntry = asMap(eff.value)?.entry("type");
      const type = scalarString(typeEntry?.value);
      if ((type && CONFINED.has(type)) || eff.from === "base") continue; // "base": reported in the patched object's file
      if (eff.from === "pod") {
        podProfile = eff;
        wrongFromPod.push(c);
        continue;
      }
      ctx.report({
        node: typeEntry ? typeEntry.value : eff.entry,
        message: `${c.label} ${type ? `sets seccomp profile \`${quote(type)}\`` : "has a seccompProfile without a `type`"}, so its system calls are not filtered; use \`type: RuntimeDefault\` (or Localhost)${alphaNote}`,
        logicalLocation: c.logical,
      });
    }
    // A patch's pod-level profile with no container of its own to inherit it: the patched object's containers do.
    if (pod.partial && containers.length === 0) podProfile = effectivePodProfile(pod);
    if ((wrongFromPod.length > 0 || (pod.partial && containers.length === 0)) && podProfile) {
      const typeEntry = asMap(podProfile.value)?.entry("type");
      const type = scalarString(typeEntry?.value);
      ctx.report({
        node: typeEntry ? typeEntry.value : podProfile.entry,
        message: `${pod.label} ${type ? `sets seccomp profile \`${quote(type)}\`` : "has a seccompProfile without a `type`"} on its securityContext, so its containers' system calls are not filtered; use \`type: RuntimeDefault\` (or Localhost)${alphaNote}`,
        logicalLocation: pod.logical,
      });
    }
    if (missing.length === 0 || pod.partial) return; // a patch that does not write it: the object it modifies decides
    // Set nowhere (the pod would give every container its profile): one finding on the pod spec.
    if (missing.length === containers.length) {
      ctx.report({
        node: pod.anchor,
        message: `${pod.label} sets no seccomp profile, so its containers run with system calls unfiltered; ${fix}${alphaNote}`,
        logicalLocation: pod.logical,
      });
      return;
    }
    for (const c of missing) {
      ctx.report({
        node: c.anchor,
        message: `${c.label} has no seccomp profile while other containers of the pod do; ${fix} or on the container${alphaNote}`,
        logicalLocation: c.logical,
      });
    }
  },
});
