import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/unsafe-sysctls",
    level: "warning",
    summary: "A pod sets a sysctl outside the safe set of the Pod Security Standards (`securityContext.sysctls[].name`).",
    remediation: "Remove the sysctl, or tune it on the nodes; only the namespaced sysctls of the safe set are allowed in a pod.",
    tags: ["security", "CWE-668"],
    pss: ["sysctls"],
  },
  "baseline",
);
