// The restricted checks of Pod Security Admission (policy/check_*.go), as checks-baseline.ts.
// Where a field is missing, the violation points where it belongs (the container's `- name:`,
// the pod's `spec:`); a Kustomize patch's container or pod that does not write a field is not
// missing it (the object it modifies decides).
import { asMap, asScalar, asSeq, isFalse, isTrue } from "../parsers/yaml.js";
import { containersOf, intValue, setEntry, volumesOf, type ContainerRef } from "../selectors/k8s.js";
import { addedCapabilities, badSeccompProfile, hostPathViolation, type CheckFn } from "./checks-baseline.js";
import { quote } from "../secrets/index.js";
import { inUserNamespace, isWindowsOs, ownField, podValue, str, type PssViolation } from "./fields.js";

const podWho = "the pod's securityContext in";

/** Privilege Escalation (v1.8+): every container sets `allowPrivilegeEscalation: false`; from v1.25 Windows pods are exempt. */
export function allowPrivilegeEscalation(exemptWindows: boolean): CheckFn {
  return (pod) => {
    if (exemptWindows && isWindowsOs(pod)) return [];
    return containersOf(pod).flatMap((c): PssViolation[] => {
      const e = ownField(c, "allowPrivilegeEscalation");
      if (e && isFalse(e.value)) return [];
      if (!e && c.partial) return [];
      return [
        {
          control: "privilegeEscalation",
          node: e ? e.value : c.anchor,
          detail: e ? `${c.label} sets \`allowPrivilegeEscalation: ${quote(str(e.value))}\`` : `${c.label} does not set \`securityContext.allowPrivilegeEscalation: false\``,
          fix: "set `allowPrivilegeEscalation: false` in its securityContext",
          logical: c.logical,
        },
      ];
    });
  };
}

/** Capabilities (restricted, v1.22+): every container drops `ALL` and adds nothing but NET_BIND_SERVICE; from v1.25 Windows pods are exempt. */
export function capabilitiesRestricted(exemptWindows: boolean): CheckFn {
  return (pod) => {
    if (exemptWindows && isWindowsOs(pod)) return [];
    return containersOf(pod).flatMap((c) => [...missingDropAll(c), ...addedBeyondNetBind(c)]);
  };
}

function missingDropAll(c: ContainerRef): PssViolation[] {
  const caps = asMap(ownField(c, "capabilities")?.value);
  const dropEntry = caps?.entry("drop");
  const drops = (asSeq(dropEntry?.value)?.items ?? []).map((i) => str(asScalar(i)));
  if (drops.includes("ALL") || (c.partial && !dropEntry)) return [];
  const lowercase = drops.find((d) => d.toUpperCase() === "ALL");
  return [
    {
      control: "capabilities.drop",
      node: dropEntry ? dropEntry.value : c.anchor,
      detail: lowercase
        ? `${c.label} drops \`${quote(lowercase)}\`, which admission does not read as \`ALL\` (it compares names exactly)`
        : dropEntry
          ? `${c.label} does not drop \`ALL\` capabilities`
          : `${c.label} does not set \`securityContext.capabilities.drop: ["ALL"]\``,
      fix: 'drop `ALL` (`capabilities.drop: ["ALL"]`) and add back only NET_BIND_SERVICE if it needs it',
      logical: c.logical,
    },
  ];
}

const NET_BIND_SERVICE: ReadonlySet<string> = new Set(["NET_BIND_SERVICE"]);

function addedBeyondNetBind(c: ContainerRef): PssViolation[] {
  return addedCapabilities(c)
    .filter((a) => !NET_BIND_SERVICE.has(a.name))
    .map((a) => ({
      control: "capabilities.add",
      node: a.node,
      detail: `${c.label} adds capability \`${quote(a.name)}\`${a.name.toUpperCase().replace(/^CAP_/, "") === "NET_BIND_SERVICE" ? "; admission compares names exactly: write `NET_BIND_SERVICE`" : ""}`,
      fix: "remove it from `capabilities.add` (a restricted container may add only NET_BIND_SERVICE)",
      logical: c.logical,
    }));
}

/** Volume sources a restricted pod may use. */
const ALLOWED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"];

/** The other volume sources Kubernetes knows (admission's list, hostPath first). */
const RESTRICTED_VOLUMES = [
  "hostPath",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "nfs",
  "iscsi",
  "glusterfs",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "fc",
  "azureFile",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "storageos",
];

/**
 * Volume Types (restricted): only the allowed sources. A volume with no source Kubernetes knows
 * is defaulted to an emptyDir before admission sees it, so it passes. A hostPath volume is the
 * HostPath Volumes control's (k8s/host-path).
 */
export const restrictedVolumes: CheckFn = (pod) =>
  volumesOf(pod).flatMap((v): PssViolation[] => {
    if (ALLOWED_VOLUMES.some((k) => setEntry(v.node, k))) return [];
    const source = RESTRICTED_VOLUMES.map((k) => setEntry(v.node, k)).find((e) => e !== undefined);
    if (!source) return [];
    if (source.key === "hostPath") return [hostPathViolation(v, source)];
    return [
      {
        control: "volumeTypes",
        node: { range: source.keyRange },
        detail: `${v.label} uses the \`${source.key}\` volume type`,
        value: source.key,
        fix: "mount it through a PersistentVolumeClaim (or use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, projected or secret volume)",
        logical: v.logical,
      },
    ];
  });

