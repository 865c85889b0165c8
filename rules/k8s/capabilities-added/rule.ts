import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/capabilities-added",
    level: "warning",
    summary:
      "A container adds a Linux capability beyond the runtime's default set (`capabilities.add`: NET_RAW, SYS_TIME, …; under restricted, anything but NET_BIND_SERVICE).",
    remediation: "Remove the capability from `capabilities.add`; if the workload needs one, document why and keep it to that container.",
    tags: ["security", "CWE-250"],
    // The most dangerous ones (SYS_ADMIN, ALL, …) are errors of that rule, on the same line.
    yieldsTo: ["k8s/capabilities-not-dropped"],
    pss: ["capabilities.add"],
  },
  "baseline",
);
