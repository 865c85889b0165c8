import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { definitionsOf, isFragment, mergedItems, noNewPrivileges, serviceReporter } from "../../../src/selectors/compose.js";

export default defineRule({
  meta: {
    id: "compose/no-new-privileges",
    level: "warning",
    summary: "A compose service does not set `security_opt: [no-new-privileges:true]`, so its processes can gain privileges through setuid binaries.",
    remediation: "Add `security_opt: [\"no-new-privileges:true\"]` to the service.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const defs = definitionsOf(doc, service, ctx.workspace);
      const items = mergedItems(defs, "security_opt");
      const own = items.filter((i) => i.def.service === service);
      const off = own.find((i) => noNewPrivileges(i.text) === "off");
      if (off) {
        out.report(
          service,
          off.node,
          (label) =>
            `${label} sets \`${quote(off.text ?? "")}\`, so a process in the container can gain privileges through setuid/setgid binaries or file capabilities; use \`no-new-privileges:true\``,
        );
        continue;
      }
      if (items.some((i) => noNewPrivileges(i.text) === "on")) continue;
      // A service with neither image nor build is completed by another compose file, which is checked itself.
      if (isFragment(service) || defs.incomplete) continue;
      out.report(
        service,
        service.keyRange,
        (label) =>
          `${label} does not set \`no-new-privileges\`: a process in the container can gain privileges through setuid/setgid binaries (su, sudo, ping …) or file capabilities; add \`security_opt: ["no-new-privileges:true"]\``,
      );
    }
    out.flush();
  },
});
