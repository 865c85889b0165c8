import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/volume-types",
    level: "note",
    summary:
      "A pod mounts a volume type the restricted Pod Security Standard forbids: storage of the node or the network written inline (nfs, iscsi, cephfs, gitRepo — a warning —, …) rather than a PersistentVolumeClaim.",
    remediation: "Mount the storage through a PersistentVolumeClaim, or use a configMap, csi, downwardAPI, emptyDir, ephemeral, image, projected or secret volume.",
    tags: ["security", "CWE-668"],
    pss: ["volumeTypes"],
  },
  "restricted",
  // gitRepo runs git on the node as root (CVE-2024-10220) and is deprecated.
  (v) => (v.value === "gitRepo" ? "warning" : undefined),
);
