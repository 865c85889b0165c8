import { defineRule } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { definitionsOf, isAllCap, isFragment, mergedItems, serviceReporter } from "../../../src/selectors/compose.js";

export default defineRule({
  meta: {
    id: "compose/cap-drop-all",
    level: "note",
    summary: "A compose service does not drop all Linux capabilities (`cap_drop: [ALL]`), or adds them all back with `cap_add: [ALL]`.",
    remediation: "Add `cap_drop: [ALL]` and list in `cap_add` only the capabilities the service needs (e.g. `NET_BIND_SERVICE`).",
    tags: ["security", "CWE-250"],
    yieldsTo: ["compose/cap-add-dangerous"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const defs = definitionsOf(doc, service, ctx.workspace);
      const addAll = mergedItems(defs, "cap_add").find((i) => i.def.service === service && isAllCap(i.text));
      if (addAll) {
        out.report(
          service,
          addAll.node,
          (label) =>
            `${label} adds \`${quote(addAll.text ?? "")}\` capabilities, which gives back everything \`cap_drop\` removes (including SYS_ADMIN, the capability that makes container escapes easy); add only the capabilities the service needs`,
        );
        continue;
      }
      if (mergedItems(defs, "cap_drop").some((i) => isAllCap(i.text))) continue;
      if (isFragment(service) || defs.incomplete) continue;
      out.report(
        service,
        service.keyRange,
        (label) =>
          `${label} keeps Docker's default capabilities (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW …), which an attacker in the container can use; add \`cap_drop: [ALL]\` and \`cap_add\` back only what it needs`,
      );
    }
    out.flush();
  },
});
