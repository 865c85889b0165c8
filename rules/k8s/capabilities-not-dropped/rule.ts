import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { capabilitiesOf, forEachContainer, isWindowsPod, podSpecOf } from "../../../src/selectors/k8s.js";
import { dangerousCapability } from "../../../src/selectors/capabilities.js";

export default defineRule({
  meta: {
    id: "k8s/capabilities-not-dropped",
    level: "warning",
    summary:
      "A container does not drop ALL Linux capabilities, or adds a dangerous one (ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, DAC_READ_SEARCH, BPF, PERFMON: error).",
    remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and add back only what it needs (e.g. NET_BIND_SERVICE).",
    tags: ["security", "CWE-250"],
    pss: ["capabilities.drop"],
  },
  k8s(obj, ctx) {
    const pod = podSpecOf(obj);
    if (!pod || isWindowsPod(pod)) return;
    forEachContainer(obj, (c) => {
      const caps = capabilitiesOf(c);
      for (const a of caps.add) {
        const why = dangerousCapability(a.name);
        if (!why) continue;
        ctx.report({
          node: a.node,
          level: "error",
          message:
            a.name === "ALL"
              ? `${c.label} adds ALL capabilities, which undoes any drop and is nearly as powerful as privileged; add only the specific capabilities it needs`
              : `${c.label} adds ${quote(a.name)}, which allows ${why}: a short path to controlling the node; remove it from \`capabilities.add\``,
          logicalLocation: c.logical,
        });
      }
      if (caps.drop.some((d) => d.name === "ALL")) return;
      if (caps.dropEntry && caps.drop.length > 0) {
        ctx.report({
          node: caps.dropEntry.value,
          message: `${c.label} drops only ${quote(caps.drop.map((d) => d.name).join(", "))}: the runtime's other default capabilities remain; drop \`ALL\` and add back only what it needs`,
          logicalLocation: c.logical,
        });
        return;
      }
      if (c.partial && caps.drop.length === 0) return; // a patch that does not write `drop`
      ctx.report({
        node: caps.dropEntry ? caps.dropEntry.value : c.anchor,
        message: `${c.label} keeps the runtime's default Linux capabilities; set \`securityContext.capabilities.drop: ["ALL"]\` and add back only what it needs`,
        logicalLocation: c.logical,
      });
    });
  },
});
