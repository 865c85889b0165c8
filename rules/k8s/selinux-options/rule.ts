import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/selinux-options",
    level: "warning",
    summary:
      "A pod or container sets `seLinuxOptions` that lift its confinement: a `type` other than container_t, container_init_t, container_kvm_t or container_engine_t, or a `user` or `role`.",
    remediation: "Remove `seLinuxOptions.type`, `user` and `role` (set only `level`, if the workload needs a category), or use one of the container types.",
    tags: ["security", "CWE-693"],
    pss: ["seLinux"],
  },
  "baseline",
);
