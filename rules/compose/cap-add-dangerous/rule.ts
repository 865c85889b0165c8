import { defineRule } from "../../../src/rule.js";
import { listValues, serviceReporter } from "../../../src/selectors/compose.js";
import { dangerousCapability, normalizeCapability } from "../../../src/selectors/capabilities.js";

export default defineRule({
  meta: {
    id: "compose/cap-add-dangerous",
    level: "error",
    summary:
      "A compose service adds a dangerous Linux capability with `cap_add`: ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, BPF or PERFMON.",
    remediation: "Remove the capability from `cap_add`; if the service truly needs it, run it on a dedicated host, and never together with host namespaces or host mounts.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      for (const { node: item, value, via } of listValues(service, "cap_add")) {
        const why = dangerousCapability(value);
        if (!why) continue;
        const name = normalizeCapability(value);
        out.report(service, item, (label) =>
          name === "ALL"
            ? `${label} adds ALL capabilities${via}: that undoes any \`cap_drop\` and is nearly as powerful as \`privileged: true\`; add only the specific capabilities it needs`
            : `${label} adds ${name}${via}, which allows ${why}: a short path from the container to the host; remove it from \`cap_add\``,
        );
      }
    }
    out.flush();
  },
});
