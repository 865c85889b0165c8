import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/host-ports",
    level: "warning",
    summary: "A container binds a port of the node: `ports[].hostPort` is set (not 0).",
    remediation: "Remove `hostPort` and reach the container through a Service (ClusterIP, or NodePort/LoadBalancer where it must be reachable from outside).",
    tags: ["security", "CWE-668"],
    pss: ["hostPorts"],
  },
  "baseline",
);
