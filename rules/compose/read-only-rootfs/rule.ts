import { defineRule } from "../../../src/rule.js";
import { isFalse, isTrue } from "../../../src/parsers/yaml.js";
import { definitionsOf, effectiveEntry, isFragment, scalarText, serviceReporter, withDefaults } from "../../../src/selectors/compose.js";

export default defineRule({
  meta: {
    id: "compose/read-only-rootfs",
    level: "note",
    summary: "A compose service does not set `read_only: true`, so the container can write anywhere in its root filesystem.",
    remediation: "Add `read_only: true` and give the service `tmpfs` mounts (e.g. `/tmp`) or volumes for the paths it must write to.",
    tags: ["security", "CWE-732"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const ownNode = service.node.get("read_only");
      const own = ownNode?.type === "scalar" && ownNode.value === null ? undefined : ownNode;
      const text = scalarText(own);
      const effective = text?.includes("$") ? withDefaults(text, service.variables) : text;
      if (own && (isFalse(own) || effective?.trim().toLowerCase() === "false")) {
        out.report(
          service,
          own,
          (label) =>
            `${label} sets \`read_only: false\`: an attacker in the container can modify its binaries and configuration and keep tools on disk; set \`read_only: true\` and mount tmpfs or volumes where it must write`,
        );
        continue;
      }
      if (own) continue; // true, or a variable the operator sets
      const defs = definitionsOf(doc, service, ctx.workspace);
      const inherited = effectiveEntry(defs, "read_only");
      if (inherited && isTrue(inherited.entry.value)) continue;
      if (inherited && !isFalse(inherited.entry.value)) continue;
      if (isFragment(service) || defs.incomplete) continue;
      out.report(
        service,
        service.keyRange,
        (label) =>
          `${label} has a writable root filesystem: an attacker in the container can modify its binaries and configuration and keep tools on disk; add \`read_only: true\` and mount tmpfs (e.g. /tmp) or volumes where it must write`,
      );
    }
    out.flush();
  },
});