/** Running as Non-root: `runAsNonRoot: true` on every container or on the pod, never false; from v1.35 any value in a user namespace. */
export function runAsNonRoot(relaxInUserNamespace: boolean): CheckFn {
  return (pod) => {
    if (relaxInUserNamespace && inUserNamespace(pod)) return [];
    const out: PssViolation[] = [];
    const podLevel = podValue(pod, "runAsNonRoot", "securityContext");
    const podTrue = podLevel !== undefined && isTrue(podLevel.entry.value);
    if (podLevel && !podTrue && !podLevel.inBase) {
      out.push({
        control: "runAsNonRoot",
        node: podLevel.entry.value,
        detail: `${podWho} ${pod.label} sets \`runAsNonRoot: ${quote(str(podLevel.entry.value))}\``,
        fix: "set `runAsNonRoot: true`",
        logical: pod.logical,
      });
    }
    for (const c of containersOf(pod)) {
      const e = ownField(c, "runAsNonRoot");
      if (e) {
        if (!isTrue(e.value)) out.push({ control: "runAsNonRoot", node: e.value, detail: `${c.label} sets \`runAsNonRoot: ${quote(str(e.value))}\``, fix: "set `runAsNonRoot: true`", logical: c.logical });
        continue;
      }
      // Unset: the pod's value decides (a false one is reported above, where it is written).
      if (podTrue || (podLevel && !podLevel.inBase) || c.partial) continue;
      const uid = intValue(ownField(c, "runAsUser")?.value ?? podValue(pod, "runAsUser", "securityContext")?.entry.value);
      out.push({
        control: "runAsNonRoot",
        node: c.anchor,
        detail: `neither ${c.label} nor its pod sets \`runAsNonRoot: true\`${uid !== undefined && uid > 0 ? ` (a non-zero \`runAsUser\` does not count for admission)` : ""}`,
        fix: "set `runAsNonRoot: true` in the pod's securityContext",
        logical: c.logical,
      });
    }
    return out;
  };
}

/** Running as Non-root user (v1.23+): `runAsUser` is never 0, on the pod or a container; from v1.35 any value in a user namespace. */
export function runAsUser(relaxInUserNamespace: boolean): CheckFn {
  return (pod) => {
    if (relaxInUserNamespace && inUserNamespace(pod)) return [];
    const out: PssViolation[] = [];
    const podLevel = podValue(pod, "runAsUser", "securityContext");
    if (podLevel && !podLevel.inBase && intValue(podLevel.entry.value) === 0) {
      out.push({ control: "runAsUser", node: podLevel.entry.value, detail: `${podWho} ${pod.label} sets \`runAsUser: 0\``, fix: "use a non-zero UID", logical: pod.logical });
    }
    for (const c of containersOf(pod)) {
      const e = ownField(c, "runAsUser");
      if (e && intValue(e.value) === 0) out.push({ control: "runAsUser", node: e.value, detail: `${c.label} sets \`runAsUser: 0\``, fix: "use a non-zero UID", logical: c.logical });
    }
    return out;
  };
}

/**
 * Seccomp (restricted, v1.19+): RuntimeDefault or Localhost on the pod, or on every container
 * (the pod's own value is checked even when every container sets one); from v1.25 Windows pods
 * are exempt.
 */
export function seccompRestricted(exemptWindows: boolean): CheckFn {
  return (pod) => {
    if (exemptWindows && isWindowsOs(pod)) return [];
    const out: PssViolation[] = [];
    const podLevel = podValue(pod, "seccompProfile", "securityContext");
    const podBad = podLevel && badSeccompProfile(podLevel.entry, `${podWho} ${pod.label}`, pod.logical);
    if (podBad && !podLevel.inBase) out.push(podBad);
    const missing: ContainerRef[] = [];
    const containers = containersOf(pod);
    for (const c of containers) {
      const e = ownField(c, "seccompProfile");
      if (e) {
        const bad = badSeccompProfile(e, c.label, c.logical);
        if (bad) out.push(bad);
      } else if (!podLevel) missing.push(c);
      // With a pod-level profile, an unset container inherits it: a wrong one is reported where it is written.
    }
    const unset = missing.filter((c) => !c.partial);
    if (!pod.partial && unset.length > 0 && unset.length === containers.length) {
      out.push({ control: "seccomp", node: pod.anchor, detail: `${pod.label} sets no seccomp profile`, fix: "set `securityContext.seccompProfile.type: RuntimeDefault` on the pod spec", logical: pod.logical });
      return out;
    }
    for (const c of unset) {
      out.push({
        control: "seccomp",
        node: c.anchor,
        detail: `${c.label} has no seccomp profile and its pod sets none`,
        fix: "set `securityContext.seccompProfile.type: RuntimeDefault` on the pod spec or the container",
        logical: c.logical,
      });
    }
    return out;
  };
}
