import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { mountsOfVolume, podSpecOf, volumesOf, type VolumeRef } from "../../../src/selectors/k8s.js";
import { scalarString } from "../../../src/parsers/yaml.js";

export default defineRule({
  meta: {
    id: "k8s/host-path",
    level: "warning",
    summary: "A pod mounts a directory or file of the node through a `hostPath` volume.",
    remediation: "Use an emptyDir, a PersistentVolumeClaim, a Secret or a ConfigMap instead of a hostPath volume.",
    tags: ["security", "CWE-668"],
    pss: ["hostPath"],
    // A hostPath to the container runtime's socket is reported, as an error, by that rule.
    yieldsTo: ["k8s/docker-socket"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod) return;
    for (const v of volumesOf(pod)) {
      if (v.type !== "hostPath" || !v.sourceEntry) continue;
      const pathEntry = v.source?.entry("path");
      const hostPath = scalarString(pathEntry?.value);
      ctx.report({
        node: pathEntry ? pathEntry.value : v.sourceEntry,
        message: `${v.label} mounts ${hostPath ? `the node's \`${quote(hostPath)}\`` : "a path of the node"} through hostPath: the pod can read${readOnlyEverywhere(v) ? "" : " and write"} the node's files and is tied to that node; use an emptyDir, a PersistentVolumeClaim, a Secret or a ConfigMap instead`,
        logicalLocation: v.logical,
      });
    }
  },
});

/** Every mount of the volume is `readOnly: true` (and there is at least one). */
function readOnlyEverywhere(v: VolumeRef): boolean {
  const mounts = mountsOfVolume(v);
  return mounts.length > 0 && mounts.every((m) => m.readOnly);
}
