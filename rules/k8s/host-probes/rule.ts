import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/host-probes",
    level: "warning",
    summary: "A container's probe or lifecycle hook connects to another host: `host` is set in an httpGet or tcpSocket handler.",
    remediation: "Remove `host`, so that the kubelet probes the pod's own IP (for a virtual host, set a `Host` header in `httpHeaders`).",
    tags: ["security", "CWE-918"],
    pss: ["hostProbes"],
  },
  "baseline",
);
