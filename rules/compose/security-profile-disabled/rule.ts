import { defineRule } from "../../../src/rule.js";
import { listValues, serviceReporter } from "../../../src/selectors/compose.js";

/** `security_opt` values that turn a confinement off, and what the container loses with it. */
const DISABLED: Record<string, { value: string; what: string }> = {
  seccomp: { value: "unconfined", what: "its seccomp filter, so it may make every system call, including the ones container escapes use" },
  apparmor: { value: "unconfined", what: "its AppArmor profile, which stops it from mounting, writing to /proc and /sys, and the like" },
  label: { value: "disable", what: "SELinux separation, so the SELinux policy no longer keeps it away from host files and other containers" },
  systempaths: { value: "unconfined", what: "the masking of /proc and /sys paths (such as /proc/kcore and /sys/firmware) that expose the host's kernel" },
};

/** `seccomp=unconfined` or the older `seccomp:unconfined`: the option's name and value, as Docker splits them. */
function parseOption(text: string): { name: string; value: string } | undefined {
  const m = /^\s*([A-Za-z-]+)\s*[=:]\s*(.*?)\s*$/.exec(text);
  return m ? { name: m[1].toLowerCase(), value: m[2] } : undefined;
}

export default defineRule({
  meta: {
    id: "compose/security-profile-disabled",
    level: "warning",
    summary:
      "A compose service turns off a kernel confinement with `security_opt`: `seccomp:unconfined`, `apparmor:unconfined`, `label:disable` or `systempaths=unconfined`.",
    remediation: "Remove the option; if the default seccomp or AppArmor profile blocks something the service needs, write a profile that allows only that and point `security_opt` at it.",
    tags: ["security", "CWE-693"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const { node: item, value, via } of listValues(service, "security_opt")) {
        const opt = parseOption(value);
        const disabled = opt && Object.prototype.hasOwnProperty.call(DISABLED, opt.name) ? DISABLED[opt.name] : undefined;
        if (!opt || !disabled || opt.value.toLowerCase() !== disabled.value) continue;
        out.report(
          service,
          item,
          (label) =>
            `${label} sets \`security_opt: ${value.trim()}\`${via} and runs without ${disabled.what}; remove it, or use a custom profile that allows only what the service needs`,
        );
      }
    }
    out.flush();
  },
});
