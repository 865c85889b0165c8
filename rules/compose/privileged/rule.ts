import { defineRule } from "../../../src/rule.js";
import { isTrue } from "../../../src/parsers/yaml.js";
import { serviceReporter, withDefaults, scalarText } from "../../../src/selectors/compose.js";

export default defineRule({
  meta: {
    id: "compose/privileged",
    level: "error",
    summary: "A compose service runs with `privileged: true`, which gives the container every capability and all host devices.",
    remediation: "Remove `privileged: true`; add only the capabilities (`cap_add`) or devices (`devices`) the service really needs.",
    tags: ["security", "CWE-250"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    for (const service of doc.services) {
      const value = service.node.get("privileged");
      if (!value) continue;
      const text = scalarText(value);
      // `privileged: ${PRIVILEGED:-true}` is privileged unless someone sets the variable.
      const on = isTrue(value) || (text !== undefined && text.includes("$") && withDefaults(text, service.variables)?.trim().toLowerCase() === "true");
      if (!on) continue;
      out.report(
        service,
        value,
        (label) =>
          `${label} runs privileged: the container gets every capability and access to all host devices, so escaping to the host is trivial; remove \`privileged: true\` and grant only the capabilities or devices it needs`,
      );
    }
    out.flush();
  },
});
