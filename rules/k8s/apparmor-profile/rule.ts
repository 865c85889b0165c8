import { definePssRule } from "../../../src/pss/visitor.js";

export default definePssRule(
  {
    id: "k8s/apparmor-profile",
    level: "warning",
    summary:
      "A pod or container overrides the default AppArmor profile: `appArmorProfile.type` other than RuntimeDefault or Localhost, or a `container.apparmor.security.beta.kubernetes.io/*` annotation other than runtime/default or localhost/….",
    remediation: "Remove the override, or use `appArmorProfile.type: RuntimeDefault` (or `Localhost` with a profile loaded on the nodes).",
    tags: ["security", "CWE-693"],
    pss: ["appArmor"],
  },
  "baseline",
);
