import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/proc-mount",
    level: "warning",
    summary: "A container sets `securityContext.procMount` to something other than Default (`Unmasked`), outside a user namespace.",
    remediation: "Remove `procMount` (Default masks the node's kernel interfaces under /proc); a pod that needs it runs in a user namespace (`hostUsers: false`).",
    tags: ["security", "CWE-668"],
    pss: ["procMount"],
  },
  "baseline",
);
