import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/host-process",
    level: "error",
    summary: "A Windows pod or container runs as a HostProcess container (`windowsOptions.hostProcess: true`).",
    remediation: "Remove `windowsOptions.hostProcess`; a node agent that truly needs the host belongs in a namespace that admits privileged pods, reviewed as such.",
    tags: ["security", "CWE-250"],
    pss: ["hostProcess"],
  },
  "baseline",
);
